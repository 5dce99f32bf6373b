"""Reads of allocation rounds: who sees which round, the stored result, explanations."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.allocation import matching
from chancery.allocation.models import CountryAssignment, Round, RoundHost, RoundKind, RoundStatus
from chancery.allocation.services import instance_of, schools_of
from chancery.core.formats.ordinals import ordinal as localized_ordinal
from chancery.directory.models import Country, Organisation
from chancery.programmes.models import Edition, Enrolment
from chancery.programmes.queries import programmes_managed_by, programmes_read_by

# Visibility


def rounds_read_by(user: Any) -> QuerySet[Round]:
    """Rounds of the programmes whose enrolments the user reads (officers and viewers)."""
    return Round.objects.filter(edition__programme__in=programmes_read_by(user)).select_related(
        "edition__programme", "tie_break_draw"
    )


def rounds_managed_by(user: Any) -> QuerySet[Round]:
    """Rounds an officer of the programme's office may change, run and commit."""
    return Round.objects.filter(edition__programme__in=programmes_managed_by(user))


def explanation_visible_to(user: Any, round: Round, enrolment: Enrolment) -> bool:
    """Officers and viewers see every applicant's; a participant their own, once committed."""
    if rounds_read_by(user).filter(pk=round.pk).exists():
        return round.result is not None
    own = enrolment.person_id is not None and enrolment.person_id == getattr(
        user, "person_id", None
    )
    return own and round.status == RoundStatus.COMMITTED


def schools_coordinated_by(user: Any, round: Round) -> list[Organisation]:
    """The round's schools the user coordinates (a round of countries; else none)."""
    if round.kind != RoundKind.COUNTRIES:
        return []
    mine = organisations_where(user, Role.COORDINATOR)
    return [p.organisation for p in schools_of(round) if p.organisation_id in mine]


def school_explanation_visible_to(user: Any, round: Round, school: Organisation) -> bool:
    """Officers and viewers see every school's; its coordinator, once committed."""
    if rounds_read_by(user).filter(pk=round.pk).exists():
        return round.result is not None
    return (
        school.pk in organisations_where(user, Role.COORDINATOR)
        and round.status == RoundStatus.COMMITTED
    )


def country_rounds_for_coordinator(user: Any) -> list[tuple[Round, Organisation]]:
    """(round, school) for every round of countries where the user coordinates a school."""
    mine = organisations_where(user, Role.COORDINATOR)
    if not mine:
        return []
    rounds = (
        Round.objects.filter(
            kind=RoundKind.COUNTRIES,
            edition__participations__role="school",
            edition__participations__organisation_id__in=mine,
        )
        .distinct()
        .select_related("edition")
    )
    return [(round, school) for round in rounds for school in schools_coordinated_by(user, round)]


# Committed country assignments


def countries_for_edition(edition: Edition) -> dict[int, Country]:
    """School organisation id -> the Model UN country a committed round gave it.

    Empty when no round of countries is committed for the edition (paired editions take their
    countries from the pairings' embassies instead).
    """
    return {
        assignment.school_id: assignment.country
        for assignment in CountryAssignment.objects.filter(edition=edition).select_related(
            "country"
        )
    }


# The stored result


def result_of(round: Round) -> tuple[matching.Instance, matching.MatchingResult] | None:
    """The instance and result rebuilt from the round's stored inputs, or None before a run."""
    if not round.result:
        return None
    stored = round.result
    statistics = dict(stored["statistics"])
    statistics["choice_counts"] = tuple(statistics["choice_counts"])
    result = matching.MatchingResult(
        side=stored["inputs"]["side"],
        assignment=stored["assignment"],
        admitted={host: tuple(names) for host, names in stored["admitted"].items()},
        statistics=matching.Statistics(**statistics),
    )
    return instance_of(stored["inputs"]), result


def stability_problems(round: Round) -> list[str] | None:
    """The stability checker run on the stored result: [] proves it stable; None before a run."""
    rebuilt = result_of(round)
    if rebuilt is None:
        return None
    instance, result = rebuilt
    return [problem.message for problem in matching.check_stability(instance, result)]


def statistics(round: Round) -> matching.Statistics | None:
    """The summary figures of the stored preview or commitment."""
    rebuilt = result_of(round)
    return rebuilt[1].statistics if rebuilt else None


@dataclass(frozen=True)
class AssignmentRow:
    enrolment: Enrolment | None
    host: RoundHost | None
    choice: int | None
    school: Organisation | None = None

    @property
    def applicant(self) -> str:
        if self.school is not None:
            return f"{self.school} (#{self.school.pk})"
        return f"{self.enrolment.person} (#{self.enrolment.pk})" if self.enrolment else ""


def assignments(round: Round) -> list[AssignmentRow]:
    """Every applicant of the stored result with their host and which choice it was."""
    if not round.result:
        return []
    stored = round.result
    hosts = {str(host.pk): host for host in round.hosts.select_related("organisation", "country")}
    ids = [int(a) for a in stored["assignment"]]
    schools = Organisation.objects.in_bulk(ids) if round.kind == RoundKind.COUNTRIES else {}
    enrolments = (
        {}
        if round.kind == RoundKind.COUNTRIES
        else Enrolment.objects.select_related("person").in_bulk(ids)
    )
    rows = []
    for applicant, host_id in stored["assignment"].items():
        enrolment, school = enrolments.get(int(applicant)), schools.get(int(applicant))
        if enrolment is None and school is None:
            continue
        choices = stored["inputs"]["preferences"].get(applicant, [])
        rows.append(
            AssignmentRow(
                enrolment=enrolment,
                school=school,
                host=hosts.get(host_id) if host_id else None,
                choice=choices.index(host_id) + 1 if host_id in choices else None,
            )
        )
    rows.sort(key=lambda row: (row.host is None, str(row.host or ""), row.applicant))
    return rows


# Explanations


def ordinal(n: int) -> str:
    """1st, 2nd, 21st... in the reader's language (1-й in Russian, 1-ші in Kazakh)."""

    return localized_ordinal(n)


@dataclass(frozen=True)
class ReasonLine:
    host: str
    choice: int
    kind: str
    text: str


@dataclass(frozen=True)
class ExplanationView:
    round: Round
    enrolment: Enrolment | None
    host: str | None
    choice: int | None
    headline: str
    reasons: list[ReasonLine]
    explanation: matching.Explanation
    school: Organisation | None = None


def _reason_text(reason: matching.HostReason, host: str, draw_id: int | None) -> str:
    if reason.reason == "no_capacity":
        return _("%(host)s had no places in this round.") % {"host": host}
    if reason.reason == "not_acceptable":
        return _("%(host)s: its own ranking does not include you.") % {"host": host}
    if reason.reason == "full":
        text = ngettext(
            "%(host)s: full (%(capacity)s place) with applicants of higher priority; the last "
            "admitted was #%(cutoff)s in its priority order, you were #%(you)s.",
            "%(host)s: full (%(capacity)s places) with applicants of higher priority; the last "
            "admitted was #%(cutoff)s in its priority order, you were #%(you)s.",
            reason.capacity,
        ) % {
            "host": host,
            "capacity": reason.capacity,
            "cutoff": reason.cutoff_position,
            "you": reason.your_position,
        }
        if reason.cutoff_tier == reason.your_tier:
            text += " " + _(
                "You were in the same priority tier: the order was decided by the "
                "tie-break draw #%(draw)s."
            ) % {"draw": draw_id}
        else:
            text += " " + _(
                "The last admitted was in priority tier %(theirs)s; you were in tier %(yours)s."
            ) % {"theirs": reason.cutoff_tier, "yours": reason.your_tier}
        return text
    return _("%(host)s: %(message)s") % {"host": host, "message": reason.message}


def explanation(round: Round, enrolment: Enrolment) -> ExplanationView | None:
    """Why the applicant got what they got in the round, or None if they took no part."""
    if round.kind != RoundKind.ENROLMENTS:  # its applicants are schools, not enrolments
        return None
    return _explanation(round, str(enrolment.pk), enrolment=enrolment)


def school_explanation(round: Round, school: Organisation) -> ExplanationView | None:
    """Why a school got its Model UN country (or none), or None if it took no part."""
    if round.kind != RoundKind.COUNTRIES:
        return None
    return _explanation(round, str(school.pk), school=school)


def _explanation(
    round: Round,
    applicant: str,
    *,
    enrolment: Enrolment | None = None,
    school: Organisation | None = None,
) -> ExplanationView | None:
    rebuilt = result_of(round)
    if rebuilt is None:
        return None
    instance, result = rebuilt
    if applicant not in instance.applicant_index:
        return None
    found = matching.explain(instance, result, applicant)
    names = {
        str(host.pk): str(host) for host in round.hosts.select_related("organisation", "country")
    }
    draw_id = round.result["inputs"].get("tie_break_draw") if round.result else None
    ranked = bool(instance.preferences[instance.applicant_index[applicant]])
    host_name = names.get(found.host or "", found.host or "")
    if school is not None:
        if found.host is None:
            headline = (
                _("%(school)s got no country: none of its choices could admit it.")
                if ranked
                else _("%(school)s got no country: it chose none in this round.")
            ) % {"school": school}
        else:
            headline = _("%(school)s represents %(country)s (its %(ordinal)s choice).") % {
                "school": school,
                "country": host_name,
                "ordinal": ordinal(found.choice or 0),
            }
    elif found.host is None:
        if ranked:
            headline = _("You were not placed: none of your choices could admit you.")
        else:
            headline = _("You were not placed: you chose no host in this round.")
    else:
        headline = _("You got %(host)s (your %(ordinal)s choice).") % {
            "host": host_name,
            "ordinal": ordinal(found.choice or 0),
        }
    reasons = [
        ReasonLine(
            host=names.get(r.host, r.host),
            choice=r.choice,
            kind=r.reason,
            text=_reason_text(r, names.get(r.host, r.host), draw_id),
        )
        for r in found.reasons
    ]
    return ExplanationView(
        round=round,
        enrolment=enrolment,
        school=school,
        host=names.get(found.host or "") if found.host else None,
        choice=found.choice,
        headline=headline,
        reasons=reasons,
        explanation=found,
    )
