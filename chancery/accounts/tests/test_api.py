"""/api/accounts/me: who the caller is, whether they came with a session or a token."""

from typing import Any

import pytest
from django.test import Client

from chancery.accounts.models import Role
from chancery.accounts.services import create_token, grant_role
from chancery.core.actors import SYSTEM


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The cast creates six users; the production hasher would spend seconds on them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_tells_a_signed_in_officer_their_name_and_roles(cast: Any) -> None:
    response = cast.client_for(cast.alice).get("/api/accounts/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "alice",
        "person_id": None,
        "language": "",
        "roles": [{"role": "officer", "organisation_id": cast.academy.pk}],
    }


def test_it_tells_the_same_to_a_caller_with_a_token(cast: Any) -> None:
    _, secret = create_token(user=cast.alice, name="script")
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/accounts/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["roles"] == [{"role": "officer", "organisation_id": cast.academy.pk}]


def test_it_lists_every_role_of_a_user_with_several(cast: Any) -> None:
    grant_role(actor=SYSTEM, user=cast.bob, role=Role.CHAIR, organisation=cast.ministry)
    _, secret = create_token(user=cast.bob, name="script")
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/accounts/me")
    assert response.json()["roles"] == [
        {"role": "chair", "organisation_id": cast.ministry.pk},
        {"role": "viewer", "organisation_id": cast.academy.pk},
    ]


def test_it_gives_a_participant_the_id_of_their_own_record(cast: Any) -> None:
    response = cast.client_for(cast.pat).get("/api/accounts/me")
    assert response.json()["username"] == "pat"
    assert response.json()["person_id"] == cast.pat_person.pk
    assert response.json()["roles"] == [{"role": "participant", "organisation_id": cast.academy.pk}]


def test_it_answers_401_to_an_anonymous_caller_or_an_unknown_token(cast: Any) -> None:
    assert Client().get("/api/accounts/me").status_code == 401
    stranger = Client(headers={"Authorization": "Bearer chy_unknown"})
    assert stranger.get("/api/accounts/me").status_code == 401
