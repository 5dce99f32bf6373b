"""Writes of the selection: committee, rubric, assignment, reviews and the officer's decisions.

Every write is audited with its actor (simple_history); selecting goes through
programmes.services.select, which checks the capacity and tells the applicant.
"""

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chancery.accounts.models import Role, RoleAssignment
from chancery.core.actors import recorded_user
from chancery.core.services import audit_as
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.directory.queries import reachable
from chancery.draws import services as draws
from chancery.draws.models import Draw, DrawKind, DrawStatus
from chancery.notifications.services import notify
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition, Enrolment, EnrolmentState
from chancery.selection import assignment as pure
from chancery.selection.models import (
    Assignment,
    Candidacy,
    Conflict,
    Criterion,
    Panel,
    Reviewer,
    Score,
)

# The applications a committee reads: applied and eligible, not yet decided.
UNDER_REVIEW = (EnrolmentState.APPLIED, EnrolmentState.ELIGIBLE)
ENTRY_NUMBER = re.compile(r"\(#(\d+)\)$")


@transaction.atomic
def set_up(
    *,
    actor: Any,
    edition: Edition,
    scale_min: int = 1,
    scale_max: int = 5,
    disagreement: Decimal | int = 2,
) -> Panel:
    """The edition's committee, created or its scale changed (not once a review is in)."""
    panel = Panel.objects.filter(edition=edition).first() or Panel(edition=edition)
    if (
        panel.pk
        and (panel.scale_min, panel.scale_max) != (scale_min, scale_max)
        and Assignment.objects.filter(candidacy__panel=panel, submitted_at__isnull=False).exists()
    ):
        raise ValidationError(
            {"scale_max": _("Reviews are already submitted on this scale; it cannot change now.")}
        )
    panel.scale_min, panel.scale_max, panel.disagreement = scale_min, scale_max, disagreement
    _save(panel, actor)
    return panel


@transaction.atomic
def add_reviewer(*, actor: Any, panel: Panel, user: Any) -> Reviewer:
    """Seat a user on the committee; they get the reviewer role in the programme's office."""
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    reviewer = Reviewer(panel=panel, user=user)
    _save(reviewer, actor)
    office = panel.edition.programme.owner
    if not RoleAssignment.objects.filter(
        user=user, role=Role.REVIEWER, organisation=office
    ).exists():
        _save(RoleAssignment(user=user, role=Role.REVIEWER, organisation=office), actor)
    return reviewer


@transaction.atomic
def remove_reviewer(*, actor: Any, reviewer: Reviewer) -> None:
    if reviewer.assignments.filter(submitted_at__isnull=False).exists():
        raise ValidationError(
            {"user": _("This reviewer has submitted reviews; they stay on the committee.")}
        )
    for item in reviewer.assignments.all():
        _delete(item, actor)
    _delete(reviewer, actor)


def _scores_in(panel: Panel) -> bool:
    return Assignment.objects.filter(candidacy__panel=panel, submitted_at__isnull=False).exists()


@transaction.atomic
def add_criterion(
    *, actor: Any, panel: Panel, name_en: str, name_ru: str = "", name_kk: str = "", weight: int = 1
) -> Criterion:
    if _scores_in(panel):
        raise ValidationError(
            {
                "name_en": _(
                    "Reviews are already submitted against this rubric; it cannot change now."
                )
            }
        )
    position = panel.criteria.count() + 1
    criterion = Criterion(
        panel=panel,
        name_en=name_en.strip(),
        name_ru=name_ru.strip(),
        name_kk=name_kk.strip(),
        weight=weight,
        position=position,
    )
    _save(criterion, actor)
    return criterion


@transaction.atomic
def remove_criterion(*, actor: Any, criterion: Criterion) -> None:
    if _scores_in(criterion.panel):
        raise ValidationError(
            {
                "name_en": _(
                    "Reviews are already submitted against this rubric; it cannot change now."
                )
            }
        )
    _delete(criterion, actor)


def _candidacies(actor: Any, panel: Panel) -> list[Candidacy]:
    """A candidacy for every application under review (created as needed)."""
    have = set(panel.candidacies.values_list("enrolment_id", flat=True))
    new = [
        Candidacy(panel=panel, enrolment_id=pk)
        for pk in panel.edition.enrolments.filter(state__in=UNDER_REVIEW)
        .exclude(pk__in=have)
        .values_list("pk", flat=True)
    ]
    for candidacy in new:
        audit_as(candidacy, actor)
    Candidacy.objects.bulk_create(new)
    if new:
        Candidacy.history.bulk_history_create(new, default_user=recorded_user(actor))
    return list(panel.candidacies.filter(enrolment__state__in=UNDER_REVIEW))


@transaction.atomic
def assign(*, actor: Any, panel: Panel, per_application: int | None) -> int:
    """Assign every application with no reviewer yet: to every reviewer (None) or to
    `per_application` reviewers, balanced, never to a reviewer with a conflict. Returns how
    many reviews were assigned."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    reviewers = list(panel.reviewers.values_list("pk", flat=True))
    if not reviewers:
        raise ValidationError({"per_application": _("Name the committee's reviewers first.")})
    if not panel.criteria.exists():
        raise ValidationError({"per_application": _("Add the rubric's criteria first.")})
    if per_application is not None and per_application < 1:
        raise ValidationError(
            {"per_application": _("Ask for at least one reviewer per application.")}
        )
    if per_application is not None and per_application > len(reviewers):
        raise ValidationError(
            {
                "per_application": _(
                    "The committee has %(count)s reviewers; ask for at most that many per application."
                )
                % {"count": len(reviewers)}
            }
        )
    candidacies = [c.pk for c in _candidacies(actor, panel) if not c.assignments.exists()]
    conflicts = list(
        Conflict.objects.filter(candidacy__panel=panel).values_list("candidacy_id", "reviewer_id")
    )
    try:
        plan = pure.assign(candidacies, reviewers, per_application, conflicts)
    except pure.AssignmentError as error:
        if not isinstance(error.application, int):  # no application named: refused above
            raise
        candidacy = Candidacy.objects.select_related("enrolment__person").get(pk=error.application)
        raise ValidationError(
            {
                "per_application": _("Too few reviewers without a conflict for %(application)s.")
                % {"application": candidacy.enrolment.person}
            }
        ) from None
    rows = [Assignment(candidacy_id=c, reviewer_id=r) for c, chosen in plan.items() for r in chosen]
    Assignment.objects.bulk_create(rows)
    if rows:
        Assignment.history.bulk_history_create(rows, default_user=recorded_user(actor))
    return len(rows)


@transaction.atomic
def declare_conflict(*, actor: Any, assignment: Assignment, reason: str) -> Conflict:
    """The reviewer declares a conflict: the review is withdrawn and never assigned again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict of interest is.")})
    if assignment.submitted_at is not None:
        raise ValidationError({"reason": _("This review is already submitted.")})
    conflict = Conflict(
        candidacy=assignment.candidacy, reviewer=assignment.reviewer, reason=reason.strip()
    )
    _save(conflict, actor)
    _delete(assignment, actor)
    return conflict


@transaction.atomic
def submit_review(
    *, actor: Any, assignment: Assignment, scores: dict[int, tuple[int, str]], comment: str = ""
) -> Assignment:
    """Score every criterion of the rubric (criterion id -> (score, comment)) and submit."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("candidacy__panel")
        .get(pk=assignment.pk)
    )
    if assignment.submitted_at is not None:
        raise ValidationError({"scores": _("This review is already submitted.")})
    panel = assignment.candidacy.panel
    criteria = list(panel.criteria.all())
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(
            {
                "scores": _("Score every criterion: %(names)s is missing.")
                % {"names": ", ".join(missing)}
            }
        )
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        raise ValidationError({"scores": _("Scores name criteria not in this rubric.")})
    total = weights = 0
    for criterion in criteria:
        value, note = scores[criterion.pk]
        if not panel.scale_min <= value <= panel.scale_max:
            raise ValidationError(
                {
                    f"score_{criterion.pk}": _("%(name)s: a score is from %(low)s to %(high)s.")
                    % {"name": criterion.name, "low": panel.scale_min, "high": panel.scale_max}
                }
            )
        _save(
            Score(assignment=assignment, criterion=criterion, value=value, comment=note.strip()),
            actor,
        )
        total += value * criterion.weight
        weights += criterion.weight
    assignment.weighted = (Decimal(total) / Decimal(weights)).quantize(Decimal("0.001"))
    assignment.comment = comment.strip()
    assignment.submitted_at = timezone.now()
    _save(assignment, actor)
    return assignment


@transaction.atomic
def decide(
    *,
    actor: Any,
    candidacy: Candidacy,
    shortlisted: bool | None = None,
    interview_score: Decimal | None = None,
    interview_comment: str | None = None,
    interview_scores: dict[int, int] | None = None,
) -> Candidacy:
    """The officer shortlists an application or records its interview (audited): one overall
    `interview_score`, or `interview_scores` by criterion of the rubric, whose weighted mean
    becomes the interview score."""
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    _check_not_closed(candidacy.panel)
    if shortlisted is not None:
        candidacy.shortlisted = shortlisted
    if interview_scores is not None:
        candidacy.interview_scores, interview_score = _interview(candidacy.panel, interview_scores)
    if interview_score is not None:
        panel = candidacy.panel
        if not panel.scale_min <= interview_score <= panel.scale_max:
            raise ValidationError(
                {
                    "interview_score": _("The interview score is from %(low)s to %(high)s.")
                    % {"low": panel.scale_min, "high": panel.scale_max}
                }
            )
        candidacy.interview_score = interview_score
    if interview_comment is not None:
        candidacy.interview_comment = interview_comment.strip()
    _save(candidacy, actor)
    return candidacy


def _interview(panel: Panel, scores: dict[int, int]) -> tuple[dict[str, int], Decimal]:
    """The interview's scores checked against the rubric (every criterion, on the scale) and
    their weighted mean."""
    criteria = list(panel.criteria.all())
    if not criteria:
        raise ValidationError({"interview_scores": _("The rubric has no criterion yet.")})
    kept: dict[str, int] = {}
    total = weights = 0
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            raise ValidationError(
                {
                    f"interview_{criterion.pk}": _("%(name)s: give the interview's score.")
                    % {"name": criterion.name}
                }
            )
        if not panel.scale_min <= value <= panel.scale_max:
            raise ValidationError(
                {
                    f"interview_{criterion.pk}": _("%(name)s: a score is from %(low)s to %(high)s.")
                    % {"name": criterion.name, "low": panel.scale_min, "high": panel.scale_max}
                }
            )
        kept[str(criterion.pk)] = value
        total += value * criterion.weight
        weights += criterion.weight
    return kept, (Decimal(total) / Decimal(weights)).quantize(Decimal("0.01"))


def _check_not_closed(panel: Panel) -> None:
    if panel.closed_at is not None:
        raise ValidationError(_("The selection is closed; its decisions are final."))


@transaction.atomic
def close(*, actor: Any, panel: Panel) -> int:
    """Close the selection once the places are filled: every application still under review is
    marked not selected and its applicant told by e-mail (audited); returns how many."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _check_not_closed(panel)
    now = timezone.now()
    waiting = Candidacy.objects.filter(
        panel=panel, enrolment__state__in=UNDER_REVIEW
    ).select_related("enrolment__person", "enrolment__edition__programme__owner")
    told = 0
    for candidacy in waiting:
        candidacy.not_selected_at = now
        _save(candidacy, actor)
        enrolment = candidacy.enrolment
        recipients = reachable([enrolment.person])
        if recipients:
            notify(
                kind="not_selected",
                recipients=recipients,
                office=enrolment.edition.programme.owner,
                actor=actor,
                key=f"not-selected:{candidacy.pk}",
                context={
                    "edition": enrolment.edition,
                    "addressee": enrolment.person,
                    "programme": enrolment.edition.programme,
                },
            )
        told += 1
    panel.closed_at = now
    _save(panel, actor)
    return told


def tie_break_draw(panel: Panel) -> Draw | None:
    """The edition's latest conducted ordering draw, which breaks ties in the ranking."""
    return (
        Draw.objects.filter(
            edition_id=panel.edition_id, kind=DrawKind.ORDER, status=DrawStatus.CONDUCTED
        )
        .order_by("-conducted_at", "-id")
        .first()
    )


@transaction.atomic
def apply_tie_break(*, actor: Any, panel: Panel, draw: Draw) -> int:
    """Store each candidacy's place in a conducted ordering draw of the edition (entries as
    programmes.services.selection_entry spells them); returns how many were placed."""
    if (
        draw.kind != DrawKind.ORDER
        or draw.edition_id != panel.edition_id
        or draw.status != DrawStatus.CONDUCTED
    ):
        raise ValidationError(
            {
                "tie_break_draw": _(
                    "The tie-break draw must be a conducted ordering draw of this edition."
                )
            }
        )
    place = {}
    for position, entry in enumerate(draw.published["result"], start=1):
        match = ENTRY_NUMBER.search(str(entry))
        if match:
            place[int(match.group(1))] = position
    changed = []
    for candidacy in panel.candidacies.all():
        candidacy.tie_break = place.get(candidacy.enrolment_id)
        changed.append(candidacy)
    Candidacy.objects.bulk_update(changed, ["tie_break"])
    if changed:
        Candidacy.history.bulk_history_create(
            changed, update=True, default_user=recorded_user(actor)
        )
    panel.tie_break_draw = draw
    _save(panel, actor)
    return sum(1 for c in changed if c.tie_break is not None)


@transaction.atomic
def prepare_tie_break_draw(*, actor: Any, panel: Panel) -> Draw:
    """A draft ordering draw of the applications under review, to announce and conduct."""

    enrolments = list(
        panel.edition.enrolments.filter(candidacy__panel=panel).select_related("person")
    )
    if not enrolments:
        raise ValidationError(_("No application is assigned for review yet."))
    return draws.create_draw(
        actor=actor,
        owner=panel.edition.programme.owner,
        edition=panel.edition,
        kind="order",
        title=_("Tie-break for the selection of %(edition)s") % {"edition": panel.edition},
        pool=[programmes.selection_entry(e) for e in enrolments],
    )


def select(*, actor: Any, candidacy: Candidacy) -> Enrolment:
    """Select the application: programmes.services.select checks the state and the edition's
    places, audits the move and tells the applicant."""
    _check_not_closed(candidacy.panel)
    return programmes.select(
        actor=actor, enrolment=candidacy.enrolment, reason=_("Selected by the committee's ranking")
    )
