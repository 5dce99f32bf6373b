"""/api/accounts: invitations, accounts and roles over JSON, through the services the accounts
page uses: 401 without authentication, 403 for a role that may not, 404 for another office's
record, 422 naming the field, and every write audited with the caller."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from chancery.accounts import services
from chancery.accounts.models import Invitation, Role, RoleAssignment, User
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, Person


@pytest.fixture
def nora(cast: Any) -> Person:
    return directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Nora",
        family_name="Newcomer",
        email="nora@example.org",
    )


@pytest.fixture
def mira(cast: Any) -> Person:
    """A person of the Ministry's records (another office), who supervises at its department."""
    person = directory.create_person(
        actor=SYSTEM,
        owner=cast.ministry,
        given_name="Mira",
        family_name="Ministry",
        email="mira@example.org",
    )
    directory.add_affiliation(
        actor=SYSTEM, person=person, organisation=cast.department, role=AffiliationRole.SUPERVISOR
    )
    return person


def _invite(cast: Any, person: Person, actor: Any = None, **extra: Any) -> Invitation:
    invitation, _token = services.invite(
        actor=actor or cast.alice,
        person=person,
        role=Role.PARTICIPANT,
        organisation=person.owner,
        **extra,
    )
    return invitation


def _fields(response: Any) -> list[str]:
    return [problem["loc"][-1] for problem in response.json()["detail"]]


def test_an_officer_invites_through_the_api_and_the_invitation_is_audited(
    cast: Any, nora: Person
) -> None:
    response = cast.client_for(cast.alice).post(
        "/api/accounts/invitations",
        {
            "person": nora.pk,
            "role": "participant",
            "organisation": cast.academy.pk,
            "language": "ru",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get()
    assert response.json()["id"] == invitation.pk
    assert response.json()["state"] == "pending"
    assert response.json()["email"] == "nora@example.org"
    assert response.json()["invited_by"] == "alice"
    assert "token" not in response.json() and "digest" not in response.json()
    assert (invitation.person, invitation.role, invitation.language) == (
        nora,
        Role.PARTICIPANT,
        "ru",
    )
    assert invitation.history.get().history_user == cast.alice


def test_the_role_and_scope_rules_of_the_form_refuse_naming_the_field(
    cast: Any, nora: Person
) -> None:
    client = cast.client_for(cast.alice)

    def post(**body: Any) -> Any:
        return client.post(
            "/api/accounts/invitations",
            {"person": nora.pk, "organisation": cast.academy.pk, **body},
            content_type="application/json",
        )

    chair = post(role="chair")
    assert chair.status_code == 422
    assert _fields(chair) == ["committee"]
    assert "names the committee" in chair.json()["detail"][0]["msg"]
    supervisor = post(role="supervisor")
    assert supervisor.status_code == 422 and _fields(supervisor) == ["organisation"]
    unknown_role = post(role="emperor")
    assert unknown_role.status_code == 422 and _fields(unknown_role) == ["role"]
    bad_address = post(role="participant", email="not an address")
    assert bad_address.status_code == 422 and _fields(bad_address) == ["email"]
    # An organisation the form would not offer (the Ministry's office): named, not invited.
    elsewhere = post(role="participant", organisation=cast.ministry.pk)
    assert elsewhere.status_code == 422 and _fields(elsewhere) == ["organisation"]
    assert post(role="participant").status_code == 201
    again = post(role="participant")
    assert again.status_code == 422 and _fields(again) == ["role"]
    assert "re-invite" in again.json()["detail"][0]["msg"]
    assert Invitation.objects.count() == 1


def test_inviting_is_refused_to_anonymous_non_officers_and_another_office(
    cast: Any, nora: Person, mira: Person
) -> None:
    body = {"person": nora.pk, "role": "participant", "organisation": cast.academy.pk}
    assert (
        Client()
        .post("/api/accounts/invitations", body, content_type="application/json")
        .status_code
        == 401
    )
    for user in (cast.bob, cast.pat, cast.sam):
        response = cast.client_for(user).post(
            "/api/accounts/invitations", body, content_type="application/json"
        )
        assert response.status_code == 403
    # Charlie, officer of the Ministry: the Academy's person is no record of theirs.
    refused = cast.client_for(cast.charlie).post(
        "/api/accounts/invitations", body, content_type="application/json"
    )
    assert refused.status_code == 422 and _fields(refused) == ["person"]
    assert not Invitation.objects.exists()
    # Alice cannot invite the Ministry's Mira either.
    refused = cast.client_for(cast.alice).post(
        "/api/accounts/invitations",
        {"person": mira.pk, "role": "supervisor", "organisation": cast.department.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422 and _fields(refused) == ["person"]


def test_the_list_holds_the_offices_invitations_and_filters_the_pending(
    cast: Any, nora: Person, mira: Person
) -> None:
    pending = _invite(cast, nora)
    olga = directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Olga",
        family_name="Other",
        email="olga@example.org",
    )
    revoked = _invite(cast, olga)
    services.revoke_invitation(actor=cast.alice, invitation=revoked)
    piotr = directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Piotr",
        family_name="Late",
        email="piotr@example.org",
    )
    expired = _invite(cast, piotr)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    _invite(cast, mira, actor=cast.charlie)
    client = cast.client_for(cast.alice)
    everything = client.get("/api/accounts/invitations").json()
    assert {item["id"] for item in everything["items"]} == {pending.pk, revoked.pk, expired.pk}
    assert everything["count"] == 3
    only = client.get("/api/accounts/invitations?state=pending").json()
    assert [item["id"] for item in only["items"]] == [pending.pk]
    still_open = client.get("/api/accounts/invitations?state=open").json()
    assert {item["id"] for item in still_open["items"]} == {pending.pk, expired.pk}
    assert {item["id"]: item["state"] for item in still_open["items"]}[expired.pk] == "expired"
    assert client.get(f"/api/accounts/invitations?person={nora.pk}").json()["count"] == 1
    bad = client.get("/api/accounts/invitations?state=sometimes")
    assert bad.status_code == 422 and _fields(bad) == ["state"]
    assert Client().get("/api/accounts/invitations").status_code == 401
    assert cast.client_for(cast.bob).get("/api/accounts/invitations").status_code == 403


def test_revoking_and_re_inviting_are_audited_and_kept_to_the_office(
    cast: Any, nora: Person, mira: Person
) -> None:
    invitation = _invite(cast, nora)
    theirs = _invite(cast, mira, actor=cast.charlie)
    client = cast.client_for(cast.alice)
    assert Client().post(f"/api/accounts/invitations/{invitation.pk}/revoke").status_code == 401
    assert (
        cast.client_for(cast.bob)
        .post(f"/api/accounts/invitations/{invitation.pk}/revoke")
        .status_code
        == 403
    )
    assert client.post(f"/api/accounts/invitations/{theirs.pk}/revoke").status_code == 404
    assert client.post(f"/api/accounts/invitations/{theirs.pk}/reinvite").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None

    resent = client.post(f"/api/accounts/invitations/{invitation.pk}/reinvite")
    assert resent.status_code == 201
    new = Invitation.objects.get(pk=resent.json()["id"])
    invitation.refresh_from_db()
    assert invitation.replaced_by == new and invitation.revoked_by == cast.alice
    assert new.history.get().history_user == cast.alice

    revoked = client.post(f"/api/accounts/invitations/{new.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    new.refresh_from_db()
    assert new.history.latest().history_user == cast.alice


def test_an_accepted_invitation_is_not_revoked(cast: Any, nora: Person) -> None:
    invitation = _invite(cast, nora)
    services.accept_invitation(invitation=invitation, password="a long and unusual phrase 41")
    response = cast.client_for(cast.alice).post(f"/api/accounts/invitations/{invitation.pk}/revoke")
    assert response.status_code == 422
    assert "withdraw the role instead" in response.json()["detail"][0]["msg"]


def test_the_accounts_list_shows_roles_last_sign_in_and_what_may_be_withdrawn(cast: Any) -> None:
    signed_in_at = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    User.objects.filter(pk=cast.pat.pk).update(last_login=signed_in_at)
    response = cast.client_for(cast.alice).get("/api/accounts/users")
    assert response.status_code == 200
    accounts = {item["username"]: item for item in response.json()["items"]}
    assert "charlie" not in accounts and "sam" not in accounts
    assert parse_datetime(accounts["pat"]["last_login"]) == signed_in_at
    assert accounts["quinn"]["last_login"] is None
    assert accounts["pat"]["person"] == cast.pat_person.pk
    [role] = accounts["pat"]["roles"]
    assert (role["role"], role["organisation"], role["withdrawable"]) == (
        "participant",
        cast.academy.pk,
        True,
    )
    [own] = accounts["alice"]["roles"]
    assert own["withdrawable"] is False  # never one's own
    found = cast.client_for(cast.alice).get("/api/accounts/users?q=qui").json()
    assert [item["username"] for item in found["items"]] == ["quinn"]
    assert Client().get("/api/accounts/users").status_code == 401
    assert cast.client_for(cast.pat).get("/api/accounts/users").status_code == 403
    bad = cast.client_for(cast.alice).get("/api/accounts/users?page_size=0")
    assert bad.status_code == 422 and _fields(bad) == ["page_size"]


def test_withdrawing_a_role_is_audited_and_kept_to_the_office(cast: Any) -> None:
    pats = RoleAssignment.objects.get(user=cast.pat)
    charlies = RoleAssignment.objects.get(user=cast.charlie)
    alices = RoleAssignment.objects.get(user=cast.alice)
    client = cast.client_for(cast.alice)
    assert Client().delete(f"/api/accounts/roles/{pats.pk}").status_code == 401
    assert cast.client_for(cast.bob).delete(f"/api/accounts/roles/{pats.pk}").status_code == 403
    assert client.delete(f"/api/accounts/roles/{charlies.pk}").status_code == 404
    own = client.delete(f"/api/accounts/roles/{alices.pk}")
    assert own.status_code == 403
    assert client.delete(f"/api/accounts/roles/{pats.pk}").status_code == 204
    assert not RoleAssignment.objects.filter(pk=pats.pk).exists()
    removal = RoleAssignment.history.filter(id=pats.pk).latest()
    assert (removal.history_type, removal.history_user) == ("-", cast.alice)
    assert RoleAssignment.objects.filter(pk__in=[charlies.pk, alices.pk]).count() == 2
