"""Reads of programmes: who sees which enrolment, eligibility inputs, and the report figures."""

import functools
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclasses_field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from chancery.accounts.access import is_participant, organisations_where
from chancery.accounts.models import Role
from chancery.agreements.models import Agreement
from chancery.agreements.queries import commitments_of
from chancery.core.versioned import cached_by_version, scope_of
from chancery.directory.journey import Step
from chancery.directory.models import AffiliationRole, Organisation, OrganisationKind, Person
from chancery.directory.queries import likely_duplicates, people_visible_to
from chancery.programmes import eligibility, wording
from chancery.programmes.models import (
    Edition,
    Enrolment,
    EnrolmentState,
    FinalReport,
    Pairing,
    Placement,
    PlacementStatus,
    Programme,
    Testimonial,
)

# Visibility


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    """Programmes of the user's offices; every signed-in user may read programme pages."""
    return Programme.objects.select_related("owner")


def programmes_read_by(user: Any) -> QuerySet[Programme]:
    """Programmes whose enrolments and reports the user may read (officers and viewers)."""
    if getattr(user, "is_superuser", False):
        return Programme.objects.all()
    return Programme.objects.filter(owner__in=organisations_where(user, Role.OFFICER, Role.VIEWER))


def open_editions(on: date) -> QuerySet[Edition]:
    """Editions taking applications on the day."""
    return Edition.objects.filter(
        applications_open__lte=on, applications_close__gte=on
    ).select_related("programme")


def editions_open_to(user: Any, on: date) -> QuerySet[Edition]:
    """Editions the user may apply to for themselves on the day: participants with a person
    record, to editions taking applications (the apply page and `POST /api/enrolments`)."""

    if getattr(user, "person_id", None) is None or not is_participant(user):
        return Edition.objects.none()
    return open_editions(on)


def preferred_hosts() -> QuerySet[Organisation]:
    """Organisations an applicant may name as the host they would like."""
    return Organisation.objects.filter(
        kind__in=[
            OrganisationKind.MINISTRY,
            OrganisationKind.STATE_AGENCY,
            OrganisationKind.DEPARTMENT,
            OrganisationKind.ACADEMY,
        ],
        active=True,
    )


def published_testimonials(programme: Programme, language: str | None = None) -> list[Any]:
    """Testimonials whose author's consent to publish holds today: those written in
    `language` (the reader's) first, then the others, the latest first."""

    today = timezone.localdate()
    testimonials = Testimonial.objects.filter(
        enrolment__edition__programme=programme,
        consent__isnull=False,
        consent__given_on__lte=today,
    ).filter(Q(consent__withdrawn_on__isnull=True) | Q(consent__withdrawn_on__gt=today))
    own = Case(When(language=language or translation.get_language(), then=0), default=1)
    return list(
        testimonials.select_related("enrolment__person", "enrolment__edition").order_by(
            own, "-written_on", "pk"
        )
    )


def programmes_managed_by(user: Any) -> QuerySet[Programme]:
    """Programmes the user runs as an officer of the owning office."""
    if getattr(user, "is_superuser", False):
        return Programme.objects.all()
    return Programme.objects.filter(owner__in=organisations_where(user, Role.OFFICER))


def editions_managed_by(user: Any) -> QuerySet[Edition]:
    """Editions of the programmes the user runs: where an officer enrols people and draws."""
    return Edition.objects.filter(programme__in=programmes_managed_by(user))


def enrolments_visible_to(user: Any) -> QuerySet[Enrolment]:
    """Officers and viewers: their programmes'; supervisors: their interns'; others: their own."""
    enrolments = Enrolment.objects.all()
    if getattr(user, "is_superuser", False):
        return enrolments
    office = organisations_where(user, Role.OFFICER, Role.VIEWER)
    person_id = getattr(user, "person_id", None)
    # Their own (the user's person record) without a join through the users table.
    visible = Q(person_id=person_id) if person_id is not None else Q(pk__in=[])
    if office:
        visible |= Q(edition__programme__owner__in=office)
    if person_id is not None and organisations_where(user, Role.SUPERVISOR):
        visible |= Q(placements__supervisor_id=person_id)
        # Placements are many to an enrolment: a subquery keeps each enrolment once.
        return enrolments.filter(pk__in=Enrolment.objects.filter(visible).values("pk"))
    # Only single-valued relations: a plain filter, which the database plans far better.
    return enrolments.filter(visible)


def dashboard_enrolment_figures(enrolments: QuerySet[Enrolment]) -> dict[str, int]:
    """Participants serving now and applications awaiting a decision, among `enrolments`;
    counted afresh whenever an enrolment, placement, edition or programme changes."""

    def compute() -> dict[str, int]:
        return {
            "active_enrolments": enrolments.filter(state=EnrolmentState.ACTIVE).count(),
            "applications": enrolments.filter(
                state__in=[EnrolmentState.APPLIED, EnrolmentState.ELIGIBLE]
            ).count(),
        }

    return dict(
        cached_by_version(
            "enrolments", scope_of(enrolments), (Enrolment, Placement, Edition, Programme), compute
        )
    )


def enrolments_managed_by(user: Any) -> QuerySet[Enrolment]:
    """Enrolments an officer may move through the lifecycle."""
    return Enrolment.objects.filter(edition__programme__in=programmes_managed_by(user))


def placements_supervised_by(user: Any) -> QuerySet[Placement]:
    """Placements whose supervisor is the user's person record."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Placement.objects.none()
    return Placement.objects.filter(supervisor_id=person_id)


def final_reports_readable_by(user: Any) -> QuerySet[FinalReport]:
    """Final reports the user may download: officers of the programme's office, the
    participant who wrote it, and the supervisor of one of its placements."""
    managed = Q(enrolment__in=enrolments_managed_by(user))
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return FinalReport.objects.filter(managed)
    readable = managed | Q(enrolment__person_id=person_id)
    if organisations_where(user, Role.SUPERVISOR):
        readable |= Q(enrolment__placements__supervisor_id=person_id)
    # Placements are many to an enrolment: a subquery keeps each report once.
    return FinalReport.objects.filter(pk__in=FinalReport.objects.filter(readable).values("pk"))


def enrolment_list(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with person, edition and programme loaded."""
    return enrolments.select_related("person", "edition__programme").prefetch_related(
        "person__citizenships", "placements__host", "placements__department"
    )


# Eligibility inputs


def candidate_for(enrolment: Enrolment) -> eligibility.Candidate:
    """The facts about the applicant that the rules look at."""
    return person_candidate(enrolment.person)


def person_candidate(person: Person) -> eligibility.Candidate:
    """The facts the rules look at, as the directory records them for a person."""
    return eligibility.Candidate(
        person_id=person.pk,
        citizenships=frozenset(person.citizenship_set.values_list("country_id", flat=True)),
        class_year=person.class_year,
        birth_date=person.birth_date,
        graduate_of=frozenset(
            person.affiliations.filter(role=AffiliationRole.ALUMNUS).values_list(
                "organisation_id", flat=True
            )
        ),
    )


def host_for(organisation: Organisation) -> eligibility.Host:
    """A host with its lineage (a department counts as its ministry)."""
    lineage = (organisation, *organisation.ancestors())
    country = next((org.country_id for org in lineage if org.country_id), None)
    return eligibility.Host(
        organisation_id=organisation.pk,
        name=str(organisation),
        country=country,
        lineage=tuple(org.pk for org in lineage),
    )


def agreement_facts(
    agreements: QuerySet[Agreement], on: date | None
) -> list[eligibility.AgreementFact]:
    """The agreements as the rules see them."""
    facts = []
    for agreement in agreements.prefetch_related("parties"):
        starts = agreement.starts_on
        facts.append(
            eligibility.AgreementFact(
                agreement_id=agreement.pk,
                title=agreement.title,
                party_ids=frozenset(party.organisation_id for party in agreement.parties.all()),
                in_force_from=starts,
                in_force_until=agreement.ends_on(on) if starts else None,
                status=agreement.status_on(on),
            )
        )
    return facts


def active_rules(programme: Programme, on: date | None = None) -> list[eligibility.Rule]:
    """The programme's rules that are not retired on the day."""
    day = on or timezone.localdate()
    rules = programme.eligibility_rules.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=day))
    return [
        eligibility.Rule(kind=rule.kind, params=rule.params, label=rule.label) for rule in rules
    ]


#: The facts a person states about themselves, by the kinds of rule that read them.
FACTS_READ = {
    "citizenship_in": "citizenships",
    "host_country_is_citizenship": "citizenships",
    "age_between": "birth_date",
    "class_year_between": "class_year",
}


def facts_read(edition: Edition) -> list[str]:
    """Which of the facts in FACTS_READ the edition's rules read, in that order."""
    kinds = {rule.kind for rule in active_rules(edition.programme, edition.starts_on)}
    wanted = {FACTS_READ[kind] for kind in kinds if kind in FACTS_READ}
    return [fact for fact in ("citizenships", "birth_date", "class_year") if fact in wanted]


def preview(edition: Edition, candidate: eligibility.Candidate) -> eligibility.Decision:
    """The edition's rules applied to a candidate before any enrolment or host exists (an
    applicant's draft): the host rules wait for the placement."""
    start = edition.starts_on
    return eligibility.evaluate(
        active_rules(edition.programme, start),
        candidate,
        host=None,
        start=start,
        agreements=agreement_facts(edition.programme.agreements.all(), start),
    )


def decide(
    enrolment: Enrolment, *, host: Organisation | None = None, start: date | None = None
) -> eligibility.Decision:
    """Evaluate the programme's rules for an enrolment (host and start from its placement)."""
    placement = enrolment.placements.exclude(status=PlacementStatus.CANCELLED).first()
    if host is None and placement is not None:
        host = placement.department or placement.host
    if host is None:
        host = enrolment.preferred_host
    start = start or (placement.start if placement else None) or enrolment.edition.starts_on
    programme = enrolment.edition.programme
    return eligibility.evaluate(
        active_rules(programme, start),
        candidate_for(enrolment),
        host=host_for(host) if host else None,
        start=start,
        agreements=agreement_facts(programme.agreements.all(), start),
    )


# Reports


@dataclass(frozen=True)
class ProgrammeReport:
    programme: Programme
    completions_by_year: list[tuple[int, int]]
    cumulative_by_year: list[tuple[int, int]]
    by_citizenship: list[tuple[str, int]]
    by_host: list[tuple[str, int]]
    active_now: int
    withdrawals: list[tuple[str, str]]
    pipeline: dict[str, int]
    # The filter of the programme's people list that opens each row's people: citizenship codes
    # by label ("KZ", "KZ,RU", "none"), host id by label (0 for "no placement").
    citizenship_filters: dict[str, str] = dataclasses_field(default_factory=dict)
    host_filters: dict[str, int] = dataclasses_field(default_factory=dict)

    def completed_by(self, year: int) -> int:
        """How many completed by the end of `year`."""
        return sum(n for completed, n in self.completions_by_year if completed <= year)


def report_rows(report: ProgrammeReport) -> list[tuple[str, str, object]]:
    """The report as (section, item, value) rows for CSV and XLSX."""

    rows: list[tuple[str, str, object]] = []
    rows += [("completed per year", str(year), n) for year, n in report.completions_by_year]
    rows += [
        ("completed by year, cumulative", str(year), n) for year, n in report.cumulative_by_year
    ]
    rows += [("completed by citizenship", label, n) for label, n in report.by_citizenship]
    rows += [("completed by host", label, n) for label, n in report.by_host]
    rows += [("active now", "", report.active_now)]
    rows += [("pipeline", state, n) for state, n in report.pipeline.items()]
    rows += [("withdrawal", who, why) for who, why in report.withdrawals]
    rows += [
        ("commitment", row.commitment.description, f"{row.counted} / {row.commitment.quota}")
        for row in commitments_of(report.programme.agreements.all())
    ]
    return rows


def completion_year(enrolment: Enrolment) -> int:
    """The year an enrolment completed: its completion date, else its edition's year."""
    return enrolment.completed_on.year if enrolment.completed_on else enrolment.edition.year


def programme_report(programme: Programme) -> ProgrammeReport:
    """Completions by year, citizenship and host; active; withdrawals; the pipeline."""
    enrolments = Enrolment.objects.filter(edition__programme=programme)
    completed = list(enrolment_list(enrolments.filter(state=EnrolmentState.COMPLETED)))
    years = Counter(completion_year(e) for e in completed)
    cumulative, running = [], 0
    for year in sorted(years):
        running += years[year]
        cumulative.append((year, running))
    citizenship = Counter(
        ", ".join(sorted(c.name for c in e.person.citizenships.all())) or "—" for e in completed
    )
    citizenship_filters = {
        ", ".join(sorted(c.name for c in e.person.citizenships.all())) or "—": ",".join(
            sorted(c.alpha2 for c in e.person.citizenships.all())
        )
        or "none"
        for e in completed
    }
    hosts = Counter(
        str(p.host)
        for e in completed
        for p in e.placements.all()
        if p.status != PlacementStatus.CANCELLED
    )
    host_filters = {
        str(p.host): p.host_id
        for e in completed
        for p in e.placements.all()
        if p.status != PlacementStatus.CANCELLED
    } | {"—": 0}
    hosts["—"] += sum(1 for e in completed if not e.placements.all())
    if hosts["—"] == 0:
        del hosts["—"]
    pipeline = dict(enrolments.values_list("state").annotate(n=Count("id")).order_by())
    withdrawals = [
        (str(e.person), e.state_reason)
        for e in enrolment_list(enrolments.filter(state=EnrolmentState.WITHDRAWN))
    ]
    return ProgrammeReport(
        programme=programme,
        completions_by_year=sorted(years.items()),
        cumulative_by_year=cumulative,
        by_citizenship=citizenship.most_common(),
        by_host=hosts.most_common(),
        citizenship_filters=citizenship_filters,
        host_filters=host_filters,
        active_now=enrolments.filter(state=EnrolmentState.ACTIVE).count(),
        withdrawals=withdrawals,
        pipeline={state: pipeline.get(state, 0) for state in EnrolmentState.values},
    )


def allocation_rounds_of(person: Any) -> list[tuple[Any, Enrolment]]:
    """Allocation rounds of the editions a person is enrolled in, with that enrolment."""
    from chancery.allocation.models import Round  # upward: named in pyproject's [tool.importlinter]

    enrolments = {e.edition_id: e for e in Enrolment.objects.filter(person=person)}
    rounds = Round.objects.filter(edition_id__in=enrolments).select_related("edition")
    return [(round, enrolments[round.edition_id]) for round in rounds.order_by("-created_at")]


def selection_draws(edition: Edition) -> QuerySet[Any]:
    """Selection draws prepared for the edition, newest first."""
    return edition.draws.filter(kind="select").order_by("-created_at")


def editions_of(programme: Programme) -> QuerySet[Edition]:
    """Editions with their enrolment counts."""
    return programme.editions.annotate(
        enrolled=Count("enrolments"),
        completed=Count("enrolments", filter=Q(enrolments__state=EnrolmentState.COMPLETED)),
    )


@dataclass(frozen=True)
class UncoveredPlacement:
    placement: Placement
    reason: str


@dataclass(frozen=True)
class DataQuality:
    without_citizenship: list[Any]
    uncovered_placements: list[UncoveredPlacement]
    duplicates: list[Any]


def data_quality(user: Any) -> DataQuality:
    """What an officer should look at: unknown citizenships, uncovered placements, duplicates."""

    people = people_visible_to(user)
    rule = eligibility.validate_rule("host_covered_by_agreement", {})
    placements = (
        Placement.objects.filter(enrolment__edition__programme__in=programmes_read_by(user))
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related(
            "host__parent",
            "department__parent",
            "enrolment__person",
            "enrolment__edition__programme",
        )
        .order_by("start")
    )
    uncovered = []
    for placement in placements:
        enrolment = placement.enrolment
        decision = eligibility.evaluate(
            [rule],
            candidate_for(enrolment),
            host=host_for(placement.department or placement.host),
            start=placement.start,
            agreements=agreement_facts(
                enrolment.edition.programme.agreements.all(), placement.start
            ),
        )
        if not decision.eligible:
            uncovered.append(
                UncoveredPlacement(placement, wording.reason(decision.checks[0].message))
            )
    return DataQuality(
        without_citizenship=list(
            people.filter(citizenship_set__isnull=True).select_related("owner")
        ),
        uncovered_placements=uncovered,
        duplicates=likely_duplicates(people),
    )


# What each person has to do (the home pages)

# An evaluation is due from two weeks before a placement ends to two weeks after; later it is
# overdue.
EVALUATION_WINDOW = timedelta(days=14)


def editions_taken_part_in(user: Any) -> QuerySet[Edition]:
    """The seasons of the user's schools (coordinator) and embassies (liaison): the editions
    they take part in or are paired in."""
    schools = organisations_where(user, Role.COORDINATOR)
    embassies = organisations_where(user, Role.LIAISON)
    if not schools and not embassies:
        return Edition.objects.none()
    return Edition.objects.filter(
        pk__in=Edition.objects.filter(
            Q(participations__organisation__in=schools | embassies)
            | Q(pairings__school__in=schools)
            | Q(pairings__embassy__in=embassies)
        ).values("pk")
    )


def editions_visible_to(user: Any) -> QuerySet[Edition]:
    """Editions whose page the user may open: the office's (officers and viewers), the seasons
    of their school or embassy, the editions they are enrolled in, supervise an intern of, or
    chair a Model UN committee of."""
    editions = Edition.objects.select_related("programme")
    if getattr(user, "is_superuser", False):
        return editions
    visible = Q(programme__in=programmes_read_by(user)) | Q(pk__in=editions_taken_part_in(user))
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        visible |= Q(pk__in=Enrolment.objects.filter(person_id=person_id).values("edition_id"))
        if organisations_where(user, Role.SUPERVISOR):
            visible |= Q(
                pk__in=Placement.objects.filter(supervisor_id=person_id).values(
                    "enrolment__edition_id"
                )
            )
        if organisations_where(user, Role.CHAIR):
            visible |= Q(conferences__committees__officers__person_id=person_id)
            return editions.filter(pk__in=Edition.objects.filter(visible).values("pk"))
    return editions.filter(visible)


@dataclass(frozen=True)
class NextStep:
    """What a participant does next on an enrolment: a sentence and the page where it is done."""

    label: str
    url: str


def own_enrolments(user: Any) -> list[Enrolment]:
    """The user's own enrolments with edition, placements (host, department, supervisor),
    certificate, testimonial and final reports loaded, the latest first."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    placements = Prefetch(
        "placements",
        queryset=Placement.objects.exclude(status=PlacementStatus.CANCELLED).select_related(
            "host", "department", "supervisor"
        ),
    )
    return list(
        Enrolment.objects.filter(person_id=person_id)
        .select_related("edition__programme", "certificate", "testimonial")
        .prefetch_related(placements, "final_reports")
        .order_by("-edition__year", "-pk")
    )


def next_step(enrolment: Enrolment) -> NextStep | None:
    """The participant's next step on an enrolment loaded by own_enrolments: download the
    certificate, upload the final report, write the testimonial; None when nothing is theirs
    to do."""
    page = reverse("programmes:enrolment", args=[enrolment.pk])
    certificate = getattr(enrolment, "certificate", None)
    if (
        enrolment.state == EnrolmentState.COMPLETED
        and certificate is not None
        and certificate.revoked_on is None
    ):
        if getattr(enrolment, "testimonial", None) is None:
            return NextStep(_("Write your testimonial"), page + "#testimonial")
        return NextStep(
            _("Download your certificate"), reverse("certificate_pdf", args=[enrolment.pk])
        )
    if enrolment.state in (EnrolmentState.ACTIVE, EnrolmentState.COMPLETED):
        if not enrolment.final_reports.all():
            return NextStep(_("Upload your final report"), page + "#report")
        if getattr(enrolment, "testimonial", None) is None:
            return NextStep(_("Write your testimonial"), page + "#testimonial")
    return None


def supervised_placements(user: Any) -> list[Placement]:
    """The interns the user supervises (placements not cancelled), with their evaluation."""
    return list(
        placements_supervised_by(user)
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related(
            "enrolment__person", "enrolment__edition__programme", "host", "department", "evaluation"
        )
        .order_by("end", "pk")
    )


def evaluation_status(placement: Placement, on: date | None = None) -> str:
    """ "done", "overdue", "due" or "" (not yet) for a placement's evaluation."""
    day = on or timezone.localdate()
    if getattr(placement, "evaluation", None) is not None:
        return "done"
    if placement.end < day - EVALUATION_WINDOW:
        return "overdue"
    if placement.end <= day + EVALUATION_WINDOW:
        return "due"
    return ""


NEEDS = ("decision", "supervisor", "evaluation")


def needing(
    enrolments: QuerySet[Enrolment], need: str, on: date | None = None
) -> QuerySet[Enrolment]:
    """The enrolments among `enrolments` that wait for the office: "decision" (applied or
    eligible, not yet selected), "supervisor" (placed or serving without a supervisor named),
    "evaluation" (a placement whose evaluation is overdue)."""
    day = on or timezone.localdate()
    if need == "decision":
        return enrolments.filter(state__in=[EnrolmentState.APPLIED, EnrolmentState.ELIGIBLE])
    placements = Placement.objects.exclude(status=PlacementStatus.CANCELLED)
    if need == "supervisor":
        placements = placements.filter(
            supervisor__isnull=True,
            enrolment__state__in=[EnrolmentState.PLACED, EnrolmentState.ACTIVE],
        )
    elif need == "evaluation":
        placements = placements.filter(evaluation__isnull=True, end__lt=day - EVALUATION_WINDOW)
    else:
        return enrolments.none()
    return enrolments.filter(pk__in=placements.values("enrolment_id"))


@dataclass(frozen=True)
class ToDo:
    """One line of an officer's to-do list: how many, and per edition where they are."""

    need: str
    count: int
    by_edition: list[tuple[Edition, int]]  # the latest TO_DO_EDITIONS editions
    more_editions: int = 0  # and how many others have some


#: How many editions a line of the to-do list names (the latest); the others are counted.
TO_DO_EDITIONS = 5


def office_to_do(user: Any, on: date | None = None) -> list[ToDo]:
    """The enrolments waiting for the user's office, per need and per edition: one grouped
    query per need, whatever the number of editions, kept until its tables change."""
    managed = enrolments_managed_by(user)
    counted: dict[str, list[tuple[int, int]]] = {}
    for need in NEEDS:
        grouped = (
            needing(managed, need, on)
            .values("edition_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("edition_id", "n")
        )
        # Counted over whole tables: kept until one of the tables read changes (the day is
        # among the query's parameters, so an evaluation falling overdue counts at once).
        scope = scope_of(grouped)
        if not scope.sql:  # a reader who manages nothing
            counted[need] = []
        elif scope.models:
            counted[need] = cached_by_version("to-do", scope, (), functools.partial(list, grouped))
        else:
            counted[need] = list(grouped)
    editions = Edition.objects.select_related("programme").in_bulk(
        {edition_id for rows in counted.values() for edition_id, _n in rows}
    )

    def latest(row: tuple[Edition, int]) -> tuple[int, str, str]:
        edition = row[0]
        return (-edition.year, edition.programme.name, edition.name)

    return [
        ToDo(
            need=need,
            count=sum(n for _e, n in rows),
            by_edition=sorted(((editions[e], n) for e, n in rows), key=latest)[:TO_DO_EDITIONS],
            more_editions=max(0, len(rows) - TO_DO_EDITIONS),
        )
        for need, rows in counted.items()
    ]


def own_pairings(user: Any) -> QuerySet[Any]:
    """The pairings of the user's own schools (coordinator) and embassies (liaison), the
    latest season first."""

    schools = organisations_where(user, Role.COORDINATOR)
    embassies = organisations_where(user, Role.LIAISON)
    return (
        Pairing.objects.filter(Q(school__in=schools) | Q(embassy__in=embassies))
        .select_related("school", "embassy", "edition__programme")
        .order_by("-edition__year", "edition__name", "pk")
    )


# Reminders: what the daily schedule tells people (services.send_reminders sends each once)

#: Interns and supervisors are reminded of a placement from a week before it starts.
START_NOTICE = timedelta(days=7)
#: A reminder whose day passed longer ago than this is not sent any more (the schedule was off
#: for a while): nobody is told in 2027 of an evaluation that was due in 2012.
REMINDER_GRACE = timedelta(days=7)
#: After the evaluation's deadline (EVALUATION_WINDOW after the placement's end), the
#: supervisor is reminded again a week and two weeks later.
OVERDUE_REMINDERS = (7, 14)
#: The participant is reminded of the final report from a week before the placement ends to
#: two weeks after, until one is uploaded.
REPORT_NOTICE = (timedelta(days=7), timedelta(days=14))


def _placements_for_reminders() -> QuerySet[Placement]:
    return (
        Placement.objects.exclude(status=PlacementStatus.CANCELLED)
        .select_related(
            "enrolment__person",
            "enrolment__edition__programme__owner",
            "host",
            "department",
            "supervisor",
        )
        .order_by("pk")
    )


def placements_starting(on: date) -> QuerySet[Placement]:
    """Planned placements starting after `on` and at most START_NOTICE later."""
    return _placements_for_reminders().filter(
        status=PlacementStatus.PLANNED, start__gt=on, start__lte=on + START_NOTICE
    )


def evaluation_deadline(placement: Placement) -> date:
    """The day a placement's evaluation is due by (after that it is overdue)."""
    return placement.end + EVALUATION_WINDOW


def evaluations_awaited(on: date, overdue_by: int = 0) -> QuerySet[Placement]:
    """Placements with a supervisor and no evaluation: with `overdue_by` 0, those whose
    evaluation is due (the placement ended, the deadline has not passed); else those whose
    deadline passed `overdue_by` days ago, or up to REMINDER_GRACE more."""
    if overdue_by:
        latest = on - EVALUATION_WINDOW - timedelta(days=overdue_by)
        earliest = latest - REMINDER_GRACE + timedelta(days=1)
    else:
        latest, earliest = on, on - EVALUATION_WINDOW
    return _placements_for_reminders().filter(
        supervisor__isnull=False,
        evaluation__isnull=True,
        end__gte=earliest,
        end__lte=latest,
        enrolment__state__in=[EnrolmentState.ACTIVE, EnrolmentState.COMPLETED],
    )


def final_reports_awaited(on: date) -> QuerySet[Placement]:
    """Placements ending within REPORT_NOTICE of `on` whose participant (serving or completed)
    has uploaded no final report."""
    before, after = REPORT_NOTICE
    return _placements_for_reminders().filter(
        end__gte=on - after,
        end__lte=on + before,
        enrolment__final_reports__isnull=True,
        enrolment__state__in=[EnrolmentState.ACTIVE, EnrolmentState.COMPLETED],
    )


def journey_steps(person: Person, reader: Any) -> list[Any]:
    """The person's applications, placements, completions and certificates the reader may see
    (directory.journey's provider)."""
    steps = []
    enrolments = (
        enrolments_visible_to(reader)
        .filter(person=person)
        .select_related("edition__programme")
        .prefetch_related("placements__host", "placements__department")
    )
    for enrolment in enrolments:
        edition = enrolment.edition
        where = f"{edition.programme} — {edition.name}"
        url = reverse("programmes:enrolment", args=[enrolment.pk])
        if enrolment.applied_on:
            steps.append(
                Step(
                    enrolment.applied_on,
                    _("Applied to %(edition)s") % {"edition": edition.name},
                    where,
                    url,
                    "applied",
                )
            )
        for placement in enrolment.placements.all():
            if placement.status == PlacementStatus.CANCELLED:
                continue
            host = placement.department or placement.host
            steps.append(
                Step(
                    placement.start,
                    _("Placed at %(host)s until %(end)s")
                    % {"host": host, "end": formats.date_format(placement.end, "DATE_FORMAT")},
                    where,
                    url,
                    "placed",
                )
            )
        if enrolment.completed_on:
            steps.append(
                Step(
                    enrolment.completed_on,
                    _("Completed %(edition)s") % {"edition": edition.name},
                    where,
                    url,
                    "completed",
                )
            )
        elif enrolment.state == EnrolmentState.WITHDRAWN and enrolment.applied_on:
            steps.append(
                Step(
                    enrolment.applied_on,
                    _("Withdrew from %(edition)s") % {"edition": edition.name},
                    where,
                    url,
                    "withdrawn",
                )
            )
        certificate = getattr(enrolment, "certificate", None)
        if certificate is not None and certificate.revoked_on is None:
            steps.append(
                Step(certificate.issued_on, _("Certificate issued"), where, url, "certificate")
            )
    return steps


def programme_people(
    programme: Programme,
    reader: Any,
    *,
    state: str = "",
    edition: int | None = None,
    completed_by: int | None = None,
    citizenship: str = "",
    host: int | None = None,
) -> QuerySet[Enrolment]:
    """The programme's enrolments the reader may see, filtered as the report counts them: a
    state, an edition, completed by the end of a year (completion_year), an exact set of
    citizenships ("KZ", "KZ,RU"; "none": not recorded), a host (0: no placement)."""
    rows = enrolments_visible_to(reader).filter(edition__programme=programme)
    if state:
        rows = rows.filter(state=state)
    if edition is not None:
        rows = rows.filter(edition_id=edition)
    if completed_by is not None:
        rows = rows.filter(state=EnrolmentState.COMPLETED).filter(
            Q(completed_on__year__lte=completed_by)
            | Q(completed_on__isnull=True, edition__year__lte=completed_by)
        )
    if citizenship == "none":
        rows = rows.filter(person__citizenships__isnull=True)
    elif citizenship:
        codes = sorted({code.strip().upper() for code in citizenship.split(",") if code.strip()})
        for code in codes:
            rows = rows.filter(person__citizenships=code)
        rows = rows.annotate(held=Count("person__citizenships", distinct=True)).filter(
            held=len(codes)
        )
    live = Placement.objects.exclude(status=PlacementStatus.CANCELLED)
    if host == 0:
        rows = rows.exclude(placements__in=live)
    elif host is not None:
        rows = rows.filter(placements__in=live.filter(host_id=host))
    return enrolment_list(rows.distinct()).order_by(
        "person__family_name", "person__given_name", "pk"
    )
