"""Programmes, editions and the enrolment lifecycle over JSON, through the same services."""

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chancery.accounts.access import (
    is_officer,
    is_participant,
    is_supervisor,
    reads_office,
)
from chancery.core.access import signed_in
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.schemas import Bounded, Id, Resolver, text_of
from chancery.directory.models import Organisation, Person
from chancery.directory.queries import offices_of, people_editable_by
from chancery.programmes import queries, services, wording
from chancery.programmes.models import Edition, Enrolment, EnrolmentState, Placement, Programme

router = Router(tags=["programmes"])
States = Literal[
    "applied", "eligible", "ineligible", "selected", "placed", "active", "completed", "withdrawn"
]


class ProgrammeIn(Schema):
    name_en: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    name_ru: Annotated[str, Bounded(200)] = ""
    name_kk: Annotated[str, Bounded(200)] = ""
    kind: Literal["internship", "training", "outreach"]
    default_duration_months: int = Field(3, ge=1, le=120)
    description: Annotated[str, Bounded(10000)] = Field("", description="In English")
    description_ru: Annotated[str, Bounded(10000)] = ""
    description_kk: Annotated[str, Bounded(10000)] = ""
    owner: Id | None = Field(None, description="Office running it; default: yours")


class ProgrammeOut(Schema):
    id: int
    name: str = Field(..., description="In the request's language, else English, else any")
    name_en: str
    name_ru: str
    name_kk: str
    kind: str
    owner: int = Field(..., alias="owner_id")
    default_duration_months: int
    description: str = Field(..., description="In English")
    description_ru: str
    description_kk: str

    resolve_name_ru: ClassVar[Resolver] = text_of("name_ru")
    resolve_name_kk: ClassVar[Resolver] = text_of("name_kk")
    resolve_description: ClassVar[Resolver] = text_of("description_en")
    resolve_description_ru: ClassVar[Resolver] = text_of("description_ru")
    resolve_description_kk: ClassVar[Resolver] = text_of("description_kk")


class RuleIn(Schema):
    kind: Annotated[str, Bounded(40)] = Field(..., min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    label: Annotated[str, Bounded(300)] = ""


class RuleOut(Schema):
    id: int
    kind: str
    params: dict[str, Any]
    label: str
    retired_on: date | None
    sentence: str = Field("", description="What the rule asks, in the request's language")

    @staticmethod
    def resolve_sentence(obj: Any) -> str:
        return wording.rule_sentence(obj.kind, obj.params)


class EditionIn(Schema):
    programme: Id
    name: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    year: int = Field(..., ge=1990, le=2100)
    starts_on: date | None = None
    ends_on: date | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    applications_open: date | None = None
    applications_close: date | None = None


class EditionOut(Schema):
    id: int
    programme: int = Field(..., alias="programme_id")
    name: str
    year: int
    starts_on: date | None
    ends_on: date | None
    capacity: int | None
    applications_open: date | None
    applications_close: date | None


class EnrolmentIn(Schema):
    edition: Id
    person: Id | None = Field(None, description="Default: your own person record")
    motivation: Annotated[str, Bounded(5000)] = ""
    preferred_host: Id | None = None


class CheckOut(Schema):
    rule: str
    passed: bool
    pending: bool = Field(
        False,
        description="A host rule before any host is known: it passes "
        "for now and is checked at placement",
    )
    reason: str = Field(..., description="Why, in the request's language")
    code: str = Field(
        "",
        description="What the reason says, for a program: the eligibility "
        "engine's message code (its values are in params)",
    )
    params: dict[str, Any] = Field(default_factory=dict)

    @staticmethod
    def resolve_reason(obj: dict[str, Any]) -> str:
        return wording.stored_check(obj)

    @staticmethod
    def resolve_code(obj: dict[str, Any]) -> str:
        return str((obj.get("message") or {}).get("code", ""))

    @staticmethod
    def resolve_params(obj: dict[str, Any]) -> dict[str, Any]:
        return dict((obj.get("message") or {}).get("params") or {})


class EnrolmentOut(Schema):
    id: int
    edition: int = Field(..., alias="edition_id")
    person: int = Field(..., alias="person_id")
    state: str
    state_reason: str
    eligibility: list[CheckOut]
    override_reason: str
    applied_on: date | None
    completed_on: date | None
    version: int = Field(
        ...,
        description="Send it back with a change: a change made by "
        "someone else since is refused with 409",
    )

    @staticmethod
    def resolve_version(obj: Enrolment) -> int:
        annotated = getattr(obj, "latest_version", None)
        return services.current_version(obj) if annotated is None else int(annotated)


class ConflictOut(Schema):
    detail: str


class EnrolmentFilter(Schema):
    edition: Id | None = None
    state: States | None = None


VERSION = Field(
    None, ge=0, le=2**63 - 1, description="The enrolment's version you read; omitted: no check"
)


class TransitionIn(Schema):
    target: States
    reason: Annotated[str, Bounded(2000)] = ""
    version: int | None = VERSION


class PlacementIn(Schema):
    host: Id
    department: Id | None = None
    supervisor: Id | None = None
    start: date
    end: date | None = None
    version: int | None = VERSION


class PlacementOut(Schema):
    id: int
    enrolment: int = Field(..., alias="enrolment_id")
    host: int = Field(..., alias="host_id")
    department: int | None = Field(None, alias="department_id")
    supervisor: int | None = Field(None, alias="supervisor_id")
    start: date
    end: date
    status: str


class EvaluationIn(Schema):
    scores: dict[Annotated[str, Bounded(20)], int]
    comment: Annotated[str, Bounded(5000)] = ""


class EvaluationOut(Schema):
    id: int
    scores: dict[str, int]
    comment: str
    evaluated_on: date


class CertificateOut(Schema):
    code: str
    issued_on: date
    revoked_on: date | None


class YearCount(Schema):
    year: int
    count: int


class LabelCount(Schema):
    label: str
    count: int


class Withdrawal(Schema):
    person: str
    reason: str


class ReportOut(Schema):
    completions_by_year: list[YearCount]
    cumulative_by_year: list[YearCount]
    by_citizenship: list[LabelCount]
    by_host: list[LabelCount]
    active_now: int
    withdrawals: list[Withdrawal]
    pipeline: dict[str, int]


@router.get("/programmes", response=list[ProgrammeOut], summary="List programmes")
@paginate(PagePagination)
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    authorize(request, signed_in)
    return queries.programmes_visible_to(request.user)


@router.post("/programmes", response={201: ProgrammeOut}, summary="Create a programme")
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[Programme]:
    authorize(request, is_officer)
    data = payload.model_dump()
    owner_id = data.pop("owner")
    offices = offices_of(request.user)
    owner = offices.first() if owner_id is None else resolve(offices, owner_id, "owner")
    if owner is None:
        raise ValidationError({"owner": _("You are not an officer of any office.")})
    return Status(201, services.create_programme(actor=request.user, owner=owner, **data))


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="One programme")
def get_programme(request: HttpRequest, programme_id: Id) -> Programme:
    authorize(request, signed_in)
    return get_visible(queries.programmes_visible_to(request.user), programme_id)


@router.get(
    "/programmes/{programme_id}/rules",
    response=list[RuleOut],
    summary="A programme's eligibility rules",
)
def list_rules(request: HttpRequest, programme_id: Id) -> Any:
    authorize(request, reads_office)
    return get_visible(
        queries.programmes_read_by(request.user), programme_id
    ).eligibility_rules.all()


@router.post(
    "/programmes/{programme_id}/rules", response={201: RuleOut}, summary="Add an eligibility rule"
)
def add_rule(request: HttpRequest, programme_id: Id, payload: RuleIn) -> Status[Any]:
    authorize(request, is_officer)
    programme = get_visible(queries.programmes_managed_by(request.user), programme_id)
    return Status(
        201, services.add_rule(actor=request.user, programme=programme, **payload.model_dump())
    )


class RulePatch(Schema):
    params: dict[str, Any]
    label: Annotated[str, Bounded(300)] | None = None  # None: the label stays


@router.patch(
    "/programmes/{programme_id}/rules/{rule_id}",
    response=RuleOut,
    summary="Change a rule's parameters or wording",
)
def update_rule(request: HttpRequest, programme_id: Id, rule_id: Id, payload: RulePatch) -> Any:
    authorize(request, is_officer)
    programme = get_visible(queries.programmes_managed_by(request.user), programme_id)
    rule = get_visible(programme.eligibility_rules.filter(retired_on__isnull=True), rule_id)
    return services.update_rule(
        actor=request.user, rule=rule, params=payload.params, label=payload.label
    )


@router.post(
    "/programmes/{programme_id}/rules/{rule_id}/retire",
    response=RuleOut,
    summary="Retire a rule from today on",
)
def retire_rule(request: HttpRequest, programme_id: Id, rule_id: Id) -> Any:
    authorize(request, is_officer)
    programme = get_visible(queries.programmes_managed_by(request.user), programme_id)
    rule = get_visible(programme.eligibility_rules.filter(retired_on__isnull=True), rule_id)
    return services.retire_rule(actor=request.user, rule=rule)


@router.get(
    "/programmes/{programme_id}/report",
    response=ReportOut,
    summary="Completions, citizenships, hosts, pipeline",
)
def programme_report(request: HttpRequest, programme_id: Id) -> Any:
    authorize(request, reads_office)
    programme = get_visible(queries.programmes_read_by(request.user), programme_id)
    report = queries.programme_report(programme)
    return {
        "completions_by_year": [{"year": y, "count": n} for y, n in report.completions_by_year],
        "cumulative_by_year": [{"year": y, "count": n} for y, n in report.cumulative_by_year],
        "by_citizenship": [{"label": k, "count": n} for k, n in report.by_citizenship],
        "by_host": [{"label": k, "count": n} for k, n in report.by_host],
        "active_now": report.active_now,
        "withdrawals": [{"person": p, "reason": r} for p, r in report.withdrawals],
        "pipeline": report.pipeline,
    }


@router.get("/editions", response=list[EditionOut], summary="List editions")
@paginate(PagePagination)
def list_editions(request: HttpRequest, programme: Id | None = None) -> QuerySet[Edition]:
    authorize(request, signed_in)
    editions = Edition.objects.order_by("-year", "id")
    return editions.filter(programme_id=programme) if programme else editions


@router.post("/editions", response={201: EditionOut}, summary="Open an edition")
def create_edition(request: HttpRequest, payload: EditionIn) -> Status[Edition]:
    authorize(request, is_officer)
    data = payload.model_dump()
    programme = resolve(
        queries.programmes_managed_by(request.user), data.pop("programme"), "programme"
    )
    return Status(201, services.create_edition(actor=request.user, programme=programme, **data))


@router.get("/enrolments", response=list[EnrolmentOut], summary="List enrolments you may see")
@paginate(PagePagination)
def list_enrolments(request: HttpRequest, filters: Query[EnrolmentFilter]) -> Any:
    authorize(request, signed_in)
    enrolments = queries.enrolments_visible_to(request.user).order_by("id")
    if filters.edition is not None:
        enrolments = enrolments.filter(edition_id=filters.edition)
    if filters.state is not None:
        enrolments = enrolments.filter(state=filters.state)
    latest = Enrolment.history.filter(id=OuterRef("pk")).order_by("-history_id")
    return enrolments.annotate(
        latest_version=Coalesce(Subquery(latest.values("history_id")[:1]), 0)
    )


def _conflict(error: ValidationError) -> HttpError:
    return HttpError(409, " ".join(error.message_dict["version"]))


@router.post(
    "/enrolments",
    response={201: EnrolmentOut},
    summary="Apply (for yourself) or enrol a person (officers)",
)
def apply(request: HttpRequest, payload: EnrolmentIn) -> Status[Enrolment]:
    user: Any = request.user
    own = payload.person is None or (payload.person == user.person_id and is_participant(user))
    if own:
        # The apply page's rule: a participant, for themselves, to an edition taking
        # applications today.
        authorize(request, is_participant)
        person = resolve(Person.objects.filter(user=user), user.person_id or 0, "person")
        editions = queries.editions_open_to(user, timezone.localdate())
    else:
        # The edition page's enrol form: an officer, a person of their office, an edition of
        # a programme they run.
        authorize(request, is_officer)
        person = resolve(people_editable_by(user), payload.person, "person")
        editions = queries.editions_managed_by(user)
    edition = resolve(editions, payload.edition, "edition")
    host = (
        resolve(queries.preferred_hosts(), payload.preferred_host, "preferred_host")
        if payload.preferred_host
        else None
    )
    return Status(
        201,
        services.apply(
            actor=user,
            edition=edition,
            person=person,
            motivation=payload.motivation,
            preferred_host=host,
        ),
    )


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, summary="One enrolment")
def get_enrolment(request: HttpRequest, enrolment_id: Id) -> Enrolment:
    authorize(request, signed_in)
    return get_visible(queries.enrolments_visible_to(request.user), enrolment_id)


@router.post(
    "/enrolments/{enrolment_id}/transition",
    response={200: EnrolmentOut, 409: ConflictOut},
    summary="Move an enrolment to another state (refused when not allowed)",
)
def transition(request: HttpRequest, enrolment_id: Id, payload: TransitionIn) -> Enrolment:
    authorize(request, is_officer)
    enrolment = get_visible(queries.enrolments_managed_by(request.user), enrolment_id)
    try:
        return services.change_state(
            actor=request.user,
            enrolment=enrolment,
            target=EnrolmentState(payload.target),
            reason=payload.reason,
            version=payload.version,
        )
    except ValidationError as error:
        raise _conflict(error) if services.is_conflict(error) else error from None


@router.post(
    "/enrolments/{enrolment_id}/placements",
    response={201: PlacementOut, 409: ConflictOut},
    summary="Place a selected participant",
)
def place(request: HttpRequest, enrolment_id: Id, payload: PlacementIn) -> Status[Placement]:
    authorize(request, is_officer)
    enrolment = get_visible(queries.enrolments_managed_by(request.user), enrolment_id)
    organisations = Organisation.objects.all()
    try:
        placement = services.place(
            actor=request.user,
            enrolment=enrolment,
            start=payload.start,
            end=payload.end,
            host=resolve(organisations, payload.host, "host"),
            department=resolve(organisations, payload.department, "department")
            if payload.department
            else None,
            supervisor=resolve(Person.objects.all(), payload.supervisor, "supervisor")
            if payload.supervisor
            else None,
            version=payload.version,
        )
    except ValidationError as error:
        raise _conflict(error) if services.is_conflict(error) else error from None
    return Status(201, placement)


@router.post(
    "/placements/{placement_id}/evaluation",
    response={201: EvaluationOut},
    summary="The supervisor evaluates a placement",
)
def evaluate(request: HttpRequest, placement_id: Id, payload: EvaluationIn) -> Status[Any]:
    authorize(request, is_supervisor)
    placement = get_visible(queries.placements_supervised_by(request.user), placement_id)
    user: Any = request.user
    return Status(
        201,
        services.evaluate(
            actor=user,
            placement=placement,
            evaluator=user.person,
            scores=payload.scores,
            comment=payload.comment,
        ),
    )


@router.post(
    "/enrolments/{enrolment_id}/certificate",
    response={201: CertificateOut},
    summary="Issue the certificate of a completed enrolment",
)
def certificate(request: HttpRequest, enrolment_id: Id) -> Status[Any]:
    authorize(request, is_officer)
    enrolment = get_visible(queries.enrolments_managed_by(request.user), enrolment_id)
    return Status(201, services.issue_certificate(actor=request.user, enrolment=enrolment))
