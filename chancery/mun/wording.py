"""The Model UN rules engine's refusals in the reader's language (see chancery.core.wording).

The engine names delegations by their keys ("s12" a seat, "g3" a guest speaker); here they
become the country's (or the guest's) name in the active language, so a chair reads
"Kazakhstan is already on the speakers' list", never "s12 is already…"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chancery.core import wording
from chancery.core.messages import Message
from chancery.mun import presets, rules
from chancery.mun.models import MajorityChoice, MotionKind, Officer, Seat

REFUSALS: Mapping[str, Any] = {
    # the speakers' list and the floor
    "not_present": gettext_lazy("%(delegation)s is not present."),
    "already_on_list": gettext_lazy("%(delegation)s is already on the speakers' list."),
    "not_on_list": gettext_lazy("%(delegation)s is not on the speakers' list."),
    "queued_twice": gettext_lazy("A delegation may be on the speakers' list only once at a time."),
    "holds_floor": gettext_lazy("%(delegation)s still holds the floor."),
    "list_exhausted": gettext_lazy("The speakers' list is empty."),
    "time_backwards": gettext_lazy("Time cannot run backwards."),
    "time_left": gettext_lazy("%(delegation)s has only %(remaining)s s left, not %(seconds)s s."),
    "yield_to_self": gettext_lazy("A delegation cannot yield to itself."),
    "no_time_to_yield": gettext_lazy("%(delegation)s has no time left to yield."),
    "no_time_for_questions": gettext_lazy("%(delegation)s has no time left for questions."),
    "nobody_speaks": gettext_lazy("Nobody holds the floor."),
    "yield_out_of_order": gettext_lazy("Yielding %(to)s is not in order under these rules."),
    "yielded_floor": gettext_lazy(
        "%(delegation)s received the floor from %(by)s and may only yield to the chair."
    ),
    "yielded_to_questions": gettext_lazy("%(delegation)s has already yielded to questions."),
    "speaking_time_positive": gettext_lazy("The speaking time must be positive."),
    # motions and caucuses
    "out_of_order": gettext_lazy("%(motion)s is not in order under the rules of %(profile)s."),
    "chair_decides": gettext_lazy("%(motion)s is decided by the chair, not by a vote."),
    "motion_and_majority": gettext_lazy("Give either a motion or a majority, not both."),
    "motion_substantive": gettext_lazy("Motions are procedural questions."),
    "motion_time_positive": gettext_lazy("The times of a motion must be positive."),
    "moderated_times": gettext_lazy("A moderated caucus needs a total time and a speaking time."),
    "speaking_over_total": gettext_lazy("The speaking time cannot exceed the caucus's total time."),
    "unmoderated_total": gettext_lazy("An unmoderated caucus needs a total time."),
    "caucus_times_positive": gettext_lazy("The caucus and speaking times must be positive."),
    "speaking_exceeds_total": gettext_lazy(
        "A speaking time of %(speaking)s s exceeds the caucus's total of %(total)s s."
    ),
    # votes
    "not_member": gettext_lazy("%(delegation)s is not a member of this committee."),
    "not_members": gettext_lazy("Not members of this committee: %(delegations)s."),
    "listed_twice": gettext_lazy("%(delegation)s is listed twice."),
    "absent_voter": gettext_lazy("%(delegation)s is not present and may not vote."),
    "may_not_vote": gettext_lazy("%(delegation)s is %(status)s and may not vote on %(vote_kind)s."),
    "procedural_abstention": gettext_lazy(
        "%(delegation)s may not abstain: abstentions are not "
        "in order on procedural votes under the rules of "
        "%(profile)s."
    ),
    "present_and_voting_abstention": gettext_lazy(
        "%(delegation)s answered the roll call “present and voting” and may not abstain."
    ),
    "missing_votes": gettext_lazy("No vote recorded for: %(delegations)s."),
    # a rule profile that does not hold together
    "veto_not_member": gettext_lazy("%(delegation)s is not a full member and cannot hold a veto."),
    "empty_id": gettext_lazy("A delegation needs a name."),
    "threshold_range": gettext_lazy("A threshold must be between 0 and 1."),
    "more_than_all": gettext_lazy("“More than all” can never be met."),
    "negative_base": gettext_lazy("A count cannot be negative."),
    "motion_twice": gettext_lazy("%(profile)s: a motion is listed twice."),
    "speaking_time_default": gettext_lazy(
        "%(profile)s: the default speaking time must be positive."
    ),
    "chair_yield_listed": gettext_lazy(
        "%(profile)s: yielding to the chair is always allowed; leave it out."
    ),
    "substantive_voters": gettext_lazy("%(profile)s: only members vote on substantive matters."),
    "procedural_voters": gettext_lazy("%(profile)s: members vote on procedural matters."),
    "veto_voters": gettext_lazy(
        "%(profile)s: in a council with the veto only its members "
        "vote, on procedural matters too (UN Charter, Art. 27)."
    ),
    "unknown_profile": gettext_lazy("There is no rule profile “%(name)s”."),
    "other": gettext_lazy("These rules of procedure cannot be used: %(text)s"),
}

_STATUS = {
    "member": gettext_lazy("a member"),
    "observer": gettext_lazy("an observer"),
    "non_state": gettext_lazy("a non-state participant"),
}
_VOTE_KIND = {
    "procedural": gettext_lazy("procedural matters"),
    "substantive": gettext_lazy("substantive matters"),
}
_YIELD = {
    "delegate": gettext_lazy("to another delegation"),
    "questions": gettext_lazy("to questions"),
    "chair": gettext_lazy("to the chair"),
}


def name_of(key: str, names: Mapping[str, str] | None = None) -> str:
    """A delegation's (or guest speaker's) name in the active language from its engine key."""
    if names and key in names:
        return names[key]

    if key[:1] in ("s", "g") and key[1:].isdigit():
        if key[0] == "s":
            seat = (
                Seat.objects.select_related("delegation__country").filter(pk=int(key[1:])).first()
            )
            if seat is not None:
                return str(seat.delegation.country)
        else:
            officer = Officer.objects.select_related("person").filter(pk=int(key[1:])).first()
            if officer is not None:
                return _("%(name)s (guest speaker)") % {"name": officer.person}
    return key


def refusal(error: rules.RuleError | Message, names: Mapping[str, str] | None = None) -> str:
    """The engine's refusal in the active language, delegations named."""

    message = error.message if isinstance(error, rules.RuleError) else error
    params: Mapping[str, Any] = message.params  # the engine's JSON-shaped values
    words: dict[str, object] = {}
    for key in ("delegation", "by"):
        if isinstance(params.get(key), str):
            words[key] = name_of(str(params[key]), names)
    if "delegations" in params:
        words["delegations"] = ", ".join(name_of(str(key), names) for key in params["delegations"])
    if "motion" in params:
        try:
            words["motion"] = MotionKind(params["motion"]).label
        except ValueError:
            words["motion"] = params["motion"]
    if "status" in params:
        words["status"] = _STATUS.get(str(params["status"]), params["status"])
    if "vote_kind" in params:
        words["vote_kind"] = _VOTE_KIND.get(str(params["vote_kind"]), params["vote_kind"])
    if "to" in params:
        words["to"] = _YIELD.get(str(params["to"]), params["to"])
    sentence = wording.render(message, REFUSALS, words)
    return sentence[:1].upper() + sentence[1:]


def majority(value: rules.Majority | None) -> str:
    """A motion's majority in the active language (the names of the profile's choices)."""

    if value is None:
        return ""
    for key, known in presets.MAJORITIES.items():
        if known == value:
            try:
                return str(MajorityChoice(key).label)
            except ValueError:
                break
    return value.label
