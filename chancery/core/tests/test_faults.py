"""Faults: the database going away answers 503 and the app recovers; a killed import writes nothing.

The server tests run the production server (gunicorn) on 127.0.0.1 against a scratch database
loaded with the demo, take the database away for real (PostgreSQL: refuse connections to it and
terminate its backends; SQLite: a folder where the file was), and put it back.
"""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError, close_old_connections, connection

from chancery.core.tests.test_backup import (
    ON_POSTGRES,
    ROOT,
    chancery,
    environment,
    ok,
    postgres_snapshot,
    scratch_postgres,
    scratch_url,
    sqlite_snapshot,
)

UNAVAILABLE = "Chancery is unavailable for a moment"


@dataclass
class Site:
    kind: str
    url: str
    env: dict[str, str]
    session: str  # the officer's session cookie
    token: str  # the officer's API token
    office: int

    def snapshot(self) -> dict[str, list[Any]]:
        return sqlite_snapshot(self.url) if self.kind == "sqlite" else postgres_snapshot(self.url)

    @property
    def sqlite_file(self) -> Path:
        return Path(self.url.removeprefix("sqlite:///"))

    @property
    def database_name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")


SESSION_SCRIPT = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from chancery.accounts.models import User
from chancery.directory.queries import offices_of
user = User.objects.get(username="officer")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "chancery.accounts.backends.AuthenticationBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key, offices_of(user).order_by("pk").first().pk)
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """A scratch database with the demo, the officer signed in, an API token."""
    if request.param == "sqlite" and ON_POSTGRES:
        pytest.skip("SQLite is tested in the SQLite run of the suite")
    tmp = tmp_path_factory.mktemp(f"faults-{request.param}")
    with scratch_postgres("faults") if request.param == "postgresql" else _sqlite_url(tmp) as urls:
        env = environment(tmp, urls[0], "media")
        ok(chancery(env, "migrate", "--noinput", "-v0"))
        ok(chancery(env, "demo"))
        session, office = ok(chancery(env, "shell", "--no-imports", "-c", SESSION_SCRIPT)).split()[
            -2:
        ]
        token = ok(chancery(env, "token", "create", "officer")).strip().splitlines()[-1]
        yield Site(request.param, urls[0], env, session, token, int(office))


@contextmanager
def _sqlite_url(tmp: Path) -> Iterator[list[str]]:
    yield [f"sqlite:///{tmp / 'chancery.sqlite3'}"]


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def get(port: int, path: str, headers: dict[str, str] | None = None) -> Answer:
    client = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        client.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = client.getresponse()
        return Answer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read().decode(),
        )
    finally:
        client.close()


@contextmanager
def gunicorn(env: dict[str, str], log: Path, *options: str) -> Iterator[int]:
    """gunicorn on a free port of 127.0.0.1 (one sync worker unless `options` say more),
    once it answers; stopped afterwards. Yields the port."""
    port = _free_port()
    with log.open("w") as errors:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "chancery.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "120",
                *options,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if get(port, "/accounts/login/").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start: {log.read_text()}")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def server(site: Site, tmp_path: Path) -> Iterator[int]:
    """gunicorn, one sync worker, on a free port of 127.0.0.1; stopped afterwards."""
    with gunicorn(site.env, tmp_path / "gunicorn.log") as port:
        yield port


def _admin() -> Any:
    import psycopg

    return psycopg.connect(scratch_url("postgres"), autocommit=True)


def _backends(site: Site) -> set[int]:
    with _admin() as admin:
        return {
            pid
            for (pid,) in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [site.database_name]
            )
        }


@contextmanager
def database_away(site: Site) -> Iterator[None]:
    """Take the site's database away for real; bring it back afterwards."""
    if site.kind == "postgresql":
        with _admin() as admin:
            admin.execute(f'ALTER DATABASE "{site.database_name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [site.database_name],
            )
            try:
                yield
            finally:
                admin.execute(f'ALTER DATABASE "{site.database_name}" ALLOW_CONNECTIONS true')
    else:
        path = site.sqlite_file
        aside = path.with_name(path.name + ".away")
        path.rename(aside)
        path.mkdir()  # "unable to open database file", as when a volume is gone
        try:
            yield
        finally:
            path.rmdir()
            aside.rename(path)


def test_the_database_going_away_answers_503_and_the_app_recovers(
    site: Site, server: int, tmp_path: Path
) -> None:
    signed_in = {"Cookie": f"sessionid={site.session}"}
    token = {"Authorization": f"Bearer {site.token}"}
    assert get(server, "/", signed_in).status == 200
    assert get(server, "/api/people", token).status == 200
    assert get(server, "/readyz").status == 200

    with database_away(site):
        page = get(server, "/", signed_in)  # lost while the middlewares load the user
        assert page.status == 503, page.body
        assert UNAVAILABLE in page.body
        assert page.headers["retry-after"] == "30"
        assert "content-security-policy" in page.headers
        public = get(server, "/verify/NO-SUCH-CODE/")  # lost inside an anonymous view
        assert public.status == 503
        assert UNAVAILABLE in public.body
        api = get(server, "/api/people", token)  # lost inside the API's authentication
        assert api.status == 503
        assert api.headers["content-type"].startswith("application/json")
        assert "database is unavailable" in json.loads(api.body)["detail"]
        api_session = get(server, "/api/people", signed_in)
        assert api_session.status == 503
        assert "detail" in json.loads(api_session.body)
        ready = get(server, "/readyz")
        assert ready.status == 503
        assert "database" in json.loads(ready.body)["failed"]
        assert get(server, "/livez").status == 200  # the process is alive: no restart needed

    # Back: the next requests work, with no restart of the server.
    assert get(server, "/", signed_in).status == 200
    assert get(server, "/api/people", token).status == 200
    assert get(server, "/readyz").status == 200
    # One alert and its end in the log, not a traceback for every request.
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log, log
    assert log.count("Database unreachable") == 1, log
    assert log.count("Database reachable again") == 1, log


def test_a_terminated_connection_is_replaced_on_the_next_request(site: Site, server: int) -> None:
    if site.kind != "postgresql":
        pytest.skip("PostgreSQL: the server keeps its connection between requests")
    signed_in = {"Cookie": f"sessionid={site.session}"}
    assert get(server, "/", signed_in).status == 200
    before = _backends(site)
    assert before, "the server keeps a connection open (CONN_MAX_AGE)"
    with _admin() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [site.database_name],
        )
    assert get(server, "/", signed_in).status == 200
    after = _backends(site)
    assert after and not after & before


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_in_the_middle_of_a_request_answers_503(
    client: Any, django_user_model: Any
) -> None:
    """In-process: the test's own connection is terminated from a second connection."""
    if connection.vendor != "postgresql":
        pytest.skip("terminating one backend needs PostgreSQL")
    import psycopg

    user = django_user_model.objects.create_user("faulty", password="a long passphrase 1")
    client.force_login(user)
    assert client.get("/").status_code == 200
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    db = connection.settings_dict
    params = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])

    client.raise_request_exception = False  # answer as a server would, not re-raise
    try:
        page = client.get("/")
        assert page.status_code == 503
        assert UNAVAILABLE in page.content.decode()
        api = client.get("/api/people")
        assert api.status_code == 503
        assert "database is unavailable" in api.json()["detail"]
    finally:
        # What Django does when a request ends (the test client does not): drop the broken
        # connection. The next request connects afresh.
        close_old_connections()
    assert client.get("/").status_code == 200


@contextmanager
def _queries_fail(message: str) -> Iterator[None]:
    """Every query raises what the driver raises when the server is gone (fault injection at
    the connection's execute hook, as the killed import below uses it)."""

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError(message)

    with connection.execute_wrapper(refuse):
        yield


def test_an_outage_logs_one_alert_one_line_a_request_and_its_end(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from chancery.accounts.services import create_token

    _, secret = create_token(user=cast.alice, name="outage")
    signed_in = cast.client_for(cast.alice)
    signed_in.raise_request_exception = False
    token = {"Authorization": f"Bearer {secret}"}
    assert signed_in.get("/").status_code == 200  # whatever an earlier test left, it is over
    caplog.set_level(logging.INFO)
    caplog.clear()
    with _queries_fail("connection to server at 10.0.0.5 failed: Connection refused"):
        answers = [
            signed_in.get("/"),
            signed_in.get("/api/people", headers=token),
            signed_in.get("/directory/people/"),
        ]
    assert [answer.status_code for answer in answers] == [503, 503, 503]
    during = list(caplog.records)
    assert not [record for record in during if record.exc_info], "no traceback is logged"
    alerts = [r for r in during if r.getMessage().startswith("Database unreachable")]
    assert len(alerts) == 1
    assert alerts[0].levelno == logging.ERROR
    assert "Connection refused" in alerts[0].getMessage()
    others = [r for r in during if r not in alerts]
    assert [r.getMessage() for r in others] == [
        "Service Unavailable: /",
        "Service Unavailable: /api/people",
        "Service Unavailable: /directory/people/",
    ]
    assert all("\n" not in r.getMessage() for r in during)

    caplog.clear()
    assert signed_in.get("/").status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "chancery.database"] == [
        "Database reachable again after 0 s; 3 requests were answered 503"
    ]
    caplog.clear()
    assert signed_in.get("/").status_code == 200
    assert not caplog.records


KILLED_IMPORT = """
import os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection

pause_at = int(sys.argv[3])
inserts = 0


def pause_mid_way(execute, sql, params, many, context):
    global inserts
    result = execute(sql, params, many, context)
    if sql.lstrip().upper().startswith("INSERT"):
        inserts += 1
        if inserts == pause_at:
            print(f"MID-WAY {inserts} {connection.in_atomic_block}", flush=True)
            time.sleep(600)
    return result


with connection.execute_wrapper(pause_mid_way):
    call_command("import", "people", sys.argv[1], "--office", sys.argv[2], "--as", "officer")
print(f"FINISHED {inserts}", flush=True)
"""


def _rows(snapshot: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {table: rows for table, rows in snapshot.items() if table != "<sequences>"}


def _people_file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "people.csv"
    lines = ["given_name;family_name;email;birth_date;citizenship;class_year"]
    lines += [
        f"Killed{i};Importer{i};killed{i}@example.org;1990-01-01;KZ;2015" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_import_killed_half_way_leaves_the_database_as_before(
    site: Site, tmp_path: Path
) -> None:
    """`chancery import people` is killed (SIGKILL) after it wrote its first rows."""
    people = _people_file(tmp_path, 300)
    before = site.snapshot()
    env = {**site.env, "DJANGO_SETTINGS_MODULE": "chancery.settings"}
    errors = tmp_path / "import.log"
    with errors.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_IMPORT, str(people), str(site.office), "3"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    with child:
        try:
            assert child.stdout is not None
            printed = []
            # The command prints every row's outcome, then writes; the third INSERT pauses it.
            while line := child.stdout.readline():
                printed.append(line)
                if line.startswith("MID-WAY"):
                    break
            assert printed[-1] == "MID-WAY 3 True\n", "".join(printed) + errors.read_text()
            os.kill(child.pid, signal.SIGKILL)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL

    # Every table as before. (PostgreSQL's sequences are not transactional: the ids the killed
    # transaction drew stay drawn, a gap and no data.)
    assert _rows(site.snapshot()) == _rows(before)
    if site.kind == "sqlite":
        import sqlite3

        with closing(sqlite3.connect(site.sqlite_file)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # Nothing is left locked, and the same import, not killed, writes every row.
    finished = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT, str(people), str(site.office), "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "300 created" in finished.stdout
    after = site.snapshot()
    assert len(after["directory_person"]) == len(before["directory_person"]) + 300
