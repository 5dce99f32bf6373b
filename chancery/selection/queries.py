"""Read side of the selection: whose panels, whose reviews, and the ranking."""

from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from chancery.programmes.queries import editions_managed_by
from chancery.selection.models import Assignment, Candidacy, Panel, Score

SUBMITTED = Q(assignments__submitted_at__isnull=False)


def panels_managed_by(user: Any) -> QuerySet[Panel]:
    """Committees of the editions the user runs as an officer."""
    return Panel.objects.filter(edition__in=editions_managed_by(user)).select_related(
        "edition__programme"
    )


def reviews_of(user: Any) -> QuerySet[Assignment]:
    """The reviews assigned to the user, and only those."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(reviewer__user=user)
        .select_related(
            "candidacy__enrolment__person", "candidacy__panel__edition", "reviewer__user"
        )
        .order_by("submitted_at", "candidacy__enrolment__person__family_name", "id")
    )


def other_scores(assignment: Assignment) -> list[Assignment]:
    """The other reviewers' submitted reviews of the same application, shown only to a
    reviewer who has submitted their own."""
    if assignment.submitted_at is None:
        return []
    return list(
        Assignment.objects.filter(candidacy_id=assignment.candidacy_id, submitted_at__isnull=False)
        .exclude(pk=assignment.pk)
        .select_related("reviewer__user")
        .prefetch_related("scores__criterion")
    )


def scores_of(assignment: Assignment) -> QuerySet[Score]:
    return assignment.scores.select_related("criterion")


def ranking(panel: Panel, *, shortlisted_only: bool = False) -> QuerySet[Any]:
    """The panel's applications as rows of aggregates computed by the database: the mean of
    the reviewers' weighted scores, their spread, submitted and assigned counts. Best first;
    ties by the tie-break draw's order (when applied), then by application number.

    Rows are grouped by the candidacy alone (no joined columns), so the database aggregates
    the reviews through the (candidacy, submitted_at) index; `with_records` then reads the
    applicants of one page."""
    rows = Candidacy.objects.filter(panel=panel)
    if shortlisted_only:
        rows = rows.filter(shortlisted=True)
    return (
        rows.values("pk", "enrolment_id", "tie_break")
        .annotate(
            score=Avg("assignments__weighted", filter=SUBMITTED),
            high=Max("assignments__weighted", filter=SUBMITTED),
            low=Min("assignments__weighted", filter=SUBMITTED),
            submitted=Count("assignments", filter=SUBMITTED),
            assigned=Count("assignments"),
        )
        .annotate(
            spread=ExpressionWrapper(
                Coalesce(F("high") - F("low"), Value(0), output_field=DecimalField()),
                output_field=DecimalField(max_digits=6, decimal_places=3),
            )
        )
        .order_by(
            F("score").desc(nulls_last=True), F("tie_break").asc(nulls_last=True), "enrolment_id"
        )
    )


def with_records(rows: list[dict[str, Any]], start: int = 1) -> list[Candidacy]:
    """The candidacies of ranking rows, in their order, with the aggregates and the rank set,
    read in one query."""
    found = Candidacy.objects.select_related("enrolment__person").in_bulk(
        [row["pk"] for row in rows]
    )
    ranked = []
    for rank, row in enumerate(rows, start=start):
        candidacy = found[row["pk"]]
        for name in ("score", "spread", "submitted", "assigned"):
            setattr(candidacy, name, row[name])
        candidacy.rank = rank  # type: ignore[attr-defined]
        ranked.append(candidacy)
    return ranked


def is_disagreement(row: Candidacy, panel: Panel) -> bool:
    spread = getattr(row, "spread", None)
    return spread is not None and getattr(row, "submitted", 0) > 1 and spread >= panel.disagreement


def panel_figures(panel: Panel) -> dict[str, int]:
    """Counts for the ranking's header, in one query."""
    return Assignment.objects.filter(candidacy__panel=panel).aggregate(
        assigned=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False))
    )
