"""Two app servers (gunicorn) on one database and one Redis, as behind a load balancer.

What one server does, the other sees at once: a chair's action reaches a projector polling the
other server within a second, an import dry-run on one is committed on the other, a list count
changed on one is right on the other, and a rate limit counts requests to both. The database is
a scratch PostgreSQL database in the PostgreSQL run of the suite, a SQLite file otherwise (two
servers of one machine); the cache is the Redis every development and CI machine runs.
"""

import http.client
import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from chancery.core.tests.test_backup import (
    ON_POSTGRES,
    chancery,
    environment,
    ok,
    scratch_postgres,
)
from chancery.core.tests.test_faults import gunicorn

REDIS = "redis://127.0.0.1:6379/0"
API_RATE = 15  # a minute, per token: small enough to reach in a test
VERSION = re.compile(r'data-version="(\d+)"')

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chancery.accounts.models import User
from chancery.accounts.services import create_token
from chancery.directory.queries import offices_of
from chancery.mun import services
from chancery.mun.models import Committee

def session_of(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "chancery.accounts.backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

officer, chair = User.objects.get(username="officer"), User.objects.get(username="chair")
committee = Committee.objects.get()
opened = services.open_session(committee=committee, actor=chair)
print(json.dumps({
    "officer": session_of(officer), "chair": session_of(chair),
    "office": offices_of(officer).order_by("pk").first().pk,
    "tokens": [create_token(user=officer, name=f"t{n}")[1] for n in range(2)],
    "session": opened.pk, "screen": opened.projector_token, "version": opened.version,
    "seats": list(committee.seats.values_list("pk", flat=True)),
}))
"""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """One gunicorn on 127.0.0.1, asked with plain HTTP as a load balancer would."""

    def __init__(self, port: int) -> None:
        self.port = port

    def ask(
        self, method: str, path: str, body: bytes | str = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                method, path, body=body or None, headers={"Host": "127.0.0.1", **(headers or {})}
            )
            response = connection.getresponse()
            return Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read().decode(),
            )
        finally:
            connection.close()


@dataclass
class Pair:
    one: Server
    other: Server
    setup: dict[str, Any]

    def signed_in(self, who: str) -> dict[str, str]:
        csrf = "c" * 32
        return {"Cookie": f"sessionid={self.setup[who]}; csrftoken={csrf}", "X-CSRFToken": csrf}

    def token(self, n: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.setup['tokens'][n]}"}


@contextmanager
def _database(tmp: Path) -> Iterator[str]:
    if ON_POSTGRES:
        with scratch_postgres("twoservers") as urls:
            yield urls[0]
    else:
        yield f"sqlite:///{tmp / 'shared.sqlite3'}"


@contextmanager
def _gunicorn(env: dict[str, str], log: Path) -> Iterator[Server]:
    with gunicorn(env, log, "--threads", "4", "--worker-class", "gthread") as port:
        yield Server(port)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    tmp = tmp_path_factory.mktemp("two-servers")
    with _database(tmp) as url:
        env = {
            **environment(tmp, url, "media"),
            "REDIS_URL": REDIS,
            "CACHE_KEY_PREFIX": f"two-servers-{uuid.uuid4().hex}",
            "RATE_LIMITS": "on",
            "RATE_LIMIT_API": f"{API_RATE}/m",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        ok(chancery(env, "migrate", "--noinput", "-v0"))
        ok(chancery(env, "demo"))
        setup = json.loads(
            ok(chancery(env, "shell", "--no-imports", "-c", SETUP)).strip().splitlines()[-1]
        )
        with _gunicorn(env, tmp / "one.log") as one, _gunicorn(env, tmp / "other.log") as other:
            yield Pair(one, other, setup)


def test_a_list_count_changed_on_one_server_is_right_on_the_other(pair: Pair) -> None:
    headers = pair.signed_in("officer")
    before = pair.other.ask("GET", "/api/people?page_size=1", headers=headers).json()["count"]
    assert pair.one.ask("GET", "/api/people?page_size=1", headers=headers).json()["count"] == (
        before
    )  # both have it cached now
    created = pair.one.ask(
        "POST",
        "/api/people",
        json.dumps(
            {"given_name": "Aruzhan", "family_name": "Servers", "owner": pair.setup["office"]}
        ),
        {**headers, "Content-Type": "application/json"},
    )
    assert created.status == 201, created.body
    after = pair.other.ask("GET", "/api/people?page_size=1", headers=headers).json()["count"]
    assert after == before + 1


def test_an_import_dry_run_on_one_server_is_committed_on_the_other(pair: Pair) -> None:
    headers = pair.signed_in("officer")
    boundary = "----chancery" + uuid.uuid4().hex
    csv = "given_name;family_name\nDinara;Twoservers\n"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="office"\r\n\r\n'
        f"{pair.setup['office']}\r\n--{boundary}\r\nContent-Disposition: form-data; "
        f'name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n'
        f"--{boundary}--\r\n"
    )
    dry = pair.one.ask(
        "POST",
        "/reports/import/",
        body.encode(),
        {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert dry.status == 200, dry.body[:2000]
    token = re.search(r'name="token" value="([^"]+)"', dry.body)
    assert token, dry.body[:2000]
    done = pair.other.ask(
        "POST",
        "/reports/import/commit/",
        urlencode({"token": token[1]}),
        {**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status == 200, done.body[:2000]
    assert "Import done" in done.body
    found = pair.one.ask("GET", "/api/people?q=Twoservers", headers=headers).json()
    assert found["count"] == 1


def test_a_chairs_action_on_one_server_reaches_a_projector_on_the_other(pair: Pair) -> None:
    live = f"/mun/screen/{pair.setup['screen']}/live/"
    shown = pair.other.ask("GET", f"{live}?v=0")
    version = int(VERSION.search(shown.body)[1])
    assert pair.other.ask("GET", f"{live}?v={version}").status == 204
    seat = pair.setup["seats"][0]
    acted = pair.one.ask(
        "POST",
        f"/mun/sessions/{pair.setup['session']}/attendance/",
        urlencode({"seat": seat, "attendance": "present", "version": version}),
        {
            **pair.signed_in("chair"),
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert acted.status == 200, acted.body[:2000]
    acted_at = time.monotonic()
    while True:
        polled = pair.other.ask("GET", f"{live}?v={version}")
        if polled.status == 200:
            break
        assert time.monotonic() - acted_at < 1.0, "the projector did not follow within 1 s"
        time.sleep(0.1)
    assert int(VERSION.search(polled.body)[1]) > version


def test_a_rate_limit_counts_the_requests_to_both_servers(pair: Pair) -> None:
    answers = [
        (pair.one if n % 2 else pair.other)
        .ask("GET", "/api/countries?page_size=1", headers=pair.token(1))
        .status
        for n in range(API_RATE)
    ]
    assert answers == [200] * API_RATE
    for server in (pair.one, pair.other):
        refused = server.ask("GET", "/api/countries?page_size=1", headers=pair.token(1))
        assert refused.status == 429 and "retry-after" in refused.headers
    assert (
        pair.one.ask("GET", "/api/countries?page_size=1", headers=pair.token(0)).status == 200
    )  # another token counts apart
