"""The selection over JSON, through the same services and queries as the pages: a reviewer's
reviews and scores, and an edition's ranking for its officers."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from chancery.accounts.access import is_officer, reviews_applications
from chancery.core.api_support import PagePagination, authorize, get_visible
from chancery.core.pagination import MAX_PAGE, page_of
from chancery.core.schemas import Id, Text
from chancery.selection import queries, services
from chancery.selection.models import Assignment

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
    comment: Text(5000) = ""


class ReviewIn(Schema):
    scores: list[ScoreIn] = Field(..., description="One score per criterion of the rubric")
    comment: Text(10000) = ""


class ConflictIn(Schema):
    reason: Text(2000) = Field(..., min_length=1)


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


@router.get("/selection/reviews", response=list[ReviewOut],
            summary="The reviews assigned to you")
@paginate(PagePagination)
def list_reviews(request: HttpRequest) -> Any:
    authorize(request, reviews_applications)
    return queries.reviews_of(request.user)


@router.get("/selection/reviews/{review_id}", response=ReviewOut,
            summary="One of your reviews")
def get_review(request: HttpRequest, review_id: Id) -> Assignment:
    authorize(request, reviews_applications)
    return get_visible(queries.reviews_of(request.user), review_id)


@router.get("/selection/reviews/{review_id}/others", response=list[OtherReviewOut],
            summary="The other reviewers' submitted scores: empty until you submit yours")
def other_reviews(request: HttpRequest, review_id: Id) -> list[Assignment]:
    authorize(request, reviews_applications)
    return queries.other_scores(get_visible(queries.reviews_of(request.user), review_id))


@router.post("/selection/reviews/{review_id}/submit", response=ReviewOut,
             summary="Score every criterion and submit the review (once)")
def submit_review(request: HttpRequest, review_id: Id, payload: ReviewIn) -> Assignment:
    authorize(request, reviews_applications)
    assignment = get_visible(queries.reviews_of(request.user), review_id)
    return services.submit_review(
        actor=request.user, assignment=assignment, comment=payload.comment,
        scores={s.criterion: (s.value, s.comment) for s in payload.scores})


@router.post("/selection/reviews/{review_id}/conflict", response={204: None},
             summary="Declare a conflict of interest: the review is no longer yours")
def declare_conflict(request: HttpRequest, review_id: Id, payload: ConflictIn) -> Any:
    authorize(request, reviews_applications)
    assignment = get_visible(queries.reviews_of(request.user), review_id)
    services.declare_conflict(actor=request.user, assignment=assignment,
                              reason=payload.reason)
    return 204, None


class RankingOut(Schema):
    items: list[RankingRowOut]
    count: int
    page: int
    pages: int


@router.get("/selection/editions/{edition_id}/ranking", response=RankingOut,
            summary="An edition's ranking: weighted scores, spread, reviews; best first")
def ranking(request: HttpRequest, edition_id: Id, shortlisted: bool = False,
            page: int = Query(1, ge=1, le=MAX_PAGE),
            page_size: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    authorize(request, is_officer)
    panel = queries.panels_managed_by(request.user).filter(edition_id=edition_id).first()
    if panel is None:
        raise HttpError(404, _("Not found."))
    cut = page_of(queries.ranking(panel, shortlisted_only=shortlisted), page, page_size)
    items = queries.with_records(cut.items, (cut.number - 1) * page_size + 1)
    for item in items:
        item.disagreement = queries.is_disagreement(item, panel)  # type: ignore[attr-defined]
    return {"items": items, "count": cut.count, "page": cut.number, "pages": cut.num_pages}
