"""/api/people/{id}/consent-requests and /api/consent-requests/{id}/revoke: the consent
requests of the person page over JSON, through the same services."""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import ConsentKind, ConsentRequest, Person
from chancery.notifications.models import OutgoingMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(cast: Any) -> Person:
    """A minor kept by the Academy, whose guardian is recorded without an e-mail address."""
    guardian = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Saule", family_name="Guardianova"
    )
    return services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Aruzhan",
        family_name="Pupilova",
        birth_date=date(2014, 2, 3),
        guardian=guardian,
    )


@pytest.fixture
def ministry_pupil(cast: Any) -> Person:
    guardian = services.create_person(
        actor=SYSTEM,
        owner=cast.ministry,
        given_name="Gulnar",
        family_name="Other",
        email="gulnar@example.org",
    )
    return services.create_person(
        actor=SYSTEM,
        owner=cast.ministry,
        given_name="Timur",
        family_name="Other",
        birth_date=date(2013, 5, 6),
        guardian=guardian,
    )


def _fields(response: Any) -> list[str]:
    return [problem["loc"][-1] for problem in response.json()["detail"]]


def _post(client: Client, person: Person, **body: Any) -> Any:
    return client.post(
        f"/api/people/{person.pk}/consent-requests", body, content_type="application/json"
    )


def test_an_officer_asks_the_guardian_and_the_request_is_audited(cast: Any, pupil: Person) -> None:
    response = _post(
        cast.client_for(cast.alice),
        pupil,
        guardian=pupil.guardian_id,
        guardian_email="saule@parents.example",
        kinds=["media", "media"],
        language="kk",
    )
    assert response.status_code == 201, response.content
    consent_request = ConsentRequest.objects.get()
    body = response.json()
    assert body["id"] == consent_request.pk and body["live"] is True
    assert body["kinds"] == ["media"] and body["language"] == "kk"
    assert body["guardian"] == pupil.guardian_id and body["requested_by"] == "alice"
    assert "token" not in body
    assert consent_request.history.get().history_user == cast.alice
    mail = OutgoingMail.objects.get(kind="consent_requested")
    assert mail.address == "saule@parents.example" and mail.language == "kk"


def test_bad_input_is_refused_naming_the_field(
    cast: Any, pupil: Person, ministry_pupil: Person
) -> None:
    client = cast.client_for(cast.alice)
    no_kinds = _post(client, pupil, kinds=[])
    assert no_kinds.status_code == 422 and _fields(no_kinds) == ["kinds"]
    unknown = _post(client, pupil, kinds=["tattoos"])
    assert unknown.status_code == 422
    assert [problem["loc"] for problem in unknown.json()["detail"]] == [
        ["body", "payload", "kinds", 0]
    ]
    language = _post(client, pupil, kinds=["media"], language="xx")
    assert language.status_code == 422 and _fields(language) == ["language"]
    no_address = _post(client, pupil, kinds=["media"])  # the recorded guardian has none
    assert no_address.status_code == 422 and _fields(no_address) == ["guardian_email"]
    assert "Saule" in no_address.json()["detail"][0]["msg"]
    nameless = _post(
        client, pupil, kinds=["media"], guardian=None, guardian_email="new@example.org"
    )
    assert nameless.status_code == 422 and _fields(nameless) == ["guardian_given_name"]
    bad_address = _post(client, pupil, kinds=["media"], guardian_email="nowhere")
    assert bad_address.status_code == 422 and _fields(bad_address) == ["guardian_email"]
    # The pupil themself, or a person of another office, is no guardian the page offers.
    for guardian in (pupil.pk, ministry_pupil.guardian_id):
        refused = _post(
            client, pupil, kinds=["media"], guardian=guardian, guardian_email="a@example.org"
        )
        assert refused.status_code == 422 and _fields(refused) == ["guardian"]
    assert not ConsentRequest.objects.exists()


def test_asking_is_refused_to_anonymous_non_officers_and_another_office(
    cast: Any, pupil: Person, ministry_pupil: Person
) -> None:
    body = {"kinds": ["media"], "guardian_email": "saule@parents.example"}
    assert _post(Client(), pupil, **body).status_code == 401
    for user in (cast.bob, cast.pat):
        assert _post(cast.client_for(user), pupil, **body).status_code == 403
    assert _post(cast.client_for(cast.charlie), pupil, **body).status_code == 404
    assert _post(cast.client_for(cast.alice), ministry_pupil, **body).status_code == 404
    assert not ConsentRequest.objects.exists()


def test_the_list_and_revoking_keep_to_the_office_and_revoking_is_audited(
    cast: Any, pupil: Person, ministry_pupil: Person
) -> None:
    ours = services.request_consent(
        actor=cast.alice,
        person=pupil,
        guardian=pupil.guardian,
        guardian_email="saule@parents.example",
        kinds=[ConsentKind.MEDIA],
        language="ru",
    )
    theirs = services.request_consent(
        actor=cast.charlie,
        person=ministry_pupil,
        guardian=ministry_pupil.guardian,
        kinds=[ConsentKind.MEDIA],
        language="ru",
    )
    alice = cast.client_for(cast.alice)
    listed = alice.get(f"/api/people/{pupil.pk}/consent-requests")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [ours.pk]
    assert Client().get(f"/api/people/{pupil.pk}/consent-requests").status_code == 401
    assert (
        cast.client_for(cast.bob).get(f"/api/people/{pupil.pk}/consent-requests").status_code == 403
    )
    assert alice.get(f"/api/people/{ministry_pupil.pk}/consent-requests").status_code == 404

    assert Client().post(f"/api/consent-requests/{ours.pk}/revoke").status_code == 401
    assert (
        cast.client_for(cast.bob).post(f"/api/consent-requests/{ours.pk}/revoke").status_code == 403
    )
    assert alice.post(f"/api/consent-requests/{theirs.pk}/revoke").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    revoked = alice.post(f"/api/consent-requests/{ours.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["live"] is False
    ours.refresh_from_db()
    assert ours.revoked_at is not None
    assert ours.history.latest().history_user == cast.alice
