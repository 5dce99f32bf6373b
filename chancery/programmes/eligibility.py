"""Eligibility rules as data, evaluated by one pure function.

Pure standard-library code: no Django, no I/O, no clock.  An officer edits a programme's
rules in the UI; each is stored as JSON (``kind`` + ``params``, plus optional wording).
:func:`validate_rule` checks and normalises a rule before it is stored, and
:func:`evaluate` applies a list of rules to one candidate and returns a :class:`Decision`
with *every* rule's outcome, passed or failed, each with a
:class:`~chancery.core.messages.Message` (a code and its values, which the app words in the
reader's language; ``Check.reason`` is the English reading).

Rule kinds (see :data:`RULE_KINDS`)::

    citizenship_in              {"countries": ["KZ", "KG", "AF"]}
    graduate_of                 {"organisation": 12, "name": "OSCE Academy"}   (name optional)
    class_year_between          {"min": 2005 | null, "max": 2030 | null}
    age_between                 {"min": 18 | null, "max": 35 | null}
    host_country_is_citizenship {}
    host_covered_by_agreement   {}
    manual                      {"text": "..."}

Conventions this module fixes:

* Nothing is guessed: an unrecorded citizenship, class year, birth date, host country or
  start date fails the rule that needs it, with a reason saying what is missing.
* A rule about the host (``host_country_is_citizenship``, ``host_covered_by_agreement``)
  cannot be judged before a host is known: with no host it is *pending*, "to be checked at
  placement", which does not block; it is judged when a placement names the host.
* Bounds are inclusive.  Age is in completed years on the start date, so ``max: 35``
  admits a person up to the day before their 36th birthday; a person born on 29 February
  turns a year older on 1 March in a common year.
* An agreement covers a host when one of its parties is in ``host.lineage`` (the host and
  its ancestors, so a ministry's agreement covers its departments), its status is not
  ``draft`` or ``terminated``, and ``in_force_from <= start <= in_force_until`` (no
  ``in_force_until``: open-ended; no ``in_force_from``: never in force).
* A ``manual`` rule never blocks: it passes with a reason starting "Checked by hand: ".
* A stored rule that no longer validates (for example an unknown kind) fails with a reason
  naming the problem instead of raising, so one bad rule cannot hide the other reasons.
* The decision is eligible exactly when every check passed (a pending check counts as
  passed for now); no rules means eligible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from chancery.core.messages import Message, message

__all__ = [
    "HOST_RULES",
    "RULE_KINDS",
    "AgreementFact",
    "Candidate",
    "Check",
    "Decision",
    "Host",
    "Rule",
    "RuleError",
    "evaluate",
    "validate_rule",
]


class RuleError(ValueError):
    """A malformed rule: unknown kind, or a missing, unknown or ill-typed parameter."""

    def __init__(self, why: Message) -> None:
        super().__init__(why.text)
        self.message = why


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class Candidate:
    """The facts about an applicant that the rules look at."""

    person_id: int
    citizenships: frozenset[str]  # ISO 3166 alpha-2; empty means not recorded
    class_year: int | None
    birth_date: date | None
    graduate_of: frozenset[int]  # ids of organisations the person is an alumnus of


@dataclass(frozen=True, slots=True)
class Host:
    """A host organisation; ``lineage`` is its id followed by its ancestors' ids."""

    organisation_id: int
    name: str
    country: str | None
    lineage: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AgreementFact:
    """An agreement as the rules see it (``in_force_until`` None: open-ended)."""

    agreement_id: int
    title: str
    party_ids: frozenset[int]
    in_force_from: date | None
    in_force_until: date | None
    status: str  # "in_force", "draft", "expired" or "terminated"


@dataclass(frozen=True, slots=True)
class Rule:
    """One eligibility condition as data; ``label`` is the officer's optional wording."""

    kind: str
    params: Mapping[str, object] = field(hash=False)
    label: str = ""


@dataclass(frozen=True, slots=True)
class Check:
    """One rule's outcome with the message saying why; a ``pending`` check (a host rule
    before any host is known) passes for now and is judged again at placement."""

    rule: Rule
    passed: bool
    message: Message
    pending: bool = False

    def __post_init__(self) -> None:
        if self.pending and not self.passed:
            raise ValueError("a pending check does not block: it passes for now")

    @property
    def reason(self) -> str:
        """The English reading of the message."""
        return self.message.text


@dataclass(frozen=True, slots=True)
class Decision:
    """Eligible exactly when every check passed; the checks are in rule order."""

    eligible: bool
    checks: tuple[Check, ...]

    def __post_init__(self) -> None:
        if self.eligible != all(check.passed for check in self.checks):
            raise ValueError("a decision is eligible exactly when every check passed")

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every check's reason in rule order ("no eligibility rules" when there are none)."""
        if not self.checks:
            return ("no eligibility rules",)
        return tuple(check.reason for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed, in rule order."""
        return tuple(check for check in self.checks if not check.passed)

    @property
    def pending(self) -> tuple[Check, ...]:
        """The checks left for the placement to judge, in rule order."""
        return tuple(check for check in self.checks if check.pending)


# ---------------------------------------------------------------------- rule kinds

RULE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "citizenship_in": "The candidate holds the citizenship of at least one of the countries.",
        "graduate_of": "The candidate is a graduate (alumnus) of the organisation.",
        "class_year_between": "The candidate's class year is within the bounds (inclusive).",
        "age_between": "The candidate's age in completed years on the start date is within "
        "the bounds (inclusive).",
        "host_country_is_citizenship": "The host organisation is in a country of the "
        "candidate's citizenship.",
        "host_covered_by_agreement": "An agreement in force on the start date has the host "
        "organisation, or an organisation it belongs to, as a party.",
        "manual": "A condition an officer checks by hand; it never blocks.",
    }
)

_PARAMS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "citizenship_in": frozenset({"countries"}),
        "graduate_of": frozenset({"organisation", "name"}),
        "class_year_between": frozenset({"min", "max"}),
        "age_between": frozenset({"min", "max"}),
        "host_country_is_citizenship": frozenset(),
        "host_covered_by_agreement": frozenset(),
        "manual": frozenset({"text"}),
    }
)

_COUNTRY = re.compile(r"[A-Za-z]{2}")
_NOT_IN_FORCE = frozenset({"draft", "terminated"})

#: The rules that judge the host: with no host yet, they wait for the placement.
HOST_RULES = frozenset({"host_country_is_citizenship", "host_covered_by_agreement"})


def _is_int(value: object) -> bool:
    """An int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def _required(kind: str, params: Mapping[str, object], name: str) -> object:
    """The parameter's value, or a RuleError saying it is missing."""
    if name not in params:
        raise RuleError(
            message("missing", f"{kind}: the parameter '{name}' is missing.", kind=kind, name=name)
        )
    return params[name]


def _countries(kind: str, params: Mapping[str, object]) -> list[str]:
    """A non-empty list of distinct upper-case two-letter codes, in the order given."""
    value = _required(kind, params, "countries")
    if not isinstance(value, list | tuple) or not value:
        raise RuleError(
            message(
                "countries_list",
                f"{kind}: the parameter 'countries' must be "
                f"a non-empty list of two-letter country codes, got {value!r}.",
                kind=kind,
                value=repr(value),
            )
        )
    codes: list[str] = []
    for item in value:
        if not isinstance(item, str) or not _COUNTRY.fullmatch(item):
            raise RuleError(
                message(
                    "country_code",
                    f"{kind}: the parameter 'countries' must "
                    f"hold two-letter country codes such as 'KZ', got {item!r}.",
                    kind=kind,
                    value=repr(item),
                )
            )
        if item.upper() not in codes:
            codes.append(item.upper())
    return codes


def _bounds(kind: str, params: Mapping[str, object]) -> dict[str, object]:
    """``min`` and ``max``: whole numbers or null, at least one given, min <= max."""
    bounds: dict[str, int | None] = {}
    for name in ("min", "max"):
        value = params.get(name)
        if value is not None and not _is_int(value):
            raise RuleError(
                message(
                    "bound_type",
                    f"{kind}: the parameter '{name}' must be a "
                    f"whole number or null, got {value!r}.",
                    kind=kind,
                    name=name,
                    value=repr(value),
                )
            )
        bounds[name] = value if isinstance(value, int) else None
    low, high = bounds["min"], bounds["max"]
    if low is None and high is None:
        raise RuleError(
            message(
                "no_bounds",
                f"{kind}: give at least one of the parameters 'min' and 'max'.",
                kind=kind,
            )
        )
    if low is not None and high is not None and low > high:
        raise RuleError(
            message(
                "bounds_order",
                f"{kind}: the parameter 'min' ({low}) is greater than 'max' ({high}).",
                kind=kind,
                min=low,
                max=high,
            )
        )
    return {"min": low, "max": high}


def validate_rule(kind: str, params: Mapping[str, object], *, label: str = "") -> Rule:
    """A rule with normalised, JSON-ready params, or a RuleError naming the parameter."""
    if kind not in RULE_KINDS:
        raise RuleError(
            message(
                "unknown_kind",
                f"Unknown rule kind {kind!r}; the kinds are {', '.join(sorted(RULE_KINDS))}.",
                kind=str(kind),
            )
        )
    if not isinstance(params, Mapping):
        raise RuleError(
            message(
                "params_type",
                f"{kind}: the parameters must be an object, got {params!r}.",
                kind=kind,
            )
        )
    for key in params:
        if key not in _PARAMS[kind]:
            raise RuleError(
                message(
                    "unknown_param", f"{kind}: unknown parameter {key!r}.", kind=kind, name=str(key)
                )
            )
    normal: dict[str, object] = {}
    if kind == "citizenship_in":
        normal["countries"] = _countries(kind, params)
    elif kind == "graduate_of":
        organisation = _required(kind, params, "organisation")
        if not _is_int(organisation):
            raise RuleError(
                message(
                    "organisation_id",
                    f"{kind}: the parameter 'organisation' "
                    f"must be an organisation id (a whole number), got "
                    f"{organisation!r}.",
                    kind=kind,
                    value=repr(organisation),
                )
            )
        name = params.get("name", "")
        if not isinstance(name, str):
            raise RuleError(
                message(
                    "name_type",
                    f"{kind}: the parameter 'name' must be text, got {name!r}.",
                    kind=kind,
                    value=repr(name),
                )
            )
        normal.update(organisation=organisation, name=name.strip())
    elif kind in ("class_year_between", "age_between"):
        normal.update(_bounds(kind, params))
    elif kind == "manual":
        text = _required(kind, params, "text")
        if not isinstance(text, str) or not text.strip():
            raise RuleError(
                message(
                    "text_blank",
                    f"{kind}: the parameter 'text' must be non-blank text, got {text!r}.",
                    kind=kind,
                )
            )
        normal["text"] = text.strip()
    return Rule(kind=kind, params=normal, label=label)


# ---------------------------------------------------------------------- evaluation

_NO_CITIZENSHIP = message("no_citizenship", "citizenship is not recorded")

_Evaluator = Callable[
    [Mapping[str, object], Candidate, Host | None, date | None, Sequence[AgreementFact]],
    tuple[bool, Message],
]


def _list(codes: Sequence[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} or {codes[-1]}"


def _and(codes: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} and {codes[-1]}"


def _held(candidate: Candidate) -> list[str]:
    """The candidate's citizenships, upper-case and sorted."""
    return sorted({code.upper() for code in candidate.citizenships})


def _citizenship_in(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    countries = params["countries"]
    wanted = [str(code) for code in countries] if isinstance(countries, list) else []
    held = _held(candidate)
    if not held:
        return False, _NO_CITIZENSHIP
    matching = [code for code in held if code in wanted]
    if matching:
        return True, message(
            "citizen_of",
            f"citizen of {_and(matching)}, one of {_list(wanted)}",
            held=tuple(matching),
            wanted=tuple(wanted),
        )
    return False, message(
        "not_citizen_of",
        f"citizen of {_and(held)}, not of {_list(wanted)}",
        held=tuple(held),
        wanted=tuple(wanted),
    )


def _graduate_of(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    organisation = params["organisation"]
    name = str(params["name"]) or f"organisation {organisation}"
    if organisation in candidate.graduate_of:
        return True, message(
            "graduate_of",
            f"graduate of {name}",
            organisation=organisation,
            name=str(params["name"]),
        )
    return False, message(
        "not_graduate_of",
        f"not a graduate of {name}",
        organisation=organisation,
        name=str(params["name"]),
    )


def _within(value: int, params: Mapping[str, object]) -> tuple[bool, str, str]:
    """Whether value is within min..max, how (a code suffix) and the English words."""
    low, high = params["min"], params["max"]
    if isinstance(low, int) and value < low:
        return False, "under", f"under the minimum of {low}"
    if isinstance(high, int) and value > high:
        return False, "over", f"over the maximum of {high}"
    if isinstance(low, int) and isinstance(high, int):
        return True, "within", f"within {low} to {high}"
    if isinstance(low, int):
        return True, "at_least", f"at least {low}"
    return True, "at_most", f"at most {high}"


def _class_year_between(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    if candidate.class_year is None:
        return False, message("no_class_year", "class year is not recorded")
    passed, how, words = _within(candidate.class_year, params)
    return passed, message(
        f"class_year_{how}",
        f"class year {candidate.class_year}, {words}",
        year=candidate.class_year,
        min=params["min"],
        max=params["max"],
    )


def _age_on(birth: date, day: date) -> int:
    """Completed years on ``day`` (a 29 February birthday counts from 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age_between(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    if candidate.birth_date is None:
        return False, message("no_birth_date", "birth date is not recorded")
    if start is None:
        return False, message("no_start_for_age", "no start date to measure age on")
    if candidate.birth_date > start:
        return False, message(
            "born_after_start",
            f"birth date "
            f"{candidate.birth_date.isoformat()} is after the start date "
            f"{start.isoformat()}",
            birth_date=candidate.birth_date,
            start=start,
        )
    age = _age_on(candidate.birth_date, start)
    passed, how, words = _within(age, params)
    return passed, message(
        f"age_{how}",
        f"aged {age} on {start.isoformat()}, {words}",
        age=age,
        start=start,
        min=params["min"],
        max=params["max"],
    )


def _host_country_is_citizenship(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    assert host is not None  # _check makes a host rule pending without a host
    if not host.country:
        return False, message(
            "no_host_country",
            f"the country of {host.name} is not recorded",
            host=host.organisation_id,
            host_name=host.name,
        )
    held = _held(candidate)
    if not held:
        return False, _NO_CITIZENSHIP
    country = host.country.upper()
    if country in held:
        return True, message(
            "host_in_citizenship",
            f"{host.name} is in {country}, a country of their citizenship",
            host=host.organisation_id,
            host_name=host.name,
            country=country,
        )
    return False, message(
        "host_not_in_citizenship",
        f"{host.name} is in {country}, not a country of their citizenship ({_and(held)})",
        host=host.organisation_id,
        host_name=host.name,
        country=country,
        held=tuple(held),
    )


def _term(agreement: AgreementFact) -> str:
    """'in force from 2010-09-10' or 'in force from 2010-09-10 until 2015-09-09'."""
    assert agreement.in_force_from is not None
    text = f"in force from {agreement.in_force_from.isoformat()}"
    if agreement.in_force_until is not None:
        text += f" until {agreement.in_force_until.isoformat()}"
    return text


def _why_not_in_force(agreement: AgreementFact, start: date) -> Message | None:
    """Why the agreement is not in force on ``start``, or None if it is (the message names
    the agreement by its title and its id, which the wording reads in the reader's language)."""
    title = agreement.title
    named = {"agreement": title, "agreement_id": agreement.agreement_id}
    if agreement.status == "draft":
        return message("agreement_draft", f"{title} is still a draft", **named)
    if agreement.status == "terminated":
        return message("agreement_terminated", f"{title} was terminated", **named)
    if agreement.in_force_from is None:
        return message("agreement_no_entry", f"{title} has no date of entry into force", **named)
    if start < agreement.in_force_from:
        return message(
            "agreement_not_yet",
            f"{title} came into force only on {agreement.in_force_from.isoformat()}",
            **named,
            date=agreement.in_force_from,
        )
    if agreement.in_force_until is not None and agreement.in_force_until < start:
        return message(
            "agreement_ended",
            f"{title} ended on {agreement.in_force_until.isoformat()}",
            **named,
            date=agreement.in_force_until,
        )
    return None


def _host_covered_by_agreement(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    assert host is not None  # _check makes a host rule pending without a host
    if start is None:
        return False, message("no_start_for_agreements", "no start date to check the agreements on")
    lineage = frozenset(host.lineage) | {host.organisation_id}
    gaps: list[Message] = []
    for agreement in agreements:
        if not agreement.party_ids & lineage:
            continue
        why = _why_not_in_force(agreement, start)
        if why is None:
            return True, message(
                "covered_by",
                f"covered by {agreement.title} ({_term(agreement)})",
                agreement=agreement.title,
                agreement_id=agreement.agreement_id,
                start=agreement.in_force_from,
                until=agreement.in_force_until,
            )
        gaps.append(why)
    reason = f"no agreement in force on {start.isoformat()} covers {host.name}"
    if gaps:
        reason += f": {'; '.join(gap.text for gap in gaps)}"
    return False, message(
        "not_covered",
        reason,
        start=start,
        host=host.organisation_id,
        host_name=host.name,
        gaps=tuple(gaps),
    )


def _manual(
    params: Mapping[str, object],
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> tuple[bool, Message]:
    return True, message("manual", f"Checked by hand: {params['text']}", text=str(params["text"]))


_EVALUATORS: Mapping[str, _Evaluator] = MappingProxyType(
    {
        "citizenship_in": _citizenship_in,
        "graduate_of": _graduate_of,
        "class_year_between": _class_year_between,
        "age_between": _age_between,
        "host_country_is_citizenship": _host_country_is_citizenship,
        "host_covered_by_agreement": _host_covered_by_agreement,
        "manual": _manual,
    }
)


def _check(
    rule: Rule,
    candidate: Candidate,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> Check:
    """One rule's outcome; a rule that does not validate fails with the problem as reason."""
    try:
        params = validate_rule(rule.kind, rule.params).params
    except RuleError as error:
        return Check(
            rule=rule,
            passed=False,
            message=message(
                "cannot_apply", f"this rule cannot be applied: {error}", error=error.message
            ),
        )
    if rule.kind in HOST_RULES and host is None:
        return Check(
            rule=rule,
            passed=True,
            pending=True,
            message=message(
                "at_placement",
                f"{rule.label or rule.kind}: to be checked at placement",
                rule=rule.kind,
            ),
        )
    passed, why = _EVALUATORS[rule.kind](params, candidate, host, start, agreements)
    return Check(rule=rule, passed=passed, message=why)


def evaluate(
    rules: Sequence[Rule],
    candidate: Candidate,
    *,
    host: Host | None,
    start: date | None,
    agreements: Sequence[AgreementFact],
) -> Decision:
    """Apply every rule to the candidate; eligible when all pass (and when there are none)."""
    checks = tuple(_check(rule, candidate, host, start, agreements) for rule in rules)
    return Decision(eligible=all(check.passed for check in checks), checks=checks)
