"""Writes of calls: the call and its form (officers), and an application from its draft to its
submission, which makes the edition's enrolment through programmes.services.apply.

The deadline is enforced here, so the pages, the admin and any script refuse the same way.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chancery.calls import content, queries
from chancery.calls.models import (
    FILE_TYPES,
    LETTER_MAX_MB,
    LETTER_TYPES,
    Application,
    ApplicationStatus,
    Call,
    Document,
    Question,
    QuestionKind,
    Referee,
    Upload,
)
from chancery.core.actors import THROUGH_LINK
from chancery.core.services import apply_changes as _apply
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.directory import services as directory
from chancery.directory.models import Country
from chancery.notifications.services import absolute_url, notify
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition, Enrolment

CALL_FIELDS = frozenset(
    {
        "slug",
        "title_en",
        "title_ru",
        "title_kk",
        "intro_en",
        "intro_ru",
        "intro_kk",
        "eligible_en",
        "eligible_ru",
        "eligible_kk",
        "deadline",
        "published",
        "referees",
    }
)
QUESTION_FIELDS = frozenset(
    {
        "kind",
        "label_en",
        "label_ru",
        "label_kk",
        "choices_en",
        "choices_ru",
        "choices_kk",
        "word_limit",
        "required",
        "position",
    }
)
DOCUMENT_FIELDS = frozenset(
    {"name_en", "name_ru", "name_kk", "file_types", "max_mb", "required", "position"}
)


# The call and its form


@transaction.atomic
def create_call(*, actor: Any, edition: Edition, **fields: Any) -> Call:
    if Call.objects.filter(edition=edition).exists():
        raise ValidationError({"edition": _("This edition already has a call.")})
    call = Call(edition=edition)
    _apply(call, CALL_FIELDS, fields)
    _save(call, actor)
    return call


@transaction.atomic
def update_call(*, actor: Any, call: Call, **changes: Any) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    _apply(call, CALL_FIELDS, changes)
    _save(call, actor)
    return call


@transaction.atomic
def add_question(*, actor: Any, call: Call, **fields: Any) -> Question:
    question = Question(call=call)
    _apply(question, QUESTION_FIELDS, fields)
    if question.kind == QuestionKind.CHOICE and not question.options:
        raise ValidationError({"choices_en": _("A choice needs its options, one per line.")})
    _save(question, actor)
    return question


@transaction.atomic
def remove_question(*, actor: Any, question: Question) -> None:
    _delete(question, actor)


@transaction.atomic
def add_document(*, actor: Any, call: Call, **fields: Any) -> Document:
    document = Document(call=call)
    _apply(document, DOCUMENT_FIELDS, fields)
    _save(document, actor)
    return document


@transaction.atomic
def remove_document(*, actor: Any, document: Document) -> None:
    _delete(document, actor)


# Applications


def _deadline_text(call: Call) -> str:
    return formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")


def check_open(call: Call, at: datetime | None = None) -> None:
    """Refuse when the call takes no applications (unpublished, or its deadline passed)."""
    if not call.published:
        raise ValidationError(_("This call is not published."))
    if (at or timezone.now()) >= call.deadline:
        raise ValidationError(
            _(
                "The deadline of this call (%(deadline)s) has passed: "
                "applications can no longer be changed or submitted."
            )
            % {"deadline": _deadline_text(call)}
        )


def _check_editable(application: Application, at: datetime | None = None) -> None:
    if application.submitted:
        raise ValidationError(_("This application is submitted; it can no longer be changed."))
    check_open(application.call, at)


def check_verified(user: Any) -> None:
    """An account opened by signing up (no directory record yet) applies once its e-mail
    address is confirmed; invited accounts came by an e-mailed link already."""
    from allauth.account.models import EmailAddress

    if (
        user.person_id is None
        and not EmailAddress.objects.filter(user=user, verified=True).exists()
    ):
        raise ValidationError(
            _(
                "Confirm your e-mail address first: open the link we sent "
                "you, then come back to apply."
            )
        )


@transaction.atomic
def start_application(*, actor: Any, call: Call, at: datetime | None = None) -> Application:
    """The actor's application to the call: their draft, made now if they have none."""
    existing = Application.objects.filter(call=call, applicant=actor).first()
    if existing is not None:
        return existing
    check_open(call, at)
    check_verified(actor)
    application = Application(call=call, applicant=actor)
    _save(application, actor)
    return application


def _clean_answer(question: Question, value: Any) -> Any:
    """An answer in the form it is kept: text, an option's number, an ISO date."""
    if value in (None, ""):
        return ""
    if question.kind == QuestionKind.CHOICE:
        if str(value) not in {str(i) for i in range(len(question.options))}:
            raise ValidationError({question.field_name: _("Choose one of the options.")})
        return str(value)
    if question.kind == QuestionKind.DATE:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value).strip()


def clean_facts(
    *, citizenships: Any = None, birth_date: date | None = None, class_year: int | None = None
) -> dict[str, Any]:
    """The facts an applicant states, checked: known country codes, a birth date in the past,
    a plausible class year. Refusals name the field."""
    codes = [str(code).strip().upper() for code in (citizenships or []) if str(code).strip()]
    codes = list(dict.fromkeys(codes))
    known = set(Country.objects.filter(alpha2__in=codes).values_list("alpha2", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {"citizenships": _("“%(code)s” is not a country code.") % {"code": unknown[0]}}
        )
    today = timezone.localdate()
    if birth_date is not None and birth_date >= today:
        raise ValidationError({"birth_date": _("A birth date must be in the past.")})
    if class_year is not None and not 1950 <= class_year <= today.year + 10:
        raise ValidationError(
            {
                "class_year": _("Give a class year between 1950 and %(max)d.")
                % {"max": today.year + 10}
            }
        )
    return {"citizenships": codes, "birth_date": birth_date, "class_year": class_year}


@transaction.atomic
def save_draft(
    *,
    actor: Any,
    application: Application,
    answers: dict[int, Any],
    given_name: str = "",
    family_name: str = "",
    facts: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Application:
    """Keep the answers given so far (by question id) and the facts stated (citizenships,
    birth_date, class_year: see clean_facts); nothing is required yet."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_editable(application, at)
    if facts is not None:
        for name, value in clean_facts(**facts).items():
            setattr(application, name, value)
    questions = {q.pk: q for q in application.call.questions.exclude(kind=QuestionKind.FILE)}
    kept = dict(application.answers)
    for pk, value in answers.items():
        question = questions.get(int(pk))
        if question is not None:
            kept[str(question.pk)] = _clean_answer(question, value)
    application.answers = kept
    application.given_name = given_name.strip()
    application.family_name = family_name.strip()
    _save(application, actor)
    return application


@transaction.atomic
def upload_file(
    *,
    actor: Any,
    application: Application,
    file: Any,
    document: Document | None = None,
    question: Question | None = None,
    at: datetime | None = None,
) -> Upload:
    """Keep a file for a required document (or a file question), replacing an earlier one.

    Its type is read from its content; its size is held to the document's limit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_editable(application, at)
    item = document or question
    if item is None or item.call_id != application.call_id:
        raise ValidationError(_("This file is not asked for by the call."))
    field = item.field_name
    allowed = document.types if document is not None else list(FILE_TYPES)
    limit_mb = document.max_mb if document is not None else 5
    size = int(getattr(file, "size", 0) or 0)
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            {
                field: _("The file is %(size)s; at most %(max)d MB is accepted.")
                % {"size": filesizeformat(size), "max": limit_mb}
            }
        )
    kind = content.detect(file, allowed)
    if kind is None:
        raise ValidationError(
            {
                field: _("The file's content is not %(types)s.")
                % {"types": ", ".join(FILE_TYPES[k] for k in allowed)}
            }
        )
    for earlier in application.uploads.filter(document=document, question=question):
        earlier.file.delete(save=False)
        _delete(earlier, actor)
    name = str(getattr(file, "name", "file")).rsplit("/", 1)[-1][:150]
    upload = Upload(
        application=application,
        document=document,
        question=question,
        original_name=name,
        kind=kind,
        size=size,
    )
    upload.file.save(f"{field}.{kind}", file, save=False)
    _save(upload, actor)
    return upload


def missing(application: Application) -> dict[str, str]:
    """What submitting still needs, by form field: required answers, word limits, documents."""
    problems: dict[str, str] = {}
    uploaded_docs = set(application.uploads.values_list("document_id", flat=True))
    uploaded_questions = set(application.uploads.values_list("question_id", flat=True))
    if not application.given_name or not application.family_name:
        field = "given_name" if not application.given_name else "family_name"
        problems[field] = _("Give your name in Latin letters.")
    for question in application.call.questions.all():
        if question.kind == QuestionKind.FILE:
            if question.required and question.pk not in uploaded_questions:
                problems[question.field_name] = _("“%(label)s”: upload the file.") % {
                    "label": question.label
                }
            continue
        answer = str(application.answers.get(str(question.pk), "")).strip()
        if question.required and not answer:
            problems[question.field_name] = _("“%(label)s”: this answer is required.") % {
                "label": question.label
            }
        elif question.word_limit and len(answer.split()) > question.word_limit:
            problems[question.field_name] = _(
                "“%(label)s”: %(count)d words; at most %(limit)d."
            ) % {
                "label": question.label,
                "count": len(answer.split()),
                "limit": question.word_limit,
            }
    for document in application.call.documents.all():
        if document.required and document.pk not in uploaded_docs:
            problems[document.field_name] = _("“%(name)s”: upload this document.") % {
                "name": document.name
            }
    asked = application.call.referees
    if asked and application.referees.count() < asked:
        problems["referees"] = ngettext(
            "Name %(count)d referee.", "Name %(count)d referees.", asked
        ) % {"count": asked}
    return problems


@transaction.atomic
def submit(*, actor: Any, application: Application, at: datetime | None = None) -> Application:
    """Submit before the deadline: everything required must be there. The applicant's person
    record (made now if the account has none, kept by the call's office) is enrolled in the
    edition through programmes.services.apply, which says "application received"."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_editable(application, at)
    problems = missing(application)
    if problems:
        raise ValidationError(problems)
    call = application.call
    user = application.applicant
    person = queries.person_of(application)
    if person is None:
        person = directory.create_person(
            actor=actor,
            given_name=application.given_name,
            family_name=application.family_name,
            email=user.email,
            birth_date=application.birth_date,
            class_year=application.class_year,
            citizenships=list(Country.objects.filter(alpha2__in=application.citizenships)),
            owner=call.edition.programme.owner,
        )
    if user.person_id != person.pk:
        user.person = person
        user.save(update_fields=["person"])
    enrolment = Enrolment.objects.filter(edition=call.edition, person=person).first()
    if enrolment is None:
        enrolment = programmes.apply(
            actor=actor,
            edition=call.edition,
            person=person,
            on=timezone.localdate(at) if at else None,
        )
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = at or timezone.now()
    application.enrolment = enrolment
    _save(application, actor)
    return application


# Referees

REFEREE_SALT = "chancery.calls.referee"
#: How long a referee's link works.
REFEREE_LINK_DAYS = 30


def referee_token(referee: Referee) -> str:
    """The signed, timestamped token of a referee's link (nothing of it is stored)."""
    return signing.dumps({"referee": referee.pk, "email": referee.email.lower()}, salt=REFEREE_SALT)


class RefereeLinkRefused(Exception):
    """A referee's link that cannot be used: `why` is "unknown" or "expired"."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def referee_for(token: str, *, now: datetime | None = None) -> Referee:
    """The referee a link's token opens (REFEREE_LINK_DAYS after it was made, as of `now`), or
    RefereeLinkRefused."""
    ahead = (now - timezone.now()) if now is not None else timedelta(0)
    try:
        data = signing.loads(
            token[:500], salt=REFEREE_SALT, max_age=timedelta(days=REFEREE_LINK_DAYS) - ahead
        )
    except signing.SignatureExpired:
        raise RefereeLinkRefused("expired") from None
    except signing.BadSignature:
        raise RefereeLinkRefused("unknown") from None
    referee = (
        Referee.objects.select_related("application__call__edition__programme__owner")
        .filter(pk=data.get("referee"))
        .first()
    )
    if referee is None or referee.email.lower() != data.get("email"):
        raise RefereeLinkRefused("unknown")
    return referee


@transaction.atomic
def add_referee(
    *, actor: Any, application: Application, name: str, email: str, at: datetime | None = None
) -> Referee:
    """Name a referee while the application is a draft; they are e-mailed a link at once."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_editable(application, at)
    asked = application.call.referees
    if not asked:
        raise ValidationError({"email": _("This call asks for no referees.")})
    if application.referees.count() >= asked:
        raise ValidationError(
            {
                "email": ngettext(
                    "This call asks for %(count)d referee; remove one to name another.",
                    "This call asks for %(count)d referees; remove one to name another.",
                    asked,
                )
                % {"count": asked}
            }
        )
    if not name.strip():
        raise ValidationError({"name": _("Give the referee's name.")})
    if email.strip().lower() == (application.applicant.email or "").lower():
        raise ValidationError({"email": _("A referee cannot be yourself.")})
    referee = Referee(application=application, name=name.strip(), email=email.strip())
    _save(referee, actor)
    request_letter(actor=actor, referee=referee, at=at)
    return referee


@transaction.atomic
def request_letter(*, actor: Any, referee: Referee, at: datetime | None = None) -> Referee:
    """E-mail the referee the link to upload a letter (again, if asked: the same link)."""

    referee.requested_at = at or timezone.now()
    _save(referee, actor)
    application = referee.application
    call = application.call
    link = absolute_url(reverse("calls:referee", args=[referee_token(referee)]))
    notify(
        kind="referee_request",
        recipients=[referee.email],
        office=call.office,
        link=link,
        actor=actor,
        language=(application.applicant.language or ""),
        context={
            "referee_name": referee.name,
            "call_title": call.title,
            "applicant_name": f"{application.given_name} {application.family_name}".strip()
            or str(application.applicant),
            "days": REFEREE_LINK_DAYS,
        },
    )
    return referee


@transaction.atomic
def remove_referee(*, actor: Any, referee: Referee, at: datetime | None = None) -> None:
    """Take back a referee whose letter has not arrived, while the application is a draft."""
    _check_editable(referee.application, at)
    if referee.arrived:
        raise ValidationError(
            {"email": _("This referee's letter has arrived; it stays with the application.")}
        )
    _delete(referee, actor)


@transaction.atomic
def upload_letter(*, referee: Referee, file: Any) -> Referee:
    """The referee's letter, through their link (no account: the history names no one); a
    second upload replaces the first. The file's type is read from its content."""
    referee = Referee.objects.select_for_update().get(pk=referee.pk)
    size = int(getattr(file, "size", 0) or 0)
    if size == 0:
        raise ValidationError({"letter": _("The file is empty.")})
    if size > LETTER_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {
                "letter": _("The file is %(size)s; at most %(max)d MB is accepted.")
                % {"size": filesizeformat(size), "max": LETTER_MAX_MB}
            }
        )
    kind = content.detect(file, LETTER_TYPES)
    if kind is None:
        raise ValidationError(
            {
                "letter": _("The file's content is not %(types)s.")
                % {"types": ", ".join(FILE_TYPES[k] for k in LETTER_TYPES)}
            }
        )
    if referee.letter:
        referee.letter.delete(save=False)
    referee.letter.save(f"{referee.application_id}-{referee.pk}.{kind}", file, save=False)
    referee.letter_kind, referee.letter_size = kind, size
    referee.received_at = timezone.now()
    _save(referee, THROUGH_LINK)
    return referee
