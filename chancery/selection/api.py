"""The selection over JSON, through the same services and queries as the pages: a reviewer's
reviews and scores; for an edition's officers, its committee (scale, reviewers, rubric,
assignment), its ranking and the decisions on it (shortlist, interview, tie-break, select)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chancery.accounts.access import is_officer, reviews_applications
from chancery.accounts.models import User
from chancery.core.api_support import PagePagination, authorize, get_visible
from chancery.core.pagination import MAX_PAGE, page_of
from chancery.core.schemas import Bounded, Id
from chancery.programmes.models import Edition
from chancery.programmes.queries import editions_managed_by
from chancery.selection import queries, services
from chancery.selection.models import Assignment, Candidacy, Panel, Reviewer

router = Router(tags=["selection"])


class ScoreOut(Schema):
    criterion: int = Field(..., alias="criterion_id")
    criterion_name: str
    value: int
    comment: str

    @staticmethod
    def resolve_criterion_name(obj: Any) -> str:
        return str(obj.criterion.name)


class ReviewOut(Schema):
    id: int
    enrolment: int
    applicant: str
    edition: int
    submitted_at: datetime | None
    weighted: Decimal | None
    comment: str
    scores: list[ScoreOut] = Field(..., description="Your scores, once submitted")

    @staticmethod
    def resolve_enrolment(obj: Assignment) -> int:
        return obj.candidacy.enrolment_id

    @staticmethod
    def resolve_applicant(obj: Assignment) -> str:
        return str(obj.candidacy.enrolment.person)

    @staticmethod
    def resolve_edition(obj: Assignment) -> int:
        return obj.candidacy.panel.edition_id

    @staticmethod
    def resolve_scores(obj: Assignment) -> list[Any]:
        return list(obj.scores.select_related("criterion")) if obj.submitted_at else []


class OtherReviewOut(Schema):
    reviewer: str
    weighted: Decimal | None
    comment: str
    scores: list[ScoreOut]

    @staticmethod
    def resolve_reviewer(obj: Assignment) -> str:
        return str(obj.reviewer)

    @staticmethod
    def resolve_scores(obj: Assignment) -> list[Any]:
        return list(obj.scores.all())


class ScoreIn(Schema):
    criterion: Id
    value: int
    comment: Annotated[str, Bounded(5000)] = ""


class ReviewIn(Schema):
    scores: list[ScoreIn] = Field(..., description="One score per criterion of the rubric")
    comment: Annotated[str, Bounded(10000)] = ""


class ConflictIn(Schema):
    reason: Annotated[str, Bounded(2000)] = Field(..., min_length=1)


class RankingRowOut(Schema):
    rank: int
    candidacy: int = Field(..., alias="pk")
    enrolment: int = Field(..., alias="enrolment_id")
    applicant: str
    state: str
    score: Decimal | None = Field(..., description="Mean of the submitted weighted scores")
    spread: Decimal = Field(..., description="Highest minus lowest submitted weighted score")
    disagreement: bool = Field(..., description="The spread reaches the committee's threshold")
    submitted: int
    assigned: int
    shortlisted: bool
    interview_score: Decimal | None
    tie_break: int | None = Field(..., description="Place in the tie-break draw, if applied")

    @staticmethod
    def resolve_applicant(obj: Any) -> str:
        return str(obj.enrolment.person)

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return str(obj.enrolment.state)


@router.get("/selection/reviews", response=list[ReviewOut], summary="The reviews assigned to you")
@paginate(PagePagination)
def list_reviews(request: HttpRequest) -> Any:
    authorize(request, reviews_applications)
    return queries.reviews_of(request.user)


@router.get("/selection/reviews/{review_id}", response=ReviewOut, summary="One of your reviews")
def get_review(request: HttpRequest, review_id: Id) -> Assignment:
    authorize(request, reviews_applications)
    return get_visible(queries.reviews_of(request.user), review_id)


@router.get(
    "/selection/reviews/{review_id}/others",
    response=list[OtherReviewOut],
    summary="The other reviewers' submitted scores: empty until you submit yours",
)
def other_reviews(request: HttpRequest, review_id: Id) -> list[Assignment]:
    authorize(request, reviews_applications)
    return queries.other_scores(get_visible(queries.reviews_of(request.user), review_id))


@router.post(
    "/selection/reviews/{review_id}/submit",
    response=ReviewOut,
    summary="Score every criterion and submit the review (once)",
)
def submit_review(request: HttpRequest, review_id: Id, payload: ReviewIn) -> Assignment:
    authorize(request, reviews_applications)
    assignment = get_visible(queries.reviews_of(request.user), review_id)
    return services.submit_review(
        actor=request.user,
        assignment=assignment,
        comment=payload.comment,
        scores={s.criterion: (s.value, s.comment) for s in payload.scores},
    )


@router.post(
    "/selection/reviews/{review_id}/conflict",
    response={204: None},
    summary="Declare a conflict of interest: the review is no longer yours",
)
def declare_conflict(request: HttpRequest, review_id: Id, payload: ConflictIn) -> Any:
    authorize(request, reviews_applications)
    assignment = get_visible(queries.reviews_of(request.user), review_id)
    services.declare_conflict(actor=request.user, assignment=assignment, reason=payload.reason)
    return Status(204, None)


class RankingOut(Schema):
    items: list[RankingRowOut]
    count: int
    page: int
    pages: int


@router.get(
    "/selection/editions/{edition_id}/ranking",
    response=RankingOut,
    summary="An edition's ranking: weighted scores, spread, reviews; best first",
)
def ranking(
    request: HttpRequest,
    edition_id: Id,
    shortlisted: bool = False,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    authorize(request, is_officer)
    panel = queries.panels_managed_by(request.user).filter(edition_id=edition_id).first()
    if panel is None:
        raise HttpError(404, _("Not found."))
    cut = page_of(queries.ranking(panel, shortlisted_only=shortlisted), page, page_size)
    items = queries.with_records(cut.items, (cut.number - 1) * page_size + 1)
    for item in items:
        item.disagreement = queries.is_disagreement(item, panel)  # type: ignore[attr-defined]
    return {"items": items, "count": cut.count, "page": cut.number, "pages": cut.num_pages}


# The officer's committee: its scale, reviewers, rubric and assignment


class ReviewerOut(Schema):
    id: int
    user: int = Field(..., alias="user_id")
    username: str
    name: str

    @staticmethod
    def resolve_username(obj: Reviewer) -> str:
        return str(obj.user.username)

    @staticmethod
    def resolve_name(obj: Reviewer) -> str:
        return str(obj)


class CriterionOut(Schema):
    id: int
    name: str = Field(..., description="In the request's language, else English")
    name_en: str
    name_ru: str
    name_kk: str
    weight: int
    position: int


class PanelOut(Schema):
    id: int
    edition: int = Field(..., alias="edition_id")
    scale_min: int
    scale_max: int
    disagreement: Decimal
    tie_break_draw: int | None = Field(..., alias="tie_break_draw_id")
    closed_at: datetime | None = Field(
        ..., description="When the selection closed: its decisions are final"
    )
    reviewers: list[ReviewerOut]
    criteria: list[CriterionOut]
    assigned: int = Field(..., description="Reviews assigned")
    submitted: int = Field(..., description="Reviews submitted")

    @staticmethod
    def resolve_reviewers(obj: Panel) -> list[Any]:
        return list(obj.reviewers.select_related("user"))

    @staticmethod
    def resolve_criteria(obj: Panel) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_assigned(obj: Panel) -> int:
        return queries.panel_figures(obj)["assigned"]

    @staticmethod
    def resolve_submitted(obj: Panel) -> int:
        return queries.panel_figures(obj)["submitted"]


class PanelIn(Schema):
    scale_min: int = Field(1, ge=0, le=32767, description="The lowest score")
    scale_max: int = Field(5, ge=0, le=32767, description="The highest score")
    disagreement: Decimal = Field(
        Decimal(2),
        ge=0,
        max_digits=4,
        decimal_places=2,
        description="Flag an application whose weighted scores differ by this much or more",
    )


class ReviewerIn(Schema):
    username: Annotated[str, Bounded(150)] = Field(
        ..., min_length=1, description="The account to seat"
    )


class CriterionIn(Schema):
    name_en: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    name_ru: Annotated[str, Bounded(200)] = ""
    name_kk: Annotated[str, Bounded(200)] = ""
    weight: int = Field(1, ge=1, le=32767)


class AssignIn(Schema):
    per_application: int | None = Field(
        None,
        ge=1,
        le=10000,
        description="Reviewers per application; null: every reviewer reads every one",
    )


class AssignedOut(Schema):
    assigned: int = Field(..., description="Reviews assigned now")


class CandidacyOut(Schema):
    candidacy: int = Field(..., alias="pk")
    enrolment: int = Field(..., alias="enrolment_id")
    applicant: str
    state: str
    shortlisted: bool
    interview_score: Decimal | None
    interview_scores: dict[str, int] = Field(
        ..., description="The interview's scores by criterion id"
    )
    interview_comment: str
    tie_break: int | None
    not_selected_at: datetime | None = Field(
        ..., description="When the selection closed without it (the applicant told)"
    )

    @staticmethod
    def resolve_interview_scores(obj: Candidacy) -> dict[str, int]:
        return {str(key): int(value) for key, value in (obj.interview_scores or {}).items()}

    @staticmethod
    def resolve_applicant(obj: Candidacy) -> str:
        return str(obj.enrolment.person)

    @staticmethod
    def resolve_state(obj: Candidacy) -> str:
        return str(obj.enrolment.state)


class ShortlistIn(Schema):
    shortlisted: bool = Field(True, description="false: take it off the shortlist")


class InterviewScoreIn(Schema):
    criterion: Id
    value: int = Field(..., ge=0, le=32767)


class InterviewIn(Schema):
    scores: list[InterviewScoreIn] | None = Field(
        None,
        max_length=1000,
        description="One score per criterion of the rubric (as the interview page records "
        "it); their weighted mean is the interview score",
    )
    score: Decimal | None = Field(
        None,
        ge=0,
        max_digits=5,
        decimal_places=2,
        description="Or one overall score, on the committee's scale",
    )
    comment: Annotated[str, Bounded(10000)] = ""


class CloseIn(Schema):
    confirm: bool = Field(
        ...,
        description="true: every application still under review is "
        "told it was not selected; this cannot be undone",
    )


class ClosedOut(Schema):
    told: int = Field(..., description="Applicants told they were not selected")


class TieBreakOut(Schema):
    draw: int = Field(..., description="The conducted ordering draw applied")
    placed: int = Field(..., description="Applications given a place by it")


class DrawPreparedOut(Schema):
    draw: int = Field(..., description="The draft ordering draw: announce, then conduct it")


def _edition(request: HttpRequest, edition_id: int) -> Edition:
    """An edition the officer runs (selection/views.py's rule), else 404."""
    authorize(request, is_officer)
    return get_visible(editions_managed_by(request.user), edition_id)


def _panel(request: HttpRequest, edition_id: int) -> Panel:
    panel = Panel.objects.filter(edition=_edition(request, edition_id)).first()
    if panel is None:
        raise HttpError(404, _("Not found."))
    return panel


def _candidacy(request: HttpRequest, edition_id: int, enrolment_id: int) -> Candidacy:
    panel = _panel(request, edition_id)
    candidacy = (
        panel.candidacies.select_related("enrolment__person")
        .filter(enrolment_id=enrolment_id)
        .first()
    )
    if candidacy is None:
        raise HttpError(404, _("Not found."))
    return candidacy


@router.get(
    "/selection/editions/{edition_id}/panel",
    response=PanelOut,
    summary="An edition's committee: scale, reviewers, rubric, reviews",
)
def get_panel(request: HttpRequest, edition_id: Id) -> Panel:
    return _panel(request, edition_id)


@router.put(
    "/selection/editions/{edition_id}/panel",
    response=PanelOut,
    summary="Set up the edition's committee, or change its scale (not once a review is in)",
)
def set_up_panel(request: HttpRequest, edition_id: Id, payload: PanelIn) -> Panel:
    edition = _edition(request, edition_id)
    return services.set_up(
        actor=request.user,
        edition=edition,
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
        disagreement=payload.disagreement,
    )


@router.post(
    "/selection/editions/{edition_id}/panel/reviewers",
    response={201: ReviewerOut},
    summary="Seat an account on the committee (it gets the reviewer role)",
)
def add_reviewer(request: HttpRequest, edition_id: Id, payload: ReviewerIn) -> Status[Any]:
    panel = _panel(request, edition_id)
    user = User.objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationError(
            {"username": _("No account is called %(name)s.") % {"name": payload.username}}
        )
    return Status(201, services.add_reviewer(actor=request.user, panel=panel, user=user))


@router.delete(
    "/selection/editions/{edition_id}/panel/reviewers/{reviewer_id}",
    response={204: None},
    summary="Take a reviewer off the committee (not once they submitted a review)",
)
def remove_reviewer(request: HttpRequest, edition_id: Id, reviewer_id: Id) -> Any:
    panel = _panel(request, edition_id)
    reviewer = get_visible(panel.reviewers.all(), reviewer_id)
    services.remove_reviewer(actor=request.user, reviewer=reviewer)
    return Status(204, None)


@router.post(
    "/selection/editions/{edition_id}/panel/criteria",
    response={201: CriterionOut},
    summary="Add a criterion to the rubric (not once a review is in)",
)
def add_criterion(request: HttpRequest, edition_id: Id, payload: CriterionIn) -> Status[Any]:
    panel = _panel(request, edition_id)
    return Status(
        201, services.add_criterion(actor=request.user, panel=panel, **payload.model_dump())
    )


@router.delete(
    "/selection/editions/{edition_id}/panel/criteria/{criterion_id}",
    response={204: None},
    summary="Remove a criterion from the rubric (not once a review is in)",
)
def remove_criterion(request: HttpRequest, edition_id: Id, criterion_id: Id) -> Any:
    panel = _panel(request, edition_id)
    criterion = get_visible(panel.criteria.all(), criterion_id)
    services.remove_criterion(actor=request.user, criterion=criterion)
    return Status(204, None)


@router.post(
    "/selection/editions/{edition_id}/panel/assign",
    response=AssignedOut,
    summary="Assign every application with no reviewer yet, never to a conflict",
)
def assign(request: HttpRequest, edition_id: Id, payload: AssignIn) -> dict[str, int]:
    panel = _panel(request, edition_id)
    return {
        "assigned": services.assign(
            actor=request.user, panel=panel, per_application=payload.per_application
        )
    }


# The officer's decisions on the ranking


@router.post(
    "/selection/editions/{edition_id}/candidacies/{enrolment_id}/shortlist",
    response=CandidacyOut,
    summary="Put an application on the shortlist, or off it",
)
def shortlist(
    request: HttpRequest, edition_id: Id, enrolment_id: Id, payload: ShortlistIn
) -> Candidacy:
    candidacy = _candidacy(request, edition_id, enrolment_id)
    return services.decide(actor=request.user, candidacy=candidacy, shortlisted=payload.shortlisted)


@router.post(
    "/selection/editions/{edition_id}/candidacies/{enrolment_id}/interview",
    response=CandidacyOut,
    summary="Record an application's interview",
)
def interview(
    request: HttpRequest, edition_id: Id, enrolment_id: Id, payload: InterviewIn
) -> Candidacy:
    candidacy = _candidacy(request, edition_id, enrolment_id)
    scores = (
        {item.criterion: item.value for item in payload.scores}
        if payload.scores is not None
        else None
    )
    return services.decide(
        actor=request.user,
        candidacy=candidacy,
        interview_scores=scores,
        interview_score=payload.score,
        interview_comment=payload.comment,
    )


@router.post(
    "/selection/editions/{edition_id}/candidacies/{enrolment_id}/select",
    response=CandidacyOut,
    summary="Select the application (within the edition's places; the applicant is told)",
)
def select(request: HttpRequest, edition_id: Id, enrolment_id: Id) -> Candidacy:
    candidacy = _candidacy(request, edition_id, enrolment_id)
    services.select(actor=request.user, candidacy=candidacy)
    candidacy.enrolment.refresh_from_db()
    return candidacy


@router.post(
    "/selection/editions/{edition_id}/tie-break",
    response=TieBreakOut,
    summary="Break ties by the edition's latest conducted ordering draw",
)
def apply_tie_break(request: HttpRequest, edition_id: Id) -> dict[str, int]:
    panel = _panel(request, edition_id)
    draw = services.tie_break_draw(panel)
    if draw is None:
        raise ValidationError(
            {"tie_break_draw": _("No ordering draw of this edition is conducted yet.")}
        )
    placed = services.apply_tie_break(actor=request.user, panel=panel, draw=draw)
    return {"draw": draw.pk, "placed": placed}


@router.post(
    "/selection/editions/{edition_id}/tie-break-draw",
    response={201: DrawPreparedOut},
    summary="Prepare a draft ordering draw of the applications under review",
)
def prepare_tie_break_draw(request: HttpRequest, edition_id: Id) -> Status[dict[str, int]]:
    panel = _panel(request, edition_id)
    draw = services.prepare_tie_break_draw(actor=request.user, panel=panel)
    return Status(201, {"draw": draw.pk})


@router.post(
    "/selection/editions/{edition_id}/close",
    response=ClosedOut,
    summary="Close the selection: the applications still under review are told they "
    "were not selected, and every decision is final",
)
def close(request: HttpRequest, edition_id: Id, payload: CloseIn) -> dict[str, int]:
    panel = _panel(request, edition_id)
    if not payload.confirm:
        raise ValidationError(
            {
                "confirm": _(
                    "Tick the box to confirm: closing tells every applicant still under review "
                    "that they were not selected, and cannot be undone."
                )
            }
        )
    return {"told": services.close(actor=request.user, panel=panel)}
