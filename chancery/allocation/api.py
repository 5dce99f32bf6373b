"""Allocation rounds over JSON, through the same services as the pages.

A round of kind "countries" allocates an outreach edition's schools to Model UN countries:
its coordinators put their school's ranked countries, officers run and commit it, and the
committed assignments are read per edition.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chancery.accounts.access import is_officer, reads_office
from chancery.allocation import queries, services
from chancery.allocation.models import CountryAssignment, Round, RoundKind
from chancery.core.access import signed_in
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.schemas import Bounded, Id
from chancery.directory.models import Organisation
from chancery.draws.models import Draw
from chancery.programmes.models import Edition, Enrolment
from chancery.programmes.queries import programmes_managed_by, programmes_read_by

router = Router(tags=["allocation"])


class RoundIn(Schema):
    edition: Id
    title: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    kind: Literal["enrolments", "countries"] = Field(
        "enrolments",
        description="enrolments: selected applicants to hosts; countries: an "
        "outreach edition's schools to Model UN countries",
    )
    side: Literal["applicants", "hosts"] = "applicants"
    start: date | None = None
    tie_break_draw: Id | None = Field(None, description="A conducted ordering draw")
    priority_rule: Literal["draw", "recent_class", "early_class"] = "draw"


class StatisticsOut(Schema):
    applicants: int
    placed: int
    unplaced: int
    seats: int
    first_choice: int
    top3: int
    share_first_choice: float
    share_top3: float
    choice_counts: list[int]


class HostOut(Schema):
    id: int
    organisation: int | None = Field(None, alias="organisation_id")
    country: str | None = Field(None, alias="country_id", description="ISO alpha-2 code")
    capacity: int


class RoundOut(Schema):
    id: int
    edition: int = Field(..., alias="edition_id")
    title: str
    kind: str
    side: str
    status: str
    priority_rule: str
    tie_break_draw: int | None = Field(None, alias="tie_break_draw_id")
    start: date | None
    committed_at: datetime | None
    assignment: dict[str, str | None] | None = Field(
        None,
        description="Enrolment id (school id in a round of countries) -> round host id "
        "(null: not placed)",
    )
    statistics: StatisticsOut | None = None
    hosts: list[HostOut]

    @staticmethod
    def resolve_hosts(obj: Round) -> Any:
        return list(obj.hosts.all())

    @staticmethod
    def resolve_assignment(obj: Round) -> Any:
        return obj.result["assignment"] if obj.result else None

    @staticmethod
    def resolve_statistics(obj: Round) -> Any:
        return obj.result["statistics"] if obj.result else None


class ReasonOut(Schema):
    host: str
    choice: int
    reason: str
    message: str


class ExplanationOut(Schema):
    enrolment: int | None = None
    school: int | None = None
    host: str | None
    choice: int | None
    headline: str
    reasons: list[ReasonOut]


@router.get("/rounds", response=list[RoundOut], summary="List allocation rounds")
@paginate(PagePagination)
def list_rounds(request: HttpRequest, edition: Id | None = None) -> QuerySet[Round]:
    authorize(request, reads_office)
    rounds = queries.rounds_read_by(request.user).order_by("id").prefetch_related("hosts")
    return rounds.filter(edition_id=edition) if edition else rounds


@router.post("/rounds", response={201: RoundOut}, summary="Open an allocation round")
def create_round(request: HttpRequest, payload: RoundIn) -> Status[Round]:
    authorize(request, is_officer)
    edition = resolve(
        Edition.objects.filter(programme__in=programmes_managed_by(request.user)),
        payload.edition,
        "edition",
    )
    draw = (
        resolve(Draw.objects.filter(edition=edition), payload.tie_break_draw, "tie_break_draw")
        if payload.tie_break_draw
        else None
    )
    return Status(
        201,
        services.create_round(
            actor=request.user,
            edition=edition,
            title=payload.title,
            side=payload.side,
            start=payload.start,
            tie_break_draw=draw,
            priority_rule=payload.priority_rule,
            kind=payload.kind,
        ),
    )


@router.get("/rounds/{round_id}", response=RoundOut, summary="One allocation round")
def get_round(request: HttpRequest, round_id: Id) -> Round:
    authorize(request, reads_office)
    return get_visible(queries.rounds_read_by(request.user), round_id)


@router.post(
    "/rounds/{round_id}/run",
    response=RoundOut,
    summary="Compute the stable allocation as a preview",
)
def run_round(request: HttpRequest, round_id: Id) -> Round:
    authorize(request, is_officer)
    round = get_visible(queries.rounds_managed_by(request.user), round_id)
    return services.run_round(actor=request.user, round=round)


@router.post(
    "/rounds/{round_id}/commit",
    response=RoundOut,
    summary="Place every assigned applicant (all or nothing)",
)
def commit_round(request: HttpRequest, round_id: Id) -> Round:
    authorize(request, is_officer)
    round = get_visible(queries.rounds_managed_by(request.user), round_id)
    return services.commit_round(actor=request.user, round=round)


@router.post(
    "/rounds/{round_id}/rollback",
    response=RoundOut,
    summary="Cancel the round's placements, as a whole",
)
def rollback_round(request: HttpRequest, round_id: Id) -> Round:
    authorize(request, is_officer)
    round = get_visible(queries.rounds_managed_by(request.user), round_id)
    return services.rollback_round(actor=request.user, round=round)


@router.get(
    "/rounds/{round_id}/explanations/{enrolment_id}",
    response=ExplanationOut,
    summary="Why an applicant got what they got",
)
def get_explanation(request: HttpRequest, round_id: Id, enrolment_id: Id) -> dict[str, Any]:
    authorize(request, signed_in)
    round = get_visible(Round.objects.all(), round_id)
    enrolment = get_visible(
        Enrolment.objects.select_related("person").filter(edition_id=round.edition_id), enrolment_id
    )
    if not queries.explanation_visible_to(request.user, round, enrolment):
        raise HttpError(404, _("Not found."))
    view = queries.explanation(round, enrolment)
    if view is None:
        raise HttpError(404, _("Not found."))
    return _explained(view, enrolment=enrolment.pk)


def _explained(view: queries.ExplanationView, **who: int) -> dict[str, Any]:
    return {
        **who,
        "host": view.host,
        "choice": view.choice,
        "headline": view.headline,
        "reasons": [
            {"host": r.host, "choice": r.choice, "reason": r.kind, "message": r.text}
            for r in view.reasons
        ],
    }


# Rounds of countries


class SchoolChoicesIn(Schema):
    countries: list[Annotated[str, Bounded(3)]] = Field(
        ..., max_length=300, description="ISO alpha-2 codes of the round's countries, best first"
    )


class SchoolChoicesOut(Schema):
    school: int
    countries: list[str]


class CountryAssignmentOut(Schema):
    school: int = Field(..., alias="school_id")
    country: str = Field(..., alias="country_id", description="ISO alpha-2 code")
    round: int = Field(..., alias="round_id")


def _country_round(round_id: int) -> Round:
    return get_visible(Round.objects.filter(kind=RoundKind.COUNTRIES), round_id)


def _may_rank_for(request: HttpRequest, round: Round, school_id: int) -> Organisation:
    if any(
        school.pk == school_id for school in queries.schools_coordinated_by(request.user, round)
    ):
        return Organisation.objects.get(pk=school_id)
    if queries.rounds_managed_by(request.user).filter(pk=round.pk).exists():
        school = get_visible(Organisation.objects.all(), school_id)
        if services.participation_of(round, school) is not None:
            return school
    raise HttpError(404, _("Not found."))


@router.put(
    "/rounds/{round_id}/schools/{school_id}/choices",
    response=SchoolChoicesOut,
    summary="A school's ranked Model UN countries (its coordinator or an officer)",
)
def put_school_choices(
    request: HttpRequest, round_id: Id, school_id: Id, payload: SchoolChoicesIn
) -> dict[str, Any]:
    authorize(request, signed_in)
    round = _country_round(round_id)
    school = _may_rank_for(request, round, school_id)
    hosts = {host.country_id: host for host in round.hosts.filter(country__isnull=False)}
    picked = []
    for code in payload.countries:
        host = hosts.get(code.upper())
        if host is None:
            raise ValidationError(
                {"countries": _("%(code)s is no country of this round.") % {"code": code}}
            )
        picked.append(host)
    services.set_school_preferences(actor=request.user, round=round, school=school, hosts=picked)
    return {"school": school.pk, "countries": [host.country_id for host in picked]}


@router.get(
    "/rounds/{round_id}/schools/{school_id}/explanation",
    response=ExplanationOut,
    summary="Why a school got its Model UN country",
)
def get_school_explanation(request: HttpRequest, round_id: Id, school_id: Id) -> dict[str, Any]:
    authorize(request, signed_in)
    round = _country_round(round_id)
    school = get_visible(Organisation.objects.all(), school_id)
    if not queries.school_explanation_visible_to(request.user, round, school):
        raise HttpError(404, _("Not found."))
    view = queries.school_explanation(round, school)
    if view is None:
        raise HttpError(404, _("Not found."))
    return _explained(view, school=school.pk)


@router.get(
    "/editions/{edition_id}/country-assignments",
    response=list[CountryAssignmentOut],
    summary="Schools' Model UN countries from the edition's committed round",
)
def list_country_assignments(request: HttpRequest, edition_id: Id) -> QuerySet[CountryAssignment]:
    authorize(request, reads_office)
    edition = get_visible(
        Edition.objects.filter(programme__in=programmes_read_by(request.user)), edition_id
    )
    return CountryAssignment.objects.filter(edition=edition).order_by("school_id")
