"""The invitation pages: inviting from a person's page and the people list, the accept page and
its clear refusals, the office's accounts page; another office's records are out of reach."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chancery.accounts import services
from chancery.accounts.models import Invitation, Role, RoleAssignment, User
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, Person

STRONG = "a long and unusual passphrase 41"


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
def minister(cast: Any) -> Person:
    """A person of the Ministry's records (another office)."""
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


def test_the_person_page_offers_the_invitation_to_the_office_only(cast: Any, nora: Person) -> None:
    url = reverse("accounts:invite", args=[nora.pk])
    page = cast.client_for(cast.alice).get(reverse("directory:person", args=[nora.pk]))
    assert url in page.content.decode()
    assert cast.client_for(cast.alice).get(url).status_code == 200
    assert cast.client_for(cast.charlie).get(url).status_code == 404
    assert cast.client_for(cast.bob).get(url).status_code == 403
    assert cast.client_for(cast.pat).get(url).status_code == 403


def test_an_officer_invites_from_the_person_page(cast: Any, nora: Person) -> None:
    client = cast.client_for(cast.alice)
    url = reverse("accounts:invite", args=[nora.pk])
    response = client.post(
        url,
        {
            "email": "nora@example.org",
            "role": Role.PARTICIPANT,
            "organisation": cast.academy.pk,
            "language": "en",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.person, invitation.role, invitation.invited_by) == (
        nora,
        Role.PARTICIPANT,
        cast.alice,
    )


def test_a_role_that_does_not_fit_is_refused_naming_the_field(cast: Any, nora: Person) -> None:
    response = cast.client_for(cast.alice).post(
        reverse("accounts:invite", args=[nora.pk]),
        {
            "email": "nora@example.org",
            "role": Role.CHAIR,
            "organisation": cast.academy.pk,
            "language": "en",
        },
    )
    assert response.status_code == 422
    assert "names the committee" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_officer_cannot_invite_into_another_office(
    cast: Any, nora: Person, minister: Person
) -> None:
    # The ministry's person: not found. Nora into the ministry's office: not one of Alice's.
    client = cast.client_for(cast.alice)
    assert (
        client.post(
            reverse("accounts:invite", args=[minister.pk]),
            {
                "email": "mira@example.org",
                "role": Role.SUPERVISOR,
                "organisation": cast.department.pk,
                "language": "en",
            },
        ).status_code
        == 404
    )
    response = client.post(
        reverse("accounts:invite", args=[nora.pk]),
        {
            "email": "nora@example.org",
            "role": Role.OFFICER,
            "organisation": cast.ministry.pk,
            "language": "en",
        },
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_the_people_ticked_on_the_list_are_invited(
    cast: Any, nora: Person, minister: Person
) -> None:
    client = cast.client_for(cast.alice)
    listing = client.get(reverse("directory:people")).content.decode()
    assert reverse("accounts:invite_selected") in listing
    people = [nora.pk, cast.intern.pk, minister.pk]
    form = client.post(reverse("accounts:invite_selected"), {"person": people})
    assert form.status_code == 200
    assert "Mira" not in form.content.decode()  # another office's person is dropped
    done = client.post(
        reverse("accounts:invite_selected"),
        {
            "person": people,
            "role": Role.PARTICIPANT,
            "organisation": cast.academy.pk,
            "language": "ru",
        },
    )
    text = done.content.decode()
    assert done.status_code == 200 and "no e-mail address" in text
    assert list(Invitation.objects.values_list("person", "language")) == [(nora.pk, "ru")]


def test_a_list_is_read_then_sent(cast: Any, nora: Person) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cast.client_for(cast.alice)
    data = b"email,role,organisation\nnora@example.org,participant,Test Academy\n"

    def upload(dry_run: bool) -> Any:
        fields = {"file": SimpleUploadedFile("people.csv", data, "text/csv"), "language": "en"}
        if dry_run:
            fields["dry_run"] = "on"
        return client.post(reverse("accounts:invite_import"), fields)

    dry = upload(True)
    assert dry.status_code == 200 and "Dry run" in dry.content.decode()
    assert not Invitation.objects.exists()
    assert upload(False).status_code == 302
    assert Invitation.objects.get().person == nora


def _invite(cast: Any, person: Person, **kwargs: Any) -> tuple[Invitation, str]:
    fields = {"role": Role.PARTICIPANT, "organisation": cast.academy, **kwargs}
    return services.invite(actor=cast.alice, person=person, **fields)


def test_opening_the_link_chooses_a_password_and_signs_in(cast: Any, nora: Person) -> None:
    _invitation, token = _invite(cast, nora)
    client = Client()
    url = reverse("accounts:invitation", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "nora@example.org" in page.content.decode()
    weak = client.post(url, {"password": "12345678", "password_again": "12345678"})
    assert weak.status_code == 422 and "too common" in weak.content.decode()
    response = client.post(url, {"password": STRONG, "password_again": STRONG})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(person=nora)
    assert int(client.session["_auth_user_id"]) == user.pk
    # The address is verified: it signs in with the chosen password, straight to the home page.
    again = Client().post(
        reverse("accounts:login"), {"username": "nora@example.org", "password": STRONG}
    )
    assert again.status_code == 302 and again["Location"] == "/"


def test_a_used_link_says_so(cast: Any, nora: Person) -> None:
    invitation, token = _invite(cast, nora)
    services.accept_invitation(invitation=invitation, password=STRONG)
    page = Client().get(reverse("accounts:invitation", args=[token]))
    assert page.status_code == 410 and 'data-state="accepted"' in page.content.decode()


def test_an_expired_link_says_so(cast: Any, nora: Person) -> None:
    invitation, token = _invite(cast, nora)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = Client()
    page = client.get(reverse("accounts:invitation", args=[token]))
    assert page.status_code == 410 and 'data-state="expired"' in page.content.decode()
    client.post(
        reverse("accounts:invitation", args=[token]), {"password": STRONG, "password_again": STRONG}
    )
    assert not User.objects.filter(person=nora).exists()


def test_a_revoked_or_replaced_link_says_so(cast: Any, nora: Person) -> None:
    invitation, token = _invite(cast, nora)
    client = cast.client_for(cast.alice)
    assert (
        client.post(reverse("accounts:invitation_resend", args=[invitation.pk])).status_code == 302
    )
    page = Client().get(reverse("accounts:invitation", args=[token]))
    assert page.status_code == 410 and "newer invitation" in page.content.decode()
    newest = Invitation.objects.get(revoked_at__isnull=True)
    client.post(reverse("accounts:invitation_revoke", args=[newest.pk]))
    newest.refresh_from_db()
    assert newest.revoked_by == cast.alice


@pytest.mark.django_db
def test_an_unknown_link_is_not_found() -> None:
    assert Client().get(reverse("accounts:invitation", args=["nothing"])).status_code == 404


def test_a_person_with_an_account_signs_in_and_takes_the_role(cast: Any) -> None:
    _invitation, token = _invite(cast, cast.pat_person, role=Role.VIEWER, email="pat@example.org")
    url = reverse("accounts:invitation", args=[token])
    anonymous = Client().get(url)
    assert 'data-state="sign_in"' in anonymous.content.decode()
    assert Client().post(url, {"password": STRONG, "password_again": STRONG}).status_code == 200
    assert User.objects.filter(person=cast.pat_person).count() == 1
    other = cast.client_for(cast.quinn).get(url)
    assert other.status_code == 409
    pat = cast.client_for(cast.pat)
    assert 'data-state="take"' in pat.get(url).content.decode()
    assert pat.post(url).status_code == 302
    assert cast.pat.role_assignments.filter(role=Role.VIEWER).exists()


def test_someone_else_signed_in_does_not_get_a_new_account(cast: Any, nora: Person) -> None:
    _invitation, token = _invite(cast, nora)
    response = cast.client_for(cast.quinn).post(
        reverse("accounts:invitation", args=[token]), {"password": STRONG, "password_again": STRONG}
    )
    assert response.status_code == 409
    assert not User.objects.filter(person=nora).exists()


def test_the_accounts_page_shows_the_offices_accounts_and_invitations(
    cast: Any, nora: Person, minister: Person
) -> None:
    _invite(cast, nora)
    services.invite(
        actor=cast.charlie, person=minister, role=Role.SUPERVISOR, organisation=cast.department
    )
    cast.pat.last_login = timezone.now()
    cast.pat.save()
    page = cast.client_for(cast.alice).get(reverse("accounts:people"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "nora@example.org" in text and "mira@example.org" not in text
    assert "pat" in text and "charlie" not in text
    pat_role = cast.pat.role_assignments.get()
    assert reverse("accounts:role_withdraw", args=[pat_role.pk]) in text
    alice_role = cast.alice.role_assignments.get()
    assert reverse("accounts:role_withdraw", args=[alice_role.pk]) not in text
    for user in (cast.bob, cast.pat, cast.sam):
        assert cast.client_for(user).get(reverse("accounts:people")).status_code == 403


def test_another_offices_invitation_and_roles_are_out_of_reach(
    cast: Any, nora: Person, minister: Person
) -> None:
    theirs, _token = services.invite(
        actor=cast.charlie, person=minister, role=Role.SUPERVISOR, organisation=cast.department
    )
    client = cast.client_for(cast.alice)
    for name in ("accounts:invitation_revoke", "accounts:invitation_resend"):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    charlie_role = cast.charlie.role_assignments.get()
    url = reverse("accounts:role_withdraw", args=[charlie_role.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=charlie_role.pk).exists()
    ours = cast.pat.role_assignments.get()
    assert (
        cast.client_for(cast.charlie)
        .post(reverse("accounts:role_withdraw", args=[ours.pk]))
        .status_code
        == 404
    )


def test_withdrawing_a_role_asks_first_and_records_the_officer(cast: Any) -> None:
    assignment = cast.pat.role_assignments.get()
    number = assignment.pk
    client = cast.client_for(cast.alice)
    url = reverse("accounts:role_withdraw", args=[number])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Withdraw the role" in confirm.content.decode()
    assert RoleAssignment.objects.filter(pk=number).exists()
    assert client.post(url).status_code == 302
    assert not RoleAssignment.objects.filter(pk=number).exists()
    assert RoleAssignment.history.filter(id=number).latest().history_user == cast.alice


def test_the_header_leads_officers_to_the_accounts_page(cast: Any) -> None:
    link = f'href="{reverse("accounts:people")}"'
    assert link in cast.client_for(cast.alice).get("/").content.decode()
    for user in (cast.bob, cast.pat, cast.sam):
        assert link not in cast.client_for(user).get("/").content.decode()


def test_signing_in_from_the_link_comes_back_to_take_the_role(cast: Any) -> None:
    from conftest import PASSWORD

    _invitation, token = _invite(cast, cast.pat_person, role=Role.VIEWER, email="pat@example.org")
    url = reverse("accounts:invitation", args=[token])
    client = Client()
    page = client.get(url).content.decode()
    login = f"{reverse('accounts:login')}?next={url}"
    assert login in page
    response = client.post(login, {"username": "pat", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == url
    assert 'data-state="take"' in client.get(url).content.decode()


def test_guessing_invitation_links_is_limited_per_address(db: Any, settings: Any) -> None:
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_VERIFY = "2/m"
    cache.clear()
    client = Client(REMOTE_ADDR="192.0.2.1")
    guesses = [
        client.get(reverse("accounts:invitation", args=[f"guess{n}"])).status_code for n in range(3)
    ]
    assert guesses == [404, 404, 429]
    assert (
        Client(REMOTE_ADDR="192.0.2.2")
        .get(reverse("accounts:invitation", args=["guess"]))
        .status_code
        == 404
    )
