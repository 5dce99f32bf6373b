"""Read side of calls: what is public, what an officer manages, whose application is whose."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chancery.calls.models import Application, Call, QuestionKind, Referee, Upload
from chancery.directory.models import Person
from chancery.programmes import eligibility
from chancery.programmes.queries import editions_managed_by, facts_read, person_candidate, preview


def open_calls() -> QuerySet[Call]:
    """Published calls whose deadline has not passed, the nearest deadline first."""
    return published_calls().filter(deadline__gt=timezone.now())


def published_calls() -> QuerySet[Call]:
    return Call.objects.filter(published=True).select_related("edition__programme__owner")


def calls_managed_by(user: Any) -> QuerySet[Call]:
    """Calls of the editions the user runs as an officer of the programme's office."""
    return Call.objects.filter(edition__in=editions_managed_by(user)).select_related(
        "edition__programme__owner"
    )


def applications_of(user: Any) -> QuerySet[Application]:
    """The user's own applications."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related("call")


def applications_read_by(user: Any) -> QuerySet[Application]:
    """The user's own, and those to the calls the user manages."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(applicant=user) | Q(call__in=calls_managed_by(user))
    ).select_related("call", "applicant")


def uploads_readable_by(user: Any) -> QuerySet[Upload]:
    """Files of the applications the user may read: the applicant's and the office's officers."""
    return Upload.objects.filter(application__in=applications_read_by(user))


def person_of(application: Application) -> Person | None:
    """The person record an application speaks for: the account's, else the record the call's
    office keeps under the account's (confirmed) e-mail address with no account of its own, so
    an alumnus the office knows is recognised; None for someone the office does not know."""
    user = application.applicant
    if user.person_id is not None:
        return user.person
    if not user.email:
        return None
    return (
        Person.objects.filter(
            owner=application.call.edition.programme.owner,
            email__iexact=user.email,
            user__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def facts_asked(application: Application) -> list[str]:
    """The facts the applicant is asked to state (citizenships, birth_date, class_year): those
    the edition's rules read, when the office keeps no record of the applicant yet."""
    if person_of(application) is not None:
        return []
    return facts_read(application.call.edition)


def eligibility_of(
    application: Application, facts: dict[str, Any] | None = None
) -> eligibility.Decision:
    """The edition's rules applied to the applicant now: to the office's record of them, else
    to the facts stated (``facts`` as the form holds them, else as the draft keeps them)."""
    person = person_of(application)
    if person is not None:
        candidate = person_candidate(person)
    else:
        given = (
            facts
            if facts is not None
            else {
                "citizenships": application.citizenships,
                "birth_date": application.birth_date,
                "class_year": application.class_year,
            }
        )
        candidate = eligibility.Candidate(
            person_id=0,
            citizenships=frozenset(given.get("citizenships") or ()),
            class_year=given.get("class_year"),
            birth_date=given.get("birth_date"),
            graduate_of=frozenset(),
        )
    return preview(application.call.edition, candidate)


def referees_of(application: Application) -> QuerySet[Referee]:
    return application.referees.all()


def files_asked(application: Application) -> list[dict[str, Any]]:
    """The files asked for: required documents and file questions, each with its upload."""
    uploads = list(application.uploads.all())
    items = []
    for document in application.call.documents.all():
        items.append(
            {
                "key": f"document-{document.pk}",
                "label": document.name,
                "required": document.required,
                "field": document.field_name,
                "types": ", ".join(document.types).upper(),
                "max_mb": document.max_mb,
                "upload": next((u for u in uploads if u.document_id == document.pk), None),
            }
        )
    for question in application.call.questions.filter(kind=QuestionKind.FILE):
        items.append(
            {
                "key": f"question-{question.pk}",
                "label": question.label,
                "required": question.required,
                "field": question.field_name,
                "types": "PDF, DOCX, ODT, JPG, PNG",
                "max_mb": 5,
                "upload": next((u for u in uploads if u.question_id == question.pk), None),
            }
        )
    return items


def answers_of(application: Application) -> list[tuple[str, str]]:
    """The answers (file questions apart) as (question, answer) in the reader's language."""
    shown = []
    for question in application.call.questions.exclude(kind=QuestionKind.FILE):
        value = str(application.answers.get(str(question.pk), ""))
        if question.kind == QuestionKind.CHOICE and value.isdigit():
            options = question.options
            value = options[int(value)] if int(value) < len(options) else value
        shown.append((question.label, value))
    return shown


def application_of(enrolment: Any) -> Application | None:
    """The application through which an enrolment came, if it came through a call."""
    return Application.objects.filter(enrolment=enrolment).select_related("call").first()


def standing(application: Application) -> tuple[str, str] | None:
    """Where a submitted application stands, as the applicant reads it: (tag, sentence)."""
    enrolment = application.enrolment
    if enrolment is None:
        return None
    state = enrolment.state
    # The selection (the app above this one) marks who was not selected on its candidacy.
    candidacy = getattr(enrolment, "candidacy", None)
    if state in ("applied", "eligible") and getattr(candidacy, "not_selected_at", None):
        return "bad", _(
            "Not selected: the selection is closed, and your application was not "
            "among those chosen."
        )
    if state in ("applied", "eligible"):
        return "", _("Under review by the selection committee.")
    if state == "ineligible":
        return "bad", _("Not eligible: the application does not meet the programme's conditions.")
    if state == "withdrawn":
        return "", _("Withdrawn.")
    return "good", _(
        "Selected: congratulations. The office will tell you where and when you are placed."
    )
