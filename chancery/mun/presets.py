"""The rule-profile presets in their stored form: what a `RuleProfile` row holds.

Plain Python (no Django), shared by the model (`RuleProfile.to_rules()`) and the migration that
seeds the presets, so the stored form and the engine's profiles cannot drift apart.
"""

from typing import Any

from chancery.mun import rules

THRESHOLDS: dict[str, rules.Threshold] = {
    "one_quarter": rules.ONE_QUARTER,
    "one_third": rules.ONE_THIRD,
    "half": rules.HALF,
    "three_fifths": rules.NINE_OF_FIFTEEN.threshold,
    "two_thirds": rules.TWO_THIRDS_THRESHOLD,
}
MAJORITIES: dict[str, rules.Majority] = {
    "simple": rules.SIMPLE_MAJORITY,
    "two_thirds": rules.TWO_THIRDS,
    "simple_present": rules.SIMPLE_MAJORITY_OF_PRESENT,
    "two_thirds_present": rules.TWO_THIRDS_OF_PRESENT,
    "nine_of_fifteen": rules.NINE_OF_FIFTEEN,
}


def stored(profile: rules.RuleProfile) -> dict[str, Any]:
    """The field values of a `RuleProfile` row for an engine profile."""
    threshold_key = {value: key for key, value in THRESHOLDS.items()}
    majority_key = {value: key for key, value in MAJORITIES.items()}
    return {
        "name": profile.name,
        "quorum_debate": threshold_key[profile.quorum_debate],
        "quorum_procedural": threshold_key[profile.quorum_procedural],
        "quorum_substantive": threshold_key[profile.quorum_substantive],
        "procedural_majority": majority_key[profile.procedural_majority],
        "substantive_majority": majority_key[profile.substantive_majority],
        "procedural_abstentions": profile.procedural_abstentions,
        "present_and_voting_may_abstain": profile.present_and_voting_may_abstain,
        "observers_vote_on_procedure": rules.MemberStatus.OBSERVER in profile.procedural_voters,
        "veto": profile.veto,
        "default_speaking_time": profile.default_speaking_time,
        "tie_rule": profile.tie_rule.value,
        "yield_to_delegate": rules.YieldKind.DELEGATE in profile.allowed_yields,
        "yield_to_questions": rules.YieldKind.QUESTIONS in profile.allowed_yields,
        "motions": [
            [rule.kind.value, None if rule.majority is None else majority_key[rule.majority]]
            for rule in profile.motions
        ],
    }


def rebuilt(fields: dict[str, Any]) -> rules.RuleProfile:
    """The engine profile for stored field values; RuleError when they do not make one."""
    try:
        motions = tuple(
            rules.MotionRule(rules.MotionKind(kind), None if key is None else MAJORITIES[key])
            for kind, key in fields["motions"]
        )
        voters = {rules.MemberStatus.MEMBER}
        if fields["observers_vote_on_procedure"]:
            voters.add(rules.MemberStatus.OBSERVER)
        yields = set()
        if fields["yield_to_delegate"]:
            yields.add(rules.YieldKind.DELEGATE)
        if fields["yield_to_questions"]:
            yields.add(rules.YieldKind.QUESTIONS)
        return rules.RuleProfile(
            name=fields["name"],
            quorum_debate=THRESHOLDS[fields["quorum_debate"]],
            quorum_procedural=THRESHOLDS[fields["quorum_procedural"]],
            quorum_substantive=THRESHOLDS[fields["quorum_substantive"]],
            procedural_majority=MAJORITIES[fields["procedural_majority"]],
            substantive_majority=MAJORITIES[fields["substantive_majority"]],
            procedural_abstentions=fields["procedural_abstentions"],
            present_and_voting_may_abstain=fields["present_and_voting_may_abstain"],
            procedural_voters=frozenset(voters),
            substantive_voters=frozenset({rules.MemberStatus.MEMBER}),
            veto=fields["veto"],
            default_speaking_time=fields["default_speaking_time"],
            motions=motions,
            tie_rule=rules.TieRule(fields["tie_rule"]),
            allowed_yields=frozenset(yields),
        )
    except rules.RuleError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise rules.RuleError(f"{fields.get('name', '?')}: not a valid value: {error}") from error


def preset_rows() -> dict[str, dict[str, Any]]:
    """Every preset by key: the three styles and a Security Council variant of each."""
    rows = {key: stored(profile) for key, profile in rules.PRESETS.items()}
    for key, profile in rules.PRESETS.items():
        rows[f"{key}-security-council"] = stored(rules.security_council(profile))
    return rows
