"""Tests for chancery.mun.rules: rule texts per preset, plus property tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import FrozenInstanceError, replace
from fractions import Fraction
from itertools import pairwise
from typing import Any, no_type_check

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chancery.mun.presets import preset_rows, rebuilt
from chancery.mun.rules import (
    HARVARD,
    NINE_OF_FIFTEEN,
    PRESETS,
    SIMPLE_MAJORITY,
    SIMPLE_MAJORITY_OF_PRESENT,
    THIMUN,
    TWO_THIRDS,
    UN4MUN,
    Attendance,
    Base,
    Majority,
    Member,
    MemberStatus,
    Motion,
    MotionKind,
    QuorumPurpose,
    RuleError,
    RuleProfile,
    SpeakersList,
    Threshold,
    TieRule,
    Vote,
    VoteKind,
    YieldKind,
    caucus_speakers,
    get_profile,
    moderated_caucus,
    order_motions,
    quorum,
    security_council,
    tally,
)

ALL = [UN4MUN, THIMUN, HARVARD]
IDS = [p.name for p in ALL]
COUNCILS = [security_council(p) for p in ALL]
COUNCIL_IDS = [p.name for p in COUNCILS]

P = Attendance.PRESENT
PV = Attendance.PRESENT_AND_VOTING
A = Attendance.ABSENT
Y, N, AB = Vote.YES, Vote.NO, Vote.ABSTAIN
PROC, SUBST = VoteKind.PROCEDURAL, VoteKind.SUBSTANTIVE
K = MotionKind


# ------------------------------------------------------------------------ helpers


def members(n: int, *, observers: int = 0, non_state: int = 0) -> list[Member]:
    """n full members M01.., then observers O01.., then non-state participants N01..."""
    out = [Member(f"M{i:02}", f"Member {i:02}") for i in range(1, n + 1)]
    out += [
        Member(f"O{i:02}", f"Observer {i:02}", MemberStatus.OBSERVER)
        for i in range(1, observers + 1)
    ]
    out += [
        Member(f"N{i:02}", f"NGO {i:02}", MemberStatus.NON_STATE) for i in range(1, non_state + 1)
    ]
    return out


def all_present(ms: Sequence[Member], att: Attendance = P) -> dict[str, Attendance]:
    return {m.id: att for m in ms}


def cast(ms: Sequence[Member], yes: int, no: int, abstain: int = 0) -> dict[str, Vote]:
    """Votes for the first yes+no+abstain members of ms, in that order."""
    assert yes + no + abstain == len(ms)
    seq = [Y] * yes + [N] * no + [AB] * abstain
    return {m.id: v for m, v in zip(ms, seq, strict=True)}


P5 = {
    "CN": "China",
    "FR": "France",
    "RU": "Russian Federation",
    "GB": "United Kingdom",
    "US": "United States",
}


def council() -> list[Member]:
    p5 = [Member(code, name, veto=True) for code, name in P5.items()]
    elected = [Member(f"E{i:02}", f"Elected {i:02}") for i in range(1, 11)]
    return p5 + elected


def council_votes(
    ms: Sequence[Member], overrides: Mapping[str, Vote], default: Vote
) -> dict[str, Vote]:
    return {m.id: overrides.get(m.name, default) for m in ms}


# ----------------------------------------------------------------- thresholds


@pytest.mark.parametrize("base", range(0, 61))
def test_simple_majority_required_is_more_than_half(base: int) -> None:
    assert SIMPLE_MAJORITY.threshold.required(base) == max(base // 2 + 1, 1)


@pytest.mark.parametrize("base", range(0, 61))
def test_two_thirds_required_is_exact_ceiling(base: int) -> None:
    need = TWO_THIRDS.threshold.required(base)
    assert need == max(-(-2 * base // 3), 1)
    if base:
        assert Fraction(need, base) >= Fraction(2, 3)
        assert need == 1 or Fraction(need - 1, base) < Fraction(2, 3)


def test_threshold_examples_from_the_brief() -> None:
    assert TWO_THIRDS.threshold.required(9) == 6
    assert SIMPLE_MAJORITY.threshold.required(10) == 6
    assert not SIMPLE_MAJORITY.threshold.met(5, 10)
    assert NINE_OF_FIFTEEN.threshold.required(15) == 9


def test_threshold_validation() -> None:
    with pytest.raises(RuleError):
        Threshold(Fraction(3, 2), strict=False)
    with pytest.raises(RuleError):
        Threshold(Fraction(1), strict=True)
    with pytest.raises(RuleError):
        SIMPLE_MAJORITY.threshold.required(-1)


def test_labels() -> None:
    assert SIMPLE_MAJORITY.threshold.label == "more than half"
    assert TWO_THIRDS.threshold.label == "at least two-thirds"
    assert SIMPLE_MAJORITY.label == "more than half of present and voting"
    assert Threshold(Fraction(4, 7), strict=False).label == "at least 4/7"


# --------------------------------------------------------------------- presets


def test_presets_registry_and_lookup() -> None:
    assert set(PRESETS) == {"un4mun", "thimun", "harvard"}
    assert get_profile(" THIMUN ") is THIMUN
    with pytest.raises(RuleError, match="unknown rule profile"):
        get_profile("nmun")
    with pytest.raises(TypeError):
        PRESETS["x"] = UN4MUN  # type: ignore[index]


def test_profiles_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        UN4MUN.veto = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("profile", "speaking", "proc_abstain", "debate", "decide"),
    [
        (UN4MUN, 300, True, Fraction(1, 3), Fraction(1, 2)),
        (THIMUN, 120, False, Fraction(1, 3), Fraction(1, 2)),
        (HARVARD, 90, False, Fraction(1, 4), Fraction(1, 2)),
    ],
    ids=IDS,
)
def test_preset_key_parameters(
    profile: RuleProfile, speaking: int, proc_abstain: bool, debate: Fraction, decide: Fraction
) -> None:
    assert profile.default_speaking_time == speaking
    assert profile.procedural_abstentions is proc_abstain
    assert profile.quorum_debate.fraction == debate
    assert profile.quorum_substantive.fraction == decide
    assert profile.quorum_substantive.strict  # "a majority of the members"
    assert not profile.present_and_voting_may_abstain
    assert profile.substantive_voters == frozenset({MemberStatus.MEMBER})
    assert profile.substantive_majority == SIMPLE_MAJORITY
    assert not profile.veto


def test_profile_validation() -> None:
    with pytest.raises(RuleError, match="twice"):
        RuleProfile(
            **{
                **{f: getattr(UN4MUN, f) for f in UN4MUN.__dataclass_fields__},
                "motions": UN4MUN.motions + UN4MUN.motions[:1],
            }
        )


def test_member_validation() -> None:
    with pytest.raises(RuleError):
        Member("", "Nobody")
    with pytest.raises(RuleError, match="cannot hold a veto"):
        Member("HS", "Holy See", MemberStatus.OBSERVER, veto=True)


# ---------------------------------------------------------------------- quorum

# (profile, members, purpose, required) from the rule texts
QUORUM_CASES = [
    (UN4MUN, 30, QuorumPurpose.DEBATE, 10),
    (UN4MUN, 30, QuorumPurpose.PROCEDURAL_VOTE, 16),
    (UN4MUN, 30, QuorumPurpose.SUBSTANTIVE_VOTE, 16),
    (UN4MUN, 13, QuorumPurpose.DEBATE, 5),
    (UN4MUN, 13, QuorumPurpose.SUBSTANTIVE_VOTE, 7),
    (THIMUN, 30, QuorumPurpose.DEBATE, 10),
    (THIMUN, 30, QuorumPurpose.PROCEDURAL_VOTE, 16),
    (THIMUN, 30, QuorumPurpose.SUBSTANTIVE_VOTE, 16),
    (THIMUN, 14, QuorumPurpose.DEBATE, 5),
    (THIMUN, 14, QuorumPurpose.SUBSTANTIVE_VOTE, 8),
    (HARVARD, 30, QuorumPurpose.DEBATE, 8),
    (HARVARD, 30, QuorumPurpose.PROCEDURAL_VOTE, 8),
    (HARVARD, 30, QuorumPurpose.SUBSTANTIVE_VOTE, 16),
    (HARVARD, 13, QuorumPurpose.DEBATE, 4),
    (HARVARD, 12, QuorumPurpose.DEBATE, 3),
    (HARVARD, 13, QuorumPurpose.SUBSTANTIVE_VOTE, 7),
]


@pytest.mark.parametrize(("profile", "size", "purpose", "required"), QUORUM_CASES)
def test_quorum_exactly_at_fraction_and_one_below(
    profile: RuleProfile, size: int, purpose: QuorumPurpose, required: int
) -> None:
    ms = members(size)
    at = {m.id for m in ms[:required]}
    below = {m.id for m in ms[: required - 1]}
    result = quorum(profile, ms, at, purpose)
    assert (result.met, result.required, result.counted, result.base) == (
        True,
        required,
        required,
        size,
    )
    result = quorum(profile, ms, below, purpose)
    assert not result.met
    assert result.counted == required - 1
    assert result.reason.startswith("no quorum")


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_quorum_ignores_observers_and_accepts_roll_call(profile: RuleProfile) -> None:
    ms = members(30, observers=5, non_state=5)
    roll = {m.id: (P if m.status is not MemberStatus.MEMBER else A) for m in ms}
    roll.update({m.id: PV for m in ms[:15]})
    result = quorum(profile, ms, roll, QuorumPurpose.SUBSTANTIVE_VOTE)
    assert (result.counted, result.base, result.met) == (15, 30, False)  # 15 of 30: no majority


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_quorum_rejects_unknown_delegation(profile: RuleProfile) -> None:
    with pytest.raises(RuleError, match="not members"):
        quorum(profile, members(3), {"XX"}, QuorumPurpose.DEBATE)
    with pytest.raises(RuleError, match="listed twice"):
        quorum(profile, [*members(2), *members(1)], set(), QuorumPurpose.DEBATE)


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_tally_without_quorum_fails(profile: RuleProfile) -> None:
    ms = members(30)
    roll = {m.id: (P if i < 15 else A) for i, m in enumerate(ms)}
    votes = {m.id: Y for m in ms[:15]}
    outcome = tally(profile, votes, roll, SUBST, ms)
    assert not outcome.passed
    assert outcome.yes == 15
    assert outcome.reason.startswith("no quorum: 15 of 30 members present, 16 required")


# ------------------------------------------------------------------ ties & majorities


@pytest.mark.parametrize("profile", ALL, ids=IDS)
@pytest.mark.parametrize("kind", [PROC, SUBST])
def test_tie_fails(profile: RuleProfile, kind: VoteKind) -> None:
    ms = members(10)
    outcome = tally(profile, cast(ms, 5, 5), all_present(ms), kind, ms)
    assert not outcome.passed
    assert outcome.required == 6
    assert outcome.reason == "failed: 5 of 10 is not more than half"


@pytest.mark.parametrize("profile", ALL, ids=IDS)
@pytest.mark.parametrize("kind", [PROC, SUBST])
def test_one_more_yes_passes(profile: RuleProfile, kind: VoteKind) -> None:
    ms = members(11)
    outcome = tally(profile, cast(ms, 6, 5), all_present(ms), kind, ms)
    assert outcome.passed
    assert outcome.reason == "passed: 6 of 11 is more than half"


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_no_yes_never_passes(profile: RuleProfile) -> None:
    ms = members(6)
    outcome = tally(profile, cast(ms, 0, 0, 6), all_present(ms), SUBST, ms)
    assert (outcome.base, outcome.passed) == (0, False)
    outcome = tally(profile, cast(ms, 0, 0, 6), all_present(ms), SUBST, ms, majority=TWO_THIRDS)
    assert not outcome.passed


# The motion each preset decides by two-thirds, per its rule text.
TWO_THIRDS_MOTION = {
    "UN4MUN": K.RECONSIDER,
    "THIMUN": K.ADJOURN_DEBATE,
    "Harvard": K.CLOSE_DEBATE,
}


@pytest.mark.parametrize("profile", ALL, ids=IDS)
@pytest.mark.parametrize("voters", range(3, 31))
def test_two_thirds_threshold_exact(profile: RuleProfile, voters: int) -> None:
    ms = members(voters)
    roll = all_present(ms)
    motion = TWO_THIRDS_MOTION[profile.name]
    expected_required = -(-2 * voters // 3)
    for yes in range(0, voters + 1):
        votes = cast(ms, yes, voters - yes)
        by_motion = tally(profile, votes, roll, PROC, ms, motion=motion)
        explicit = tally(profile, votes, roll, SUBST, ms, majority=TWO_THIRDS)
        for outcome in (by_motion, explicit):
            assert outcome.required == expected_required
            assert outcome.passed is (yes > 0 and 3 * yes >= 2 * voters)


def test_two_thirds_of_nine_needs_six() -> None:
    ms = members(9)
    roll = all_present(ms)
    assert tally(UN4MUN, cast(ms, 6, 3), roll, SUBST, ms, majority=TWO_THIRDS).passed
    outcome = tally(UN4MUN, cast(ms, 5, 4), roll, SUBST, ms, majority=TWO_THIRDS)
    assert not outcome.passed
    assert outcome.reason == "failed: 5 of 9 is not at least two-thirds"


@pytest.mark.parametrize(
    ("profile", "motion", "majority"),
    [
        (UN4MUN, K.CLOSE_DEBATE, SIMPLE_MAJORITY),
        (UN4MUN, K.ADJOURN_DEBATE, SIMPLE_MAJORITY),
        (UN4MUN, K.SUSPEND_MEETING, SIMPLE_MAJORITY),
        (UN4MUN, K.RECONSIDER, TWO_THIRDS),
        (THIMUN, K.CLOSE_DEBATE, SIMPLE_MAJORITY),
        (THIMUN, K.ADJOURN_DEBATE, TWO_THIRDS),
        (THIMUN, K.RECONSIDER, TWO_THIRDS),
        (HARVARD, K.MODERATED_CAUCUS, SIMPLE_MAJORITY_OF_PRESENT),
        (HARVARD, K.UNMODERATED_CAUCUS, SIMPLE_MAJORITY_OF_PRESENT),
        (HARVARD, K.CLOSE_DEBATE, Majority(TWO_THIRDS.threshold, Base.PRESENT)),
        (HARVARD, K.ADJOURN_DEBATE, Majority(TWO_THIRDS.threshold, Base.PRESENT)),
    ],
)
def test_motion_majorities(profile: RuleProfile, motion: MotionKind, majority: Majority) -> None:
    assert profile.motion_rule(motion).majority == majority


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_chair_decided_motion_is_not_voted(profile: RuleProfile) -> None:
    ms = members(3)
    with pytest.raises(RuleError, match="decided by the chair"):
        tally(profile, cast(ms, 3, 0), all_present(ms), PROC, ms, motion=K.POINT_OF_ORDER)
    with pytest.raises(RuleError, match="not both"):
        tally(
            profile,
            cast(ms, 3, 0),
            all_present(ms),
            PROC,
            ms,
            motion=K.CLOSE_DEBATE,
            majority=TWO_THIRDS,
        )
    with pytest.raises(RuleError, match="procedural"):
        tally(profile, cast(ms, 3, 0), all_present(ms), SUBST, ms, motion=K.CLOSE_DEBATE)


# ------------------------------------------------------------------- abstentions


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_substantive_abstentions_not_counted(profile: RuleProfile) -> None:
    ms = members(10)
    outcome = tally(profile, cast(ms, 4, 3, 3), all_present(ms), SUBST, ms)
    assert (outcome.yes, outcome.no, outcome.abstain, outcome.base) == (4, 3, 3, 7)
    assert outcome.passed
    assert outcome.reason == "passed: 4 of 7 is more than half"


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_abstentions_counted_when_base_is_present(profile: RuleProfile) -> None:
    ms = members(10)
    outcome = tally(
        profile, cast(ms, 4, 3, 3), all_present(ms), SUBST, ms, majority=SIMPLE_MAJORITY_OF_PRESENT
    )
    assert (outcome.base, outcome.required, outcome.passed) == (10, 6, False)


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_majority_of_members_counts_absentees(profile: RuleProfile) -> None:
    ms = members(20)
    roll = {m.id: (P if i < 16 else A) for i, m in enumerate(ms)}
    votes = {m.id: (Y if i < 10 else N) for i, m in enumerate(ms[:16])}
    majority_of_members = Majority(SIMPLE_MAJORITY.threshold, Base.MEMBERS)
    outcome = tally(profile, votes, roll, SUBST, ms, majority=majority_of_members)
    assert (outcome.base, outcome.required, outcome.passed) == (20, 11, False)


def test_un4mun_procedural_abstentions_allowed_and_not_counted() -> None:
    ms = members(10)
    roll = all_present(ms, PV)  # no restriction on procedural abstention in UN4MUN
    outcome = tally(UN4MUN, cast(ms, 3, 2, 5), roll, PROC, ms, motion=K.CLOSE_DEBATE)
    assert (outcome.base, outcome.passed) == (5, True)


@pytest.mark.parametrize("profile", [THIMUN, HARVARD], ids=["THIMUN", "Harvard"])
def test_procedural_abstentions_rejected(profile: RuleProfile) -> None:
    ms = members(5)
    with pytest.raises(RuleError, match="abstentions are not in order on procedural votes"):
        tally(profile, cast(ms, 3, 1, 1), all_present(ms), PROC, ms)


@pytest.mark.parametrize("profile", ALL + COUNCILS, ids=IDS + COUNCIL_IDS)
def test_present_and_voting_cannot_abstain(profile: RuleProfile) -> None:
    ms = members(15)
    roll = all_present(ms)
    roll[ms[-1].id] = PV
    with pytest.raises(RuleError, match="'present and voting' and may not abstain"):
        tally(profile, cast(ms, 10, 4, 1), roll, SUBST, ms)
    roll[ms[-1].id] = P  # a merely "present" delegation may abstain
    assert tally(profile, cast(ms, 10, 4, 1), roll, SUBST, ms).abstain == 1


# ------------------------------------------------------------------------- veto


@pytest.mark.parametrize("profile", COUNCILS, ids=COUNCIL_IDS)
def test_p5_no_is_a_veto(profile: RuleProfile) -> None:
    ms = council()
    votes = council_votes(ms, {"China": N}, Y)
    outcome = tally(profile, votes, all_present(ms), SUBST, ms)
    assert (outcome.yes, outcome.no) == (14, 1)
    assert not outcome.passed
    assert outcome.vetoed_by == ("China",)
    assert outcome.reason == "vetoed by China"


@pytest.mark.parametrize("profile", COUNCILS, ids=COUNCIL_IDS)
def test_two_vetoes_are_both_named(profile: RuleProfile) -> None:
    ms = council()
    votes = council_votes(ms, {"China": N, "Russian Federation": N}, Y)
    outcome = tally(profile, votes, all_present(ms), SUBST, ms)
    assert outcome.reason == "vetoed by China, Russian Federation"


@pytest.mark.parametrize("profile", COUNCILS, ids=COUNCIL_IDS)
def test_p5_abstention_is_not_a_veto(profile: RuleProfile) -> None:
    ms = council()
    votes = council_votes(ms, {"China": AB, "Elected 01": N}, Y)
    outcome = tally(profile, votes, all_present(ms), SUBST, ms)
    assert outcome.passed
    assert outcome.vetoed_by == ()
    assert (outcome.yes, outcome.no, outcome.abstain) == (13, 1, 1)


@pytest.mark.parametrize("profile", COUNCILS, ids=COUNCIL_IDS)
def test_council_needs_nine_affirmative_votes(profile: RuleProfile) -> None:
    ms = council()
    roll = all_present(ms)
    eight = {m.id: (Y if i < 8 else AB) for i, m in enumerate(ms)}
    nine = {m.id: (Y if i < 9 else AB) for i, m in enumerate(ms)}
    low = tally(profile, eight, roll, SUBST, ms)
    assert (low.required, low.passed) == (9, False)
    assert low.reason == "failed: 8 of 15 is not at least three-fifths"
    assert tally(profile, nine, roll, SUBST, ms).passed


@pytest.mark.parametrize("profile", COUNCILS, ids=COUNCIL_IDS)
def test_no_veto_on_procedural_votes(profile: RuleProfile) -> None:
    ms = council()
    votes = {m.id: (N if m.veto else Y) for m in ms}  # all P5 against, 10 elected for
    outcome = tally(profile, votes, all_present(ms), PROC, ms)
    assert outcome.passed
    assert outcome.vetoed_by == ()
    motion = tally(profile, votes, all_present(ms), PROC, ms, motion=K.CLOSE_DEBATE)
    assert (motion.required, motion.passed) == (9, True)


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_no_veto_outside_a_council_profile(profile: RuleProfile) -> None:
    ms = council()
    votes = council_votes(ms, {"China": N}, Y)
    assert tally(profile, votes, all_present(ms), SUBST, ms).passed


# --------------------------------------------------------------- who may vote


@pytest.mark.parametrize("profile", ALL + COUNCILS, ids=IDS + COUNCIL_IDS)
@pytest.mark.parametrize("status", [MemberStatus.OBSERVER, MemberStatus.NON_STATE])
def test_observers_cannot_vote_substantively(profile: RuleProfile, status: MemberStatus) -> None:
    ms = [*members(3), Member("X", "Palestine", status)]
    votes = {"M01": Y, "M02": Y, "M03": N, "X": Y}
    with pytest.raises(RuleError, match="may not vote on substantive matters"):
        tally(profile, votes, all_present(ms), SUBST, ms)
    del votes["X"]  # without the observer the vote is complete and valid
    outcome = tally(profile, votes, all_present(ms), SUBST, ms)
    assert outcome.voters == 3


@pytest.mark.parametrize(
    ("profile", "status", "may_vote"),
    [
        (UN4MUN, MemberStatus.OBSERVER, False),
        (UN4MUN, MemberStatus.NON_STATE, False),
        (THIMUN, MemberStatus.OBSERVER, True),
        (THIMUN, MemberStatus.NON_STATE, False),
        (HARVARD, MemberStatus.OBSERVER, True),
        (HARVARD, MemberStatus.NON_STATE, False),
    ],
)
def test_who_votes_on_procedural_matters(
    profile: RuleProfile, status: MemberStatus, may_vote: bool
) -> None:
    ms = [*members(3), Member("X", "Other", status)]
    roll = all_present(ms)
    with_x = {"M01": Y, "M02": N, "M03": N, "X": Y}
    without_x = {"M01": Y, "M02": N, "M03": N}
    if may_vote:
        assert tally(profile, with_x, roll, PROC, ms).voters == 4
        with pytest.raises(RuleError, match="no vote recorded for: Other"):
            tally(profile, without_x, roll, PROC, ms)
    else:
        with pytest.raises(RuleError, match="may not vote on procedural matters"):
            tally(profile, with_x, roll, PROC, ms)
        assert tally(profile, without_x, roll, PROC, ms).voters == 3


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_only_present_delegations_vote(profile: RuleProfile) -> None:
    ms = members(4)
    roll = {"M01": P, "M02": P, "M03": PV, "M04": A}
    with pytest.raises(RuleError, match="Member 04 is not present"):
        tally(profile, {"M01": Y, "M02": Y, "M03": N, "M04": Y}, roll, SUBST, ms)
    roll_missing = {"M01": P, "M02": P, "M03": PV}
    with pytest.raises(RuleError, match="not present"):
        tally(profile, {"M01": Y, "M02": Y, "M03": N, "M04": Y}, roll_missing, SUBST, ms)
    assert tally(profile, {"M01": Y, "M02": Y, "M03": N}, roll, SUBST, ms).passed


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_invalid_ballots(profile: RuleProfile) -> None:
    ms = members(3)
    roll = all_present(ms)
    with pytest.raises(RuleError, match="not a member"):
        tally(profile, {"M01": Y, "M02": Y, "M03": Y, "ZZ": Y}, roll, SUBST, ms)
    with pytest.raises(RuleError, match="not members"):
        tally(profile, {"M01": Y}, {**roll, "ZZ": P}, SUBST, ms)
    with pytest.raises(RuleError, match="no vote recorded for: Member 03"):
        tally(profile, {"M01": Y, "M02": Y}, roll, SUBST, ms)


# ---------------------------------------------------------------------- motions

EXPECTED_ORDER = {
    "UN4MUN": [
        K.POINT_OF_ORDER,
        K.APPEAL_RULING,
        K.SUSPEND_MEETING,
        K.ADJOURN_MEETING,
        K.ADJOURN_DEBATE,
        K.CLOSE_DEBATE,
        K.SET_SPEAKING_TIME,
        K.RECONSIDER,
    ],
    "THIMUN": [
        K.POINT_OF_PERSONAL_PRIVILEGE,
        K.POINT_OF_ORDER,
        K.POINT_OF_PARLIAMENTARY_INQUIRY,
        K.ADJOURN_MEETING,
        K.ADJOURN_DEBATE,
        K.CLOSE_DEBATE,
        K.EXTEND_DEBATE,
        K.RECONSIDER,
    ],
    "Harvard": [
        K.POINT_OF_PERSONAL_PRIVILEGE,
        K.POINT_OF_ORDER,
        K.APPEAL_RULING,
        K.POINT_OF_PARLIAMENTARY_INQUIRY,
        K.ADJOURN_MEETING,
        K.SUSPEND_MEETING,
        K.UNMODERATED_CAUCUS,
        K.MODERATED_CAUCUS,
        K.INTRODUCE_DRAFT_RESOLUTION,
        K.INTRODUCE_AMENDMENT,
        K.ADJOURN_DEBATE,
        K.RESUME_DEBATE,
        K.CLOSE_DEBATE,
        K.SET_SPEAKING_TIME,
        K.RECONSIDER,
    ],
}


def sample_motion(kind: MotionKind, proposer: str = "M01") -> Motion:
    if kind is K.MODERATED_CAUCUS:
        return Motion(kind, proposer, total_seconds=600, speaking_seconds=60)
    if kind is K.UNMODERATED_CAUCUS:
        return Motion(kind, proposer, total_seconds=600)
    return Motion(kind, proposer)


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_motion_precedence_order(profile: RuleProfile) -> None:
    expected = EXPECTED_ORDER[profile.name]
    pending = [sample_motion(kind) for kind in reversed(expected)]
    assert [m.kind for m in order_motions(profile, pending)] == expected
    assert [r.kind for r in profile.motions] == expected


@pytest.mark.parametrize(
    ("profile", "kind"),
    [
        (UN4MUN, K.MODERATED_CAUCUS),
        (UN4MUN, K.UNMODERATED_CAUCUS),
        (UN4MUN, K.POINT_OF_PERSONAL_PRIVILEGE),
        (THIMUN, K.MODERATED_CAUCUS),
        (HARVARD, K.EXTEND_DEBATE),
    ],
)
def test_motion_out_of_order(profile: RuleProfile, kind: MotionKind) -> None:
    assert not profile.allows(kind)
    with pytest.raises(RuleError, match="is not in order under"):
        order_motions(profile, [sample_motion(kind)])
    with pytest.raises(RuleError):
        profile.precedence(kind)


def test_harvard_most_disruptive_first() -> None:
    mod_10_60 = Motion(K.MODERATED_CAUCUS, "A", total_seconds=600, speaking_seconds=60)
    mod_10_30 = Motion(K.MODERATED_CAUCUS, "B", total_seconds=600, speaking_seconds=30)
    mod_15_60 = Motion(K.MODERATED_CAUCUS, "C", total_seconds=900, speaking_seconds=60)
    unmod_10 = Motion(K.UNMODERATED_CAUCUS, "D", total_seconds=600)
    unmod_15 = Motion(K.UNMODERATED_CAUCUS, "E", total_seconds=900)
    close = Motion(K.CLOSE_DEBATE, "F")
    got = order_motions(HARVARD, [close, mod_10_60, unmod_10, mod_10_30, mod_15_60, unmod_15])
    assert [m.proposer for m in got] == ["E", "D", "C", "B", "A", "F"]


def test_harvard_equal_caucuses_keep_submission_order() -> None:
    first = Motion(K.MODERATED_CAUCUS, "A", total_seconds=600, speaking_seconds=60)
    second = Motion(K.MODERATED_CAUCUS, "B", total_seconds=600, speaking_seconds=60)
    assert [m.proposer for m in order_motions(HARVARD, [first, second])] == ["A", "B"]
    assert [m.proposer for m in order_motions(HARVARD, [second, first])] == ["B", "A"]


@pytest.mark.parametrize("profile", [UN4MUN, THIMUN], ids=["UN4MUN", "THIMUN"])
def test_submission_order_within_a_kind(profile: RuleProfile) -> None:
    short = Motion(K.ADJOURN_MEETING, "A", total_seconds=60)
    long = Motion(K.ADJOURN_MEETING, "B", total_seconds=3600)
    assert [m.proposer for m in order_motions(profile, [short, long])] == ["A", "B"]


def test_motion_validation() -> None:
    with pytest.raises(RuleError, match="needs a total time and a speaking time"):
        Motion(K.MODERATED_CAUCUS, "A", total_seconds=600)
    with pytest.raises(RuleError, match="cannot exceed"):
        Motion(K.MODERATED_CAUCUS, "A", total_seconds=60, speaking_seconds=90)
    with pytest.raises(RuleError, match="needs a total time"):
        Motion(K.UNMODERATED_CAUCUS, "A")
    with pytest.raises(RuleError, match="must be positive"):
        Motion(K.SET_SPEAKING_TIME, "A", speaking_seconds=0)
    assert Motion(K.MODERATED_CAUCUS, "A", total_seconds=600, speaking_seconds=45).speakers == 13
    assert Motion(K.CLOSE_DEBATE, "A").speakers is None


# --------------------------------------------------------------------- caucuses


def test_moderated_caucus_timing() -> None:
    caucus = moderated_caucus(600, 45)
    assert (caucus.speakers, caucus.leftover_seconds) == (13, 15)
    assert caucus_speakers(600, 60) == 10
    assert caucus_speakers(60, 60) == 1
    with pytest.raises(RuleError, match="exceeds"):
        moderated_caucus(60, 61)
    with pytest.raises(RuleError, match="positive"):
        moderated_caucus(0, 30)


@given(st.integers(1, 10_000), st.integers(1, 10_000))
def test_caucus_speakers_property(total: int, per: int) -> None:
    if per > total:
        with pytest.raises(RuleError):
            caucus_speakers(total, per)
    else:
        caucus = moderated_caucus(total, per)
        assert caucus.speakers * per + caucus.leftover_seconds == total
        assert 0 <= caucus.leftover_seconds < per


# ---------------------------------------------------------------- speakers' list

ROLL = {"FR": P, "DE": PV, "JP": P, "KE": A}


@pytest.mark.parametrize("profile", ALL, ids=IDS)
def test_speakers_list_add_remove_next(profile: RuleProfile) -> None:
    sl = SpeakersList.open(profile)
    assert sl.speaking_time == profile.default_speaking_time
    sl = sl.add("FR", ROLL).add("DE", ROLL).add("JP", ROLL)
    assert sl.queue == ("FR", "DE", "JP")
    with pytest.raises(RuleError, match="already on the speakers' list"):
        sl.add("FR", ROLL)
    with pytest.raises(RuleError, match="KE is not present"):
        sl.add("KE", ROLL)
    with pytest.raises(RuleError, match="not present"):
        sl.add("US", ROLL)
    sl = sl.remove("DE")
    assert sl.queue == ("FR", "JP")
    with pytest.raises(RuleError, match="not on the speakers' list"):
        sl.remove("DE")
    sl = sl.next()
    assert sl.current is not None
    assert (sl.current.delegation, sl.current.remaining) == ("FR", profile.default_speaking_time)
    assert sl.queue == ("JP",)
    with pytest.raises(RuleError, match="FR still holds the floor"):
        sl.next()
    sl = sl.add("FR", ROLL)  # the speaker may sign up again while speaking
    sl = sl.elapse(30).yield_to_chair()
    assert sl.current is None
    assert sl.history[-1].used == 30
    assert sl.history[-1].ended_by is YieldKind.CHAIR
    sl = sl.next().yield_to_chair().next().yield_to_chair()
    with pytest.raises(RuleError, match="exhausted"):
        sl.next()
    assert [r.delegation for r in sl.history] == ["FR", "JP", "FR"]


def test_speakers_list_is_immutable() -> None:
    sl = SpeakersList.open(HARVARD)
    bigger = sl.add("FR", ROLL)
    assert sl.queue == ()
    assert bigger.queue == ("FR",)
    with pytest.raises(FrozenInstanceError):
        sl.queue = ("DE",)  # type: ignore[misc]
    with pytest.raises(RuleError, match="only once"):
        SpeakersList(60, queue=("FR", "FR"))
    with pytest.raises(RuleError, match="positive"):
        SpeakersList.open(HARVARD, speaking_time=0)


@pytest.mark.parametrize("profile", [THIMUN, HARVARD], ids=["THIMUN", "Harvard"])
def test_yield_to_delegate_time_accounting(profile: RuleProfile) -> None:
    sl = SpeakersList.open(profile, speaking_time=90).add("FR", ROLL).next().elapse(50)
    sl = sl.yield_to_delegate("DE", ROLL)
    assert sl.current is not None
    assert (sl.current.delegation, sl.current.allotted, sl.current.yielded_by) == ("DE", 40, "FR")
    assert sl.history[-1].ended_by is YieldKind.DELEGATE
    assert sl.history[-1].yielded_to == "DE"
    with pytest.raises(RuleError, match="may only yield to the chair"):
        sl.yield_to_delegate("JP", ROLL)
    with pytest.raises(RuleError, match="may only yield to the chair"):
        sl.yield_to_questions()
    with pytest.raises(RuleError, match="only 40s left"):
        sl.elapse(41)
    sl = sl.elapse(40).yield_to_chair()
    assert sum(r.used for r in sl.history) == 90


@pytest.mark.parametrize("profile", [THIMUN, HARVARD], ids=["THIMUN", "Harvard"])
def test_yield_rules(profile: RuleProfile) -> None:
    sl = SpeakersList.open(profile, speaking_time=60).add("FR", ROLL).next()
    with pytest.raises(RuleError, match="cannot yield to itself"):
        sl.yield_to_delegate("FR", ROLL)
    with pytest.raises(RuleError, match="not present"):
        sl.yield_to_delegate("KE", ROLL)
    questions = sl.elapse(20).yield_to_questions()
    assert questions.current is not None
    assert questions.current.questions
    assert questions.current.remaining == 40
    with pytest.raises(RuleError, match="already yielded to questions"):
        questions.yield_to_delegate("DE", ROLL)
    with pytest.raises(RuleError, match="already yielded to questions"):
        questions.yield_to_questions()
    spent = sl.elapse(60)
    with pytest.raises(RuleError, match="no time left"):
        spent.yield_to_delegate("DE", ROLL)
    with pytest.raises(RuleError, match="no time left"):
        spent.yield_to_questions()
    with pytest.raises(RuleError, match="backwards"):
        sl.elapse(-1)


def test_un4mun_has_no_yields() -> None:
    sl = SpeakersList.open(UN4MUN).add("FR", ROLL).next()
    with pytest.raises(RuleError, match="not in order"):
        sl.yield_to_delegate("DE", ROLL)
    with pytest.raises(RuleError, match="not in order"):
        sl.yield_to_questions()
    assert sl.yield_to_chair().current is None


def test_nobody_holds_the_floor() -> None:
    sl = SpeakersList.open(HARVARD)
    for op in (sl.yield_to_chair, sl.yield_to_questions, lambda: sl.elapse(1)):
        with pytest.raises(RuleError, match="nobody holds the floor"):
            op()


def test_set_speaking_time_applies_to_next_speech() -> None:
    sl = SpeakersList.open(HARVARD).add("FR", ROLL).add("DE", ROLL).next()
    sl = sl.set_speaking_time(45)
    assert sl.current is not None
    assert sl.current.allotted == 90
    sl = sl.yield_to_chair().next()
    assert sl.current is not None
    assert sl.current.allotted == 45


# ------------------------------------------------------------- property tests

PROFILES = ALL + COUNCILS


@st.composite
def scenario(
    draw: st.DrawFn, profile: RuleProfile, kind: VoteKind
) -> tuple[list[Member], dict[str, Attendance], dict[str, Vote]]:
    """A valid committee, roll call and complete set of votes under ``profile``."""
    n_full = draw(st.integers(1, 20))
    n_veto = draw(st.integers(0, min(5, n_full))) if profile.veto else 0
    ms = [Member(f"M{i:02}", f"Member {i:02}", veto=i < n_veto) for i in range(n_full)]
    ms += [
        Member(f"X{i:02}", f"Other {i:02}", status)
        for i, status in enumerate(
            draw(
                st.lists(
                    st.sampled_from([MemberStatus.OBSERVER, MemberStatus.NON_STATE]), max_size=4
                )
            )
        )
    ]
    # mostly present, so that quorum is usually met and the majority logic is exercised
    att = st.sampled_from([P, P, PV, PV, A])
    roll = {m.id: draw(att) for m in ms}
    votes: dict[str, Vote] = {}
    for m in ms:
        if roll[m.id] is A or m.status not in profile.voters(kind):
            continue
        choices = [Y, N]
        if kind is PROC and profile.procedural_abstentions:
            choices.append(AB)
        if kind is SUBST and (roll[m.id] is P or profile.present_and_voting_may_abstain):
            choices.append(AB)
        votes[m.id] = draw(st.sampled_from(choices))
    return ms, roll, votes


@st.composite
def profile_kind_scenario(
    draw: st.DrawFn,
) -> tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]]:
    profile = draw(st.sampled_from(PROFILES))
    kind = draw(st.sampled_from([PROC, SUBST]))
    ms, roll, votes = draw(scenario(profile, kind))
    return profile, kind, ms, roll, votes


@settings(max_examples=300, deadline=None)
@given(profile_kind_scenario(), st.sampled_from([SIMPLE_MAJORITY, SIMPLE_MAJORITY_OF_PRESENT]))
def test_simple_majority_never_passes_without_more_yes_than_no(
    case: tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]],
    majority: Majority,
) -> None:
    profile, kind, ms, roll, votes = case
    for chosen in (None, majority):
        outcome = tally(profile, votes, roll, kind, ms, majority=chosen)
        if outcome.passed:
            assert outcome.yes > outcome.no


@settings(max_examples=300, deadline=None)
@given(profile_kind_scenario())
def test_counts_sum_to_present_voters(
    case: tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]],
) -> None:
    profile, kind, ms, roll, votes = case
    outcome = tally(profile, votes, roll, kind, ms)
    present_voters = sum(1 for m in ms if roll[m.id] is not A and m.status in profile.voters(kind))
    assert outcome.yes + outcome.no + outcome.abstain == present_voters == outcome.voters
    assert outcome.passed is (
        outcome.quorum.met and not outcome.vetoed_by and outcome.yes >= outcome.required
    )


@settings(max_examples=300, deadline=None)
@given(profile_kind_scenario(), st.data())
def test_changing_a_vote_to_yes_never_turns_pass_into_fail(
    case: tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]],
    data: st.DataObject,
) -> None:
    profile, kind, ms, roll, votes = case
    not_yes = sorted(d for d, v in votes.items() if v is not Y)
    if not not_yes:
        return
    flip = data.draw(st.sampled_from(not_yes))
    before = tally(profile, votes, roll, kind, ms)
    after = tally(profile, {**votes, flip: Y}, roll, kind, ms)
    assert after.yes == before.yes + 1
    if before.passed:
        assert after.passed


@settings(max_examples=300, deadline=None)
@given(profile_kind_scenario(), st.sampled_from([P, PV]))
def test_adding_a_yes_voter_never_turns_pass_into_fail(
    case: tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]],
    attendance: Attendance,
) -> None:
    profile, kind, ms, roll, votes = case
    newcomer = Member("NEW", "Newcomer")
    before = tally(profile, votes, roll, kind, ms)
    after = tally(
        profile,
        {**votes, "NEW": Y},
        {**roll, "NEW": attendance},
        kind,
        [*ms, newcomer],
    )
    if before.passed:
        assert after.passed


@given(st.integers(0, 60), st.sampled_from([SIMPLE_MAJORITY, TWO_THIRDS, NINE_OF_FIFTEEN]))
def test_threshold_is_monotonic_in_yes(base: int, majority: Majority) -> None:
    results = [majority.threshold.met(yes, base) for yes in range(base + 2)]
    assert results == sorted(results)  # once met, more yes votes keep it met
    assert not majority.threshold.met(0, base)  # a vote with no yes never passes


def _motions_for(profile: RuleProfile) -> st.SearchStrategy[Motion]:
    kinds = [rule.kind for rule in profile.motions]

    @st.composite
    def one(draw: st.DrawFn) -> Motion:
        kind = draw(st.sampled_from(kinds))
        proposer = draw(st.sampled_from(["FR", "DE", "JP", "KE", "BR"]))
        if kind is K.MODERATED_CAUCUS:
            total = draw(st.sampled_from([300, 600, 900]))
            per = draw(st.sampled_from([30, 45, 60]))
            return Motion(kind, proposer, total_seconds=total, speaking_seconds=per)
        if kind in (K.UNMODERATED_CAUCUS, K.SUSPEND_MEETING):
            return Motion(kind, proposer, total_seconds=draw(st.sampled_from([300, 600, 900])))
        return Motion(kind, proposer)

    return one()


@st.composite
def pending_motions(draw: st.DrawFn) -> tuple[RuleProfile, list[Motion]]:
    profile = draw(st.sampled_from(ALL))
    drawn = draw(st.lists(_motions_for(profile), max_size=12))
    # make every motion distinguishable by its proposer: "D<index raised>"
    return profile, [replace(m, proposer=f"D{i:02}") for i, m in enumerate(drawn)]


def _raised(motion: Motion) -> int:
    return int(motion.proposer[1:])


@settings(max_examples=300, deadline=None)
@given(pending_motions())
def test_order_motions_is_a_stable_deterministic_permutation(
    case: tuple[RuleProfile, list[Motion]],
) -> None:
    profile, motions = case
    ordered = order_motions(profile, motions)
    assert sorted(ordered, key=_raised) == motions  # a permutation
    assert order_motions(profile, motions) == ordered  # deterministic
    assert order_motions(profile, ordered) == ordered  # idempotent
    ranks = [profile.precedence(m.kind) for m in ordered]
    assert ranks == sorted(ranks)
    for earlier, later in pairwise(ordered):
        if earlier.kind is not later.kind:
            continue
        if _tie(profile, earlier) == _tie(profile, later):
            assert _raised(earlier) < _raised(later)  # stable
        else:
            assert _tie(profile, earlier) < _tie(profile, later)


def _tie(profile: RuleProfile, motion: Motion) -> tuple[int, int]:
    if profile.tie_rule is TieRule.MOST_DISRUPTIVE:
        return (-(motion.total_seconds or 0), -(motion.speakers or 0))
    return (0, 0)


# ------------------------------------------ the shipped presets: who counts (issue 19)

SHIPPED = {key: rebuilt(fields) for key, fields in preset_rows().items()}
SHIPPED_COUNCILS = [
    "thimun-security-council",
    "harvard-security-council",
    "un4mun-security-council",
]
NON_VOTERS = [MemberStatus.OBSERVER, MemberStatus.NON_STATE]


def test_the_shipped_councils_are_the_veto_profiles() -> None:
    assert sorted(k for k, p in SHIPPED.items() if p.veto) == sorted(SHIPPED_COUNCILS)


@pytest.mark.parametrize("key", SHIPPED_COUNCILS)
def test_council_observers_do_not_vote_on_procedure(key: str) -> None:
    profile = SHIPPED[key]
    ms = council() + members(0, observers=3)
    roll = all_present(ms)
    eight = {m.id: (Y if i < 8 else N) for i, m in enumerate(ms[:15])}
    with pytest.raises(RuleError, match="Observer 01 is an observer and may not vote"):
        tally(profile, {**eight, "O01": Y, "O02": Y, "O03": Y}, roll, PROC, ms)
    outcome = tally(profile, eight, roll, PROC, ms)
    assert (outcome.base, outcome.required, outcome.passed) == (15, 9, False)


@pytest.mark.parametrize("key", SHIPPED_COUNCILS)
def test_council_nine_members_pass_a_procedural_vote_whatever_the_observers(key: str) -> None:
    profile = SHIPPED[key]
    ms = council() + members(0, observers=3)
    nine = {m.id: (Y if i < 9 else N) for i, m in enumerate(ms[:15])}
    for observers in (P, A):
        roll = {**all_present(ms[:15]), **all_present(ms[15:], observers)}
        outcome = tally(profile, nine, roll, PROC, ms)
        assert (outcome.base, outcome.required, outcome.passed) == (15, 9, True)


def test_a_veto_profile_refuses_observers_among_its_voters() -> None:
    with pytest.raises(RuleError, match="only its members vote"):
        replace(
            security_council(THIMUN),
            procedural_voters=frozenset({MemberStatus.MEMBER, MemberStatus.OBSERVER}),
        )


@pytest.mark.parametrize("status", NON_VOTERS)
def test_a_profile_refuses_non_members_voting_on_substance(status: MemberStatus) -> None:
    with pytest.raises(RuleError, match="only members vote on substantive matters"):
        replace(THIMUN, substantive_voters=frozenset({MemberStatus.MEMBER, status}))
    with pytest.raises(RuleError, match="members vote on procedural matters"):
        replace(THIMUN, procedural_voters=frozenset({status}))


def test_council_presets_store_that_observers_do_not_vote() -> None:
    rows = preset_rows()
    assert [rows[key]["observers_vote_on_procedure"] for key in SHIPPED_COUNCILS] == [
        False,
        False,
        False,
    ]
    # the committees' own documented rule is kept outside the Council
    assert rows["thimun"]["observers_vote_on_procedure"]
    assert rows["harvard"]["observers_vote_on_procedure"]
    assert not rows["un4mun"]["observers_vote_on_procedure"]


def _may_abstain(profile: RuleProfile, kind: VoteKind, attendance: Attendance) -> bool:
    if kind is PROC:
        return profile.procedural_abstentions
    return attendance is P or profile.present_and_voting_may_abstain


@st.composite
def council_seating(
    draw: st.DrawFn, profile: RuleProfile, kind: VoteKind
) -> tuple[list[Member], dict[str, Attendance], dict[str, Vote]]:
    """The fifteen (P5 with the veto), 0-6 observers and NGOs, shuffled; valid members' votes."""
    others = draw(st.lists(st.sampled_from(NON_VOTERS), max_size=6))
    seated = council() + [Member(f"X{i:02}", f"Other {i:02}", s) for i, s in enumerate(others)]
    ms = list(draw(st.permutations(seated)))
    roll = {m.id: draw(st.sampled_from([P, P, PV, PV, A])) for m in ms}
    votes: dict[str, Vote] = {}
    for m in ms:
        if m.status is MemberStatus.MEMBER and roll[m.id] is not A:
            allowed = [Y, N, AB] if _may_abstain(profile, kind, roll[m.id]) else [Y, N]
            votes[m.id] = draw(st.sampled_from(allowed))
    return ms, roll, votes


def charter_passes(ms: Sequence[Member], votes: Mapping[str, Vote], kind: VoteKind) -> bool:
    """UN Charter Art. 27(2)-(3), counted from scratch over the fifteen members."""
    fifteen = [m for m in ms if m.status is MemberStatus.MEMBER]
    assert len(fifteen) == 15
    affirmative = sum(1 for m in fifteen if votes.get(m.id) is Y)
    if kind is SUBST and any(m.veto and votes.get(m.id) is N for m in fifteen):
        return False  # a permanent member did not concur (abstaining or absent is no veto)
    # No quorum test: nine affirmative votes mean nine members present, more than any
    # shipped preset's quorum of fifteen.
    return affirmative >= 9


@st.composite
def council_case(
    draw: st.DrawFn,
) -> tuple[str, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]]:
    key = draw(st.sampled_from(SHIPPED_COUNCILS))
    kind = draw(st.sampled_from([PROC, SUBST]))
    return (key, kind, *draw(council_seating(SHIPPED[key], kind)))


@settings(max_examples=400, deadline=None)
@given(council_case(), st.data())
def test_shipped_councils_decide_as_the_charter_says(
    case: tuple[str, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]],
    data: st.DataObject,
) -> None:
    key, kind, ms, roll, votes = case
    profile = SHIPPED[key]
    outcome = tally(profile, votes, roll, kind, ms)
    assert outcome.passed is charter_passes(ms, votes, kind)
    assert outcome.base == 15
    present_others = sorted(
        m.id for m in ms if m.status is not MemberStatus.MEMBER and roll[m.id] is not A
    )
    if present_others:
        voter = data.draw(st.sampled_from(present_others))
        with pytest.raises(RuleError, match="may not vote"):
            tally(profile, {**votes, voter: data.draw(st.sampled_from([Y, N]))}, roll, kind, ms)


@st.composite
def any_seating(
    draw: st.DrawFn,
) -> tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]]:
    """Any shipped profile, a committee of members and non-members, valid votes."""
    profile = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    kind = draw(st.sampled_from([PROC, SUBST]))
    n = draw(st.integers(1, 20))
    vetoes = draw(st.integers(0, min(5, n))) if profile.veto else 0
    ms = [Member(f"M{i:02}", f"Member {i:02}", veto=i < vetoes) for i in range(n)]
    others = draw(st.lists(st.sampled_from(NON_VOTERS), max_size=6))
    ms += [Member(f"X{i:02}", f"Other {i:02}", s) for i, s in enumerate(others)]
    ms = list(draw(st.permutations(ms)))
    roll = {m.id: draw(st.sampled_from([P, P, PV, PV, A])) for m in ms}
    votes: dict[str, Vote] = {}
    for m in ms:
        if roll[m.id] is not A and m.status in profile.voters(kind):
            allowed = [Y, N, AB] if _may_abstain(profile, kind, roll[m.id]) else [Y, N]
            votes[m.id] = draw(st.sampled_from(allowed))
    return profile, kind, ms, roll, votes


@settings(max_examples=400, deadline=None)
@given(any_seating(), st.data())
def test_delegations_that_may_not_vote_never_change_an_outcome(
    case: tuple[RuleProfile, VoteKind, list[Member], dict[str, Attendance], dict[str, Vote]],
    data: st.DataObject,
) -> None:
    profile, kind, ms, roll, votes = case
    outcome = tally(profile, votes, roll, kind, ms)
    voiceless = [m for m in ms if m.status not in profile.voters(kind)]
    fewer = [m for m in ms if m.status in profile.voters(kind)]
    without = tally(profile, votes, {m.id: roll[m.id] for m in fewer}, kind, fewer)
    assert without == outcome  # removing them: same counts, base, quorum and result
    extra = data.draw(st.lists(st.sampled_from(NON_VOTERS), min_size=1, max_size=4))
    newcomers = [
        Member(f"Z{i:02}", f"New {i:02}", s)
        for i, s in enumerate(extra)
        if s not in profile.voters(kind)
    ]
    more_roll = {**roll, **{m.id: data.draw(st.sampled_from([P, PV, A])) for m in newcomers}}
    assert tally(profile, votes, more_roll, kind, [*ms, *newcomers]) == outcome
    full = sum(1 for m in ms if m.status is MemberStatus.MEMBER)
    if kind is SUBST or profile.veto:
        assert all(m.status is not MemberStatus.MEMBER for m in voiceless)
        assert outcome.base <= full
    assert outcome.quorum.base == full


# ---------------------------------------------- the engine takes its enums only (issue 19)


def test_tally_refuses_plain_string_votes_naming_them() -> None:
    ms = members(3)
    with pytest.raises(TypeError, match="vote of 'M01' must be a member of Vote, not 'yes'"):
        tally(
            THIMUN,
            {"M01": "yes", "M02": Y, "M03": N},  # type: ignore[dict-item]
            all_present(ms),
            SUBST,
            ms,
        )


def test_tally_refuses_plain_string_roll_call_answers_naming_them() -> None:
    ms = members(3)
    roll = {"M01": P, "M02": P, "M03": "absent"}
    with pytest.raises(
        TypeError, match="roll-call answer of 'M03' must be a member of Attendance, not 'absent'"
    ):
        tally(THIMUN, {"M01": Y, "M02": N}, roll, SUBST, ms)  # type: ignore[arg-type]


@no_type_check  # each call passes a plain string where the engine wants its type, on purpose
def _string_calls() -> dict[str, tuple[Callable[[Any, Any], object], str]]:
    return {
        "tally-kind": (
            lambda ms, roll: tally(THIMUN, {}, roll, "substantive", ms),
            "'substantive'",
        ),
        "tally-motion": (
            lambda ms, roll: tally(THIMUN, {}, roll, PROC, ms, motion="close_debate"),
            "'close_debate'",
        ),
        "tally-majority": (
            lambda ms, roll: tally(THIMUN, {}, roll, PROC, ms, majority="simple"),
            "'simple'",
        ),
        "tally-roll-call-of-ids": (
            lambda ms, roll: tally(THIMUN, {}, ["M01"], PROC, ms),
            r"\['M01'\]",
        ),
        "tally-members": (lambda ms, roll: tally(THIMUN, {}, roll, PROC, ["M01"]), "'M01'"),
        "quorum-roll-call": (
            lambda ms, roll: quorum(THIMUN, ms, {"M01": "present"}, QuorumPurpose.DEBATE),
            "'present'",
        ),
        "quorum-purpose": (lambda ms, roll: quorum(THIMUN, ms, roll, "debate"), "'debate'"),
        "speakers-add": (
            lambda ms, roll: SpeakersList.open(THIMUN).add("M01", {"M01": "absent"}),
            "'absent'",
        ),
        "speakers-yield": (
            lambda ms, roll: (
                SpeakersList.open(THIMUN)
                .add("M01", roll)
                .next()
                .yield_to_delegate("M02", {"M02": "absent"})
            ),
            "'absent'",
        ),
        "profile-voters": (lambda ms, roll: THIMUN.voters("procedural"), "'procedural'"),
        "profile-majority": (lambda ms, roll: THIMUN.majority("substantive"), "'substantive'"),
        "profile-motion-rule": (
            lambda ms, roll: THIMUN.motion_rule("close_debate"),
            "'close_debate'",
        ),
        "member-status": (lambda ms, roll: Member("HS", "Holy See", "observer"), "'observer'"),
        "member-veto": (lambda ms, roll: Member("US", "United States", veto="yes"), "'yes'"),
        "motion-kind": (lambda ms, roll: Motion("close_debate", "M01"), "'close_debate'"),
        "profile-voter-status": (
            lambda ms, roll: replace(THIMUN, procedural_voters=frozenset({"member"})),
            "'member'",
        ),
    }


STRING_CALLS = _string_calls()


@pytest.mark.parametrize(("call", "bad"), STRING_CALLS.values(), ids=STRING_CALLS.keys())
def test_public_entry_points_refuse_plain_strings_naming_them(call: object, bad: str) -> None:
    ms = members(3)
    assert callable(call)
    with pytest.raises(TypeError, match=bad):
        call(ms, all_present(ms))
