"""Tests for chancery.programmes.eligibility: each rule kind, the JPO scenario, properties."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chancery.core.messages import message
from chancery.programmes.eligibility import (
    HOST_RULES,
    RULE_KINDS,
    AgreementFact,
    Candidate,
    Check,
    Decision,
    Host,
    Rule,
    RuleError,
    evaluate,
    validate_rule,
)

ACADEMY = 1
KZ_MFA, KZ_MFA_DEPARTMENT = 10, 11
AF_MFA = 20
KG_AGENCY = 30
TJ_MFA = 40

KZ_AGREEMENT = AgreementFact(
    1,
    "Agreement with the MFA of Kazakhstan",
    frozenset({ACADEMY, KZ_MFA}),
    date(2010, 9, 10),
    None,
    "in_force",
)
AF_AGREEMENT = AgreementFact(
    2,
    "Agreement with the MFA of Afghanistan",
    frozenset({ACADEMY, AF_MFA}),
    date(2012, 5, 28),
    None,
    "in_force",
)
KG_AGREEMENT = AgreementFact(
    3,
    "Agreement with the State Agency of Kyrgyzstan",
    frozenset({ACADEMY, KG_AGENCY}),
    date(2017, 6, 16),
    None,
    "in_force",
)
AGREEMENTS = (KZ_AGREEMENT, AF_AGREEMENT, KG_AGREEMENT)

KZ_DEPARTMENT = Host(
    KZ_MFA_DEPARTMENT, "Department of Europe, MFA of Kazakhstan", "KZ", (KZ_MFA_DEPARTMENT, KZ_MFA)
)
KG_HOST = Host(KG_AGENCY, "State Agency of Kyrgyzstan", "KG", (KG_AGENCY,))
TJ_HOST = Host(TJ_MFA, "MFA of Tajikistan", "TJ", (TJ_MFA,))

JPO_RULES = [
    validate_rule("graduate_of", {"organisation": ACADEMY, "name": "OSCE Academy"}),
    validate_rule("citizenship_in", {"countries": ["KZ", "KG", "AF"]}),
    validate_rule("host_country_is_citizenship", {}),
    validate_rule("host_covered_by_agreement", {}),
]


def person(
    *citizenships: str,
    class_year: int | None = 2010,
    birth_date: date | None = date(1988, 4, 2),
    graduate_of: frozenset[int] = frozenset({ACADEMY}),
) -> Candidate:
    return Candidate(
        person_id=7,
        citizenships=frozenset(citizenships),
        class_year=class_year,
        birth_date=birth_date,
        graduate_of=graduate_of,
    )


def check(
    kind: str,
    params: Mapping[str, object],
    candidate: Candidate,
    *,
    host: Host | None = None,
    start: date | None = date(2011, 9, 1),
    agreements: tuple[AgreementFact, ...] = AGREEMENTS,
) -> tuple[bool, str]:
    decision = evaluate(
        [validate_rule(kind, params)], candidate, host=host, start=start, agreements=agreements
    )
    (only,) = decision.checks
    return only.passed, only.reason


# ---------------------------------------------------------------------- each kind


def test_citizenship_in() -> None:
    rule = {"countries": ["KZ", "KG", "AF"]}
    assert check("citizenship_in", rule, person("KZ")) == (
        True,
        "citizen of KZ, one of KZ, KG or AF",
    )
    assert check("citizenship_in", rule, person("RU", "KG")) == (
        True,
        "citizen of KG, one of KZ, KG or AF",
    )
    assert check("citizenship_in", rule, person("TJ", "RU")) == (
        False,
        "citizen of RU and TJ, not of KZ, KG or AF",
    )
    assert check("citizenship_in", rule, person()) == (False, "citizenship is not recorded")


def test_graduate_of() -> None:
    rule = {"organisation": ACADEMY, "name": "OSCE Academy"}
    assert check("graduate_of", rule, person("KZ")) == (True, "graduate of OSCE Academy")
    assert check("graduate_of", rule, person("KZ", graduate_of=frozenset({99}))) == (
        False,
        "not a graduate of OSCE Academy",
    )
    assert check("graduate_of", {"organisation": 99}, person("KZ")) == (
        False,
        "not a graduate of organisation 99",
    )


def test_class_year_between() -> None:
    rule = {"min": 2005, "max": 2030}
    assert check("class_year_between", rule, person(class_year=2012)) == (
        True,
        "class year 2012, within 2005 to 2030",
    )
    assert check("class_year_between", rule, person(class_year=2005))[0]
    assert check("class_year_between", rule, person(class_year=2030))[0]
    assert check("class_year_between", rule, person(class_year=2004)) == (
        False,
        "class year 2004, under the minimum of 2005",
    )
    assert check("class_year_between", rule, person(class_year=2031)) == (
        False,
        "class year 2031, over the maximum of 2030",
    )
    assert check("class_year_between", {"min": 2005}, person(class_year=2040)) == (
        True,
        "class year 2040, at least 2005",
    )
    assert check("class_year_between", {"min": None, "max": 2030}, person(class_year=1990)) == (
        True,
        "class year 1990, at most 2030",
    )
    assert check("class_year_between", rule, person(class_year=None)) == (
        False,
        "class year is not recorded",
    )


def test_age_between() -> None:
    rule = {"min": 18, "max": 35}
    start = date(2011, 9, 1)
    assert check("age_between", rule, person(birth_date=date(1988, 4, 2)), start=start) == (
        True,
        "aged 23 on 2011-09-01, within 18 to 35",
    )
    # 35 means up to the day before the 36th birthday.
    assert check("age_between", rule, person(birth_date=date(1975, 9, 2)), start=start) == (
        True,
        "aged 35 on 2011-09-01, within 18 to 35",
    )
    assert check("age_between", rule, person(birth_date=date(1975, 9, 1)), start=start) == (
        False,
        "aged 36 on 2011-09-01, over the maximum of 35",
    )
    assert check("age_between", rule, person(birth_date=date(1993, 9, 2)), start=start) == (
        False,
        "aged 17 on 2011-09-01, under the minimum of 18",
    )
    assert check("age_between", rule, person(birth_date=date(1993, 9, 1)), start=start)[0]
    assert check("age_between", rule, person(birth_date=None), start=start) == (
        False,
        "birth date is not recorded",
    )
    assert check("age_between", rule, person(), start=None) == (
        False,
        "no start date to measure age on",
    )
    assert check("age_between", {"max": 35}, person(birth_date=date(2012, 1, 1)), start=start) == (
        False,
        "birth date 2012-01-01 is after the start date 2011-09-01",
    )


def test_age_of_a_leap_day_birthday() -> None:
    leap = person(birth_date=date(1992, 2, 29))
    assert check("age_between", {"min": 18}, leap, start=date(2010, 2, 28))[0] is False
    assert check("age_between", {"min": 18}, leap, start=date(2010, 3, 1))[0] is True


def test_host_country_is_citizenship() -> None:
    assert check("host_country_is_citizenship", {}, person("KZ"), host=KZ_DEPARTMENT) == (
        True,
        "Department of Europe, MFA of Kazakhstan is in KZ, a country of their citizenship",
    )
    assert check("host_country_is_citizenship", {}, person("KG", "RU"), host=KZ_DEPARTMENT) == (
        False,
        "Department of Europe, MFA of Kazakhstan is in KZ, not a country of their "
        "citizenship (KG and RU)",
    )
    assert check("host_country_is_citizenship", {}, person("KZ"), host=None) == (
        True,
        "host_country_is_citizenship: to be checked at placement",
    )
    nowhere = Host(5, "Somewhere", None, (5,))
    assert check("host_country_is_citizenship", {}, person("KZ"), host=nowhere) == (
        False,
        "the country of Somewhere is not recorded",
    )
    assert check("host_country_is_citizenship", {}, person(), host=KZ_DEPARTMENT) == (
        False,
        "citizenship is not recorded",
    )


def test_host_covered_by_agreement() -> None:
    kind = "host_covered_by_agreement"
    assert check(kind, {}, person("KZ"), host=KZ_DEPARTMENT, start=date(2011, 9, 1)) == (
        True,
        "covered by Agreement with the MFA of Kazakhstan (in force from 2010-09-10)",
    )
    assert check(kind, {}, person("KZ"), host=TJ_HOST, start=date(2018, 3, 1)) == (
        False,
        "no agreement in force on 2018-03-01 covers MFA of Tajikistan",
    )
    assert check(kind, {}, person("KZ"), host=None) == (
        True,
        "host_covered_by_agreement: to be checked at placement",
    )
    assert check(kind, {}, person("KZ"), host=KZ_DEPARTMENT, start=None) == (
        False,
        "no start date to check the agreements on",
    )


def test_agreement_dates_and_status() -> None:
    kind = "host_covered_by_agreement"
    bounded = AgreementFact(
        9, "Memorandum", frozenset({TJ_MFA}), date(2012, 1, 1), date(2014, 12, 31), "expired"
    )
    assert check(
        kind, {}, person(), host=TJ_HOST, start=date(2014, 12, 31), agreements=(bounded,)
    ) == (True, "covered by Memorandum (in force from 2012-01-01 until 2014-12-31)")
    assert check(kind, {}, person(), host=TJ_HOST, start=date(2012, 1, 1), agreements=(bounded,))[0]
    assert check(
        kind, {}, person(), host=TJ_HOST, start=date(2015, 1, 1), agreements=(bounded,)
    ) == (
        False,
        "no agreement in force on 2015-01-01 covers MFA of Tajikistan: "
        "Memorandum ended on 2014-12-31",
    )
    for status, why in (("draft", "is still a draft"), ("terminated", "was terminated")):
        other = AgreementFact(9, "Memorandum", frozenset({TJ_MFA}), date(2012, 1, 1), None, status)
        assert check(
            kind, {}, person(), host=TJ_HOST, start=date(2013, 1, 1), agreements=(other,)
        ) == (
            False,
            f"no agreement in force on 2013-01-01 covers MFA of Tajikistan: Memorandum {why}",
        )
    undated = AgreementFact(9, "Memorandum", frozenset({TJ_MFA}), None, None, "in_force")
    assert check(kind, {}, person(), host=TJ_HOST, start=date(2013, 1, 1), agreements=(undated,))[
        1
    ].endswith("Memorandum has no date of entry into force")


def test_manual() -> None:
    assert check("manual", {"text": "Speaks Russian and English"}, person()) == (
        True,
        "Checked by hand: Speaks Russian and English",
    )


def test_no_rules() -> None:
    decision = evaluate([], person(), host=None, start=None, agreements=())
    assert decision.eligible
    assert decision.checks == ()
    assert decision.reasons == ("no eligibility rules",)
    assert decision.failures == ()


def test_a_stored_rule_that_no_longer_validates_fails_with_the_problem() -> None:
    decision = evaluate([Rule("shoe_size", {})], person(), host=None, start=None, agreements=())
    assert not decision.eligible
    assert decision.reasons[0].startswith("this rule cannot be applied: Unknown rule kind")


# ---------------------------------------------------------------------- JPO scenario


def jpo(candidate: Candidate, host: Host, start: date) -> Decision:
    return evaluate(JPO_RULES, candidate, host=host, start=start, agreements=AGREEMENTS)


def test_jpo_kazakh_graduate_at_a_department_of_the_kz_mfa() -> None:
    decision = jpo(person("KZ"), KZ_DEPARTMENT, date(2011, 9, 1))
    assert decision.eligible
    assert decision.reasons == (
        "graduate of OSCE Academy",
        "citizen of KZ, one of KZ, KG or AF",
        "Department of Europe, MFA of Kazakhstan is in KZ, a country of their citizenship",
        "covered by Agreement with the MFA of Kazakhstan (in force from 2010-09-10)",
    )


def test_jpo_tajik_graduate_without_an_agreement() -> None:
    decision = jpo(person("TJ"), TJ_HOST, date(2013, 9, 1))
    assert not decision.eligible
    assert [c.passed for c in decision.checks] == [True, False, True, False]
    assert [c.reason for c in decision.failures] == [
        "citizen of TJ, not of KZ, KG or AF",
        "no agreement in force on 2013-09-01 covers MFA of Tajikistan",
    ]


def test_jpo_without_a_recorded_citizenship() -> None:
    decision = jpo(person(), KZ_DEPARTMENT, date(2011, 9, 1))
    assert not decision.eligible
    assert [c.reason for c in decision.failures] == ["citizenship is not recorded"] * 2


def test_jpo_kyrgyz_graduate_before_the_agreement_came_into_force() -> None:
    decision = jpo(person("KG"), KG_HOST, date(2016, 9, 1))
    assert not decision.eligible
    assert [c.reason for c in decision.failures] == [
        "no agreement in force on 2016-09-01 covers State Agency of Kyrgyzstan: Agreement with "
        "the State Agency of Kyrgyzstan came into force only on 2017-06-16",
    ]
    assert jpo(person("KG"), KG_HOST, date(2017, 6, 16)).eligible


def test_jpo_ministry_agreement_covers_its_department_via_lineage() -> None:
    orphan = Host(KZ_MFA_DEPARTMENT, KZ_DEPARTMENT.name, "KZ", (KZ_MFA_DEPARTMENT,))
    assert not jpo(person("KZ"), orphan, date(2011, 9, 1)).eligible
    assert jpo(person("KZ"), KZ_DEPARTMENT, date(2011, 9, 1)).eligible
    assert not jpo(person("KZ"), KZ_DEPARTMENT, date(2010, 9, 9)).eligible


# ---------------------------------------------------------------------- validation


def test_rule_kinds_describe_every_kind() -> None:
    assert set(RULE_KINDS) == {
        "citizenship_in",
        "graduate_of",
        "class_year_between",
        "age_between",
        "host_country_is_citizenship",
        "host_covered_by_agreement",
        "manual",
    }
    assert all(text.strip() for text in RULE_KINDS.values())


def test_validate_rule_normalises() -> None:
    rule = validate_rule("citizenship_in", {"countries": ("kz", "KG", "kz")}, label="Wording")
    assert rule == Rule("citizenship_in", {"countries": ["KZ", "KG"]}, "Wording")
    assert validate_rule("class_year_between", {"min": 2005}).params == {"min": 2005, "max": None}
    assert validate_rule("graduate_of", {"organisation": 1}).params == {
        "organisation": 1,
        "name": "",
    }
    assert validate_rule("manual", {"text": "  x "}).params == {"text": "x"}
    assert hash(rule) == hash(
        validate_rule("citizenship_in", {"countries": ["KZ", "KG"]}, label="Wording")
    )


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("shoe_size", {}, "Unknown rule kind 'shoe_size'"),
        ("citizenship_in", {}, "'countries' is missing"),
        ("citizenship_in", {"countries": "KZ"}, "'countries' must be a non-empty list"),
        ("citizenship_in", {"countries": []}, "'countries' must be a non-empty list"),
        ("citizenship_in", {"countries": ["KAZ"]}, "'countries' must hold two-letter"),
        ("citizenship_in", {"countries": [1]}, "'countries' must hold two-letter"),
        ("citizenship_in", {"contries": ["KZ"]}, "unknown parameter 'contries'"),
        ("graduate_of", {"name": "OSCE Academy"}, "'organisation' is missing"),
        ("graduate_of", {"organisation": "1"}, "'organisation' must be an organisation id"),
        ("graduate_of", {"organisation": True}, "'organisation' must be an organisation id"),
        ("graduate_of", {"organisation": 1, "name": 5}, "'name' must be text"),
        ("class_year_between", {}, "at least one of the parameters 'min' and 'max'"),
        ("class_year_between", {"min": None, "max": None}, "at least one of"),
        ("class_year_between", {"min": 2005.0}, "'min' must be a whole number or null"),
        ("age_between", {"max": "35"}, "'max' must be a whole number or null"),
        ("age_between", {"min": 36, "max": 35}, "'min' (36) is greater than 'max' (35)"),
        ("host_country_is_citizenship", {"country": "KZ"}, "unknown parameter 'country'"),
        ("host_covered_by_agreement", {"x": 1}, "unknown parameter 'x'"),
        ("manual", {}, "'text' is missing"),
        ("manual", {"text": "  "}, "'text' must be non-blank text"),
        ("manual", [], "the parameters must be an object"),
    ],
)
def test_validate_rule_names_the_problem(kind: str, params: object, message: str) -> None:
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_rule(kind, params)  # type: ignore[arg-type]


def test_values_are_frozen() -> None:
    decision = jpo(person("KZ"), KZ_DEPARTMENT, date(2011, 9, 1))
    with pytest.raises(FrozenInstanceError):
        decision.eligible = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="exactly when every check passed"):
        Decision(eligible=False, checks=decision.checks)


# ---------------------------------------------------------------------- properties

country = st.sampled_from(["KZ", "KG", "AF", "TJ", "UZ", "RU"])
org_id = st.integers(1, 6)
years = st.none() | st.integers(1990, 2035)
days = st.dates(date(1960, 1, 1), date(2030, 12, 31))


@st.composite
def bounds(draw: st.DrawFn, low: int, high: int) -> dict[str, object]:
    a = draw(st.none() | st.integers(low, high))
    b = draw(st.none() | st.integers(low, high))
    if a is None and b is None:
        a = low
    if a is not None and b is not None and a > b:
        a, b = b, a
    return {"min": a, "max": b}


rules = st.one_of(
    st.builds(
        lambda cs: validate_rule("citizenship_in", {"countries": cs}),
        st.lists(country, min_size=1, max_size=3),
    ),
    st.builds(
        lambda o: validate_rule("graduate_of", {"organisation": o, "name": f"Org {o}"}), org_id
    ),
    st.builds(lambda p: validate_rule("class_year_between", p), bounds(1990, 2035)),
    st.builds(lambda p: validate_rule("age_between", p), bounds(10, 70)),
    st.just(validate_rule("host_country_is_citizenship", {})),
    st.just(validate_rule("host_covered_by_agreement", {})),
    st.builds(
        lambda t: validate_rule("manual", {"text": t}), st.text(min_size=1).filter(str.strip)
    ),
)
candidates = st.builds(
    Candidate,
    person_id=st.integers(1, 10),
    citizenships=st.frozensets(country, max_size=2),
    class_year=years,
    birth_date=st.none() | days,
    graduate_of=st.frozensets(org_id, max_size=2),
)
hosts = st.none() | st.builds(
    lambda i, c, parents: Host(i, f"Org {i}", c, (i, *parents)),
    org_id,
    st.none() | country,
    st.lists(org_id, max_size=2).map(tuple),
)
agreements = st.lists(
    st.builds(
        AgreementFact,
        agreement_id=st.integers(1, 9),
        title=st.just("Agreement"),
        party_ids=st.frozensets(org_id, min_size=1, max_size=2),
        in_force_from=st.none() | days,
        in_force_until=st.none() | days,
        status=st.sampled_from(["in_force", "draft", "expired", "terminated"]),
    ),
    max_size=3,
)
inputs = st.tuples(st.lists(rules, max_size=6), candidates, hosts, st.none() | days, agreements)

Inputs = tuple[list[Rule], Candidate, Host | None, date | None, list[AgreementFact]]


def run(rule_list: list[Rule], given_inputs: Inputs) -> Decision:
    _, candidate, host, start, facts = given_inputs
    return evaluate(rule_list, candidate, host=host, start=start, agreements=facts)


@given(inputs)
def test_evaluate_is_deterministic(case: Inputs) -> None:
    assert run(case[0], case) == run(list(case[0]), case)


@given(inputs)
def test_eligible_iff_all_checks_passed_and_one_check_per_rule(case: Inputs) -> None:
    decision = run(case[0], case)
    assert len(decision.checks) == len(case[0])
    assert [c.rule for c in decision.checks] == case[0]
    assert decision.eligible == all(c.passed for c in decision.checks)
    assert decision.eligible == (not decision.failures)
    assert all(reason.strip() for reason in decision.reasons)


@given(inputs)
def test_host_rules_wait_for_a_host_and_nothing_else_waits(case: Inputs) -> None:
    decision = run(case[0], case)
    host = case[2]
    for check in decision.checks:
        waits = host is None and check.rule.kind in HOST_RULES
        assert check.pending == waits
        if waits:
            assert check.passed and check not in decision.failures
            assert check.reason.endswith("to be checked at placement")
    assert decision.pending == tuple(c for c in decision.checks if c.pending)


def test_a_pending_check_cannot_block() -> None:
    rule = validate_rule("host_covered_by_agreement", {})
    with pytest.raises(ValueError, match="pending"):
        Check(rule=rule, passed=False, pending=True, message=message("x", "x"))


@given(inputs, rules, st.integers(0, 6))
def test_adding_a_rule_never_makes_eligible(case: Inputs, extra: Rule, where: int) -> None:
    before = run(case[0], case)
    more = list(case[0])
    more.insert(min(where, len(more)), extra)
    after = run(more, case)
    assert not after.eligible or before.eligible


@given(rules, st.text(max_size=20))
def test_validate_rule_round_trips(rule: Rule, label: str) -> None:
    labelled = validate_rule(rule.kind, rule.params, label=label)
    assert validate_rule(labelled.kind, labelled.params, label=labelled.label) == labelled
    stored = json.loads(json.dumps({"kind": rule.kind, "params": rule.params}))
    assert validate_rule(stored["kind"], stored["params"], label=label) == labelled
