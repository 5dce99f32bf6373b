"""Everything Chancery holds about one person: the export (a JSON document) and the erasure.

Erasure anonymises the person in place, so that statistics stay right: their enrolments,
placements, attendance and evaluation scores stay, linked to a record named
"Erased person #<id>", and every count per edition, year, host or citizenship is unchanged.
What goes:

- names, birth date, e-mail, phone, notes, class year and guardian of the person record;
- the free texts written about or by them: motivation, reasons of state changes, eligibility
  reasons, the override reason, evaluation comments, affiliation titles, consent notes;
- testimonials, final reports and photos showing them (rows and files);
- the user account's names, e-mail, password, roles and API tokens (the row stays, renamed
  "erased-<id>" and inactive, because the audit trail names it as the author of changes);
- failed and successful sign-ins recorded under the account's user name;
- the old values kept by the audit trail (django-simple-history copies every version of a row):
  every historical row of the records above gets the same anonymised values.

What stays, and why:

- citizenships: a country alone does not identify anyone once the name is gone, and the
  reports count alumni by citizenship;
- consents: the kind and dates are the proof of what the person agreed to; those still in force
  are withdrawn on the day of the erasure;
- certificates: one that was issued can still be checked at /verify/<code> by whoever holds it;
  it stays valid, and the verification page then names the holder "Erased person #<id>";
- conducted draws and allocation rounds: a draw's record is published with a fingerprint that
  anyone can check, so the entries it was conducted over cannot change; the export lists them.

Erasure is refused, with the reason, while the law or a running programme needs the data:
the person is placed or serving now, is the recorded guardian of someone, gave consents for
others that are still in force (they prove who consented), or signs in as an administrator.
The erasure is audited: the person's audit trail records who erased the record and when.

It reaches the rows of every app that holds a person's data, so it imports them inside its
functions: an upward import the layer contract names (pyproject's [tool.importlinter]).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from chancery.core.audit import entries
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.directory.models import Affiliation, Citizenship, Consent, Person
from chancery.directory.names import name_key

FORMAT = "chancery-personal-data/1"
ERASED_NAME = "Erased person #{id}"
ERASURE_REASON = "erasure of personal data"
ONGOING_STATES = ("placed", "active")

PERSON_ERASED: dict[str, object] = {
    "given_name": "",
    "family_name": "",
    "given_name_cyrl": "",
    "family_name_cyrl": "",
    "birth_date": None,
    "email": "",
    "phone": "",
    "class_year": None,
    "guardian_id": None,
}
ENROLMENT_ERASED: dict[str, object] = {
    "motivation": "",
    "state_reason": "",
    "override_reason": "",
    "eligibility": [],
}
WITHDRAWN_REASON = "Erased."  # a withdrawal keeps a reason (enrolment_withdrawal_has_reason)


def erased_name(person: Person) -> str:
    return ERASED_NAME.format(id=person.pk)


def is_erased(person: Person) -> bool:
    """Whether the person's record was erased (its only name is the erased marker)."""
    return person.display_name == erased_name(person) and not (
        person.given_name or person.family_name or person.given_name_cyrl or person.family_name_cyrl
    )


def confirms(person: Person, text: str) -> bool:
    """Whether a typed confirmation names the person (any script; case and spaces ignored)."""
    typed = " ".join(text.split()).casefold()
    names = {person.name, person.latin_name, person.cyrillic_name, person.display_name}
    return bool(typed) and typed in {" ".join(name.split()).casefold() for name in names if name}


# Export


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
        return value.name or ""
    return value


def _fields(obj: Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row's columns by attribute name (foreign keys as ids), ready for JSON."""
    return {
        field.attname: _value(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.attname not in exclude
    }


def _history(model: type[Model], ids: Any) -> list[dict[str, Any]]:
    label = str(model._meta.verbose_name)
    return [
        {
            "record": label,
            "when": entry.when.isoformat(),
            "by": entry.actor,
            "action": entry.action,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in entry.changes],
        }
        # simple_history adds `history` to the recorded models at run time
        for entry in entries(model.history.filter(id__in=list(ids)))  # type: ignore[attr-defined]
    ]


def export(person: Person) -> dict[str, Any]:
    """Everything recorded about the person, as a JSON-ready document."""
    from chancery.allocation.models import Preference
    from chancery.draws.models import Draw
    from chancery.events.models import Attendance, Photo
    from chancery.programmes.models import (
        Certificate,
        Enrolment,
        Evaluation,
        FinalReport,
        Placement,
        Testimonial,
    )

    enrolments = list(
        Enrolment.objects.filter(person=person).select_related("edition__programme").order_by("id")
    )
    placements = list(
        Placement.objects.filter(enrolment__person=person)
        .select_related("host", "department")
        .order_by("start", "id")
    )
    evaluations = {
        e.placement_id: e for e in Evaluation.objects.filter(placement__enrolment__person=person)
    }
    reports = list(FinalReport.objects.filter(enrolment__person=person).order_by("id"))
    testimonials = {t.enrolment_id: t for t in Testimonial.objects.filter(enrolment__person=person)}
    certificates = {c.enrolment_id: c for c in Certificate.objects.filter(enrolment__person=person)}
    attendance = list(
        Attendance.objects.filter(person=person)
        .select_related("event")
        .order_by("event__starts_at", "id")
    )
    photos = list(Photo.objects.filter(people=person).order_by("id"))
    consents = list(Consent.objects.filter(person=person).order_by("given_on", "id"))
    affiliations = list(
        Affiliation.objects.filter(person=person).select_related("organisation").order_by("id")
    )

    def enrolment_data(enrolment: Enrolment) -> dict[str, Any]:
        certificate = certificates.get(enrolment.pk)
        testimonial = testimonials.get(enrolment.pk)
        return {
            **_fields(enrolment),
            "programme": str(enrolment.edition.programme),
            "edition": enrolment.edition.name,
            "placements": [
                {
                    **_fields(p),
                    "host": str(p.host),
                    "department": str(p.department) if p.department else None,
                    "evaluation": _fields(evaluations[p.pk]) if p.pk in evaluations else None,
                }
                for p in placements
                if p.enrolment_id == enrolment.pk
            ],
            "final_reports": [_fields(r) for r in reports if r.enrolment_id == enrolment.pk],
            "testimonial": _fields(testimonial) if testimonial else None,
            "certificate": _fields(certificate) if certificate else None,
            "allocation_preferences": [
                {"round": p.round_id, "host": str(p.host), "rank": p.rank}
                for p in Preference.objects.filter(enrolment=enrolment).select_related(
                    "host__organisation"
                )
            ],
        }

    entries_named = [f"(#{enrolment.pk})" for enrolment in enrolments]
    draws = Draw.objects.filter(edition_id__in={e.edition_id for e in enrolments}).order_by("id")
    named_in = [
        draw
        for draw in draws
        if any(entry in f"{draw.pool} {draw.record}" for entry in entries_named)
    ]
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person": _fields(person, exclude=("name_key",)),
        "citizenships": [
            {"country": c.country_id, "name": str(c.country)}
            for c in Citizenship.objects.filter(person=person)
            .select_related("country")
            .order_by("country_id")
        ],
        "consents": [_fields(c) for c in consents],
        "consents_given_for_others": [
            _fields(c)
            for c in Consent.objects.filter(given_by=person).exclude(person=person).order_by("id")
        ],
        "guardian_of": list(person.wards.order_by("id").values_list("id", flat=True)),
        "affiliations": [{**_fields(a), "organisation": str(a.organisation)} for a in affiliations],
        "enrolments": [enrolment_data(enrolment) for enrolment in enrolments],
        "supervised_placements": list(
            Placement.objects.filter(supervisor=person).order_by("id").values_list("id", flat=True)
        ),
        "evaluations_written": list(
            Evaluation.objects.filter(evaluated_by=person)
            .order_by("id")
            .values_list("id", flat=True)
        ),
        "attendance": [
            {**_fields(a), "event": a.event.title, "starts_at": a.event.starts_at.isoformat()}
            for a in attendance
        ],
        "photos": [_fields(photo) for photo in photos],
        # Event.speakers' reverse side, which mypy does not see on a translated model
        "talks": list(
            person.talks.order_by("id").values_list("id", flat=True)  # type: ignore[attr-defined]
        ),
        "draws_naming_them": [
            {"draw": d.pk, "title": d.title, "status": d.status} for d in named_in
        ],
        "user": _user_data(person),
        "invitations": [
            {
                "email": i.email,
                "role": i.role,
                "organisation": str(i.organisation),
                "sent_at": _value(i.created_at),
                "expires_at": _value(i.expires_at),
                "accepted_at": _value(i.accepted_at),
                "revoked_at": _value(i.revoked_at),
            }
            for i in person.invitations.select_related("organisation").order_by("id")
        ],
        "referred_to_by": _references(person),
        "history": sorted(
            _history(Person, [person.pk])
            + _history(
                Citizenship,
                Citizenship.history.filter(person_id=person.pk).values_list("id", flat=True),
            )
            + _history(
                Consent, Consent.history.filter(person_id=person.pk).values_list("id", flat=True)
            )
            + _history(
                Affiliation,
                Affiliation.history.filter(person_id=person.pk).values_list("id", flat=True),
            )
            + _history(Enrolment, [e.pk for e in enrolments])
            + _history(Placement, [p.pk for p in placements])
            + _history(Evaluation, [e.pk for e in evaluations.values()])
            + _history(Testimonial, [t.pk for t in testimonials.values()])
            + _history(Certificate, [c.pk for c in certificates.values()])
            + _history(Attendance, [a.pk for a in attendance]),
            key=lambda entry: entry["when"],
        ),
    }


def _references(person: Person) -> dict[str, list[Any]]:
    """Every other record pointing at the person, by model and field: a safety net that
    also covers the modules added after this export was written."""
    found: dict[str, list[Any]] = {}
    for relation in Person._meta.related_objects:
        model, field = relation.related_model, relation.field
        ids = list(
            model._default_manager.filter(**{field.name: person})
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()[:10_000]
        )
        if ids:
            found[f"{model._meta.label}.{field.name}"] = ids
    return found


def _user_data(person: Person) -> dict[str, Any] | None:
    from axes.models import AccessLog

    from chancery.accounts.models import User

    user = User.objects.filter(person=person).first()
    if user is None:
        return None
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "is_active": user.is_active,
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
        "roles": [
            {"role": r.role, "organisation": str(r.organisation)}
            for r in user.role_assignments.select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": _value(t.created_at),
                "last_used_at": _value(t.last_used_at),
                "revoked_at": _value(t.revoked_at),
            }
            for t in user.api_tokens.all()
        ],
        "sign_ins": [
            {
                "at": _value(log.attempt_time),
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in AccessLog.objects.filter(username=user.username).order_by("attempt_time")
        ],
    }


# Erasure


def refusals(person: Person) -> list[str]:
    """Why the person cannot be erased now; empty when they can."""
    from chancery.accounts.models import User
    from chancery.programmes.models import Enrolment

    reasons = []
    if is_erased(person):
        reasons.append(_("This record is already erased."))
    ongoing = Enrolment.objects.filter(person=person, state__in=ONGOING_STATES).select_related(
        "edition__programme"
    )
    for enrolment in ongoing:
        reasons.append(
            _(
                "%(person)s is placed or serving in %(edition)s: complete or withdraw "
                "the enrolment first."
            )
            % {"person": person, "edition": enrolment.edition}
        )
    if person.wards.exists():
        reasons.append(
            _("%(person)s is the recorded guardian of %(wards)s: record another guardian first.")
            % {"person": person, "wards": ", ".join(str(w) for w in person.wards.all())}
        )
    in_force = (
        Consent.objects.filter(given_by=person, withdrawn_on__isnull=True)
        .exclude(person=person)
        .select_related("person")
    )
    if in_force.exists():
        reasons.append(
            _(
                "%(person)s gave consents for others that are still in force "
                "(%(names)s); they must show who gave them."
            )
            % {"person": person, "names": ", ".join(sorted({str(c.person) for c in in_force}))}
        )
    user = User.objects.filter(person=person).first()
    if user is not None and (user.is_staff or user.is_superuser):
        reasons.append(
            _("%(person)s signs in as an administrator: take the administrator rights away first.")
            % {"person": person}
        )
    return reasons


def _scrub_history(model: type[Model], ids: list[int], values: dict[str, Any]) -> None:
    """Give the audit trail's copies of these rows the anonymised values too."""
    history = model.history.model  # type: ignore[attr-defined]
    names = {field.attname for field in history._meta.concrete_fields}
    wanted = {name: value for name, value in values.items() if name in names}
    if ids and wanted:
        history.objects.filter(id__in=ids).update(**wanted)


def _forget_in_notifications(person: Person, user: Any) -> None:
    """The person's own inbox and e-mail go (the outbox's audit copies keep no address or
    subject); the notifications and e-mails of others that name them (a supervisor's "new
    intern") name the erased person instead."""
    from django.db.models import Q

    from chancery.notifications.models import Notification, OutgoingMail

    own = Q(recipient=user) if user is not None else Q(pk__in=[])
    Notification.objects.filter(own).delete()
    addressed = own | Q(address__iexact=person.email) if person.email else own
    mails = list(OutgoingMail.objects.filter(addressed).values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=mails).delete()
    _scrub_history(
        OutgoingMail,
        mails,
        {"address": "", "subject": "", "to": [], "cc": [], "bcc": [], "reply_to": []},
    )
    names = sorted(
        {name for name in (person.latin_name, person.cyrillic_name, person.display_name) if name},
        key=len,
        reverse=True,
    )
    if not names:
        return
    replacement = erased_name(person)

    def scrub(text: str) -> str:
        for name in names:
            text = text.replace(name, replacement)
        return text

    mentions = Q()
    for name in names:
        mentions |= Q(subject__contains=name) | Q(text__contains=name)
    for entry in Notification.objects.filter(mentions):
        entry.subject, entry.text = scrub(entry.subject), scrub(entry.text)
        entry.save(update_fields=["subject", "text"])
    for mail in OutgoingMail.objects.filter(mentions | Q(html__contains=names[0])):
        mail.subject, mail.text, mail.html = scrub(mail.subject), scrub(mail.text), scrub(mail.html)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            subject=mail.subject, text=mail.text, html=mail.html
        )
        _scrub_history(OutgoingMail, [mail.pk], {"subject": mail.subject})


def _delete_files(files: list[Any]) -> None:
    """Remove stored files once the erasure is committed (a rollback keeps them)."""

    def remove() -> None:
        for file in files:
            if file.name:
                file.storage.delete(file.name)

    transaction.on_commit(remove)


@transaction.atomic
def erase(*, actor: Any, person: Person) -> Person:
    """Anonymise the person in place, keeping what statistics need (see the module)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from chancery.accounts.models import Invitation, User
    from chancery.events.models import Photo
    from chancery.programmes.models import (
        Enrolment,
        EnrolmentState,
        Evaluation,
        FinalReport,
        Testimonial,
    )

    person = Person.objects.select_for_update().get(pk=person.pk)
    reasons = refusals(person)
    if reasons:
        raise ValidationError(reasons)
    today = timezone.localdate()
    files: list[Any] = []

    for photo in Photo.objects.filter(people=person):
        files.append(photo.image)
        pk = photo.pk  # delete() forgets it; the deletion's own audit row is scrubbed too
        _delete(photo, actor)
        _scrub_history(Photo, [pk], {"caption": "", "image": ""})
    for report in FinalReport.objects.filter(enrolment__person=person):
        files.append(report.file)
        pk = report.pk
        _delete(report, actor)
        _scrub_history(FinalReport, [pk], {"file": ""})
    for testimonial in Testimonial.objects.filter(enrolment__person=person):
        pk = testimonial.pk
        _delete(testimonial, actor)
        _scrub_history(Testimonial, [pk], {"text": ""})

    enrolments = list(Enrolment.objects.select_for_update().filter(person=person))
    for enrolment in enrolments:
        for name, value in ENROLMENT_ERASED.items():
            setattr(enrolment, name, value)
        if enrolment.state == EnrolmentState.WITHDRAWN:
            enrolment.state_reason = WITHDRAWN_REASON
        _save(enrolment, actor)
    _scrub_history(Enrolment, [e.pk for e in enrolments], ENROLMENT_ERASED)
    evaluations = list(Evaluation.objects.filter(placement__enrolment__person=person))
    for evaluation in evaluations:
        evaluation.comment = ""
        _save(evaluation, actor)
    _scrub_history(Evaluation, [e.pk for e in evaluations], {"comment": ""})

    consents = list(Consent.objects.filter(person=person))
    for consent in consents:
        consent.note = ""
        consent.link_address = None
        if consent.withdrawn_on is None:
            consent.withdrawn_on = max(today, consent.given_on)
        _save(consent, actor)
    _scrub_history(Consent, [c.pk for c in consents], {"note": "", "link_address": None})
    # The address a guardian answered a consent link from is theirs too.
    given = list(Consent.objects.filter(given_by=person, link_address__isnull=False))
    for consent in given:
        consent.link_address = None
        _save(consent, actor)
    _scrub_history(
        Consent, [c.pk for c in Consent.objects.filter(given_by=person)], {"link_address": None}
    )
    affiliations = list(Affiliation.objects.filter(person=person))
    for affiliation in affiliations:
        affiliation.title = ""
        _save(affiliation, actor)
    _scrub_history(Affiliation, [a.pk for a in affiliations], {"title": ""})

    user = User.objects.filter(person=person).first()
    if user is not None:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=user.username).delete()
        user.username = f"erased-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        _save(user, actor)
        user.api_tokens.all().delete()
        for role in user.role_assignments.all():
            _delete(role, actor)
        if apps.is_installed("allauth.account"):
            from allauth.account.models import EmailAddress

            EmailAddress.objects.filter(user=user).delete()
    # Invitations name the person's address: they go, and their audit copies keep none.
    invited = list(Invitation.history.filter(person_id=person.pk).values_list("id", flat=True))
    for invitation in person.invitations.all():
        _delete(invitation, actor)
    _scrub_history(Invitation, invited, {"email": ""})

    _forget_in_notifications(person, user)
    erased = {**PERSON_ERASED, "display_name": erased_name(person), "notes": ""}
    _scrub_history(Person, [person.pk], erased)
    for name, value in erased.items():
        setattr(person, name, value)
    # The one trace left: the audit row this save writes says who erased the record, and when.
    person.notes = _("Personal data erased on %(date)s by %(user)s.") % {
        "date": today.isoformat(),
        "user": actor or _("the command line"),
    }
    person.name_key = name_key(person.display_name)
    person._change_reason = ERASURE_REASON  # type: ignore[attr-defined]  # simple-history
    _save(person, actor)
    _delete_files(files)
    return person
