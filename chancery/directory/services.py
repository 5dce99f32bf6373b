"""Writes to the directory. Each is one transaction, validated, with its audit row."""

import hashlib
import secrets
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.core.actors import THROUGH_LINK, recorded_user
from chancery.core.protection import RecordInUse, describe, holding
from chancery.core.services import apply_changes as _apply
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.directory.models import (
    CONSENT_LINK_DAYS,
    Affiliation,
    AffiliationRole,
    Citizenship,
    Consent,
    ConsentChannel,
    ConsentKind,
    ConsentRequest,
    Country,
    Organisation,
    Person,
)
from chancery.directory.names import name_key
from chancery.directory.queries import may_change_organisation, people_editable_by

PERSON_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "given_name_cyrl",
        "family_name_cyrl",
        "display_name",
        "birth_date",
        "email",
        "phone",
        "class_year",
        "notes",
        "guardian",
        "owner",
    }
)
ORGANISATION_FIELDS = frozenset(
    {
        "kind",
        "name_en",
        "name_ru",
        "name_kk",
        "short_name",
        "country",
        "parent",
        "website",
        "active",
        "notes",
        "owner",
    }
)
AFFILIATION_FIELDS = frozenset({"organisation", "role", "title", "start", "end"})


# Organisations


def _check_parent(organisation: Organisation) -> None:
    parent = organisation.parent
    if (
        organisation.pk
        and parent is not None
        and (parent.pk == organisation.pk or organisation in parent.ancestors())
    ):
        raise ValidationError({"parent": _("An organisation cannot be part of itself.")})


def _check_keeper(actor: Any, organisation: Organisation) -> None:
    """Refuse a change by anyone but the keeping office's officers (a superuser, the system);
    no actor (one forgotten) is refused."""
    if not may_change_organisation(actor, organisation):
        raise PermissionDenied


def _check_owner(actor: Any, organisation: Organisation) -> None:
    """An officer hands an entry only to one of their own offices; no actor is refused."""
    if actor is None:
        raise PermissionDenied
    if actor.is_superuser:
        return
    offices = organisations_where(actor, Role.OFFICER)
    if organisation.owner_id is None and offices:
        organisation.owner_id = min(offices)
    if organisation.owner_id not in offices:
        raise PermissionDenied


@transaction.atomic
def create_organisation(*, actor: Any, **fields: Any) -> Organisation:
    """Create an organisation (a department when it has a parent), kept by `owner` (for an
    officer: one of their offices, by default the first)."""
    organisation = Organisation()
    _apply(organisation, ORGANISATION_FIELDS, fields)
    _check_owner(actor, organisation)
    _save(organisation, actor)
    return organisation


@transaction.atomic
def update_organisation(*, actor: Any, organisation: Organisation, **changes: Any) -> Organisation:
    """Change an organisation's fields; only its keeping office's officers may."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check_keeper(actor, organisation)
    _apply(organisation, ORGANISATION_FIELDS, changes)
    if "owner" in changes:
        _check_owner(actor, organisation)
    _check_parent(organisation)
    _save(organisation, actor)
    return organisation


@transaction.atomic
def delete_organisation(*, actor: Any, organisation: Organisation) -> None:
    """Delete an organisation that nothing refers to; only its keeping office's officers may."""
    _check_keeper(actor, organisation)
    if organisation.children.exists():
        raise ValidationError(_("This organisation has departments; delete or move them first."))
    if organisation.affiliations.exists() or organisation.people_kept.exists():
        raise ValidationError(
            _("People are linked to this organisation; mark it inactive instead.")
        )
    if organisation.role_assignments.exists():
        raise ValidationError(_("Users hold roles at this organisation; remove them first."))
    _delete(organisation, actor)


# People


def _refresh_name_key(person: Person) -> None:
    person.name_key = name_key(
        person.given_name or person.given_name_cyrl, person.family_name or person.family_name_cyrl
    ) or name_key(person.display_name)


def _set_citizenships(person: Person, countries: list[Country], actor: Any) -> None:
    wanted = {country.pk for country in countries}
    for citizenship in person.citizenship_set.exclude(country_id__in=wanted):
        _delete(citizenship, actor)
    have = set(person.citizenship_set.values_list("country_id", flat=True))
    for country_id in sorted(wanted - have):
        _save(Citizenship(person=person, country_id=country_id), actor)


@transaction.atomic
def create_person(
    *, actor: Any, citizenships: list[Country] | None = None, **fields: Any
) -> Person:
    """Record a person with zero or more citizenships (none means unknown)."""
    person = Person()
    _apply(person, PERSON_FIELDS, fields)
    _refresh_name_key(person)
    _save(person, actor)
    _set_citizenships(person, citizenships or [], actor)
    return person


@transaction.atomic
def update_person(
    *, actor: Any, person: Person, citizenships: list[Country] | None = None, **changes: Any
) -> Person:
    """Change a person's fields; `citizenships`, when given, replaces the whole set."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _apply(person, PERSON_FIELDS, changes)
    if person.guardian_id is not None and person.guardian_id == person.pk:
        raise ValidationError({"guardian": _("A person cannot be their own guardian.")})
    _refresh_name_key(person)
    _save(person, actor)
    if citizenships is not None:
        _set_citizenships(person, citizenships, actor)
    return person


@transaction.atomic
def delete_person(*, actor: Any, person: Person) -> None:
    """Delete a person and what hangs on them; refused (RecordInUse) while records refer to them."""
    if person.wards.exists():
        raise ValidationError(_("This person is the guardian of others; change that first."))
    if person.consents_given.exclude(person=person).exists():
        raise ValidationError(_("This person gave consents for others; they must stay recorded."))
    try:
        for related in [
            *person.citizenship_set.all(),
            *person.consents.all(),
            *person.affiliations.all(),
        ]:
            _delete(related, actor)
        _delete(person, actor)
    except (ProtectedError, RestrictedError) as error:
        # Enrolments, attendance, seats and signatures are the programmes' own history: they stay,
        # and so must the person they name. Erasure removes what identifies them instead.
        held_by = holding(error)
        raise RecordInUse(
            ngettext(
                "%(person)s cannot be deleted: %(holders)s refers to them. Erase their "
                "personal data instead: the records stay, and nothing in them identifies "
                "the person.",
                "%(person)s cannot be deleted: %(holders)s refer to them. Erase their "
                "personal data instead: the records stay, and nothing in them identifies "
                "the person.",
                len(held_by),
            )
            % {"person": person, "holders": describe(held_by)},
            held_by,
        ) from error


# Consents


@transaction.atomic
def record_consent(
    *,
    actor: Any,
    person: Person,
    kind: str,
    given_by: Person | None = None,
    given_on: date | None = None,
    note: str = "",
    via: str = ConsentChannel.OFFICE,
    request: ConsentRequest | None = None,
    address: str | None = None,
) -> Consent:
    """Record a consent; for a minor it must be given by their guardian. `via` says how
    (recorded by the office, or given through the link of `request` from `address`)."""
    given_on = given_on or timezone.localdate()
    given_by = given_by or person
    if person.is_minor(given_on):
        if person.guardian_id is None:
            raise ValidationError(
                {"given_by": _("This person is a minor: record their guardian before any consent.")}
            )
        if given_by.pk != person.guardian_id:
            raise ValidationError(
                {
                    "given_by": _(
                        "This person is a minor: the consent must be given by their guardian."
                    )
                }
            )
    elif given_by.pk != person.pk and given_by.pk != person.guardian_id:
        raise ValidationError(
            {"given_by": _("An adult gives their own consent, or their recorded guardian does.")}
        )
    consent = Consent(
        person=person,
        kind=kind,
        given_by=given_by,
        given_on=given_on,
        note=note,
        given_via=via,
        request=request,
        link_address=address,
    )
    _save(consent, actor)
    return consent


@transaction.atomic
def withdraw_consent(
    *,
    actor: Any,
    consent: Consent,
    on: date | None = None,
    via: str = ConsentChannel.OFFICE,
    request: ConsentRequest | None = None,
    address: str | None = None,
) -> Consent:
    """Withdraw a consent from a day on (today by default); `via` as for record_consent."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_on = on or timezone.localdate()
    consent.withdrawn_via = via
    if request is not None:
        consent.request = request
        consent.link_address = address
    _save(consent, actor)
    return consent


def has_consent(person: Person, kind: str, on: date | None = None) -> bool:
    """Whether an active consent of `kind` exists for the person on the day."""
    return any(c.is_active(on) for c in person.consents.all() if c.kind == kind)


def check_pupil_ready(person: Person, on: date | None = None) -> None:
    """Refuse pupil-facing use of a minor without guardian and guardian's data consent."""
    if not person.is_minor(on):
        return
    if person.guardian_id is None:
        raise ValidationError({"guardian": _("A minor needs a guardian recorded first.")})
    if not has_consent(person, ConsentKind.DATA_PROCESSING, on):
        raise ValidationError(
            {
                "guardian": _(
                    "A minor needs the guardian's consent to the processing of personal data first."
                )
            }
        )


# Consent requests: a guardian answers through a link, without an account


class LinkRefused(Exception):
    """A consent link that cannot be used: unknown (mistyped or tampered), expired, revoked,
    or for a guardian who is no longer the pupil's. `reason` names which."""

    def __init__(self, reason: str, consent_request: ConsentRequest | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.consent_request = consent_request


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _guardian_for(
    *,
    actor: Any,
    person: Person,
    guardian: Person | None,
    given_name: str,
    family_name: str,
    email: str,
) -> Person:
    """The guardian a request goes to: an existing person the officer keeps (their e-mail
    filled in when it was missing), or a new record; recorded as the pupil's guardian."""
    if guardian is not None:
        if actor is None or not people_editable_by(actor).filter(pk=guardian.pk).exists():
            raise PermissionDenied
        if guardian.pk == person.pk:
            raise ValidationError({"guardian": _("A person cannot be their own guardian.")})
        if not guardian.email:
            if not email:
                raise ValidationError(
                    {
                        "guardian_email": _(
                            "%(name)s has no e-mail address: enter the address to send the request "
                            "to."
                        )
                        % {"name": guardian}
                    }
                )
            guardian = update_person(actor=actor, person=guardian, email=email)
    else:
        if not email:
            raise ValidationError(
                {
                    "guardian_email": _(
                        "Enter the guardian's e-mail address, or choose a recorded guardian."
                    )
                }
            )
        if not (given_name or family_name):
            raise ValidationError({"guardian_given_name": _("Enter the guardian's name.")})
        guardian = create_person(
            actor=actor,
            owner=person.owner,
            given_name=given_name,
            family_name=family_name,
            email=email,
        )
    if person.guardian_id != guardian.pk:
        update_person(actor=actor, person=person, guardian=guardian)
        person.guardian = guardian
    return guardian


def consent_link_path(token: str) -> str:
    """The path of the public page a consent link opens."""
    return reverse("directory:consent_link", args=[token])


@transaction.atomic
def request_consent(
    *,
    actor: Any,
    person: Person,
    kinds: list[str],
    guardian: Person | None = None,
    guardian_given_name: str = "",
    guardian_family_name: str = "",
    guardian_email: str = "",
    language: str = "",
    now: datetime | None = None,
) -> ConsentRequest:
    """Ask the pupil's guardian by e-mail to give (or withdraw) consents through a link valid
    for CONSENT_LINK_DAYS days. Only an officer of the office keeping the pupil may (or
    the system, for the demo); earlier links for the pupil stop working. The returned
    request carries the link's `token` (only its hash is stored)."""
    from chancery.notifications.services import (  # upward: named in pyproject's [tool.importlinter]
        absolute_url,
        kind_enabled,
        notify,
    )

    if actor is None or not people_editable_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
    if not kind_enabled(person.owner, "consent_requested"):
        raise ValidationError(
            _(
                "Your office has switched off the e-mails asking guardians for "
                "consent; switch them on to send a request."
            )
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    guardian = _guardian_for(
        actor=actor,
        person=person,
        guardian=guardian,
        given_name=guardian_given_name.strip(),
        family_name=guardian_family_name.strip(),
        email=guardian_email.strip(),
    )
    now = now or timezone.now()
    for earlier in person.consent_requests.filter(revoked_at__isnull=True, expires_at__gt=now):
        earlier.revoked_at = now
        _save(earlier, actor)
    languages = {code for code, _name in settings.LANGUAGES}
    token = secrets.token_urlsafe(32)
    consent_request = ConsentRequest(
        person=person,
        guardian=guardian,
        kinds=list(dict.fromkeys(kinds)),
        language=language if language in languages else settings.LANGUAGE_CODE,
        token_hash=_token_hash(token),
        requested_by=recorded_user(actor),
        created_at=now,
        expires_at=now + timedelta(days=CONSENT_LINK_DAYS),
    )
    _save(consent_request, actor)
    consent_request.token = token  # type: ignore[attr-defined]  # only the hash is kept
    link = absolute_url(consent_link_path(token))
    notify(
        kind="consent_requested",
        recipients=[guardian.email],
        office=person.owner,
        language=consent_request.language,
        link=link,
        actor=actor,
        key=f"consent-request:{consent_request.pk}",
        # Rendered in the guardian's language: the labels stay lazy, the people objects.
        context={
            "pupil_name": person.given_name or person.given_name_cyrl or person.name,
            "guardian": guardian,
            "kinds": [ConsentKind(kind).label for kind in consent_request.kinds],
            "expires_at": consent_request.expires_at,
        },
    )
    return consent_request


def consent_request_for(token: str, *, now: datetime | None = None) -> ConsentRequest:
    """The request a link's token opens; LinkRefused when the link cannot be used."""
    found = (
        ConsentRequest.objects.select_related("person__owner", "guardian")
        .filter(token_hash=_token_hash(token[:200]))
        .first()
    )
    if found is None:
        raise LinkRefused("unknown")
    if found.revoked_at is not None:
        raise LinkRefused("revoked", found)
    if not found.is_live(now):
        raise LinkRefused("expired", found)
    if found.person.guardian_id != found.guardian_id:
        raise LinkRefused("guardian changed", found)
    return found


@transaction.atomic
def answer_consent_request(
    *, token: str, kind: str, give: bool, address: str | None = None, now: datetime | None = None
) -> Consent | None:
    """The guardian gives (or withdraws) one consent the request asks for, through the link;
    recorded as given by the guardian via the link, with the request and the address. Giving
    what is in force, or withdrawing what is not, changes nothing."""
    consent_request = consent_request_for(token, now=now)
    consent_request = ConsentRequest.objects.select_for_update().get(pk=consent_request.pk)
    if kind not in consent_request.kinds:
        raise ValidationError({"kind": _("This link does not ask for this consent.")})
    person = consent_request.person
    day = timezone.localdate(now) if now else timezone.localdate()
    active = [c for c in person.consents.filter(kind=kind) if c.is_active(day)]
    link: dict[str, Any] = {
        "via": ConsentChannel.LINK,
        "request": consent_request,
        "address": address or None,
    }
    consent: Consent | None = None
    if give and not active:
        consent = record_consent(
            actor=THROUGH_LINK,
            person=person,
            kind=kind,
            given_by=consent_request.guardian,
            given_on=day,
            **link,
        )
    elif not give and active:
        for in_force in active:
            consent = withdraw_consent(actor=THROUGH_LINK, consent=in_force, on=day, **link)
    else:
        return active[0] if active else None
    consent_request.answered_at = now or timezone.now()
    _save(consent_request, THROUGH_LINK)
    return consent


@dataclass
class SchoolRequests:
    """What asking a school's guardians did: the requests sent, and the pupils left out with
    the reason."""

    sent: list[ConsentRequest] = dataclass_field(default_factory=list)
    skipped: list[tuple[Person, str]] = dataclass_field(default_factory=list)


@transaction.atomic
def request_consent_for_school(
    *,
    actor: Any,
    school: Organisation,
    kinds: list[str],
    language: str = "",
    now: datetime | None = None,
) -> SchoolRequests:
    """Ask the guardian of every minor pupil of the school whom the officer's office keeps,
    and who lacks one of `kinds`, for the consents missing; a pupil whose guardian has no
    e-mail address, or who has a request pending, is left out with the reason."""
    if not kinds:
        raise ValidationError({"kinds": _("Choose at least one consent to ask for.")})
    now = now or timezone.now()
    today = timezone.localdate(now)
    pupils = (
        people_editable_by(actor)
        .filter(
            Q(affiliations__end__isnull=True) | Q(affiliations__end__gte=today),
            affiliations__organisation=school,
            affiliations__role=AffiliationRole.PUPIL,
        )
        .distinct()
        .select_related("guardian")
        .prefetch_related("consents", "consent_requests")
    )
    result = SchoolRequests()
    for pupil in pupils:
        missing = [kind for kind in kinds if not has_consent(pupil, kind, today)]
        if not pupil.is_minor(today) or not missing:
            continue
        pending = next((r for r in pupil.consent_requests.all() if r.is_live(now)), None)
        if pending is not None:
            result.skipped.append(
                (
                    pupil,
                    _("a request sent on %(date)s is pending")
                    % {"date": formats.date_format(timezone.localtime(pending.created_at))},
                )
            )
        elif pupil.guardian is None or not pupil.guardian.email:
            result.skipped.append((pupil, _("no guardian with an e-mail address is recorded")))
        else:
            result.sent.append(
                request_consent(
                    actor=actor,
                    person=pupil,
                    guardian=pupil.guardian,
                    kinds=missing,
                    language=language,
                    now=now,
                )
            )
    return result


@transaction.atomic
def revoke_consent_request(*, actor: Any, consent_request: ConsentRequest) -> ConsentRequest:
    """Stop a request's link from working (sent to a wrong address, say)."""
    if actor is None or not people_editable_by(actor).filter(pk=consent_request.person_id).exists():
        raise PermissionDenied
    consent_request = ConsentRequest.objects.select_for_update().get(pk=consent_request.pk)
    if consent_request.revoked_at is None:
        consent_request.revoked_at = timezone.now()
        _save(consent_request, actor)
    return consent_request


# Affiliations


@transaction.atomic
def add_affiliation(
    *,
    actor: Any,
    person: Person,
    organisation: Organisation,
    role: str,
    title: str = "",
    start: date | None = None,
    end: date | None = None,
) -> Affiliation:
    """Affiliate a person with an organisation; a minor pupil needs guardian consent first."""
    if role == AffiliationRole.PUPIL:
        check_pupil_ready(person, start)
    affiliation = Affiliation(
        person=person, organisation=organisation, role=role, title=title, start=start, end=end
    )
    _save(affiliation, actor)
    return affiliation


@transaction.atomic
def update_affiliation(*, actor: Any, affiliation: Affiliation, **changes: Any) -> Affiliation:
    """Change an affiliation, e.g. set its end date."""
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    _apply(affiliation, AFFILIATION_FIELDS, changes)
    if affiliation.role == AffiliationRole.PUPIL:
        check_pupil_ready(affiliation.person, affiliation.start)
    _save(affiliation, actor)
    return affiliation


@transaction.atomic
def delete_affiliation(*, actor: Any, affiliation: Affiliation) -> None:
    """Remove an affiliation recorded by mistake (end it instead when it really ended)."""
    _delete(affiliation, actor)


# Duplicates


@transaction.atomic
def merge_people(*, actor: Any, keep: Person, drop: Person) -> Person:
    """Merge `drop` into `keep`: every linked record moves to `keep`, then `drop` is deleted."""
    if keep.pk == drop.pk:
        raise ValidationError(_("A person cannot be merged with themself."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    drop = Person.objects.select_for_update().get(pk=drop.pk)
    for field in (
        "given_name",
        "family_name",
        "given_name_cyrl",
        "family_name_cyrl",
        "display_name",
        "birth_date",
        "email",
        "phone",
        "class_year",
        "guardian_id",
    ):
        if not getattr(keep, field) and getattr(drop, field):
            setattr(keep, field, getattr(drop, field))
    if drop.notes:
        keep.notes = "\n".join(part for part in (keep.notes, drop.notes) if part)
    _refresh_name_key(keep)
    _save(keep, actor)
    _set_citizenships(
        keep,
        list(Country.objects.filter(citizens__in=[keep.pk, drop.pk]).distinct()),
        actor,
    )
    for model, field in (
        (Consent, "person"),
        (Consent, "given_by"),
        (Affiliation, "person"),
        (Person, "guardian"),
        (ConsentRequest, "person"),
        (ConsentRequest, "guardian"),
    ):
        for obj in model.objects.filter(**{field: drop}):
            setattr(obj, field, keep)
            _save(obj, actor)
    for citizenship in drop.citizenship_set.all():
        _delete(citizenship, actor)
    from chancery.accounts.models import User  # upward: named in pyproject's [tool.importlinter]

    if not hasattr(keep, "user"):
        User.objects.filter(person=drop).update(person=keep)
    else:
        User.objects.filter(person=drop).update(person=None)
    _delete(drop, actor)
    keep.refresh_from_db()
    return keep


# Personal data (the rules and what is kept: personal_data.py)


def export_personal_data(*, person: Person) -> dict[str, Any]:
    """Everything recorded about a person, as a JSON-ready document (no password hash)."""
    from chancery.directory import personal_data  # it reaches every app: see pyproject

    return personal_data.export(person)


@transaction.atomic
def erase_person(*, actor: Any, person: Person) -> Person:
    """Anonymise a person in place, keeping anonymised statistics; refused with the reason
    while the data must be kept (audited: who erased, when)."""
    from chancery.directory import personal_data  # it reaches every app: see pyproject

    return personal_data.erase(actor=actor, person=person)
