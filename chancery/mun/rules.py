"""Rules engine for a Model UN committee session.

Pure standard-library code: no Django, no I/O.  Everything the chair's desk needs to
decide a point of procedure lives here as plain, immutable data and pure functions:

* :class:`RuleProfile` -- a committee's rules of procedure as data, with three presets
  (:data:`UN4MUN`, :data:`THIMUN`, :data:`HARVARD`) and a Security Council variant
  (:func:`security_council`);
* :func:`quorum` -- is the committee quorate for debate / a procedural / a substantive vote;
* :func:`tally` -- count a vote and decide it (majorities, abstentions, veto, quorum);
* :func:`order_motions` -- put the motions on the floor in order of precedence;
* :class:`SpeakersList` -- an immutable speakers' list with yields and time accounting;
* :func:`moderated_caucus` -- moderated-caucus timing.

Thresholds are exact (:class:`fractions.Fraction`); nothing is rounded in a way that lets
a tie pass.  "A majority" means *more than* half, so 5-5 fails; "two-thirds" means *at
least* two-thirds, so 6 of 9 passes and 5 of 9 fails.  A vote with no "yes" never passes.

Conventions this module fixes (documented choices, common to all presets):

* Delegations are identified by a string id (``Member.id``); names are only for messages.
* Quorum is counted over full members (``MemberStatus.MEMBER``) only: observers and
  non-state participants neither count towards the quorum nor enlarge its base.
* Only full members vote on substantive questions, in every profile, so observers and
  non-state participants are never in the base of a substantive vote.  A profile may let
  observers vote on procedural questions (``procedural_voters``), except a council with
  the veto: there only its members vote and count, on every question (UN Charter Art. 27).
* The engine takes its own enums (``Vote``, ``Attendance``, ``VoteKind``...), never their
  plain string values: a string where an enum belongs is a TypeError naming the value,
  because ``"absent" is Attendance.ABSENT`` is false and would be miscounted.
* A vote is complete: every present delegation entitled to vote on the question must have
  a recorded vote, so ``yes + no + abstain`` always equals the number of present voters.
* A delegation that answered the roll call "present and voting" may not abstain on a
  substantive vote (the common MUN convention; ``present_and_voting_may_abstain``).
* A negative vote by a veto-holding member on a substantive question in a committee whose
  profile has ``veto=True`` defeats the proposal; an abstention or absence is not a veto
  (long-standing Security Council practice under Article 27(3) of the UN Charter).

Sources consulted for the presets: the UN General Assembly rules of procedure
(A/520/Rev.17) as presented by UN4MUN; THIMUN rules of procedure and THIMUN-style
conference handbooks; HNMUN/HMUN/WorldMUN (Harvard) rules of procedure.  Where the sources
disagree or are silent the choice is stated in the preset's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from chancery.core.messages import Message, message

__all__ = [
    "HALF",
    "HARVARD",
    "NINE_OF_FIFTEEN",
    "ONE_QUARTER",
    "ONE_THIRD",
    "PRESETS",
    "SIMPLE_MAJORITY",
    "SIMPLE_MAJORITY_OF_PRESENT",
    "THIMUN",
    "TWO_THIRDS",
    "TWO_THIRDS_OF_PRESENT",
    "TWO_THIRDS_THRESHOLD",
    "UN4MUN",
    "Attendance",
    "Base",
    "Majority",
    "Member",
    "MemberStatus",
    "ModeratedCaucus",
    "Motion",
    "MotionKind",
    "MotionRule",
    "Outcome",
    "QuorumPurpose",
    "QuorumResult",
    "RuleError",
    "RuleProfile",
    "SpeakersList",
    "Speech",
    "SpeechRecord",
    "Threshold",
    "TieRule",
    "Vote",
    "VoteKind",
    "YieldKind",
    "caucus_speakers",
    "get_profile",
    "moderated_caucus",
    "order_motions",
    "quorum",
    "security_council",
    "tally",
]


class RuleError(ValueError):
    """A request that the rules of procedure do not allow; ``message`` says which (its
    ``delegation``-like parameters are member ids, for the app to name in its language)."""

    def __init__(self, why: Message | str) -> None:
        if isinstance(why, str):
            why = message("other", why, text=why)
        super().__init__(why.text)
        self.message = why


def _refusal(code: str, english: str, /, **params: object) -> RuleError:
    return RuleError(message(code, english, **params))


def _expect[E: StrEnum](value: object, enum: type[E], what: str) -> E:
    """``value`` if it is a member of ``enum``; TypeError naming the value otherwise."""
    if not isinstance(value, enum):
        raise TypeError(f"{what} must be a member of {enum.__name__}, not {value!r}")
    return value


# --------------------------------------------------------------------------- enums


class MemberStatus(StrEnum):
    """What kind of participant a delegation is."""

    MEMBER = "member"  # a member state of the committee: full voting rights
    OBSERVER = "observer"  # observer state (e.g. Holy See): no substantive vote
    NON_STATE = "non_state"  # NGO, IGO, press...: no substantive vote


class Attendance(StrEnum):
    """A delegation's answer to the roll call."""

    PRESENT = "present"
    PRESENT_AND_VOTING = "present_and_voting"
    ABSENT = "absent"


class Vote(StrEnum):
    """A delegation's vote."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class VoteKind(StrEnum):
    """Procedural (motions) or substantive (resolutions, amendments) question."""

    PROCEDURAL = "procedural"
    SUBSTANTIVE = "substantive"


class QuorumPurpose(StrEnum):
    """What the quorum is being checked for."""

    DEBATE = "debate"
    PROCEDURAL_VOTE = "procedural_vote"
    SUBSTANTIVE_VOTE = "substantive_vote"


class Base(StrEnum):
    """The number a majority is a fraction of.

    ``PRESENT_AND_VOTING``: yes + no -- abstentions are "not voting" (UNGA rule 126).
    ``PRESENT``: every present delegation entitled to vote -- an abstention counts like "no".
    ``MEMBERS``: every delegation of the committee entitled to vote, present or not.
    """

    PRESENT_AND_VOTING = "present_and_voting"
    PRESENT = "present"
    MEMBERS = "members"


class MotionKind(StrEnum):
    """Points and motions a delegate may raise."""

    POINT_OF_PERSONAL_PRIVILEGE = "point_of_personal_privilege"
    POINT_OF_ORDER = "point_of_order"
    APPEAL_RULING = "appeal_ruling"
    POINT_OF_PARLIAMENTARY_INQUIRY = "point_of_parliamentary_inquiry"
    SUSPEND_MEETING = "suspend_meeting"
    ADJOURN_MEETING = "adjourn_meeting"
    UNMODERATED_CAUCUS = "unmoderated_caucus"
    MODERATED_CAUCUS = "moderated_caucus"
    INTRODUCE_DRAFT_RESOLUTION = "introduce_draft_resolution"
    INTRODUCE_AMENDMENT = "introduce_amendment"
    ADJOURN_DEBATE = "adjourn_debate"  # a.k.a. postpone / table the item
    RESUME_DEBATE = "resume_debate"
    CLOSE_DEBATE = "close_debate"  # a.k.a. move to the previous question / into voting
    EXTEND_DEBATE = "extend_debate"
    SET_SPEAKING_TIME = "set_speaking_time"
    RECONSIDER = "reconsider"


class TieRule(StrEnum):
    """How pending motions of the same kind are ordered.

    ``SUBMISSION_ORDER``: in the order they were raised (UNGA rule 91 for proposals).
    ``MOST_DISRUPTIVE``: longest total time first; for equal totals the one giving more
    speakers (shorter per-speaker time) first; then in the order raised (Harvard).
    """

    SUBMISSION_ORDER = "submission_order"
    MOST_DISRUPTIVE = "most_disruptive"


class YieldKind(StrEnum):
    """Where a speaker's remaining time goes."""

    DELEGATE = "delegate"
    QUESTIONS = "questions"
    CHAIR = "chair"


# --------------------------------------------------------------------- thresholds

_FRACTION_NAMES: dict[Fraction, str] = {
    Fraction(1, 2): "half",
    Fraction(2, 3): "two-thirds",
    Fraction(1, 3): "one-third",
    Fraction(1, 4): "one-quarter",
    Fraction(3, 5): "three-fifths",
}


@dataclass(frozen=True, slots=True)
class Threshold:
    """An exact fraction of a base: *more than* it (``strict``) or *at least* it."""

    fraction: Fraction
    strict: bool

    def __post_init__(self) -> None:
        if not Fraction(0) <= self.fraction <= Fraction(1):
            raise _refusal(
                "threshold_range",
                f"threshold fraction must be between 0 and 1, got {self.fraction}",
                fraction=str(self.fraction),
            )
        if self.strict and self.fraction == 1:
            raise _refusal("more_than_all", "'more than all' can never be met")

    def required(self, base: int) -> int:
        """Smallest count that meets the threshold for ``base`` (never less than one)."""
        if base < 0:
            raise _refusal("negative_base", f"base must not be negative, got {base}", base=base)
        exact = self.fraction * base
        needed = math.floor(exact) + 1 if self.strict else math.ceil(exact)
        return max(needed, 1)

    def met(self, count: int, base: int) -> bool:
        """Whether ``count`` out of ``base`` meets the threshold."""
        return count >= self.required(base)

    @property
    def label(self) -> str:
        """Human wording, e.g. 'more than half' or 'at least two-thirds'."""
        name = _FRACTION_NAMES.get(self.fraction, f"{self.fraction}")
        return f"more than {name}" if self.strict else f"at least {name}"


HALF = Threshold(Fraction(1, 2), strict=True)
TWO_THIRDS_THRESHOLD = Threshold(Fraction(2, 3), strict=False)
ONE_THIRD = Threshold(Fraction(1, 3), strict=False)
ONE_QUARTER = Threshold(Fraction(1, 4), strict=False)


@dataclass(frozen=True, slots=True)
class Majority:
    """A voting majority: a threshold applied to a base."""

    threshold: Threshold
    base: Base

    @property
    def label(self) -> str:
        """Human wording, e.g. 'more than half of present and voting'."""
        return f"{self.threshold.label} of {self.base.value.replace('_', ' ')}"


#: More yes than no; abstentions do not count (UNGA rules 85-88 / 125-126).
SIMPLE_MAJORITY = Majority(HALF, Base.PRESENT_AND_VOTING)
#: At least two-thirds of those voting yes or no (UNGA rule 83 "important questions").
TWO_THIRDS = Majority(TWO_THIRDS_THRESHOLD, Base.PRESENT_AND_VOTING)
#: More than half of the delegations present (abstentions, if any, count against).
SIMPLE_MAJORITY_OF_PRESENT = Majority(HALF, Base.PRESENT)
#: At least two-thirds of the delegations present.
TWO_THIRDS_OF_PRESENT = Majority(TWO_THIRDS_THRESHOLD, Base.PRESENT)
#: Nine affirmative votes of fifteen members (UN Charter Art. 27), scaled to council size.
NINE_OF_FIFTEEN = Majority(Threshold(Fraction(3, 5), strict=False), Base.MEMBERS)


# ------------------------------------------------------------------------ members


@dataclass(frozen=True, slots=True)
class Member:
    """A delegation seated in a committee."""

    id: str
    name: str
    status: MemberStatus = MemberStatus.MEMBER
    veto: bool = False

    def __post_init__(self) -> None:
        if not self.id:
            raise _refusal("empty_id", "a delegation needs a non-empty id")
        _expect(self.status, MemberStatus, f"status of {self.id!r}")
        if not isinstance(self.veto, bool):
            raise TypeError(f"veto of {self.id!r} must be a bool, not {self.veto!r}")
        if self.veto and self.status is not MemberStatus.MEMBER:
            raise _refusal(
                "veto_not_member",
                f"{self.name} is not a full member and cannot hold a veto",
                delegation=self.id,
            )


# ------------------------------------------------------------------------ profile


@dataclass(frozen=True, slots=True)
class MotionRule:
    """How one kind of motion is decided: by a vote (``majority``) or by the chair (None)."""

    kind: MotionKind
    majority: Majority | None

    def __post_init__(self) -> None:
        _expect(self.kind, MotionKind, "motion kind")


_MEMBERS_ONLY = frozenset({MemberStatus.MEMBER})


@dataclass(frozen=True, slots=True)
class RuleProfile:
    """A committee's rules of procedure as data.

    ``motions`` lists the points and motions in order, highest precedence first; a motion
    kind not listed is out of order under this profile.  ``allowed_yields`` lists the
    yields other than to the chair (ending one's speech is always allowed).
    ``substantive_voters`` is members only; with ``veto`` so is ``procedural_voters``.
    """

    name: str
    quorum_debate: Threshold
    quorum_procedural: Threshold
    quorum_substantive: Threshold
    procedural_majority: Majority
    substantive_majority: Majority
    procedural_abstentions: bool
    present_and_voting_may_abstain: bool
    procedural_voters: frozenset[MemberStatus]
    substantive_voters: frozenset[MemberStatus]
    veto: bool
    default_speaking_time: int
    motions: tuple[MotionRule, ...]
    tie_rule: TieRule
    allowed_yields: frozenset[YieldKind] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        kinds = [rule.kind for rule in self.motions]
        if len(kinds) != len(set(kinds)):
            raise _refusal(
                "motion_twice", f"{self.name}: a motion kind is listed twice", profile=self.name
            )
        if self.default_speaking_time <= 0:
            raise _refusal(
                "speaking_time_default",
                f"{self.name}: default speaking time must be positive",
                profile=self.name,
            )
        if YieldKind.CHAIR in self.allowed_yields:
            raise _refusal(
                "chair_yield_listed",
                f"{self.name}: yielding to the chair is always allowed; omit it",
                profile=self.name,
            )
        for status in self.procedural_voters | self.substantive_voters:
            _expect(status, MemberStatus, f"{self.name}: voter status")
        for kind in self.allowed_yields:
            _expect(kind, YieldKind, f"{self.name}: yield")
        _expect(self.tie_rule, TieRule, f"{self.name}: tie rule")
        if self.substantive_voters != _MEMBERS_ONLY:
            raise _refusal(
                "substantive_voters",
                f"{self.name}: only members vote on substantive matters",
                profile=self.name,
            )
        if MemberStatus.MEMBER not in self.procedural_voters:
            raise _refusal(
                "procedural_voters",
                f"{self.name}: members vote on procedural matters",
                profile=self.name,
            )
        if self.veto and self.procedural_voters != _MEMBERS_ONLY:
            # The count is "nine of the fifteen members" (UN Charter Art. 27): a seated
            # observer who voted would both add a yes and raise the number required.
            raise _refusal(
                "veto_voters",
                f"{self.name}: in a council with the veto only its members vote, on procedural "
                f"matters too (UN Charter Art. 27)",
                profile=self.name,
            )

    def allows(self, kind: MotionKind) -> bool:
        """Whether the motion kind is in order under this profile."""
        _expect(kind, MotionKind, "motion kind")
        return any(rule.kind is kind for rule in self.motions)

    def motion_rule(self, kind: MotionKind) -> MotionRule:
        """The rule for a motion kind; RuleError if it is not in order."""
        _expect(kind, MotionKind, "motion kind")
        for rule in self.motions:
            if rule.kind is kind:
                return rule
        raise _refusal(
            "out_of_order",
            f"{_words(kind)} is not in order under {self.name} rules",
            motion=kind.value,
            profile=self.name,
        )

    def precedence(self, kind: MotionKind) -> int:
        """Rank of a motion kind: 0 is considered first."""
        _expect(kind, MotionKind, "motion kind")
        for rank, rule in enumerate(self.motions):
            if rule.kind is kind:
                return rank
        raise _refusal(
            "out_of_order",
            f"{_words(kind)} is not in order under {self.name} rules",
            motion=kind.value,
            profile=self.name,
        )

    def voters(self, kind: VoteKind) -> frozenset[MemberStatus]:
        """Which member statuses may vote on this kind of question."""
        if _expect(kind, VoteKind, "vote kind") is VoteKind.PROCEDURAL:
            return self.procedural_voters
        return self.substantive_voters

    def majority(self, kind: VoteKind) -> Majority:
        """Default majority for this kind of question."""
        if _expect(kind, VoteKind, "vote kind") is VoteKind.PROCEDURAL:
            return self.procedural_majority
        return self.substantive_majority


def _words(kind: StrEnum) -> str:
    return kind.value.replace("_", " ")


_CHAIR = None  # readability in the preset tables: decided by the chair, no vote
_M = MotionKind

UN4MUN = RuleProfile(
    name="UN4MUN",
    # GA rule 67: one third of the members to declare a meeting open.  (Main Committees,
    # rule 108, need only one quarter; the plenary figure is used -- choice.)
    quorum_debate=ONE_THIRD,
    # GA rules 67/108: a majority of the members present for any decision.
    quorum_procedural=HALF,
    quorum_substantive=HALF,
    # GA rules 85-88 / 125-126: majority of members present and voting; abstainers are
    # "not voting".  Plenary "important questions" (Charter Art. 18(2), rule 83) need
    # two-thirds: pass ``majority=TWO_THIRDS`` to :func:`tally`.
    procedural_majority=SIMPLE_MAJORITY,
    substantive_majority=SIMPLE_MAJORITY,
    # At the UN a delegation may abstain on any recorded vote, procedural ones included.
    procedural_abstentions=True,
    # The UN has no "present and voting" roll call; the MUN convention is kept -- choice.
    present_and_voting_may_abstain=False,
    # Observers in the General Assembly have no vote at all.
    procedural_voters=frozenset({MemberStatus.MEMBER}),
    substantive_voters=frozenset({MemberStatus.MEMBER}),
    veto=False,
    # The GA rules set no default (rule 72/115: the body may limit speeches); five minutes
    # is within the limits Main Committees usually agree -- choice.
    default_speaking_time=300,
    # GA rule 71/113: a point of order is ruled on immediately; an appeal is put to the
    # vote at once (ruling stands unless overruled by a majority present and voting).
    # GA rule 79/119: suspend > adjourn meeting > adjourn debate > close debate.  Limiting
    # speaking time (rule 72/115) and reconsideration (rule 81/124, two-thirds) are not in
    # rule 119's list and are placed after it -- choice.  UN4MUN has no caucus motions:
    # informal consultations happen while the meeting is suspended.
    motions=(
        MotionRule(_M.POINT_OF_ORDER, _CHAIR),
        MotionRule(_M.APPEAL_RULING, SIMPLE_MAJORITY),
        MotionRule(_M.SUSPEND_MEETING, SIMPLE_MAJORITY),
        MotionRule(_M.ADJOURN_MEETING, SIMPLE_MAJORITY),
        MotionRule(_M.ADJOURN_DEBATE, SIMPLE_MAJORITY),
        MotionRule(_M.CLOSE_DEBATE, SIMPLE_MAJORITY),
        MotionRule(_M.SET_SPEAKING_TIME, SIMPLE_MAJORITY),
        MotionRule(_M.RECONSIDER, TWO_THIRDS),
    ),
    tie_rule=TieRule.SUBMISSION_ORDER,
    # UN statements are not yielded to others or to questions.
    allowed_yields=frozenset(),
)
"""UN4MUN-style profile: the UN General Assembly rules of procedure as taught by UN4MUN."""

THIMUN = RuleProfile(
    name="THIMUN",
    # THIMUN keeps the GA's quorum rules (one third to open, a majority to decide).
    quorum_debate=ONE_THIRD,
    quorum_procedural=HALF,
    quorum_substantive=HALF,
    # Resolutions and amendments pass with more votes for than against; abstentions are
    # not counted.  Procedural motions: simple majority with no abstentions.
    procedural_majority=SIMPLE_MAJORITY,
    substantive_majority=SIMPLE_MAJORITY,
    procedural_abstentions=False,
    present_and_voting_may_abstain=False,
    # Observers (non-member states, NGOs) speak but do not vote on resolutions or
    # amendments; THIMUN-style handbooks let observer states vote on motions -- choice.
    procedural_voters=frozenset({MemberStatus.MEMBER, MemberStatus.OBSERVER}),
    substantive_voters=frozenset({MemberStatus.MEMBER}),
    veto=False,
    # Speech length is set by the chair in THIMUN; two minutes is the default -- choice.
    default_speaking_time=120,
    # Points (personal privilege may interrupt a speaker, then order, then inquiry), then
    # motions from most to least disruptive.  Moving to the previous question is usually
    # granted by the chair unless a delegation objects, in which case it goes to a
    # simple-majority vote; tabling ("adjourn debate") and reconsideration need
    # two-thirds; extending debate time is at the chair's discretion.
    motions=(
        MotionRule(_M.POINT_OF_PERSONAL_PRIVILEGE, _CHAIR),
        MotionRule(_M.POINT_OF_ORDER, _CHAIR),
        MotionRule(_M.POINT_OF_PARLIAMENTARY_INQUIRY, _CHAIR),
        MotionRule(_M.ADJOURN_MEETING, SIMPLE_MAJORITY),
        MotionRule(_M.ADJOURN_DEBATE, TWO_THIRDS),
        MotionRule(_M.CLOSE_DEBATE, SIMPLE_MAJORITY),
        MotionRule(_M.EXTEND_DEBATE, _CHAIR),
        MotionRule(_M.RECONSIDER, TWO_THIRDS),
    ),
    tie_rule=TieRule.SUBMISSION_ORDER,
    # A speaker may yield the floor to another delegation (once) or open to points of
    # information.
    allowed_yields=frozenset({YieldKind.DELEGATE, YieldKind.QUESTIONS}),
)
"""THIMUN-style profile: The Hague International Model United Nations procedure."""

HARVARD = RuleProfile(
    name="Harvard",
    # HNMUN: debate may proceed when one quarter of the members are present; a majority
    # of the members must be present for substantive votes.  Procedural votes need only
    # the debate quorum.
    quorum_debate=ONE_QUARTER,
    quorum_procedural=ONE_QUARTER,
    quorum_substantive=HALF,
    # Procedural: simple majority of delegations present, no abstentions.  Substantive:
    # simple majority of those present and voting (abstentions not counted).
    procedural_majority=SIMPLE_MAJORITY_OF_PRESENT,
    substantive_majority=SIMPLE_MAJORITY,
    procedural_abstentions=False,
    present_and_voting_may_abstain=False,
    # Observer and non-member states vote on procedural matters only; NGOs (non-state)
    # vote on nothing.
    procedural_voters=frozenset({MemberStatus.MEMBER, MemberStatus.OBSERVER}),
    substantive_voters=frozenset({MemberStatus.MEMBER}),
    veto=False,
    # Speakers' time is set by motion; 90 seconds when none is made -- choice.
    default_speaking_time=90,
    # HNMUN precedence: points, then adjournment and suspension, caucuses (unmoderated
    # before moderated), introduction of drafts and amendments, postponement (tabling)
    # and resumption of debate, closure of debate.  Setting the speakers' time is the
    # least disruptive and comes last; reconsideration follows it -- choice.  Closure,
    # postponement, resumption, reconsideration and overruling the chair need two-thirds.
    # Introductions need signatories and the chair's approval, not a vote.
    motions=(
        MotionRule(_M.POINT_OF_PERSONAL_PRIVILEGE, _CHAIR),
        MotionRule(_M.POINT_OF_ORDER, _CHAIR),
        MotionRule(_M.APPEAL_RULING, TWO_THIRDS_OF_PRESENT),
        MotionRule(_M.POINT_OF_PARLIAMENTARY_INQUIRY, _CHAIR),
        MotionRule(_M.ADJOURN_MEETING, SIMPLE_MAJORITY_OF_PRESENT),
        MotionRule(_M.SUSPEND_MEETING, SIMPLE_MAJORITY_OF_PRESENT),
        MotionRule(_M.UNMODERATED_CAUCUS, SIMPLE_MAJORITY_OF_PRESENT),
        MotionRule(_M.MODERATED_CAUCUS, SIMPLE_MAJORITY_OF_PRESENT),
        MotionRule(_M.INTRODUCE_DRAFT_RESOLUTION, _CHAIR),
        MotionRule(_M.INTRODUCE_AMENDMENT, _CHAIR),
        MotionRule(_M.ADJOURN_DEBATE, TWO_THIRDS_OF_PRESENT),
        MotionRule(_M.RESUME_DEBATE, TWO_THIRDS_OF_PRESENT),
        MotionRule(_M.CLOSE_DEBATE, TWO_THIRDS_OF_PRESENT),
        MotionRule(_M.SET_SPEAKING_TIME, SIMPLE_MAJORITY_OF_PRESENT),
        MotionRule(_M.RECONSIDER, TWO_THIRDS_OF_PRESENT),
    ),
    # "Most disruptive first": longest caucus first; equal length -> more speakers first.
    tie_rule=TieRule.MOST_DISRUPTIVE,
    allowed_yields=frozenset({YieldKind.DELEGATE, YieldKind.QUESTIONS}),
)
"""Harvard-style caucus profile (HNMUN / HMUN / WorldMUN procedure)."""

PRESETS: Mapping[str, RuleProfile] = MappingProxyType(
    {"un4mun": UN4MUN, "thimun": THIMUN, "harvard": HARVARD}
)


def get_profile(name: str) -> RuleProfile:
    """Look up a preset by key ('un4mun', 'thimun', 'harvard'), case-insensitively."""
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise _refusal(
            "unknown_profile", f"unknown rule profile {name!r}; known: {known}", name=name
        ) from None


def security_council(profile: RuleProfile) -> RuleProfile:
    """Security Council variant of a profile: nine of fifteen and the P5 veto.

    UN Charter Art. 27: each member has one vote; procedural decisions need nine affirmative
    votes of the members; substantive ones nine affirmative votes with no negative vote of a
    permanent member.  Observers speak but vote on nothing, whatever the style's rule for
    its other committees, so they are never part of the nine or of the fifteen.  The same
    rule is applied for every style (THIMUN and Harvard councils follow the Charter here); the
    nine-of-fifteen figure is kept as three-fifths of the full members for smaller
    school councils.  Every motion decided by vote also needs nine (Art. 27(2)).
    Veto-holders are the members with ``Member.veto`` set.
    """
    motions = tuple(
        rule if rule.majority is None else MotionRule(rule.kind, NINE_OF_FIFTEEN)
        for rule in profile.motions
    )
    return replace(
        profile,
        name=f"{profile.name} Security Council",
        procedural_majority=NINE_OF_FIFTEEN,
        substantive_majority=NINE_OF_FIFTEEN,
        procedural_voters=_MEMBERS_ONLY,
        substantive_voters=_MEMBERS_ONLY,
        veto=True,
        motions=motions,
    )


# ------------------------------------------------------------------------- quorum


@dataclass(frozen=True, slots=True)
class QuorumResult:
    """Whether a quorum is met: ``counted`` present of ``base`` members, ``required``."""

    purpose: QuorumPurpose
    met: bool
    required: int
    counted: int
    base: int
    threshold: Threshold

    @property
    def reason(self) -> str:
        """Human explanation of the result."""
        state = "quorum" if self.met else "no quorum"
        return (
            f"{state}: {self.counted} of {self.base} members present, "
            f"{self.required} required ({self.threshold.label})"
        )


def _index(members: Sequence[Member]) -> dict[str, Member]:
    index: dict[str, Member] = {}
    for member in members:
        if not isinstance(member, Member):
            raise TypeError(f"a committee lists Member objects, not {member!r}")
        if member.id in index:
            raise _refusal(
                "listed_twice", f"delegation {member.id!r} is listed twice", delegation=member.id
            )
        index[member.id] = member
    return index


def _present_ids(
    present: Mapping[str, Attendance] | Collection[str], index: Mapping[str, Member]
) -> set[str]:
    if isinstance(present, Mapping):
        _check_roll_call(present)
        ids = {d for d, a in present.items() if a is not Attendance.ABSENT}
        named: Iterable[str] = present.keys()
    else:
        ids = set(present)
        named = ids
    unknown = sorted(d for d in named if d not in index)
    if unknown:
        raise _refusal(
            "not_members",
            f"not members of this committee: {', '.join(unknown)}",
            delegations=tuple(unknown),
        )
    return ids


def _check_roll_call(roll_call: Mapping[str, Attendance]) -> None:
    for delegation, attendance in roll_call.items():
        _expect(attendance, Attendance, f"roll-call answer of {delegation!r}")


def _quorum_threshold(profile: RuleProfile, purpose: QuorumPurpose) -> Threshold:
    if purpose is QuorumPurpose.DEBATE:
        return profile.quorum_debate
    if purpose is QuorumPurpose.PROCEDURAL_VOTE:
        return profile.quorum_procedural
    return profile.quorum_substantive


def quorum(
    profile: RuleProfile,
    members: Sequence[Member],
    present: Mapping[str, Attendance] | Collection[str],
    purpose: QuorumPurpose,
) -> QuorumResult:
    """Check the quorum for debate or a vote; ``present`` is a roll call or a set of ids."""
    _expect(purpose, QuorumPurpose, "quorum purpose")
    index = _index(members)
    present_ids = _present_ids(present, index)
    full = [m for m in members if m.status is MemberStatus.MEMBER]
    counted = sum(1 for m in full if m.id in present_ids)
    threshold = _quorum_threshold(profile, purpose)
    required = threshold.required(len(full))
    return QuorumResult(
        purpose=purpose,
        met=counted >= required,
        required=required,
        counted=counted,
        base=len(full),
        threshold=threshold,
    )


# -------------------------------------------------------------------------- tally


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a vote."""

    kind: VoteKind
    yes: int
    no: int
    abstain: int
    base: int
    required: int
    majority: Majority
    passed: bool
    reason: str
    quorum: QuorumResult
    vetoed_by: tuple[str, ...] = ()

    @property
    def voters(self) -> int:
        """Number of present delegations that voted (yes + no + abstain)."""
        return self.yes + self.no + self.abstain


_STATUS_PHRASE: Mapping[MemberStatus, str] = MappingProxyType(
    {
        MemberStatus.MEMBER: "a member",
        MemberStatus.OBSERVER: "an observer",
        MemberStatus.NON_STATE: "a non-state participant",
    }
)


def _choose_majority(
    profile: RuleProfile,
    kind: VoteKind,
    motion: MotionKind | None,
    majority: Majority | None,
) -> Majority:
    if motion is not None and majority is not None:
        raise _refusal(
            "motion_and_majority", "give either a motion or an explicit majority, not both"
        )
    if majority is not None:
        return majority
    if motion is not None:
        if kind is not VoteKind.PROCEDURAL:
            raise _refusal("motion_substantive", "motions are procedural questions")
        rule = profile.motion_rule(motion)
        if rule.majority is None:
            raise _refusal(
                "chair_decides",
                f"{_words(motion)} is decided by the chair, not by a vote",
                motion=motion.value,
            )
        return rule.majority
    return profile.majority(kind)


def tally(
    profile: RuleProfile,
    votes: Mapping[str, Vote],
    roll_call: Mapping[str, Attendance],
    kind: VoteKind,
    members: Sequence[Member],
    *,
    motion: MotionKind | None = None,
    majority: Majority | None = None,
) -> Outcome:
    """Count and decide a vote; RuleError for a vote the rules do not allow.

    ``motion`` applies that motion's majority from the profile (e.g. two-thirds to close
    debate); ``majority`` overrides the majority outright (e.g. an important question).
    """
    _expect(kind, VoteKind, "vote kind")
    if motion is not None:
        _expect(motion, MotionKind, "motion")
    if majority is not None and not isinstance(majority, Majority):
        raise TypeError(f"majority must be a Majority, not {majority!r}")
    if not isinstance(roll_call, Mapping):
        raise TypeError(f"the roll call must map delegations to Attendance, not {roll_call!r}")
    for delegation, vote in votes.items():
        _expect(vote, Vote, f"vote of {delegation!r}")
    index = _index(members)
    _present_ids(roll_call, index)  # validates the roll call's delegations and answers
    eligible = profile.voters(kind)
    for delegation, vote in votes.items():
        member = index.get(delegation)
        if member is None:
            raise _refusal(
                "not_member",
                f"{delegation!r} is not a member of this committee",
                delegation=delegation,
            )
        attendance = roll_call.get(delegation, Attendance.ABSENT)
        if attendance is Attendance.ABSENT:
            raise _refusal(
                "absent_voter",
                f"{member.name} is not present and may not vote",
                delegation=member.id,
            )
        if member.status not in eligible:
            raise _refusal(
                "may_not_vote",
                f"{member.name} is {_STATUS_PHRASE[member.status]} "
                f"and may not vote on {kind.value} matters",
                delegation=member.id,
                status=member.status.value,
                vote_kind=kind.value,
            )
        if vote is Vote.ABSTAIN:
            if kind is VoteKind.PROCEDURAL and not profile.procedural_abstentions:
                raise _refusal(
                    "procedural_abstention",
                    f"{member.name} may not abstain: abstentions are not in order on "
                    f"procedural votes under {profile.name} rules",
                    delegation=member.id,
                    profile=profile.name,
                )
            if (
                kind is VoteKind.SUBSTANTIVE
                and attendance is Attendance.PRESENT_AND_VOTING
                and not profile.present_and_voting_may_abstain
            ):
                raise _refusal(
                    "present_and_voting_abstention",
                    f"{member.name} answered the roll call 'present and voting' and may not "
                    "abstain",
                    delegation=member.id,
                )

    voters = [
        m
        for m in members
        if m.status in eligible and roll_call.get(m.id, Attendance.ABSENT) is not Attendance.ABSENT
    ]
    missing = [m.name for m in voters if m.id not in votes]
    if missing:
        raise _refusal(
            "missing_votes",
            f"no vote recorded for: {', '.join(missing)}",
            delegations=tuple(m.id for m in voters if m.id not in votes),
        )

    yes = sum(1 for v in votes.values() if v is Vote.YES)
    no = sum(1 for v in votes.values() if v is Vote.NO)
    abstain = sum(1 for v in votes.values() if v is Vote.ABSTAIN)

    chosen = _choose_majority(profile, kind, motion, majority)
    if chosen.base is Base.PRESENT_AND_VOTING:
        base = yes + no
    elif chosen.base is Base.PRESENT:
        base = yes + no + abstain
    else:
        base = sum(1 for m in members if m.status in eligible)
    required = chosen.threshold.required(base)

    purpose = (
        QuorumPurpose.PROCEDURAL_VOTE
        if kind is VoteKind.PROCEDURAL
        else QuorumPurpose.SUBSTANTIVE_VOTE
    )
    quorum_result = quorum(profile, members, roll_call, purpose)

    vetoed_by: tuple[str, ...] = ()
    if profile.veto and kind is VoteKind.SUBSTANTIVE:
        vetoed_by = tuple(m.name for m in members if m.veto and votes.get(m.id) is Vote.NO)

    if not quorum_result.met:
        passed, reason = False, quorum_result.reason
    elif vetoed_by:
        passed, reason = False, f"vetoed by {', '.join(vetoed_by)}"
    elif yes >= required:
        passed, reason = True, f"passed: {yes} of {base} is {chosen.threshold.label}"
    else:
        passed, reason = False, f"failed: {yes} of {base} is not {chosen.threshold.label}"

    return Outcome(
        kind=kind,
        yes=yes,
        no=no,
        abstain=abstain,
        base=base,
        required=required,
        majority=chosen,
        passed=passed,
        reason=reason,
        quorum=quorum_result,
        vetoed_by=vetoed_by,
    )


# ------------------------------------------------------------------------ motions


@dataclass(frozen=True, slots=True)
class Motion:
    """A pending point or motion.

    ``total_seconds``: length of a caucus or suspension; ``speaking_seconds``: per-speaker
    time of a moderated caucus, or the proposed time of a set-speaking-time motion.
    """

    kind: MotionKind
    proposer: str
    total_seconds: int | None = None
    speaking_seconds: int | None = None
    topic: str = ""

    def __post_init__(self) -> None:
        _expect(self.kind, MotionKind, "motion kind")
        for label, value in (("total", self.total_seconds), ("speaking", self.speaking_seconds)):
            if value is not None and value <= 0:
                raise _refusal(
                    "motion_time_positive",
                    f"{label} time must be positive, got {value}",
                    which=label,
                    seconds=value,
                )
        if self.kind is MotionKind.MODERATED_CAUCUS:
            if self.total_seconds is None or self.speaking_seconds is None:
                raise _refusal(
                    "moderated_times", "a moderated caucus needs a total time and a speaking time"
                )
            if self.speaking_seconds > self.total_seconds:
                raise _refusal(
                    "speaking_over_total", "speaking time cannot exceed the caucus's total time"
                )
        if self.kind is MotionKind.UNMODERATED_CAUCUS and self.total_seconds is None:
            raise _refusal("unmoderated_total", "an unmoderated caucus needs a total time")

    @property
    def speakers(self) -> int | None:
        """Number of speakers a moderated caucus allows, else None."""
        if self.total_seconds is None or self.speaking_seconds is None:
            return None
        return self.total_seconds // self.speaking_seconds


def order_motions(profile: RuleProfile, motions: Iterable[Motion]) -> tuple[Motion, ...]:
    """Sort pending motions by the profile's precedence, then its tie rule, then as raised."""
    pending = tuple(motions)
    for motion in pending:
        profile.motion_rule(motion.kind)  # raises if out of order

    def key(motion: Motion) -> tuple[int, int, int]:
        rank = profile.precedence(motion.kind)
        if profile.tie_rule is TieRule.MOST_DISRUPTIVE:
            return (rank, -(motion.total_seconds or 0), -(motion.speakers or 0))
        return (rank, 0, 0)

    # sorted() is stable: motions that tie completely keep the order they were raised in.
    return tuple(sorted(pending, key=key))


# ------------------------------------------------------------------------ caucuses


@dataclass(frozen=True, slots=True)
class ModeratedCaucus:
    """Timing of a moderated caucus."""

    total_seconds: int
    speaking_seconds: int

    @property
    def speakers(self) -> int:
        """How many speakers fit: total // per-speaker."""
        return self.total_seconds // self.speaking_seconds

    @property
    def leftover_seconds(self) -> int:
        """Seconds left over after the last full speaking slot."""
        return self.total_seconds % self.speaking_seconds


def moderated_caucus(total_seconds: int, speaking_seconds: int) -> ModeratedCaucus:
    """Validate and build a moderated caucus's timing."""
    if total_seconds <= 0 or speaking_seconds <= 0:
        raise _refusal("caucus_times_positive", "caucus and speaking times must be positive")
    if speaking_seconds > total_seconds:
        raise _refusal(
            "speaking_exceeds_total",
            f"speaking time {speaking_seconds}s exceeds the caucus's total {total_seconds}s",
            speaking=speaking_seconds,
            total=total_seconds,
        )
    return ModeratedCaucus(total_seconds, speaking_seconds)


def caucus_speakers(total_seconds: int, speaking_seconds: int) -> int:
    """Number of speakers in a moderated caucus: total // per-speaker time."""
    return moderated_caucus(total_seconds, speaking_seconds).speakers


# ------------------------------------------------------------------ speakers' list


@dataclass(frozen=True, slots=True)
class Speech:
    """The speech in progress: who holds the floor and how much time is used."""

    delegation: str
    allotted: int
    used: int = 0
    yielded_by: str | None = None  # the delegation that yielded the floor to this speaker
    questions: bool = False  # the speaker has yielded to points of information

    @property
    def remaining(self) -> int:
        """Seconds left."""
        return self.allotted - self.used


@dataclass(frozen=True, slots=True)
class SpeechRecord:
    """A finished speech, for time accounting."""

    delegation: str
    allotted: int
    used: int
    ended_by: YieldKind
    yielded_to: str | None = None


def _require_present(delegation: str, roll_call: Mapping[str, Attendance]) -> None:
    _check_roll_call(roll_call)
    if roll_call.get(delegation, Attendance.ABSENT) is Attendance.ABSENT:
        raise _refusal("not_present", f"{delegation} is not present", delegation=delegation)


@dataclass(frozen=True, slots=True)
class SpeakersList:
    """An immutable speakers' list: every operation returns a new list.

    Yield rules (HNMUN/THIMUN convention): a speaker may yield the remaining time once to
    another present delegation, or to points of information (the speaker's answers use
    the remaining time), or to the chair, which ends the speech and forfeits the rest.
    A delegation that received a yielded floor may only yield to the chair.
    """

    speaking_time: int
    allowed_yields: frozenset[YieldKind] = field(default_factory=frozenset)
    queue: tuple[str, ...] = ()
    current: Speech | None = None
    history: tuple[SpeechRecord, ...] = ()

    def __post_init__(self) -> None:
        if self.speaking_time <= 0:
            raise _refusal(
                "speaking_time_positive",
                f"speaking time must be positive, got {self.speaking_time}",
                seconds=self.speaking_time,
            )
        if len(set(self.queue)) != len(self.queue):
            raise _refusal(
                "queued_twice", "a delegation may be on the speakers' list only once at a time"
            )
        for kind in self.allowed_yields:
            _expect(kind, YieldKind, "yield")

    @classmethod
    def open(cls, profile: RuleProfile, speaking_time: int | None = None) -> SpeakersList:
        """An empty list with the profile's (or the given) speaking time."""
        time = profile.default_speaking_time if speaking_time is None else speaking_time
        return cls(speaking_time=time, allowed_yields=profile.allowed_yields)

    def add(self, delegation: str, roll_call: Mapping[str, Attendance]) -> SpeakersList:
        """Append a present delegation that is not already on the list."""
        _require_present(delegation, roll_call)
        if delegation in self.queue:
            raise _refusal(
                "already_on_list",
                f"{delegation} is already on the speakers' list",
                delegation=delegation,
            )
        return replace(self, queue=(*self.queue, delegation))

    def remove(self, delegation: str) -> SpeakersList:
        """Take a delegation off the list."""
        if delegation not in self.queue:
            raise _refusal(
                "not_on_list", f"{delegation} is not on the speakers' list", delegation=delegation
            )
        return replace(self, queue=tuple(d for d in self.queue if d != delegation))

    def set_speaking_time(self, seconds: int) -> SpeakersList:
        """Change the time for speeches that start from now on."""
        return replace(self, speaking_time=seconds)

    def next(self) -> SpeakersList:
        """Give the floor to the first delegation on the list."""
        if self.current is not None:
            raise _refusal(
                "holds_floor",
                f"{self.current.delegation} still holds the floor",
                delegation=self.current.delegation,
            )
        if not self.queue:
            raise _refusal("list_exhausted", "the speakers' list is exhausted")
        first, *rest = self.queue
        return replace(self, queue=tuple(rest), current=Speech(first, self.speaking_time))

    def elapse(self, seconds: int) -> SpeakersList:
        """Count ``seconds`` of the current speech (or of the answers to questions)."""
        speech = self._speech()
        if seconds < 0:
            raise _refusal("time_backwards", "time cannot run backwards")
        if seconds > speech.remaining:
            raise _refusal(
                "time_left",
                f"{speech.delegation} has only {speech.remaining}s left, not {seconds}s",
                delegation=speech.delegation,
                remaining=speech.remaining,
                seconds=seconds,
            )
        return replace(self, current=replace(speech, used=speech.used + seconds))

    def yield_to_delegate(
        self, delegation: str, roll_call: Mapping[str, Attendance]
    ) -> SpeakersList:
        """Yield the remaining time to another present delegation."""
        speech = self._speech()
        self._check_yield(YieldKind.DELEGATE, speech)
        if delegation == speech.delegation:
            raise _refusal("yield_to_self", "a delegation cannot yield to itself")
        _require_present(delegation, roll_call)
        if speech.remaining == 0:
            raise _refusal(
                "no_time_to_yield",
                f"{speech.delegation} has no time left to yield",
                delegation=speech.delegation,
            )
        record = SpeechRecord(
            speech.delegation, speech.allotted, speech.used, YieldKind.DELEGATE, delegation
        )
        successor = Speech(delegation, speech.remaining, yielded_by=speech.delegation)
        return replace(self, current=successor, history=(*self.history, record))

    def yield_to_questions(self) -> SpeakersList:
        """Yield the remaining time to points of information."""
        speech = self._speech()
        self._check_yield(YieldKind.QUESTIONS, speech)
        if speech.remaining == 0:
            raise _refusal(
                "no_time_for_questions",
                f"{speech.delegation} has no time left for questions",
                delegation=speech.delegation,
            )
        return replace(self, current=replace(speech, questions=True))

    def yield_to_chair(self) -> SpeakersList:
        """End the current speech; any remaining time is forfeited."""
        speech = self._speech()
        record = SpeechRecord(speech.delegation, speech.allotted, speech.used, YieldKind.CHAIR)
        return replace(self, current=None, history=(*self.history, record))

    def _speech(self) -> Speech:
        if self.current is None:
            raise _refusal("nobody_speaks", "nobody holds the floor")
        return self.current

    def _check_yield(self, kind: YieldKind, speech: Speech) -> None:
        if kind not in self.allowed_yields:
            raise _refusal(
                "yield_out_of_order",
                f"yields to {kind.value} are not in order under these rules",
                to=kind.value,
            )
        if speech.yielded_by is not None:
            raise _refusal(
                "yielded_floor",
                f"{speech.delegation} received the floor from {speech.yielded_by} "
                f"and may only yield to the chair",
                delegation=speech.delegation,
                by=speech.yielded_by,
            )
        if speech.questions:
            raise _refusal(
                "yielded_to_questions",
                f"{speech.delegation} has already yielded to questions",
                delegation=speech.delegation,
            )
