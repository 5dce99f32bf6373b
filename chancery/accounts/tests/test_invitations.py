"""Invitations: who may invite whom to which role, and what opening the link does."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chancery.accounts import services
from chancery.accounts.models import (
    Invitation,
    InvitationState,
    Role,
    RoleAssignment,
    User,
    hash_token,
)
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, Person
from chancery.notifications.models import OutgoingMail

STRONG = "a long and unusual passphrase 41"


@pytest.fixture
def supervisor(cast: Any) -> Person:
    """Sara, kept by the Academy, supervises at the ministry's department."""
    sara = directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Sara",
        family_name="Supervisova",
        email="sara@example.org",
    )
    directory.add_affiliation(
        actor=SYSTEM, person=sara, organisation=cast.department, role=AffiliationRole.SUPERVISOR
    )
    return sara


@pytest.fixture
def newcomer(cast: Any) -> Person:
    return directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Nora",
        family_name="Newcomer",
        email="nora@example.org",
    )


def test_an_officer_invites_a_person_of_their_office(
    cast: Any, supervisor: Person, settings: Any
) -> None:
    settings.INVITATION_DAYS = 3
    invitation, token = services.invite(
        actor=cast.alice,
        person=supervisor,
        role=Role.SUPERVISOR,
        organisation=cast.department,
        language="ru",
    )
    assert invitation.email == "sara@example.org"
    assert invitation.office == cast.academy
    assert invitation.invited_by == cast.alice
    assert invitation.digest == hash_token(token) and token not in invitation.digest
    assert timedelta(days=3) - (invitation.expires_at - timezone.now()) < timedelta(minutes=1)
    assert invitation.state == InvitationState.PENDING
    assert invitation.history.get().history_user == cast.alice
    mail = OutgoingMail.objects.get(kind="invitation", address="sara@example.org")
    assert mail.language == "ru"
    assert services.invitation_path(token) in mail.text and "Sara Supervisova" in mail.text


def test_an_officer_of_another_office_cannot_invite_the_academys_people(
    cast: Any, supervisor: Person
) -> None:
    with pytest.raises(PermissionDenied):
        services.invite(
            actor=cast.charlie,
            person=supervisor,
            role=Role.SUPERVISOR,
            organisation=cast.department,
        )
    with pytest.raises(PermissionDenied):
        services.invite(
            actor=cast.bob, person=supervisor, role=Role.SUPERVISOR, organisation=cast.department
        )
    assert not Invitation.objects.exists()


def test_the_role_must_fit_the_person_and_the_organisation(
    cast: Any, newcomer: Person, supervisor: Person
) -> None:
    refusals = [
        # No affiliation with the department.
        {"person": newcomer, "role": Role.SUPERVISOR, "organisation": cast.department},
        # An office role only at one of the inviter's offices.
        {"person": newcomer, "role": Role.OFFICER, "organisation": cast.ministry},
        {"person": newcomer, "role": Role.PARTICIPANT, "organisation": cast.department},
        # A coordinator at a school, a liaison at an embassy.
        {"person": supervisor, "role": Role.COORDINATOR, "organisation": cast.department},
        {"person": supervisor, "role": Role.LIAISON, "organisation": cast.department},
        # A chair names the committee.
        {"person": newcomer, "role": Role.CHAIR, "organisation": cast.academy},
    ]
    for refusal in refusals:
        with pytest.raises(ValidationError) as caught:
            services.invite(actor=cast.alice, **refusal)
        assert set(caught.value.message_dict) <= {"organisation", "committee"}, refusal
    assert not Invitation.objects.exists()


def test_a_person_without_an_address_needs_one(cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.invite(
            actor=cast.alice, person=cast.intern, role=Role.PARTICIPANT, organisation=cast.academy
        )
    assert "email" in caught.value.message_dict
    invitation, _token = services.invite(
        actor=cast.alice,
        person=cast.intern,
        role=Role.PARTICIPANT,
        organisation=cast.academy,
        email="ivan@example.org",
    )
    assert invitation.email == "ivan@example.org"


def test_accepting_opens_the_account_with_the_role(cast: Any, supervisor: Person) -> None:
    invitation, token = services.invite(
        actor=cast.alice,
        person=supervisor,
        role=Role.SUPERVISOR,
        organisation=cast.department,
        language="kk",
    )
    found = services.find_invitation(token)
    assert found == invitation
    user = services.accept_invitation(invitation=found, password=STRONG)
    assert user.person == supervisor
    assert user.email == "sara@example.org" and user.check_password(STRONG)
    assert user.language == "kk"
    assert EmailAddress.objects.filter(
        user=user, email="sara@example.org", verified=True, primary=True
    ).exists()
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.organisation) == (Role.SUPERVISOR, cast.department)
    # The grant is the inviting officer's decision: the role's history names them.
    assert assignment.history.get().history_user == cast.alice
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.state == InvitationState.ACCEPTED
    assert invitation.history.latest().history_user == user


def test_a_used_link_does_not_open_a_second_account(cast: Any, newcomer: Person) -> None:
    invitation, _token = services.invite(
        actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
    )
    services.accept_invitation(invitation=invitation, password=STRONG)
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(invitation=invitation, password=STRONG + "x")
    assert User.objects.filter(email="nora@example.org").count() == 1


def test_an_expired_link_opens_nothing(cast: Any, newcomer: Person, settings: Any) -> None:
    settings.INVITATION_DAYS = 14
    invitation, _token = services.invite(
        actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
    )
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert invitation.state == InvitationState.EXPIRED
        with pytest.raises(services.InvitationUnusable):
            services.accept_invitation(invitation=invitation, password=STRONG)
    assert not User.objects.filter(person=newcomer).exists()


def test_a_weak_password_is_refused_with_the_validators_reasons(
    cast: Any, newcomer: Person
) -> None:
    invitation, _token = services.invite(
        actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
    )
    for weak in ("12345678", "short", "nora@example.org"):
        with pytest.raises(ValidationError) as caught:
            services.accept_invitation(invitation=invitation, password=weak)
        assert caught.value.message_dict["password"]
    assert not User.objects.filter(person=newcomer).exists()
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING


def test_a_revoked_link_opens_nothing(cast: Any, newcomer: Person) -> None:
    invitation, _token = services.invite(
        actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
    )
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(actor=cast.charlie, invitation=invitation)
    services.revoke_invitation(actor=cast.alice, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED and invitation.revoked_by == cast.alice
    assert invitation.history.latest().history_user == cast.alice
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(invitation=invitation, password=STRONG)


def test_re_inviting_sends_a_new_link_and_the_old_one_stops_working(
    cast: Any, newcomer: Person
) -> None:
    old, old_token = services.invite(
        actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
    )
    with pytest.raises(PermissionDenied):
        services.reinvite(actor=cast.charlie, invitation=old)
    new, new_token = services.reinvite(actor=cast.alice, invitation=old)
    assert new_token != old_token
    old.refresh_from_db()
    assert old.state == InvitationState.REVOKED and old.replaced_by == new
    assert services.find_invitation(old_token).state == InvitationState.REVOKED
    assert OutgoingMail.objects.filter(kind="invitation", address="nora@example.org").count() == 2
    user = services.accept_invitation(
        invitation=services.find_invitation(new_token), password=STRONG
    )
    assert user.person == newcomer


def test_inviting_twice_asks_for_a_re_invitation(cast: Any, newcomer: Person) -> None:
    services.invite(
        actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
    )
    with pytest.raises(ValidationError) as caught:
        services.invite(
            actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
        )
    assert "re-invite" in caught.value.message_dict["role"][0]


def test_a_person_with_an_account_takes_the_role_into_it(cast: Any) -> None:
    # Pat (a participant with an account) is invited as a viewer of the Academy.
    invitation, _token = services.invite(
        actor=cast.alice,
        person=cast.pat_person,
        role=Role.VIEWER,
        organisation=cast.academy,
        email="pat@example.org",
    )
    assert services.account_of(invitation.email, invitation.person) == cast.pat
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, password=STRONG)
    assert not services.may_take(cast.quinn, invitation)
    with pytest.raises(PermissionDenied):
        services.take_invitation(invitation=invitation, user=cast.quinn)
    services.take_invitation(invitation=invitation, user=cast.pat)
    assert set(cast.pat.role_assignments.values_list("role", flat=True)) == {
        Role.PARTICIPANT,
        Role.VIEWER,
    }
    assert User.objects.filter(person=cast.pat_person).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == cast.pat


def test_an_address_of_another_persons_account_is_refused(cast: Any, newcomer: Person) -> None:
    cast.quinn.email = "nora@example.org"
    cast.quinn.save()
    with pytest.raises(ValidationError) as caught:
        services.invite(
            actor=cast.alice, person=newcomer, role=Role.PARTICIPANT, organisation=cast.academy
        )
    assert "email" in caught.value.message_dict


def test_a_role_already_held_is_not_offered_again(cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.invite(
            actor=cast.alice,
            person=cast.pat_person,
            role=Role.PARTICIPANT,
            organisation=cast.academy,
            email="pat@example.org",
        )
    assert "already holds" in caught.value.message_dict["role"][0]


def test_a_chairs_invitation_seats_them_on_the_committees_bench(cast: Any) -> None:
    from chancery.mun.models import Officer
    from chancery.mun.tests.factories import make_mun
    from conftest import PASSWORD

    mun = make_mun(cast, PASSWORD)
    pupil = directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Aigerim",
        family_name="Chair",
        email="aigerim@example.org",
    )
    directory.add_affiliation(
        actor=SYSTEM,
        person=pupil,
        organisation=mun.outreach.other_school,
        role=AffiliationRole.PUPIL,
    )
    invitation, _token = services.invite(
        actor=cast.alice,
        person=pupil,
        role=Role.CHAIR,
        organisation=mun.outreach.other_school,
        committee=mun.committee,
    )
    user = services.accept_invitation(invitation=invitation, password=STRONG)
    assert Officer.objects.filter(committee=mun.committee, person=pupil, role="chair").exists()
    assert user.role_assignments.get().role == Role.CHAIR
    from chancery.mun.services import can_chair

    assert can_chair(user, mun.committee)


def test_a_liaisons_invitation_makes_them_the_editions_contact(cast: Any) -> None:
    from chancery.events.tests.factories import make_outreach
    from conftest import PASSWORD

    outreach = make_outreach(cast, PASSWORD)
    diplomat = directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Jan",
        family_name="Kowalski",
        email="jan@example.org",
    )
    directory.add_affiliation(
        actor=SYSTEM,
        person=diplomat,
        organisation=outreach.other_embassy,
        role=AffiliationRole.DIPLOMAT,
    )
    with pytest.raises(ValidationError) as caught:
        services.invite(
            actor=cast.alice,
            person=diplomat,
            role=Role.LIAISON,
            organisation=cast.department,
            edition=outreach.edition,
        )
    assert "organisation" in caught.value.message_dict
    invitation, _token = services.invite(
        actor=cast.alice,
        person=diplomat,
        role=Role.LIAISON,
        organisation=outreach.other_embassy,
        edition=outreach.edition,
    )
    user = services.accept_invitation(invitation=invitation, password=STRONG)
    participation = outreach.edition.participations.get(organisation=outreach.other_embassy)
    assert participation.contact == diplomat
    assert user.role_assignments.get().organisation == outreach.other_embassy


def test_inviting_several_reports_each_person(
    cast: Any, newcomer: Person, supervisor: Person
) -> None:
    outcomes = services.invite_many(
        actor=cast.alice,
        people=[newcomer, cast.intern],
        role=Role.PARTICIPANT,
        organisation=cast.academy,
    )
    assert outcomes[0].invitation is not None and not outcomes[0].problem
    assert outcomes[1].invitation is None and "e-mail" in outcomes[1].problem
    assert Invitation.objects.count() == 1


def test_a_list_is_checked_row_by_row_and_sent_only_without_errors(
    cast: Any, newcomer: Person, supervisor: Person
) -> None:
    rows = (
        "email,role,organisation\n"
        "nora@example.org,participant,Test Academy\n"
        "sara@example.org,Host supervisor,Test Department\n"
        "nobody@example.org,participant,Test Academy\n"
        "nora@example.org,pilot,Test Academy\n"
        "sara@example.org,officer,Test Ministry\n"
    )
    result = services.import_invitations(
        actor=cast.alice, data=rows.encode(), filename="people.csv", dry_run=False
    )
    assert result.sent == 0 and not Invitation.objects.exists()
    problems = {row.number: row.messages for row in result.rows}
    assert problems[2] == [] and problems[3] == []
    assert problems[4][0].startswith("row 4, email: nobody")
    assert problems[5][0].startswith("row 5, role: one of")
    assert problems[6][0].startswith("row 6, organisation: ")
    good = "\n".join(rows.splitlines()[:3]).encode()
    dry = services.import_invitations(actor=cast.alice, data=good, filename="people.csv")
    assert dry.error_count == 0 and not Invitation.objects.exists()
    done = services.import_invitations(
        actor=cast.alice, data=good, filename="people.csv", dry_run=False
    )
    assert done.sent == 2
    assert set(Invitation.objects.values_list("person__email", "role")) == {
        ("nora@example.org", Role.PARTICIPANT),
        ("sara@example.org", Role.SUPERVISOR),
    }


def test_another_offices_officer_finds_nobody_of_the_academy_in_a_list(
    cast: Any, newcomer: Person
) -> None:
    result = services.import_invitations(
        actor=cast.charlie,
        filename="people.csv",
        dry_run=False,
        data=b"email,role,organisation\nnora@example.org,viewer,Test Ministry\n",
    )
    assert result.error_count == 1 and not Invitation.objects.exists()


def test_a_list_without_the_columns_names_the_file(cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.import_invitations(actor=cast.alice, data=b"name\nx\n", filename="people.csv")
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.import_invitations(actor=cast.alice, data=b"x", filename="people.pdf")
    assert "file" in caught.value.message_dict


def test_withdrawing_a_role_is_audited_with_the_officer(cast: Any) -> None:
    assignment = cast.pat.role_assignments.get()
    number = assignment.pk
    with pytest.raises(PermissionDenied):
        services.withdraw_role(actor=cast.charlie, assignment=assignment)
    with pytest.raises(PermissionDenied):
        services.withdraw_role(actor=cast.alice, assignment=cast.alice.role_assignments.get())
    services.withdraw_role(actor=cast.alice, assignment=assignment)
    assert not cast.pat.role_assignments.exists()
    removal = RoleAssignment.history.filter(id=number).latest()
    assert removal.history_type == "-" and removal.history_user == cast.alice


def test_an_officer_withdraws_a_supervisor_role_of_a_person_their_office_keeps(
    cast: Any, supervisor: Person
) -> None:
    invitation, _token = services.invite(
        actor=cast.alice, person=supervisor, role=Role.SUPERVISOR, organisation=cast.department
    )
    user = services.accept_invitation(invitation=invitation, password=STRONG)
    assignment = user.role_assignments.get()
    # The department belongs to the ministry's office, but the Academy keeps Sara's record.
    assert services.may_withdraw(cast.alice, assignment)
    assert services.may_withdraw(cast.charlie, assignment) is False


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Your invitation to Chancery from Test Academy"),
        ("ru", "Приглашение в Chancery от организации Test Academy"),
        ("kk", "Test Academy ұйымынан Chancery жүйесіне шақыру"),
    ],
)
def test_the_email_is_written_in_the_chosen_language(
    cast: Any, newcomer: Person, language: str, subject: str
) -> None:
    services.invite(
        actor=cast.alice,
        person=newcomer,
        role=Role.PARTICIPANT,
        organisation=cast.academy,
        language=language,
    )
    mail = OutgoingMail.objects.get(kind="invitation")
    assert mail.subject == subject
    role = {"en": "Participant", "ru": "Участник", "kk": "Қатысушы"}[language]
    assert role in mail.text and role in mail.html


def test_a_second_invitation_adds_its_role_to_the_account_the_first_opened(
    cast: Any, supervisor: Person
) -> None:
    first, _token = services.invite(
        actor=cast.alice, person=supervisor, role=Role.SUPERVISOR, organisation=cast.department
    )
    second, _token = services.invite(
        actor=cast.alice, person=supervisor, role=Role.PARTICIPANT, organisation=cast.academy
    )
    user = services.accept_invitation(invitation=first, password=STRONG)
    with pytest.raises(ValidationError, match="already have an account"):
        services.accept_invitation(invitation=second, password=STRONG)
    services.take_invitation(invitation=second, user=user)
    assert User.objects.filter(email__iexact="sara@example.org").count() == 1
    assert set(user.role_assignments.values_list("role", flat=True)) == {
        Role.SUPERVISOR,
        Role.PARTICIPANT,
    }


def test_a_workbook_is_read_too_with_the_organisation_by_its_number(
    cast: Any, newcomer: Person
) -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Email", "Role", "Organisation"])
    sheet.append(["Nora@Example.org", "Viewer", cast.academy.pk])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = services.import_invitations(
        actor=cast.alice, data=buffer.getvalue(), filename="people.xlsx", dry_run=False
    )
    assert result.error_count == 0 and result.sent == 1
    invitation = Invitation.objects.get()
    assert (invitation.person, invitation.role, invitation.organisation) == (
        newcomer,
        Role.VIEWER,
        cast.academy,
    )
