"""The eligibility and lifecycle engines' messages, and the rules themselves, in the reader's
language: the one place that turns their codes into sentences (see chancery.core.wording).

Names are resolved here: a country code becomes the country's name, an organisation id the
organisation's name, an agreement id the agreement's title, a state its label, a date the
language's format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chancery.agreements.models import Agreement
from chancery.core import wording
from chancery.core.messages import Message
from chancery.directory.models import Country, Organisation
from chancery.programmes import eligibility, lifecycle
from chancery.programmes.models import EnrolmentState

# lifecycle.check_transition's refusals
TRANSITIONS: Mapping[str, Any] = {
    "unknown_state": gettext_lazy(
        "“%(value)s” is not an enrolment state; the states are %(states)s."
    ),
    "already": gettext_lazy("The enrolment is already at this stage: %(state)s."),
    "final": gettext_lazy(
        "An enrolment that is %(source)s cannot become %(target)s: %(source)s is final."
    ),
    "not_allowed": gettext_lazy(
        "An enrolment that is %(source)s cannot become %(target)s; "
        "from %(source)s it can become %(allowed)s."
    ),
    "override_only": gettext_lazy(
        "An enrolment that is %(source)s can become %(target)s only "
        "when an officer overrides the eligibility result."
    ),
    "override_reason": gettext_lazy("Overriding the eligibility result needs a written reason."),
    "withdraw_reason": gettext_lazy("Withdrawing an enrolment needs a written reason."),
}

# eligibility.evaluate's reasons, one per check
REASONS: Mapping[str, Any] = {
    "no_citizenship": gettext_lazy("citizenship is not recorded"),
    "citizen_of": gettext_lazy("citizen of %(held)s, one of %(wanted)s"),
    "not_citizen_of": gettext_lazy("citizen of %(held)s, not of %(wanted)s"),
    "graduate_of": gettext_lazy("graduate of %(name)s"),
    "not_graduate_of": gettext_lazy("not a graduate of %(name)s"),
    "no_class_year": gettext_lazy("class year is not recorded"),
    "class_year_under": gettext_lazy("class year %(year)s, under the minimum of %(min)s"),
    "class_year_over": gettext_lazy("class year %(year)s, over the maximum of %(max)s"),
    "class_year_within": gettext_lazy("class year %(year)s, within %(min)s to %(max)s"),
    "class_year_at_least": gettext_lazy("class year %(year)s, at least %(min)s"),
    "class_year_at_most": gettext_lazy("class year %(year)s, at most %(max)s"),
    "no_birth_date": gettext_lazy("birth date is not recorded"),
    "no_start_for_age": gettext_lazy("no start date to measure age on"),
    "born_after_start": gettext_lazy("birth date %(birth_date)s is after the start date %(start)s"),
    "age_under": gettext_lazy("aged %(age)s on %(start)s, under the minimum of %(min)s"),
    "age_over": gettext_lazy("aged %(age)s on %(start)s, over the maximum of %(max)s"),
    "age_within": gettext_lazy("aged %(age)s on %(start)s, within %(min)s to %(max)s"),
    "age_at_least": gettext_lazy("aged %(age)s on %(start)s, at least %(min)s"),
    "age_at_most": gettext_lazy("aged %(age)s on %(start)s, at most %(max)s"),
    "no_host": gettext_lazy("no host organisation chosen yet"),
    "at_placement": gettext_lazy("%(rule)s: to be checked at placement"),
    "no_host_country": gettext_lazy("the country of %(host)s is not recorded"),
    "host_in_citizenship": gettext_lazy(
        "%(host)s is in %(country)s, a country of their citizenship"
    ),
    "host_not_in_citizenship": gettext_lazy(
        "%(host)s is in %(country)s, not a country of their citizenship (%(held)s)"
    ),
    "no_start_for_agreements": gettext_lazy("no start date to check the agreements on"),
    "covered_by": gettext_lazy("covered by %(agreement)s (%(term)s)"),
    "in_force_from": gettext_lazy("in force from %(start)s"),
    "in_force_between": gettext_lazy("in force from %(start)s until %(until)s"),
    "not_covered": gettext_lazy("no agreement in force on %(start)s covers %(host)s"),
    "not_covered_because": gettext_lazy(
        "no agreement in force on %(start)s covers %(host)s: %(gaps)s"
    ),
    "agreement_draft": gettext_lazy("%(agreement)s is still a draft"),
    "agreement_terminated": gettext_lazy("%(agreement)s was terminated"),
    "agreement_no_entry": gettext_lazy("%(agreement)s has no date of entry into force"),
    "agreement_not_yet": gettext_lazy("%(agreement)s came into force only on %(date)s"),
    "agreement_ended": gettext_lazy("%(agreement)s ended on %(date)s"),
    "manual": gettext_lazy("Checked by hand: %(text)s"),
    "cannot_apply": gettext_lazy("this rule cannot be applied: %(error)s"),
}

# eligibility.validate_rule's refusals
RULE_ERRORS: Mapping[str, Any] = {
    "unknown_kind": gettext_lazy("“%(kind)s” is not a kind of rule."),
    "params_type": gettext_lazy("The parameters must be a JSON object."),
    "unknown_param": gettext_lazy("A rule “%(kind)s” has no parameter “%(name)s”."),
    "missing": gettext_lazy("The parameter “%(name)s” is missing."),
    "countries_list": gettext_lazy(
        "The parameter “countries” must be a non-empty list of "
        "two-letter country codes, got %(value)s."
    ),
    "country_code": gettext_lazy(
        "The parameter “countries” must hold two-letter country codes such as “KZ”, got %(value)s."
    ),
    "bound_type": gettext_lazy(
        "The parameter “%(name)s” must be a whole number or null, got %(value)s."
    ),
    "no_bounds": gettext_lazy("Give at least one of the parameters “min” and “max”."),
    "bounds_order": gettext_lazy("The parameter “min” (%(min)s) is greater than “max” (%(max)s)."),
    "organisation_id": gettext_lazy(
        "The parameter “organisation” must be an organisation id (a whole number), got %(value)s."
    ),
    "name_type": gettext_lazy("The parameter “name” must be text, got %(value)s."),
    "text_blank": gettext_lazy("The parameter “text” must be text that is not blank."),
}

# The kinds of rule, as the rules table names them when the officer wrote no wording.
KIND_NAMES: Mapping[str, Any] = {
    "citizenship_in": gettext_lazy("Citizenship"),
    "graduate_of": gettext_lazy("Graduate of an organisation"),
    "class_year_between": gettext_lazy("Class year"),
    "age_between": gettext_lazy("Age"),
    "host_country_is_citizenship": gettext_lazy("Host in a country of citizenship"),
    "host_covered_by_agreement": gettext_lazy("Host covered by an agreement"),
    "manual": gettext_lazy("Checked by hand"),
}


# What each kind asks and the parameters it takes, for the officer choosing one.
KIND_HELP: Mapping[str, Any] = {
    "citizenship_in": gettext_lazy(
        'the candidate is a citizen of one of the countries; parameters {"countries": ["KZ", "KG"]}'
    ),
    "graduate_of": gettext_lazy(
        'the candidate is a graduate of the organisation; parameters {"organisation": its id}'
    ),
    "class_year_between": gettext_lazy(
        "the class year is within the bounds (inclusive); "
        'parameters {"min": 2005, "max": 2030}, either may be '
        "null"
    ),
    "age_between": gettext_lazy(
        "the age in completed years on the start date is within the "
        'bounds (inclusive); parameters {"min": 21, "max": 30}, either '
        "may be null"
    ),
    "host_country_is_citizenship": gettext_lazy(
        "the host organisation is in a country of the candidate's citizenship; no parameters"
    ),
    "host_covered_by_agreement": gettext_lazy(
        "an agreement in force on the start date has the "
        "host organisation, or one it belongs to, as a "
        "party; no parameters"
    ),
    "manual": gettext_lazy(
        'an officer checks it by hand and it never blocks; parameters {"text": "what to check"}'
    ),
}


def kind_choices() -> dict[str, str]:
    """Each kind of rule as the rule form offers it: its name and what it asks."""
    return {
        kind: f"{kind_name(kind)} — {KIND_HELP.get(kind, '')}" for kind in eligibility.RULE_KINDS
    }


def _countries(codes: Sequence[object]) -> list[str]:
    upper = [str(code).upper() for code in codes]
    names = {country.alpha2: country.name for country in Country.objects.filter(alpha2__in=upper)}
    return [names.get(code, code) for code in upper]


def _organisation(pk: object, fallback: object = "") -> str:
    organisation = Organisation.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if organisation is not None:
        return str(organisation)
    return str(fallback) if fallback else _("organisation %(id)s") % {"id": pk}


def _agreement(pk: object, fallback: object = "") -> str:
    """The agreement's title in the reader's language (django-modeltranslation, English when
    that language is empty); the title the message kept when the agreement is gone."""
    agreement = Agreement.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    return agreement.title if agreement is not None else str(fallback or "")


def _state(value: object) -> str:
    try:
        return str(EnrolmentState(str(value)).label).lower()
    except ValueError:
        return str(value)


def transition(message: Message) -> str:
    """A lifecycle refusal in the active language."""
    params = message.params
    words: dict[str, object] = {
        key: _state(params[key]) for key in ("state", "source", "target") if key in params
    }
    if "allowed" in params:
        words["allowed"] = wording.either([_state(s) for s in params["allowed"]])  # type: ignore[attr-defined]
    if "states" in params:
        words["states"] = ", ".join(_state(s) for s in params["states"])  # type: ignore[attr-defined]
    return wording.render(message, TRANSITIONS, words)


def transition_error(error: lifecycle.TransitionError) -> str:
    return transition(error.message)


def rule_error(error: eligibility.RuleError | Message) -> str:
    """A rule's malformed parameters in the active language."""
    message = error.message if isinstance(error, eligibility.RuleError) else error
    return wording.render(message, RULE_ERRORS)


def reason(message: Message) -> str:
    """One check's reason in the active language, the names resolved."""
    params = message.params
    words: dict[str, object] = {}
    for key in ("held", "wanted"):
        if key in params:
            words[key] = (wording.both if key == "held" else wording.either)(
                _countries(params[key])  # type: ignore[arg-type]  # the engine's tuple of codes
            )
    if "country" in params:
        words["country"] = _countries([params["country"]])[0]
    if message.code == "at_placement":
        words["rule"] = kind_name(str(params.get("rule", "")))
    if "host" in params:
        words["host"] = _organisation(params["host"], params.get("host_name"))
    if "agreement_id" in params:
        words["agreement"] = _agreement(params["agreement_id"], params.get("agreement"))
    if message.code in ("graduate_of", "not_graduate_of"):
        words["name"] = _organisation(params.get("organisation"), params.get("name"))
    for key in ("start", "birth_date", "date", "until"):
        if key in params:
            words[key] = wording.day(params[key])  # type: ignore[arg-type]
    if message.code == "covered_by":
        term = "in_force_between" if params.get("until") else "in_force_from"
        words["term"] = str(REASONS[term]) % {
            "start": words.get("start", ""),
            "until": words.get("until", ""),
        }
    if message.code == "not_covered" and params.get("gaps"):
        gaps = "; ".join(reason(gap) for gap in params["gaps"])  # type: ignore[attr-defined]
        return str(REASONS["not_covered_because"]) % {**words, "gaps": gaps}
    if message.code == "cannot_apply":
        error = params.get("error")
        words["error"] = rule_error(error) if isinstance(error, Message) else str(error or "")
    return wording.render(message, REASONS, words)


def stored_check(check: Mapping[str, Any]) -> str:
    """A check as services store it on the enrolment (older rows hold only the English)."""
    if check.get("message"):
        return reason(wording.from_json(check["message"]))
    return str(check.get("reason", ""))


def stored(check: eligibility.Check) -> dict[str, Any]:
    """A check as the enrolment keeps it: the rule, the outcome, the message and its English."""
    return {
        "rule": check.rule.label or check.rule.kind,
        "passed": check.passed,
        "pending": check.pending,
        "reason": check.reason,
        "message": wording.to_json(check.message),
    }


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


def rule_sentence(kind: str, params: Mapping[str, Any], start: date | None = None) -> str:
    """What a rule asks, as a sentence ("Citizen of Kazakhstan or Kyrgyzstan"); ``start`` is
    the edition's start date when the rule is read for one edition."""
    try:
        valid: Mapping[str, Any] = eligibility.validate_rule(kind, params).params  # JSON values
        params = valid
    except eligibility.RuleError as error:
        return _("This rule cannot be applied: %(error)s") % {"error": rule_error(error)}
    low, high = params.get("min"), params.get("max")
    on = wording.day(start) if start else _("the start date")
    if kind == "citizenship_in":
        return _("Citizen of %(countries)s") % {
            "countries": wording.either(_countries(params["countries"]))
        }
    if kind == "graduate_of":
        return _("Graduate of %(organisation)s") % {
            "organisation": _organisation(params["organisation"], params.get("name"))
        }
    if kind == "class_year_between":
        if low is not None and high is not None:
            return _("Class year %(min)s to %(max)s") % {"min": low, "max": high}
        if low is not None:
            return _("Class year %(min)s or later") % {"min": low}
        return _("Class year %(max)s or earlier") % {"max": high}
    if kind == "age_between":
        if low is not None and high is not None:
            return _("Age %(min)s to %(max)s on %(day)s") % {"min": low, "max": high, "day": on}
        if low is not None:
            return _("Age %(min)s or over on %(day)s") % {"min": low, "day": on}
        return _("Age %(max)s or under on %(day)s") % {"max": high, "day": on}
    if kind == "host_country_is_citizenship":
        return _("Hosted in a country of the applicant's citizenship")
    if kind == "host_covered_by_agreement":
        return _("Hosted by an organisation that an agreement in force on %(day)s covers") % {
            "day": on
        }
    return _("%(text)s (checked by hand)") % {"text": params["text"]}
