"""The API's errors tell the truth: who is missing, what is too large, what is not a race."""

import json
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from chancery.accounts.services import create_token
from chancery.api import is_concurrent_write


def _post_person(client: Client, body: str) -> Any:
    return client.post("/api/people", body, content_type="application/json")


def test_a_post_without_token_or_session_is_told_authentication_is_missing(cast: Any) -> None:
    response = _post_person(
        Client(enforce_csrf_checks=True), json.dumps({"given_name": "No", "family_name": "Body"})
    )
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Authentication is missing" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_signed_in_session_without_the_csrf_token_is_refused_with_403(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    response = _post_person(client, json.dumps({"given_name": "No", "family_name": "Token"}))
    assert response.status_code == 403
    assert "CSRF token" in response.json()["detail"]


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_answers_413_in_json(cast: Any, settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _, secret = create_token(user=cast.alice, name="tests")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = json.dumps({"given_name": "Long", "family_name": "Body", "notes": "x" * 2000})
    response = _post_person(client, body)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "The request body is too large."}


def _integrity_error(sql: str) -> IntegrityError:
    with (
        pytest.raises(IntegrityError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return raised.value


@pytest.mark.django_db
def test_only_unique_and_foreign_key_violations_are_called_a_race() -> None:
    duplicate = _integrity_error(
        "INSERT INTO directory_country (alpha2, alpha3, numeric, name_en, name_ru, name_kk) "
        "SELECT alpha2, 'ZZZ', '', 'Twin', '', '' FROM directory_country WHERE alpha2 = 'KZ'"
    )
    missing = _integrity_error(
        "INSERT INTO directory_country (alpha2, alpha3, numeric, name_en, name_ru, name_kk) "
        "VALUES ('ZZ', NULL, '', 'Nothing', '', '')"
    )
    assert is_concurrent_write(duplicate)
    assert not is_concurrent_write(missing)
