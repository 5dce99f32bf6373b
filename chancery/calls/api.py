"""Calls and applications over JSON, through the same services and queries as the pages: the
open calls and a call's form, the applicant's draft, files and submission, and the
applications an officer's calls received.

The API answers signed-in callers only (a token or the session), as every operation of the
API does: the open calls are public on the site's pages, not here.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints, model_validator

from chancery.accounts.access import is_officer
from chancery.calls import queries, services
from chancery.calls.forms import ApplicationForm
from chancery.calls.models import Application, Call, Referee, Upload
from chancery.core.access import signed_in
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.schemas import Bounded, Id, unset
from chancery.programmes import wording

router = Router(tags=["calls"])

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Answer = Annotated[str, Bounded(50000)] | int | None


def _call[M: Model](calls: QuerySet[M], slug: str) -> M:
    """The call of that address among those the caller may see, or 404."""
    call = calls.filter(slug=slug).first()
    if call is None:
        raise HttpError(404, _("Not found."))
    return call


# Calls


class QuestionOut(Schema):
    id: int
    kind: str = Field(..., description="short, long, choice, date or file")
    label: str = Field(..., description="In the request's language, else English")
    options: list[str] = Field(
        ..., description="For a choice: answer with the option's number (0 for the first)"
    )
    word_limit: int | None
    required: bool


class DocumentOut(Schema):
    id: int
    name: str = Field(..., description="In the request's language, else English")
    types: list[str] = Field(..., description="File types accepted, read from the content")
    max_mb: int
    required: bool


class CallOut(Schema):
    id: int
    slug: str
    title: str = Field(..., description="In the request's language, else English")
    edition: int = Field(..., alias="edition_id")
    deadline: datetime
    open: bool = Field(..., description="Published and before its deadline")

    @staticmethod
    def resolve_open(obj: Call) -> bool:
        return obj.is_open()


class CallDetailOut(CallOut):
    intro: str
    eligible: str = Field(..., description="Who may apply")
    referees: int = Field(..., description="How many referees an applicant names")
    questions: list[QuestionOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_questions(obj: Call) -> list[Any]:
        return list(obj.questions.all())

    @staticmethod
    def resolve_documents(obj: Call) -> list[Any]:
        return list(obj.documents.all())


@router.get(
    "/calls",
    response=list[CallOut],
    summary="Open calls for applications, the nearest deadline first",
)
@paginate(PagePagination)
def list_calls(request: HttpRequest) -> QuerySet[Call]:
    authorize(request, signed_in)
    return queries.open_calls()


@router.get(
    "/calls/{slug}",
    response=CallDetailOut,
    summary="A published call with its form: questions and documents",
)
def get_call(request: HttpRequest, slug: Slug) -> Call:
    authorize(request, signed_in)
    return _call(queries.published_calls(), slug)


# Applications


class ApplicationSummaryOut(Schema):
    id: int
    call: int = Field(..., alias="call_id")
    call_slug: str
    call_title: str
    applicant: str
    status: str = Field(..., description="draft or submitted")
    given_name: str
    family_name: str
    created_at: datetime
    submitted_at: datetime | None
    enrolment: int | None = Field(
        ..., alias="enrolment_id", description="The edition's enrolment, once submitted"
    )

    @staticmethod
    def resolve_call_slug(obj: Application) -> str:
        return obj.call.slug

    @staticmethod
    def resolve_call_title(obj: Application) -> str:
        return obj.call.title

    @staticmethod
    def resolve_applicant(obj: Application) -> str:
        return str(obj.applicant)


class FileOut(Schema):
    id: int
    document: int | None = Field(..., alias="document_id")
    question: int | None = Field(..., alias="question_id")
    name: str = Field(..., alias="original_name")
    kind: str
    size: int
    uploaded_at: datetime
    url: str = Field(
        ...,
        description="The application page's download of it, for a signed-in "
        "session (the applicant's and the office's)",
    )

    @staticmethod
    def resolve_url(obj: Upload) -> str:
        return reverse("calls:file", args=[obj.application_id, obj.pk])


class MissingOut(Schema):
    field: str = Field(
        ..., description="given_name, family_name, question_<id>, document_<id> or referees"
    )
    msg: str


class RefereeOut(Schema):
    id: int
    name: str
    email: str
    requested_at: datetime | None
    arrived: bool = Field(
        ...,
        description="Whether the letter has arrived (its content is "
        "for the office and its committee only)",
    )


class ApplicationOut(ApplicationSummaryOut):
    answers: dict[str, str] = Field(
        ..., description="By question id; a choice's option number, a date as YYYY-MM-DD"
    )
    facts_asked: list[str] = Field(
        ...,
        description="The facts the edition's rules read that "
        "you are asked to state (citizenships, birth_date, "
        "class_year): none when the office keeps a record of you",
    )
    citizenships: list[str] = Field(..., description="As stated, ISO 3166 alpha-2 codes")
    birth_date: date | None
    class_year: int | None
    referees: list[RefereeOut]
    files: list[FileOut]
    missing: list[MissingOut] = Field(
        ..., description="What submitting still needs (empty once submitted)"
    )

    @staticmethod
    def resolve_answers(obj: Application) -> dict[str, str]:
        return {str(key): str(value) for key, value in obj.answers.items()}

    @staticmethod
    def resolve_files(obj: Application) -> list[Any]:
        return list(obj.uploads.all())

    @staticmethod
    def resolve_facts_asked(obj: Application) -> list[str]:
        return queries.facts_asked(obj)

    @staticmethod
    def resolve_referees(obj: Application) -> list[Any]:
        return list(queries.referees_of(obj))

    @staticmethod
    def resolve_missing(obj: Application) -> list[dict[str, str]]:
        if obj.submitted:
            return []
        return [{"field": field, "msg": msg} for field, msg in services.missing(obj).items()]


class ApplicationPatch(Schema):
    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # As DrawPatch: `[]` would otherwise read as "no changes".
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError(_("The body must be a JSON object with the fields to change."))
        return data

    answers: dict[Id, Answer] = unset(
        max_length=500,
        description="By question id (file questions apart: upload their files); a choice by "
        "its option's number, a date as YYYY-MM-DD; the questions not named keep "
        "their answers",
    )
    given_name: Annotated[str, Bounded(100)] = unset(description="In Latin letters")
    family_name: Annotated[str, Bounded(100)] = unset(description="In Latin letters")
    citizenships: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]] = unset(
        max_length=2, description="The facts asked (facts_asked): ISO 3166 alpha-2 codes"
    )
    birth_date: date | None = None
    class_year: int | None = None


class ApplicationCheckOut(Schema):
    state: str = Field(
        ...,
        description="passed, failed, or pending (a condition about the host, checked at placement)",
    )
    reason: str = Field(..., description="In the request's language")
    code: str = Field(..., description="The eligibility engine's message code")


class EligibilityOut(Schema):
    eligible: bool = Field(..., description="On what can be checked now")
    checks: list[ApplicationCheckOut]


class RefereeIn(Schema):
    name: Annotated[str, Bounded(200)]
    email: Annotated[str, Bounded(254)] = Field(
        ..., description="Checked as an e-mail address (422 otherwise)"
    )


@router.get("/applications", response=list[ApplicationSummaryOut], summary="Your applications")
@paginate(PagePagination)
def list_applications(request: HttpRequest) -> QuerySet[Application]:
    authorize(request, signed_in)
    return queries.applications_of(request.user)


@router.post(
    "/calls/{slug}/applications",
    response={200: ApplicationOut, 201: ApplicationOut},
    summary="Start your application to an open call (201), or get your draft (200)",
)
def start_application(request: HttpRequest, slug: Slug) -> Status[Application]:
    authorize(request, signed_in)
    call = _call(queries.published_calls(), slug)
    own = queries.applications_of(request.user).filter(call=call).first()
    if own is not None:
        return Status(200, own)
    return Status(201, services.start_application(actor=request.user, call=call))


@router.get(
    "/applications/{application_id}",
    response=ApplicationOut,
    summary="An application: yours, or one to a call you manage",
)
def get_application(request: HttpRequest, application_id: Id) -> Application:
    authorize(request, signed_in)
    return get_visible(queries.applications_read_by(request.user), application_id)


def _answers(application: Application, given: dict[int, Any]) -> dict[int, Any]:
    """The answers read as the application page's form reads them (a choice's number, a
    date), refused by field when they cannot be."""
    form = ApplicationForm(
        {f"question_{pk}": "" if value is None else value for pk, value in given.items()},
        application=application,
    )
    asked = {question.pk for question in form.questions}
    for pk in given:
        if pk not in asked:
            if application.call.questions.filter(pk=pk).exists():
                raise ValidationError(
                    {f"question_{pk}": _("This question is answered with a file: upload it.")}
                )
            raise ValidationError({"answers": _("No such record: %(id)s.") % {"id": pk}})
    if not form.is_valid():
        errors = {
            field: problems
            for field, problems in form.errors.as_data().items()
            if field.startswith("question_")
        }
        if errors:
            raise ValidationError(errors)
    return {pk: form.cleaned_data.get(f"question_{pk}") for pk in given}


@router.patch(
    "/applications/{application_id}",
    response=ApplicationOut,
    summary="Save your draft: the answers and names given (nothing is required yet)",
)
def save_draft(request: HttpRequest, application_id: Id, payload: ApplicationPatch) -> Application:
    authorize(request, signed_in)
    application = get_visible(queries.applications_of(request.user), application_id)
    changes = payload.model_dump(exclude_unset=True)
    answers = _answers(application, changes.get("answers") or {})
    facts = None
    if {"citizenships", "birth_date", "class_year"} & set(changes):
        facts = {
            "citizenships": changes.get("citizenships", application.citizenships),
            "birth_date": changes.get("birth_date", application.birth_date),
            "class_year": changes.get("class_year", application.class_year),
        }
    return services.save_draft(
        actor=request.user,
        application=application,
        answers=answers,
        given_name=changes.get("given_name", application.given_name),
        family_name=changes.get("family_name", application.family_name),
        facts=facts,
    )


@router.get(
    "/applications/{application_id}/eligibility",
    response=EligibilityOut,
    summary="Your application's conditions, each met, not met, or waiting for the "
    "placement, on the facts saved (or the office's record of you)",
)
def application_eligibility(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    authorize(request, signed_in)
    application = get_visible(queries.applications_of(request.user), application_id)
    decision = queries.eligibility_of(application)
    return {
        "eligible": decision.eligible,
        "checks": [
            {
                "state": "pending" if check.pending else "passed" if check.passed else "failed",
                "reason": wording.reason(check.message),
                "code": check.message.code,
            }
            for check in decision.checks
        ],
    }


@router.post(
    "/applications/{application_id}/referees",
    response={201: RefereeOut},
    summary="Name a referee of your draft: they are e-mailed a link to upload a "
    "letter without an account",
)
def add_referee(request: HttpRequest, application_id: Id, payload: RefereeIn) -> Status[Referee]:
    authorize(request, signed_in)
    application = get_visible(queries.applications_of(request.user), application_id)
    return Status(
        201,
        services.add_referee(
            actor=request.user, application=application, name=payload.name, email=payload.email
        ),
    )


@router.delete(
    "/applications/{application_id}/referees/{referee_id}",
    response={204: None},
    summary="Take back a referee whose letter has not arrived",
)
def remove_referee(request: HttpRequest, application_id: Id, referee_id: Id) -> Status[None]:
    authorize(request, signed_in)
    application = get_visible(queries.applications_of(request.user), application_id)
    referee = get_visible(queries.referees_of(application), referee_id)
    services.remove_referee(actor=request.user, referee=referee)
    return Status(204, None)


@router.post(
    "/applications/{application_id}/files",
    response={201: FileOut},
    summary="Upload a file for a document or a file question (replacing an earlier "
    "one); its type is read from its content",
)
def upload_file(
    request: HttpRequest,
    application_id: Id,
    file: File[UploadedFile],
    document: Form[Id | None] = None,
    question: Form[Id | None] = None,
) -> Status[Upload]:
    authorize(request, signed_in)
    application = get_visible(queries.applications_of(request.user), application_id)
    if (document is None) == (question is None):
        raise ValidationError(
            {"document": _("Name the document or the file question the file is for (one of them).")}
        )
    call = application.call
    target = (
        {"document": resolve(call.documents.all(), document, "document")}
        if document is not None
        else {"question": resolve(call.questions.filter(kind="file"), question, "question")}
    )
    return Status(
        201, services.upload_file(actor=request.user, application=application, file=file, **target)
    )


@router.post(
    "/applications/{application_id}/submit",
    response=ApplicationOut,
    summary="Submit your application before the deadline; what is missing is "
    "refused by field (422)",
)
def submit(request: HttpRequest, application_id: Id) -> Application:
    authorize(request, signed_in)
    application = get_visible(queries.applications_of(request.user), application_id)
    return services.submit(actor=request.user, application=application)


@router.get(
    "/calls/{slug}/applications",
    response=list[ApplicationSummaryOut],
    summary="The applications to a call you manage",
)
@paginate(PagePagination)
def call_applications(request: HttpRequest, slug: Slug) -> QuerySet[Application]:
    authorize(request, is_officer)
    call = _call(queries.calls_managed_by(request.user), slug)
    return queries.applications_read_by(request.user).filter(call=call)
