"""Reads of agreements: status, coming expiries, commitments with their progress."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.agreements.models import Agreement, Commitment, CountedStates

STARTED = ("placed", "active", "completed")


def agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    """Agreements followed by the user's office (officers and viewers)."""
    agreements = Agreement.objects.all()
    if getattr(user, "is_superuser", False):
        return agreements
    return agreements.filter(owner__in=organisations_where(user, Role.OFFICER, Role.VIEWER))


def agreements_list(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Agreements with their parties loaded."""
    return agreements.prefetch_related("parties__organisation").select_related("owner")


@dataclass(frozen=True)
class Progress:
    commitment: Commitment
    counted: int

    @property
    def percent(self) -> int:
        quota = self.commitment.quota
        return min(100, round(100 * self.counted / quota)) if quota else 100

    @property
    def met(self) -> bool:
        return self.counted >= self.commitment.quota


def commitment_progress(commitment: Commitment) -> Progress:
    """Count the enrolments that fulfil a commitment."""
    # upward: named in pyproject's [tool.importlinter]
    from chancery.programmes.models import Enrolment

    states = ["completed"] if commitment.counts == CountedStates.COMPLETED else list(STARTED)
    enrolments = Enrolment.objects.filter(state__in=states)
    if commitment.programme_id is not None:
        enrolments = enrolments.filter(edition__programme_id=commitment.programme_id)
    if commitment.citizenship_id is not None:
        enrolments = enrolments.filter(
            person__citizenship_set__country_id=commitment.citizenship_id
        )
    if commitment.period_start is not None:
        enrolments = enrolments.exclude(edition__starts_on__lt=commitment.period_start)
    if commitment.period_end is not None:
        enrolments = enrolments.exclude(edition__starts_on__gt=commitment.period_end)
    return Progress(commitment, enrolments.values("person").distinct().count())


def commitments_of(agreements: QuerySet[Agreement]) -> list[Progress]:
    """Every commitment of the agreements with its progress."""
    commitments = Commitment.objects.filter(agreement__in=agreements).select_related(
        "agreement", "citizenship", "programme"
    )
    return [commitment_progress(commitment) for commitment in commitments]


@dataclass(frozen=True)
class Deadline:
    agreement: Agreement
    ends_on: date
    days_left: int


def coming_expiries(
    agreements: QuerySet[Agreement], within_days: int = 180, on: date | None = None
) -> list[Deadline]:
    """Agreements in force whose current term ends within `within_days`."""
    day = on or timezone.localdate()
    rows = []
    for agreement in agreements:
        if agreement.status_on(day) != "in_force":
            continue
        end = agreement.ends_on(day)
        if end is not None and end <= day + timedelta(days=within_days):
            rows.append(Deadline(agreement, end, (end - day).days))
    return sorted(rows, key=lambda row: row.ends_on)


# Reminders to the officers (services.send_reminders sends each once)

#: Officers are told of an agreement whose current term ends within this many days.
ENDING_NOTICE_DAYS = 90


def agreements_ending(on: date | None = None) -> list[Deadline]:
    """Agreements in force whose current term ends within ENDING_NOTICE_DAYS."""
    return coming_expiries(
        Agreement.objects.select_related("owner").order_by("pk"),
        within_days=ENDING_NOTICE_DAYS,
        on=on,
    )


@dataclass(frozen=True)
class Shortfall:
    """A commitment counting fewer than the share of its quota its period has run through."""

    progress: Progress
    period_start: date
    period_end: date
    expected: int


def commitments_behind(on: date | None = None) -> list[Shortfall]:
    """Commitments of agreements in force, within their period (the commitment's own, else the
    agreement's current term), that count fewer than quota × the part of the period gone by
    (rounded down). A period without an end (an open-ended agreement) cannot fall behind."""
    day = on or timezone.localdate()
    rows = []
    commitments = Commitment.objects.select_related(
        "agreement__owner", "citizenship", "programme"
    ).order_by("pk")
    for commitment in commitments:
        agreement = commitment.agreement
        if agreement.status_on(day) != "in_force":
            continue
        start = commitment.period_start or agreement.starts_on
        end = commitment.period_end or agreement.ends_on(day)
        if start is None or end is None or not start <= day <= end:
            continue
        expected = commitment.quota * (day - start).days // ((end - start).days + 1)
        progress = commitment_progress(commitment)
        if progress.counted < expected:
            rows.append(Shortfall(progress, start, end, expected))
    return rows
