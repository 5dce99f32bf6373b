"""Writes about users: roles, invitations, language, API tokens."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chancery.accounts.access import is_officer_of, organisations_where
from chancery.accounts.models import (
    ApiToken,
    Invitation,
    InvitationState,
    Role,
    RoleAssignment,
    User,
    hash_token,
)
from chancery.core.actors import SYSTEM
from chancery.core.services import delete, save
from chancery.core.tabular import ImportFileError, RowOutcome, read_table, rows_with_errors
from chancery.directory import services as directory
from chancery.directory.models import (
    Affiliation,
    AffiliationRole,
    Organisation,
    OrganisationKind,
    Person,
)


@transaction.atomic
def grant_role(*, actor: Any, user: User, role: str, organisation: Organisation) -> RoleAssignment:
    """Give a user a role at an organisation (idempotent)."""
    assignment = RoleAssignment.objects.filter(
        user=user, role=role, organisation=organisation
    ).first()
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, organisation=organisation)
        save(assignment, actor)
    return assignment


def set_language(*, user: User, language: str) -> None:
    """Remember the user's interface language ('' follows the browser)."""
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and never stored."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, digest=hash_token(secret))
    return token, secret


def revoke_token(*, user: User, token_id: str) -> None:
    """Revoke one of the user's tokens; unknown ids are ignored."""
    if token_id.isdigit() and len(token_id) < 19:
        ApiToken.objects.filter(user=user, pk=int(token_id), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


# Invitations: an officer invites a person of their office's records to an account with a role

#: Affiliations that fit a role's organisation: a supervisor works at the host, a coordinator
#: teaches at the school, a liaison serves at the embassy.
FITTING_AFFILIATIONS = {
    Role.SUPERVISOR: (AffiliationRole.SUPERVISOR, AffiliationRole.STAFF),
    Role.COORDINATOR: (AffiliationRole.TEACHER, AffiliationRole.STAFF),
    Role.LIAISON: (AffiliationRole.DIPLOMAT, AffiliationRole.STAFF),
}
OFFICE_ROLES = (Role.OFFICER, Role.VIEWER, Role.PARTICIPANT)


def may_invite(actor: Any, person: Person) -> bool:
    """Only an officer of the office that keeps the person's record invites them."""
    return is_officer_of(actor, person.owner_id)


def _check_scope(
    *,
    actor: Any,
    person: Person,
    role: str,
    organisation: Organisation,
    edition: Any,
    committee: Any,
) -> None:
    """Refuse a role whose organisation, edition or committee does not fit the person."""
    from chancery.events.access import (
        is_programme_officer,  # upward: named in pyproject's [tool.importlinter]
    )
    from chancery.mun.access import can_manage_conference
    from chancery.programmes.models import Participation, Placement

    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    affiliated = Affiliation.objects.filter(person=person, organisation=organisation)
    names = {"person": person, "organisation": organisation}
    if role in OFFICE_ROLES and not is_officer_of(actor, organisation.pk):
        raise ValidationError(
            {
                "organisation": _(
                    "Officers, viewers and participants are invited into one of your offices; you are "
                    "no officer of %(organisation)s."
                )
                % names
            }
        )
    if role == Role.SUPERVISOR and not (
        affiliated.filter(role__in=FITTING_AFFILIATIONS[Role.SUPERVISOR]).exists()
        or Placement.objects.filter(
            Q(host=organisation) | Q(department=organisation), supervisor=person
        ).exists()
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "%(person)s neither works at %(organisation)s (as a supervisor or staff member) nor "
                    "supervises a placement there; add the affiliation first."
                )
                % names
            }
        )
    if role == Role.COORDINATOR and (
        organisation.kind != OrganisationKind.SCHOOL
        or not affiliated.filter(role__in=FITTING_AFFILIATIONS[Role.COORDINATOR]).exists()
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "A coordinator is a teacher or staff member of the school: %(person)s has no such "
                    "affiliation with %(organisation)s."
                )
                % names
            }
        )
    if role == Role.LIAISON and (
        organisation.kind != OrganisationKind.EMBASSY
        or not affiliated.filter(role__in=FITTING_AFFILIATIONS[Role.LIAISON]).exists()
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "A liaison is a diplomat or staff member of the embassy: %(person)s has no such "
                    "affiliation with %(organisation)s."
                )
                % names
            }
        )
    if edition is not None:
        if role not in (Role.COORDINATOR, Role.LIAISON):
            raise ValidationError(
                {"edition": _("Only a coordinator's or a liaison's invitation names an edition.")}
            )
        if not (
            is_programme_officer(actor, edition)
            and Participation.objects.filter(edition=edition, organisation=organisation).exists()
        ):
            raise ValidationError(
                {
                    "edition": _(
                        "%(organisation)s does not take part in this edition of your office's "
                        "programmes."
                    )
                    % names
                }
            )
    if role == Role.CHAIR:
        if committee is None:
            raise ValidationError({"committee": _("A chair's invitation names the committee.")})
        if not can_manage_conference(actor, committee.conference):
            raise ValidationError(
                {"committee": _("The committee belongs to a conference your office does not run.")}
            )
        if not (affiliated.exists() or is_officer_of(actor, organisation.pk)):
            raise ValidationError(
                {
                    "organisation": _(
                        "A chair is invited at their school or university, or at your office: "
                        "%(person)s has no affiliation with %(organisation)s."
                    )
                    % names
                }
            )
    elif committee is not None:
        raise ValidationError({"committee": _("Only a chair's invitation names a committee.")})


def account_of(email: str, person: Person) -> User | None:
    """The account the invitation's person already has: theirs, or the one of the address."""
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    user = User.objects.filter(email__iexact=email).first()
    if user is None and apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address is not None else None
    return user


def _prepared(
    *,
    actor: Any,
    person: Person,
    role: str,
    organisation: Organisation,
    email: str = "",
    edition: Any = None,
    committee: Any = None,
    language: str = "",
) -> Invitation:
    """A checked, unsaved invitation: everything invite() refuses is refused here."""
    if not may_invite(actor, person):
        raise PermissionDenied(_("You may only invite people whose records your office keeps."))
    email = (email or person.email).strip()
    if not email:
        raise ValidationError(
            {
                "email": _(
                    "%(person)s has no e-mail address: give the address to send the invitation to."
                )
                % {"person": person}
            }
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an e-mail address.") % {"email": email}}
        ) from None
    _check_scope(
        actor=actor,
        person=person,
        role=role,
        organisation=organisation,
        edition=edition,
        committee=committee,
    )
    existing = account_of(email, person)
    if existing is not None and existing.person_id not in (None, person.pk):
        raise ValidationError(
            {"email": _("%(email)s is the address of another person's account.") % {"email": email}}
        )
    if (
        existing is not None
        and RoleAssignment.objects.filter(
            user=existing, role=role, organisation=organisation
        ).exists()
    ):
        raise ValidationError(
            {
                "role": _("%(person)s already holds this role at %(organisation)s.")
                % {"person": person, "organisation": organisation}
            }
        )
    if (
        pending_invitations()
        .filter(
            person=person,
            role=role,
            organisation=organisation,
            edition=edition,
            committee=committee,
        )
        .exists()
    ):
        raise ValidationError(
            {
                "role": _(
                    "%(person)s already has a pending invitation for this role; re-invite them from "
                    "the accounts page to send a new link."
                )
                % {"person": person}
            }
        )
    now = timezone.now()
    return Invitation(
        email=email,
        person=person,
        role=role,
        organisation=organisation,
        office_id=person.owner_id,
        edition=edition,
        committee=committee,
        language=language,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        invited_by=actor if getattr(actor, "pk", None) else None,
    )


def pending_invitations() -> QuerySet[Invitation]:
    """Invitations neither accepted, revoked nor expired."""
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def invitation_path(token: str) -> str:
    """The path of an invitation's accept page (the token is part of it)."""
    return reverse("accounts:invitation", args=[token])


def _send(invitation: Invitation, token: str, actor: Any) -> None:
    from chancery.notifications.services import (  # upward: named in pyproject's [tool.importlinter]
        absolute_url,
        kind_enabled,
        notify,
    )

    if not kind_enabled(invitation.office, "invitation"):
        raise ValidationError(
            _(
                "Your office switched invitation e-mails off; switch them on in the office's "
                "notification settings to invite people."
            )
        )
    notify(
        kind="invitation",
        recipients=[invitation.email],
        office=invitation.office,
        # The role's label is lazy: the e-mail says it in the recipient's language.
        context={
            "invitation": invitation,
            "person": invitation.person,
            "role": Role(invitation.role).label,
            "organisation": invitation.organisation,
            "edition": invitation.edition,
            "committee": invitation.committee,
            "expires_at": invitation.expires_at,
            "invited_by": invitation.invited_by,
        },
        link=absolute_url(invitation_path(token)),
        key=f"invitation:{invitation.pk}",
        actor=actor,
        language=invitation.language,
    )


@transaction.atomic
def invite(
    *,
    actor: Any,
    person: Person,
    role: str,
    organisation: Organisation,
    email: str = "",
    edition: Any = None,
    committee: Any = None,
    language: str = "",
) -> tuple[Invitation, str]:
    """Invite a person of the actor's office to an account with a role; e-mail them the link.

    Returns the invitation and its token (shown nowhere else: only its hash is stored).
    """
    invitation = _prepared(
        actor=actor,
        person=person,
        role=role,
        organisation=organisation,
        email=email,
        edition=edition,
        committee=committee,
        language=language or getattr(actor, "language", ""),
    )
    token = secrets.token_urlsafe(32)
    invitation.digest = hash_token(token)
    save(invitation, actor)
    _send(invitation, token, actor)
    return invitation, token


@dataclass
class BulkOutcome:
    person: Person
    invitation: Invitation | None = None
    problem: str = ""


def invite_many(
    *,
    actor: Any,
    people: Iterable[Person],
    role: str,
    organisation: Organisation,
    language: str = "",
) -> list[BulkOutcome]:
    """Invite each person with the same role; a person who cannot be invited is reported, the
    others are invited."""
    outcomes = []
    for person in people:
        try:
            invitation, _token = invite(
                actor=actor, person=person, role=role, organisation=organisation, language=language
            )
        except (ValidationError, PermissionDenied) as error:
            outcomes.append(BulkOutcome(person=person, problem=" ".join(_messages(error))))
        else:
            outcomes.append(BulkOutcome(person=person, invitation=invitation))
    return outcomes


def _messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error)]
    return error.messages


@dataclass
class InvitationRow(RowOutcome):
    """What the import does (or did) with one row."""

    email: str = ""
    person: Person | None = None
    role: str = ""
    organisation: Organisation | None = None
    invitation: Invitation | None = None


@dataclass
class InvitationImport:
    rows: list[InvitationRow]
    dry_run: bool
    sent: int = 0

    @property
    def error_count(self) -> int:
        return rows_with_errors(self.rows)


IMPORT_COLUMNS = ("email", "role", "organisation")


def _role_of(text: str) -> str | None:
    wanted = text.strip().lower()
    for value, label in Role.choices:
        if wanted in (value, str(label).lower()):
            return value
    return None


def _organisation_of(text: str) -> tuple[Organisation | None, str]:
    text = text.strip()
    if text.isdigit() and len(text) < 19:
        found = list(Organisation.objects.filter(pk=int(text)))
    else:
        found = list(
            Organisation.objects.filter(
                Q(name_en__iexact=text)
                | Q(name_ru__iexact=text)
                | Q(name_kk__iexact=text)
                | Q(short_name__iexact=text)
            )[:2]
        )
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, _("several organisations have this name; give its number")
    return None, _("no organisation of this name or number")


def _import_row(
    actor: Any,
    number: int,
    record: dict[str, str],
    people: QuerySet[Person],
    seen: set[tuple[int, str, int]],
    language: str,
) -> InvitationRow:
    row = InvitationRow(number=number, email=record.get("email", ""))
    if not row.email:
        row.error("email", _("give the person's e-mail address"))
    else:
        matches = list(people.filter(email__iexact=row.email)[:2])
        if len(matches) == 1:
            row.person = matches[0]
        elif matches:
            row.error("email", _("several people of your office's records have this address"))
        else:
            row.error("email", _("nobody in your office's records has this address"))
    role = _role_of(record.get("role", ""))
    if role is None:
        row.error("role", _("one of: %(roles)s") % {"roles": ", ".join(Role.values)})
    else:
        row.role = role
    row.organisation, problem = _organisation_of(record.get("organisation", ""))
    if problem:
        row.error("organisation", problem)
    if row.errors:
        return row
    assert row.person is not None and row.organisation is not None
    key = (row.person.pk, row.role, row.organisation.pk)
    if key in seen:
        row.error("email", _("the same invitation is on an earlier row"))
        return row
    seen.add(key)
    try:
        _prepared(
            actor=actor,
            person=row.person,
            role=row.role,
            organisation=row.organisation,
            email=row.email,
            language=language,
        )
    except ValidationError as error:
        for column, texts in error.message_dict.items():
            for text in texts:
                row.error(column if column in IMPORT_COLUMNS else "role", text)
    except PermissionDenied as error:
        row.error("email", str(error))
    return row


def import_invitations(
    *, actor: Any, data: bytes, filename: str, dry_run: bool = True, language: str = ""
) -> InvitationImport:
    """Read a .csv or .xlsx list (email, role, organisation) of people of the actor's office
    and invite each; a row with an error stops the whole file (the dry run shows every row)."""
    try:
        header, lines = read_table(data, filename)
        columns = [name.strip().lower().replace(" ", "_").replace("-", "") for name in header]
        if not set(IMPORT_COLUMNS) <= set(columns):
            raise ValidationError(
                {"file": _("The first row must name the columns: email, role, organisation.")}
            )
        people = Person.objects.filter(owner__in=organisations_where(actor, Role.OFFICER))
        seen: set[tuple[int, str, int]] = set()
        rows = []
        for number, line in enumerate(lines, start=2):
            if not any(cell.strip() for cell in line):
                continue
            record = {
                name: (line[i].strip() if i < len(line) else "")
                for i, name in enumerate(columns)
                if name in IMPORT_COLUMNS
            }
            rows.append(_import_row(actor, number, record, people, seen, language))
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    result = InvitationImport(rows=rows, dry_run=dry_run)
    if dry_run or result.error_count:
        return result
    with transaction.atomic():
        for row in rows:
            assert row.person is not None and row.organisation is not None
            row.invitation, _token = invite(
                actor=actor,
                person=row.person,
                role=row.role,
                organisation=row.organisation,
                email=row.email,
                language=language,
            )
            result.sent += 1
    return result


def may_manage_invitation(actor: Any, invitation: Invitation) -> bool:
    """The officers of the office that sent the invitation."""
    return is_officer_of(actor, invitation.office_id)


def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def revoke_invitation(*, actor: Any, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that was not accepted: its link stops working."""
    if not may_manage_invitation(actor, invitation):
        raise PermissionDenied(_("You may only revoke your office's invitations."))
    invitation = _locked(invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("The invitation was accepted: withdraw the role instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor
        save(invitation, actor)
    return invitation


@transaction.atomic
def reinvite(*, actor: Any, invitation: Invitation) -> tuple[Invitation, str]:
    """Send a new link for an invitation that was not accepted; the old link stops working."""
    old = revoke_invitation(actor=actor, invitation=invitation)
    new, token = invite(
        actor=actor,
        person=old.person,
        role=old.role,
        organisation=old.organisation,
        email=old.email,
        edition=old.edition,
        committee=old.committee,
        language=old.language,
    )
    old.replaced_by = new
    save(old, actor)
    return new, token


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a link's token (None for a token nobody was sent)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related(
            "person", "organisation", "office", "edition", "committee"
        )
        .filter(digest=hash_token(token))
        .first()
    )


class InvitationUnusable(ValidationError):
    """The link was accepted, revoked or expired (its state says which)."""


def _usable(invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person", "organisation", "office", "edition", "committee", "invited_by")
        .get(pk=invitation.pk)
    )
    if invitation.state != InvitationState.PENDING:
        raise InvitationUnusable(
            _("This invitation is %(state)s.") % {"state": invitation.get_state_display().lower()}
        )
    return invitation


def _give_scope(invitation: Invitation, user: User) -> None:
    """What the role needs to act: the role itself, a chair's bench seat, an edition's contact."""
    from chancery.mun.models import (  # upward: named in pyproject's [tool.importlinter]
        BENCH_ROLES,
        ChairRole,
        Officer,
    )
    from chancery.mun.services import assign_officer

    granter = invitation.invited_by or user
    grant_role(actor=granter, user=user, role=invitation.role, organisation=invitation.organisation)
    committee = invitation.committee
    if (
        committee is not None
        and not Officer.objects.filter(
            committee=committee, person=invitation.person, role__in=BENCH_ROLES
        ).exists()
    ):
        try:
            assign_officer(
                committee=committee, person=invitation.person, role=ChairRole.CHAIR, actor=granter
            )
        except PermissionDenied:
            raise ValidationError(
                _(
                    "The officer who invited you no longer runs this committee's conference; ask "
                    "the office for a new invitation."
                )
            ) from None
    if invitation.edition is not None:
        participation = invitation.edition.participations.filter(
            organisation=invitation.organisation, contact__isnull=True
        ).first()
        if participation is not None:
            participation.contact = invitation.person
            save(participation, granter)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Open the account of an invitation: the user of the person, with the invited address
    (verified: the link came to it), the chosen password and the invited role."""
    invitation = _usable(invitation)
    # Two invitations of one person opened at once must not open two accounts: the second
    # waits here and then finds the first one's account.
    person = Person.objects.select_for_update().get(pk=invitation.person_id)
    if account_of(invitation.email, person) is not None:
        raise ValidationError(
            _("You already have an account: sign in and open the link again to take the role.")
        )
    user = _open_account(
        User(
            username=_free_username(invitation.email),
            email=invitation.email,
            person=person,
            language=invitation.language,
            first_name=(person.given_name or person.given_name_cyrl)[:150],
            last_name=(person.family_name or person.family_name_cyrl)[:150],
        ),
        password,
    )
    _give_scope(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    save(invitation, user)
    return user


def _open_account(user: User, password: str) -> User:
    """Save a new user with a password the validators accept and their address, verified
    (it came by a link to it, or from the operator), as their primary one."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    if apps.is_installed("allauth.account") and user.email:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def may_take(user: Any, invitation: Invitation) -> bool:
    """Whether the signed-in user is the invitation's person (their account, by the person or
    by the invited address)."""
    if not user.is_authenticated:
        return False
    return account_of(invitation.email, invitation.person) == user and user.person_id in (
        None,
        invitation.person_id,
    )


@transaction.atomic
def take_invitation(*, invitation: Invitation, user: User) -> User:
    """Add an invitation's role to the account its person already has (signed in as them)."""
    invitation = _usable(invitation)
    if not may_take(user, invitation):
        raise PermissionDenied(_("This invitation is for another person's account."))
    if user.person_id is None:
        User.objects.filter(pk=user.pk).update(person=invitation.person)
        user.person = invitation.person
    _give_scope(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    save(invitation, user)
    return user


def _free_username(email: str) -> str:
    """The address as the user name, or its first part numbered when the name is taken."""
    email = email.lower()
    if len(email) <= 150 and not User.objects.filter(username__iexact=email).exists():
        return email
    stem = email.split("@", 1)[0][:140]
    number = 2
    while User.objects.filter(username__iexact=f"{stem}{number}").exists():
        number += 1
    return f"{stem}{number}"


# Withdrawing roles


def may_withdraw(actor: Any, assignment: RoleAssignment) -> bool:
    """An officer withdraws roles at their offices, and the roles (other than an office's) of
    people whose records their office keeps; never their own."""
    if actor is None or not actor.is_authenticated or assignment.user_id == actor.pk:
        return False
    if actor.is_superuser:
        return True
    offices = organisations_where(actor, Role.OFFICER)
    if assignment.organisation_id in offices:
        return True
    person = assignment.user.person
    return (
        assignment.role not in (Role.OFFICER, Role.VIEWER)
        and person is not None
        and person.owner_id in offices
    )


@transaction.atomic
def withdraw_role(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role away from a user; the role's history records who withdrew it."""
    if not may_withdraw(actor, assignment):
        raise PermissionDenied(_("You may not withdraw this role."))
    delete(assignment, actor)


# A fresh installation


@transaction.atomic
def setup_office(
    *, name: str, kind: str, username: str, email: str, password: str, country: Any = None
) -> tuple[Organisation, User]:
    """The first office and its first officer, for an installation that has none; everyone
    else is invited from there."""

    existing = (
        RoleAssignment.objects.filter(role=Role.OFFICER).select_related("organisation").first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "name": _(
                    "This installation already has an office, %(office)s: its officers invite "
                    "everyone else."
                )
                % {"office": existing.organisation}
            }
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("A user called %(name)s exists already.") % {"name": username}}
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("A user with the address %(email)s exists already.") % {"email": email}}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an e-mail address.") % {"email": email}}
        ) from None
    user = User(username=username, email=email)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError(
            {
                key: value
                for key, value in error.message_dict.items()
                if key in ("username", "email")
            }
            or error
        ) from None
    office = directory.create_organisation(actor=SYSTEM, name_en=name, kind=kind, country=country)
    _open_account(user, password)
    grant_role(actor=SYSTEM, user=user, role=Role.OFFICER, organisation=office)
    return office, user
