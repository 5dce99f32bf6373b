"""Writes of allocation rounds: hosts and places, preferences, preview, commit, roll back.

A round allocates the edition's *selected* applicants. Hosts without a ranking of their own
share one priority: every applicant in one tier, ties broken by the round's conducted
tie-break draw (an ordering draw over the applicants' entries), so the whole allocation can
be reproduced from the published draw and the stored inputs. Running stores a preview and
checks it is stable; committing places every assigned applicant in one transaction (all or
nothing); rolling back cancels exactly those placements and makes the applicants selected
again, as a whole.

A round of kind "countries" allocates an outreach edition's participating schools to Model UN
countries instead: the school's coordinator ranks the countries, each country has places
(one by default), the tie-break draw orders the schools, and committing records one
CountryAssignment per placed school (rolling back deletes them, as a whole).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chancery.allocation import matching
from chancery.allocation.models import (
    CountryAssignment,
    Preference,
    PriorityRule,
    Round,
    RoundHost,
    RoundKind,
    RoundStatus,
    Side,
)
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.core.tabular import ImportFileError, RowOutcome, read_table, rows_with_errors
from chancery.directory.models import Country, Organisation
from chancery.draws import services as draws
from chancery.draws.lottery import canonical_entry
from chancery.draws.models import Draw, DrawKind, DrawStatus
from chancery.programmes import services as programmes
from chancery.programmes.models import (
    Edition,
    Enrolment,
    EnrolmentState,
    Participation,
    ParticipationRole,
    Placement,
    PlacementStatus,
    ProgrammeKind,
)

#: Enrolments that may state preferences (those not out of the programme).
MAY_PREFER = (
    EnrolmentState.APPLIED,
    EnrolmentState.ELIGIBLE,
    EnrolmentState.SELECTED,
    EnrolmentState.PLACED,
)


ENTRY_NUMBER = re.compile(r"\(#(\d+)\)$")


def applicant_entry(enrolment: Enrolment) -> str:
    """How an applicant appears in the tie-break draw: name and enrolment number."""
    return canonical_entry(programmes.selection_entry(enrolment))


def applicants_of(round: Round) -> list[Enrolment]:
    """The applicants a round allocates: the edition's selected enrolments."""
    return list(
        round.edition.enrolments.filter(state=EnrolmentState.SELECTED)
        .select_related("person")
        .order_by("pk")
    )


def schools_of(round: Round) -> list[Participation]:
    """The applicants of a round of countries: the edition's participating schools."""
    return list(
        round.edition.participations.filter(role=ParticipationRole.SCHOOL)
        .select_related("organisation")
        .order_by("organisation_id")
    )


def school_entry(school: Organisation) -> str:
    """How a school appears in the tie-break draw: name and organisation number."""
    return canonical_entry(f"{school.name_en} (#{school.pk})")


def _pool(round: Round) -> list[tuple[str, str, str]]:
    """The round's applicants as (id, tie-break draw entry, name), by id."""
    if round.kind == RoundKind.COUNTRIES:
        return [
            (str(p.organisation_id), school_entry(p.organisation), str(p.organisation))
            for p in schools_of(round)
        ]
    return [(str(e.pk), applicant_entry(e), str(e.person)) for e in applicants_of(round)]


def _locked(round: Round) -> Round:
    return Round.objects.select_for_update().select_related("edition__programme").get(pk=round.pk)


def _editable(round: Round) -> Round:
    """Lock a round that may still change; a change makes a stored preview stale."""
    round = _locked(round)
    if round.status == RoundStatus.COMMITTED:
        raise ValidationError(
            {"status": _("This round is committed: roll it back before changing it.")}
        )
    if round.result is not None or round.status != RoundStatus.DRAFT:
        round.status = RoundStatus.DRAFT
        round.result = None
    return round


# Rounds, hosts, preferences


@transaction.atomic
def create_round(
    *,
    actor: Any,
    edition: Edition,
    title: str,
    side: str = Side.APPLICANTS,
    start: Any = None,
    tie_break_draw: Draw | None = None,
    priority_rule: str = PriorityRule.DRAW,
    kind: str = RoundKind.ENROLMENTS,
) -> Round:
    """Open a draft round for an edition."""
    if tie_break_draw is not None:
        _check_draw(tie_break_draw, edition, conducted=False)
    if kind == RoundKind.COUNTRIES:
        _check_countries_edition(edition)
        if priority_rule != PriorityRule.DRAW:
            raise ValidationError(
                {
                    "priority_rule": _(
                        "Schools have no class year: a round of countries uses the tie-break draw "
                        "alone."
                    )
                }
            )
    round = Round(
        edition=edition,
        title=title,
        side=side,
        start=start,
        kind=kind,
        tie_break_draw=tie_break_draw,
        priority_rule=priority_rule,
    )
    _save(round, actor)
    return round


def _check_countries_edition(edition: Edition) -> None:
    """Schools get Model UN countries by a round only in an outreach edition not paired."""
    if edition.programme.kind != ProgrammeKind.OUTREACH:
        raise ValidationError(
            {"kind": _("Only an outreach edition allocates schools to Model UN countries.")}
        )
    draw_id = edition.pairings.values_list("draw_id", flat=True).first()
    if draw_id is not None:
        raise ValidationError(
            {
                "kind": _(
                    "This edition's schools are paired with embassies by draw #%(draw)s: their Model "
                    "UN countries come from the pairings, not from a round."
                )
                % {"draw": draw_id}
            }
        )


def _check_ranking(round: Round, ranking: Any) -> list[list[int]] | None:
    if ranking in (None, []):
        return None
    schools = round.kind == RoundKind.COUNTRIES
    if not isinstance(ranking, list) or not all(isinstance(t, list) and t for t in ranking):
        raise ValidationError(
            {
                "ranking": _("Give the ranking as tiers: lists of school numbers, best tier first.")
                if schools
                else _("Give the ranking as tiers: lists of enrolment numbers, best tier first.")
            }
        )
    known = (
        {p.organisation_id for p in schools_of(round)}
        if schools
        else set(round.edition.enrolments.values_list("pk", flat=True))
    )
    seen: set[int] = set()
    for number, tier in enumerate(ranking, start=1):
        for value in tier:
            if type(value) is not int or value not in known:
                message = (
                    _("Tier %(tier)s names %(value)s, which is no school of this edition.")
                    if schools
                    else _("Tier %(tier)s names %(value)s, which is no enrolment of this edition.")
                )
                raise ValidationError({"ranking": message % {"tier": number, "value": value}})
            if value in seen:
                raise ValidationError(
                    {
                        "ranking": _("Enrolment %(value)s is ranked more than once.")
                        % {"value": value}
                    }
                )
            seen.add(value)
    return ranking


def _check_capacity(capacity: Any) -> int:
    if type(capacity) is not int or capacity < 0:
        raise ValidationError(
            {"capacity": _("Give the number of places: a whole number, 0 or more.")}
        )
    return capacity


@transaction.atomic
def add_host(
    *,
    actor: Any,
    round: Round,
    organisation: Organisation,
    capacity: int,
    ranking: list[list[int]] | None = None,
) -> RoundHost:
    """Let a host (or a department) take part in the round with a number of places."""
    round = _editable(round)
    if round.kind == RoundKind.COUNTRIES:
        raise ValidationError(
            {"organisation": _("In a round of countries the hosts are countries: add a country.")}
        )
    if round.hosts.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This host already takes part in the round.")})
    host = RoundHost(
        round=round,
        organisation=organisation,
        capacity=_check_capacity(capacity),
        ranking=_check_ranking(round, ranking),
    )
    _save(host, actor)
    _save(round, actor)
    return host


@transaction.atomic
def add_country(
    *,
    actor: Any,
    round: Round,
    country: Country,
    capacity: int = 1,
    ranking: list[list[int]] | None = None,
) -> RoundHost:
    """Let a Model UN country take part in a round of countries (one school by default)."""
    round = _editable(round)
    if round.kind != RoundKind.COUNTRIES:
        raise ValidationError(
            {"country": _("Countries are hosts only in a round of schools to Model UN countries.")}
        )
    if round.hosts.filter(country=country).exists():
        raise ValidationError({"country": _("This country already takes part in the round.")})
    host = RoundHost(
        round=round,
        country=country,
        capacity=_check_capacity(capacity),
        ranking=_check_ranking(round, ranking),
    )
    _save(host, actor)
    _save(round, actor)
    return host


@transaction.atomic
def set_capacity(*, actor: Any, host: RoundHost, capacity: int, ranking: Any = ...) -> RoundHost:
    """Change a host's number of places (and, when given, its ranking)."""
    round = _editable(host.round)
    host = RoundHost.objects.select_for_update().get(pk=host.pk)
    host.capacity = _check_capacity(capacity)
    if ranking is not ...:
        host.ranking = _check_ranking(round, ranking)
    _save(host, actor)
    _save(round, actor)
    return host


def _replace_preferences(
    actor: Any,
    round: Round,
    enrolment: Enrolment | None,
    hosts: list[RoundHost],
    participation: Participation | None = None,
) -> list[Preference]:
    whose = (
        {"participation": participation} if participation is not None else {"enrolment": enrolment}
    )
    for old in round.preferences.filter(**whose):
        _delete(old, actor)
    created = []
    for rank, host in enumerate(hosts, start=1):
        preference = Preference(round=round, host=host, rank=rank, **whose)
        _save(preference, actor)
        created.append(preference)
    return created


@transaction.atomic
def set_preferences(
    *, actor: Any, round: Round, enrolment: Enrolment, hosts: list[RoundHost]
) -> list[Preference]:
    """Record an applicant's choices, best first (replacing earlier ones)."""
    round = _editable(round)
    if round.kind != RoundKind.ENROLMENTS:
        raise ValidationError(
            {
                "enrolment": _(
                    "In a round of countries the schools choose: record the school's choices."
                )
            }
        )
    if enrolment.edition_id != round.edition_id:
        raise ValidationError({"enrolment": _("This enrolment is not in the round's edition.")})
    if enrolment.state not in MAY_PREFER:
        raise ValidationError(
            {
                "enrolment": _("An enrolment that is %(state)s takes no part.")
                % {"state": enrolment.get_state_display()}
            }
        )
    if any(host.round_id != round.pk for host in hosts):
        raise ValidationError({"hosts": _("Choose among the round's hosts.")})
    if len({host.pk for host in hosts}) != len(hosts):
        raise ValidationError({"hosts": _("Each host can be chosen once.")})
    created = _replace_preferences(actor, round, enrolment, hosts)
    _save(round, actor)
    return created


def participation_of(round: Round, school: Organisation) -> Participation | None:
    """The school's participation in the round's edition, or None."""
    return round.edition.participations.filter(
        role=ParticipationRole.SCHOOL, organisation=school
    ).first()


@transaction.atomic
def set_school_preferences(
    *, actor: Any, round: Round, school: Organisation, hosts: list[RoundHost]
) -> list[Preference]:
    """Record a school's ranked Model UN countries, best first (replacing earlier ones)."""
    round = _editable(round)
    if round.kind != RoundKind.COUNTRIES:
        raise ValidationError({"school": _("Schools choose only in a round of countries.")})
    participation = participation_of(round, school)
    if participation is None:
        raise ValidationError(
            {
                "school": _("%(school)s does not take part in the round's edition as a school.")
                % {"school": school}
            }
        )
    if any(host.round_id != round.pk for host in hosts):
        raise ValidationError({"hosts": _("Choose among the round's countries.")})
    if len({host.pk for host in hosts}) != len(hosts):
        raise ValidationError({"hosts": _("Each country can be chosen once.")})
    created = _replace_preferences(actor, round, None, hosts, participation=participation)
    _save(round, actor)
    return created


# The tie-break draw


def _check_draw(draw: Draw, edition: Edition, *, conducted: bool) -> None:
    if draw.kind != DrawKind.ORDER or draw.edition_id != edition.pk:
        raise ValidationError(
            {"tie_break_draw": _("The tie-break draw must be an ordering draw of this edition.")}
        )
    if conducted and draw.status != DrawStatus.CONDUCTED:
        raise ValidationError(
            {
                "tie_break_draw": _(
                    "The tie-break draw #%(draw)s is %(status)s, not conducted yet: announce and "
                    "conduct it before running the round."
                )
                % {"draw": draw.pk, "status": draw.get_status_display().lower()}
            }
        )


@transaction.atomic
def prepare_tie_break_draw(*, actor: Any, round: Round) -> Draw:
    """A draft ordering draw over the applicants' entries, recorded with the round."""

    round = _editable(round)
    pool = _pool(round)
    if not pool:
        raise ValidationError(
            _(
                "No school takes part in this edition: enrol the schools "
                "before preparing the tie-break draw."
            )
            if round.kind == RoundKind.COUNTRIES
            else _(
                "Nobody in this edition is selected: select the applicants "
                "before preparing the tie-break draw."
            )
        )
    draw = draws.create_draw(
        actor=actor,
        owner=round.edition.programme.owner,
        edition=round.edition,
        kind="order",
        title=_("Tie-break for %(round)s") % {"round": round.title},
        pool=[entry for _id, entry, _name in pool],
    )
    round.tie_break_draw = draw
    _save(round, actor)
    return draw


# Running

NO_DRAW = gettext_noop(
    "Conduct a tie-break draw first: prepare the ordering draw of the applicants, announce it "
    "and conduct it. Ties in the hosts' priorities are broken by its order."
)


def round_inputs(round: Round) -> dict[str, Any]:
    """The matching's inputs as they stand now (ids as strings), or a ValidationError."""
    pool = _pool(round)
    if not pool:
        raise ValidationError(
            {
                "applicants": _("No school takes part in this edition: enrol the schools first.")
                if round.kind == RoundKind.COUNTRIES
                else _("Nobody in this edition is selected: select the applicants first.")
            }
        )
    hosts = list(round.hosts.all())
    if not hosts:
        raise ValidationError({"hosts": _("Add the hosts and their places first.")})
    draw = round.tie_break_draw
    if draw is None:
        raise ValidationError({"tie_break_draw": _(NO_DRAW)})
    _check_draw(draw, round.edition, conducted=True)
    # Entries end with the enrolment number, so a later change of name does not matter.
    ids = {key for key, _entry, _name in pool}
    drawn_ids = [
        match.group(1)
        for entry in draw.published["result"]
        if (match := ENTRY_NUMBER.search(str(entry)))
    ]
    order = list(dict.fromkeys(number for number in drawn_ids if number in ids))
    if len(order) != len(pool):
        drawn = set(order)
        missing = [name for key, _entry, name in pool if key not in drawn]
        raise ValidationError(
            {
                "tie_break_draw": _(
                    "The tie-break draw does not include %(names)s (selected after it was prepared): "
                    "prepare and conduct a new tie-break draw."
                )
                % {"names": ", ".join(missing)}
            }
        )
    known = set(order)
    preferences: dict[str, list[str]] = {a: [] for a in order}
    if round.kind == RoundKind.COUNTRIES:
        chosen = (
            round.preferences.filter(participation__organisation_id__in=ids)
            .order_by("participation__organisation_id", "rank")
            .values_list("participation__organisation_id", "host_id")
        )
    else:
        chosen = (
            round.preferences.filter(enrolment_id__in=ids)
            .order_by("enrolment_id", "rank")
            .values_list("enrolment_id", "host_id")
        )
    for applicant_id, host_id in chosen:
        preferences[str(applicant_id)].append(str(host_id))
    priorities = {}
    for host in hosts:
        if host.ranking:
            tiers = [[str(x) for x in tier if str(x) in known] for tier in host.ranking]
            priorities[str(host.pk)] = [tier for tier in tiers if tier]
    return {
        "preferences": preferences,
        "capacities": {str(host.pk): host.capacity for host in hosts},
        "host_priorities": priorities,
        "global_priority": (
            [order]
            if round.kind == RoundKind.COUNTRIES
            else _global_priority(round, applicants_of(round), order)
        ),
        "tie_break": order,
        "side": round.side,
        "tie_break_draw": draw.pk,
        "tie_break_fingerprint": draw.fingerprint,
    }


def _global_priority(
    round: Round, applicants: list[Enrolment], order: list[str]
) -> list[list[str]]:
    """Tiers by the round's priority rule (unknown class years last); ties by the draw."""
    if round.priority_rule == PriorityRule.DRAW:
        return [order]
    years = {str(e.pk): e.person.class_year for e in applicants}
    known = {pk: float(year) for pk, year in years.items() if year is not None}
    tiers = matching.tiers_from_scores(
        known, higher_is_better=round.priority_rule == PriorityRule.RECENT_CLASS
    )
    unknown = [pk for pk in order if years[pk] is None]
    return [*tiers, unknown] if unknown else tiers


def instance_of(inputs: dict[str, Any]) -> matching.Instance:
    """The matching instance of stored inputs."""
    try:
        return matching.build_instance(
            inputs["preferences"],
            inputs["capacities"],
            host_priorities=inputs["host_priorities"] or None,
            global_priority=inputs["global_priority"],
            tie_break=inputs["tie_break"],
        )
    except matching.AllocationError as error:
        raise ValidationError({"inputs": str(error)}) from None


@transaction.atomic
def run_round(*, actor: Any, round: Round) -> Round:
    """Compute the stable allocation and store it as a preview (nothing is placed yet)."""
    round = _locked(round)
    if round.status == RoundStatus.COMMITTED:
        raise ValidationError(
            {"status": _("This round is committed and cannot run again; roll it back first.")}
        )
    inputs = round_inputs(round)
    instance = instance_of(inputs)
    result = matching.solve(instance, inputs["side"])
    problems = matching.check_stability(instance, result)
    if problems:  # pragma: no cover - deferred acceptance is stable by construction
        raise ValidationError({"result": [str(problem) for problem in problems]})
    round.result = {
        "inputs": inputs,
        "assignment": dict(result.assignment),
        "admitted": {host: list(names) for host, names in result.admitted.items()},
        "statistics": asdict(result.statistics),
        "run_at": timezone.now().isoformat(),
    }
    round.status = RoundStatus.PREVIEWED
    _save(round, actor)
    return round


def _host_and_department(organisation: Organisation) -> tuple[Organisation, Organisation | None]:
    ancestors = organisation.ancestors()
    return (ancestors[-1], organisation) if ancestors else (organisation, None)


def _name_error(error: ValidationError, who: str) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                name: [f"{who}: {message}" for message in messages]
                for name, messages in error.message_dict.items()
            }
        )
    return ValidationError([f"{who}: {message}" for message in error.messages])


@transaction.atomic
def commit_round(*, actor: Any, round: Round) -> Round:
    """Place every assigned applicant, in one transaction: all of them or nobody."""
    round = _locked(round)
    if round.status == RoundStatus.COMMITTED:
        raise ValidationError({"status": _("This round is already committed.")})
    if round.status != RoundStatus.PREVIEWED or not round.result:
        raise ValidationError({"status": _("Run a preview before committing.")})
    if round.kind == RoundKind.COUNTRIES:
        return _commit_countries(actor, round)
    start = round.start or round.edition.starts_on
    if start is None:
        raise ValidationError(
            {"start": _("Give the round (or its edition) a start date for the placements.")}
        )
    hosts = {str(host.pk): host for host in round.hosts.select_related("organisation")}
    enrolments = Enrolment.objects.select_related("person").in_bulk(
        [int(a) for a, h in round.result["assignment"].items() if h is not None]
    )
    placements: dict[str, int] = {}
    for applicant, host_id in round.result["assignment"].items():
        if host_id is None:
            continue
        enrolment = enrolments.get(int(applicant))
        host = hosts.get(host_id)
        if enrolment is None or host is None or host.organisation is None:
            raise ValidationError(
                {"result": _("The preview names records that no longer exist: run it again.")}
            )
        who = f"{enrolment.person} (#{enrolment.pk})"
        if enrolment.state != EnrolmentState.SELECTED:
            raise ValidationError(
                {
                    "state": _(
                        "%(who)s is %(state)s, not selected: nothing was placed; run the preview "
                        "again."
                    )
                    % {"who": who, "state": enrolment.get_state_display().lower()}
                }
            )
        organisation, department = _host_and_department(host.organisation)
        try:
            placement = programmes.place(
                actor=actor,
                enrolment=enrolment,
                host=organisation,
                department=department,
                start=start,
            )
        except ValidationError as error:
            raise _name_error(error, who) from None
        placements[applicant] = placement.pk
    round.result = {**round.result, "placements": placements}
    round.status = RoundStatus.COMMITTED
    round.committed_at = timezone.now()
    _save(round, actor)
    return round


@transaction.atomic
def rollback_round(*, actor: Any, round: Round) -> Round:
    """Cancel the round's placements and make those applicants selected again, as a whole."""
    round = _locked(round)
    if round.status != RoundStatus.COMMITTED:
        raise ValidationError({"status": _("Only a committed round can be rolled back.")})
    if round.kind == RoundKind.COUNTRIES:
        return _rollback_countries(actor, round)
    reason = _("Allocation round #%(round)s was rolled back.") % {"round": round.pk}
    assert round.result is not None  # a round is committed from its preview's result
    for placement_id in round.result.get("placements", {}).values():
        placement = (
            Placement.objects.select_for_update()
            .select_related("enrolment__person")
            .get(pk=placement_id)
        )
        enrolment = Enrolment.objects.select_for_update().get(pk=placement.enrolment_id)
        if placement.status != PlacementStatus.PLANNED or enrolment.state != EnrolmentState.PLACED:
            raise ValidationError(
                {
                    "state": _(
                        "%(who)s has moved on (%(state)s): the round can only be rolled back as a "
                        "whole, and it no longer can."
                    )
                    % {"who": placement.enrolment.person, "state": enrolment.get_state_display()}
                }
            )
        programmes.cancel_placement(actor=actor, placement=placement, reason=reason)
    round.status = RoundStatus.ROLLED_BACK
    round.committed_at = None
    _save(round, actor)
    return round


def _commit_countries(actor: Any, round: Round) -> Round:
    """Record each placed school's Model UN country (the caller holds the round's lock)."""
    _check_countries_edition(round.edition)
    assert round.result is not None  # commit_round has checked that the round has a preview
    hosts = {str(host.pk): host for host in round.hosts.select_related("country")}
    schools = {str(p.organisation_id): p.organisation for p in schools_of(round)}
    assignments: dict[str, int] = {}
    for applicant, host_id in round.result["assignment"].items():
        if host_id is None:
            continue
        school, host = schools.get(applicant), hosts.get(host_id)
        if school is None or host is None or host.country is None:
            raise ValidationError(
                {"result": _("The preview names records that no longer exist: run it again.")}
            )
        assignment = CountryAssignment(
            edition=round.edition, school=school, country=host.country, round=round
        )
        try:
            _save(assignment, actor)
        except ValidationError as error:
            raise _name_error(error, str(school)) from None
        assignments[applicant] = assignment.pk
    round.result = {**round.result, "country_assignments": assignments}
    round.status = RoundStatus.COMMITTED
    round.committed_at = timezone.now()
    _save(round, actor)
    return round


def _rollback_countries(actor: Any, round: Round) -> Round:
    """Delete every country assignment the round made (the caller holds the round's lock)."""
    for assignment in CountryAssignment.objects.select_for_update().filter(round=round):
        _delete(assignment, actor)
    round.status = RoundStatus.ROLLED_BACK
    round.committed_at = None
    _save(round, actor)
    return round


# Importing preferences and capacities

IMPORT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("applicant", gettext_lazy("Enrolment number of the applicant (12 or #12).")),
    ("host", gettext_lazy("A host of the round: its organisation id or English name.")),
    ("rank", gettext_lazy("The applicant's choice: 1 for the first, 2 for the second...")),
    ("capacity", gettext_lazy("Optional: the host's number of places (0 or more).")),
)

COUNTRY_IMPORT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("applicant", gettext_lazy("The school: its organisation number (12 or #12) or English name.")),
    ("host", gettext_lazy("A country of the round: its ISO code (KZ or KAZ) or English name.")),
    ("rank", gettext_lazy("The school's choice: 1 for the first, 2 for the second...")),
    ("capacity", gettext_lazy("Optional: the country's number of schools (0 or more).")),
)


def import_columns(round: Round) -> tuple[tuple[str, Any], ...]:
    """The columns an import file of this round has, with their meaning."""
    return COUNTRY_IMPORT_COLUMNS if round.kind == RoundKind.COUNTRIES else IMPORT_COLUMNS


@dataclass
class PreferenceRow(RowOutcome):
    """What the import of choices and capacities does with one row, or why it cannot."""

    applicant: str = ""
    host: str = ""
    rank: str = ""
    capacity: str = ""


@dataclass
class ImportResult:
    rows: list[PreferenceRow]
    written: bool

    @property
    def error_count(self) -> int:
        return rows_with_errors(self.rows)

    @property
    def messages(self) -> list[str]:
        return [message for row in self.rows for message in row.messages]


def _whole_number(text: str) -> int | None:
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    return sign * int(digits) if digits.isdigit() and len(digits) < 10 else None


def _plan_import(
    round: Round, header: list[str], rows: Any
) -> tuple[list[PreferenceRow], dict[int, int], dict[int, list[tuple[int, int]]]]:
    names = [cell.strip().lstrip("\ufeff").lower() for cell in header]
    unknown = [name for name in names if name and name not in dict(IMPORT_COLUMNS)]
    if unknown or "host" not in names:
        raise ValidationError(
            {
                "file": _(
                    "The columns must be applicant, host, rank and capacity (host is required); "
                    "unknown: %(names)s."
                )
                % {"names": ", ".join(unknown) or "—"}
            }
        )
    countries = round.kind == RoundKind.COUNTRIES
    hosts = list(round.hosts.select_related("organisation", "country"))
    by_name: dict[str, RoundHost] = {}
    by_id: dict[str, RoundHost] = {}
    host: RoundHost | None
    for host in hosts:
        if host.country is not None:
            by_name[host.country.name_en.strip().casefold()] = host
            by_id[host.country.alpha2.casefold()] = host
            by_id[host.country.alpha3.casefold()] = host
        elif host.organisation is not None:
            by_name[host.organisation.name_en.strip().casefold()] = host
            by_id[str(host.organisation_id)] = host
    applicants: dict[int, Any]
    if countries:
        applicants = {p.organisation_id: p for p in schools_of(round)}
        school_names = {
            p.organisation.name_en.strip().casefold(): p.organisation_id
            for p in applicants.values()
        }
    else:
        applicants = {e.pk: e for e in round.edition.enrolments.filter(state__in=MAY_PREFER)}
    outcomes: list[PreferenceRow] = []
    capacities: dict[int, int] = {}
    choices: dict[int, list[tuple[int, int]]] = {}
    seen_rank: dict[tuple[int, int], int] = {}
    seen_host: dict[tuple[int, int], int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(names, (cell.strip() for cell in cells), strict=False))
        outcome = PreferenceRow(
            number=number,
            applicant=values.get("applicant", ""),
            host=values.get("host", ""),
            rank=values.get("rank", ""),
            capacity=values.get("capacity", ""),
        )
        outcomes.append(outcome)
        key = outcome.host.casefold() if countries else outcome.host
        host = by_id.get(key) or by_name.get(outcome.host.casefold())
        if not outcome.host:
            outcome.error("host", _("give the country") if countries else _("give the host"))
        elif host is None:
            outcome.error(
                "host",
                (
                    _("unknown country %(value)r: it does not take part in the round")
                    if countries
                    else _("unknown host %(value)r: it does not take part in the round")
                )
                % {"value": outcome.host},
            )
        if outcome.capacity:
            capacity = _whole_number(outcome.capacity)
            if capacity is None:
                outcome.error(
                    "capacity", _("%(value)r is not a whole number") % {"value": outcome.capacity}
                )
            elif capacity < 0:
                outcome.error(
                    "capacity", _("capacity below zero (%(value)s)") % {"value": capacity}
                )
            elif host is not None:
                capacities[host.pk] = capacity
        if not outcome.applicant:
            if not outcome.capacity:
                outcome.error("applicant", _("give the applicant and the rank, or the capacity"))
            continue
        text = outcome.applicant.lstrip("#")
        wanted = int(text) if text.isdigit() and len(text) < 19 else None
        if countries and wanted is None:
            wanted = school_names.get(outcome.applicant.casefold())
        enrolment = applicants.get(wanted) if wanted is not None else None
        if enrolment is None:
            outcome.error(
                "applicant",
                (
                    _("unknown school %(value)r: no school of this edition")
                    if countries
                    else _("unknown applicant %(value)r: no enrolment of this edition")
                )
                % {"value": outcome.applicant},
            )
        rank = _whole_number(outcome.rank) if outcome.rank else None
        if rank is None or rank < 1:
            outcome.error(
                "rank", _("give a rank of 1 or more, not %(value)r") % {"value": outcome.rank}
            )
        if enrolment is None or rank is None or rank < 1 or host is None:
            continue
        applicant_id = int(wanted or 0)
        earlier = seen_rank.setdefault((applicant_id, rank), number)
        if earlier != number:
            outcome.error(
                "rank",
                _("duplicate rank %(rank)s for applicant #%(id)s (also on row %(row)s)")
                % {"rank": rank, "id": applicant_id, "row": earlier},
            )
            continue
        earlier = seen_host.setdefault((applicant_id, host.pk), number)
        if earlier != number:
            outcome.error(
                "host",
                _("applicant #%(id)s already ranks this host (row %(row)s)")
                % {"id": applicant_id, "row": earlier},
            )
            continue
        choices.setdefault(applicant_id, []).append((rank, host.pk))
    return outcomes, capacities, choices


@transaction.atomic
def import_preferences(
    *, actor: Any, round: Round, data: bytes, filename: str, dry_run: bool = True
) -> ImportResult:
    """Check (dry run) or import a CSV/XLSX of choices and capacities: all rows or none."""
    round = _editable(round) if not dry_run else _locked(round)
    if dry_run and round.status == RoundStatus.COMMITTED:
        raise ValidationError(
            {"status": _("This round is committed: roll it back before changing it.")}
        )
    try:
        header, rows = read_table(data, filename)
        outcomes, capacities, choices = _plan_import(round, header, rows)
    except ImportFileError as error:
        raise ValidationError({"file": str(error).removeprefix("file: ")}) from None
    if dry_run or any(outcome.errors for outcome in outcomes):
        if not dry_run:
            transaction.set_rollback(True)
        return ImportResult(rows=outcomes, written=False)
    hosts = {host.pk: host for host in round.hosts.all()}
    for host_id, capacity in capacities.items():
        host = hosts[host_id]
        host.capacity = capacity
        _save(host, actor)
    if round.kind == RoundKind.COUNTRIES:
        participations = {p.organisation_id: p for p in schools_of(round)}
        for school_id, ranked in choices.items():
            _replace_preferences(
                actor,
                round,
                None,
                [hosts[host_id] for _rank, host_id in sorted(ranked)],
                participation=participations[school_id],
            )
        _save(round, actor)
        return ImportResult(rows=outcomes, written=True)
    enrolments = Enrolment.objects.in_bulk(list(choices))
    for enrolment_id, ranked in choices.items():
        _replace_preferences(
            actor,
            round,
            enrolments[enrolment_id],
            [hosts[host_id] for _rank, host_id in sorted(ranked)],
        )
    _save(round, actor)
    return ImportResult(rows=outcomes, written=True)
