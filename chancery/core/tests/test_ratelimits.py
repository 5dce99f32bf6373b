"""Rate limits: the API per user or token, the public verification and sign-in per address."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from chancery.accounts.services import create_token

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def limits(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_API = "3/m"
    settings.RATE_LIMIT_VERIFY = "2/m"
    settings.RATE_LIMIT_SIGN_IN = "2/m"
    cache.clear()


@pytest.mark.usefixtures("limits")
def test_the_api_answers_429_in_json_past_a_users_limit(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    assert [client.get("/api/people").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/people")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many requests; try again in")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert cast.client_for(cast.bob).get("/api/people").status_code == 200  # his own count


@pytest.mark.usefixtures("limits")
def test_each_api_token_is_counted_on_its_own(cast: Any) -> None:
    _, first = create_token(user=cast.alice, name="one")
    _, second = create_token(user=cast.alice, name="two")
    client = Client()
    for _ in range(3):
        assert client.get("/api/people", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 200
    assert client.get("/api/people", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 429
    assert client.get("/api/people", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


@pytest.mark.usefixtures("limits")
def test_the_public_verification_is_limited_per_address_with_a_page(db: Any) -> None:
    here, there = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert [here.get("/verify/").status_code for _ in range(2)] == [200, 200]
    refused = here.get("/verify/")
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert here.get("/draws/verify/").status_code == 429  # one limit for every verifier
    assert there.get("/verify/").status_code == 200


@pytest.mark.usefixtures("limits")
def test_sign_in_attempts_are_limited_per_address(db: Any) -> None:
    client = Client(REMOTE_ADDR="192.0.2.9")
    for _ in range(2):
        assert (
            client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code != 429
        )
    assert client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 429
    assert client.get("/accounts/login/").status_code == 200  # the page itself is not counted


def test_a_rate_that_cannot_be_read_names_its_variable(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chancery", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "RATE_LIMIT_API": "lots", "CHANCERY_VAR_DIR": str(tmp_path)},
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "RATE_LIMIT_API must be a rate such as 60/m or 1000/h, not 'lots'" in result.stderr


def test_with_redis_every_server_counts_together(tmp_path: Path) -> None:
    """Two processes (two app servers) on one Redis: what one counted, the other refuses."""
    from datetime import UTC, datetime

    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_VERIFY": "2/m",
        "CACHE_KEY_PREFIX": f"ratelimit-test-{os.getpid()}-{datetime.now(UTC).timestamp()}",
        "ALLOWED_HOSTS": "testserver",
        "CHANCERY_VAR_DIR": str(tmp_path),
    }
    code = (
        "from django.test import Client; client = Client(REMOTE_ADDR='192.0.2.7'); "
        "print(*[client.get('/verify/').status_code for _ in range({n})])"
    )

    def server(requests: int) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "chancery",
                "shell",
                "--no-imports",
                "-c",
                code.format(n=requests),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert server(2) == "200 200"
    assert server(1) == "429"
