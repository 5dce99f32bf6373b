"""Schemathesis over the whole API: no request an officer can send makes the server fail.

The cast is created once for the test; every generated request runs in a savepoint that is
rolled back, so each example sees the same database: the cast and nothing else.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from chancery.accounts.services import create_token


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The cast creates six users; the production hasher would spend seconds on them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def _connection_kept_across_requests() -> Iterator[None]:
    """Keep the test's connection (and its transaction) open across in-process requests.

    Django's WSGI handler closes "old" connections when a request starts and finishes;
    inside the test transaction that would close it. Django's own test client does the same.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def officer_headers(cast: Any, _connection_kept_across_requests: None) -> dict[str, str]:
    _, secret = create_token(user=cast.alice, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


# Loaded when the module is collected: the schema endpoint needs no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_of_an_officer_makes_the_server_fail(
    case: Any, officer_headers: dict[str, str]
) -> None:
    with transaction.atomic():
        try:
            r = case.call_and_validate(
                headers=officer_headers,
                checks=[not_a_server_error, response_schema_conformance],
            )
        finally:
            transaction.set_rollback(True)
        import collections; STATS[(case.operation.label, r.status_code)] += 1
import collections, atexit
STATS = collections.Counter()
atexit.register(lambda: print(sorted(STATS.items())))
