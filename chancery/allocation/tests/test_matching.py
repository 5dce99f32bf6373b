"""Tests for chancery.allocation.matching (pure Python, no Django)."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chancery.allocation.matching import (
    AllocationError,
    Instance,
    MatchingResult,
    allocate,
    build_instance,
    check_stability,
    explain,
    solve,
    tiers_from_scores,
)

pytestmark = pytest.mark.filterwarnings("error")

Assignment = dict[str, str | None]


def marriage(men: Mapping[str, Sequence[str]], women: Mapping[str, Sequence[str]]) -> Instance:
    """A one-to-one instance: men propose (applicants), women have strict lists."""
    return build_instance(
        men,
        dict.fromkeys(women, 1),
        host_priorities={w: [[m] for m in ranked] for w, ranked in women.items()},
    )


def from_ranking_matrix(matrix: Mapping[str, Mapping[str, tuple[int, int]]]) -> Instance:
    """Gale & Shapley's ranking matrix: (man's rank of woman, woman's rank of man)."""
    men = list(matrix)
    women = list(matrix[men[0]])
    men_prefs = {m: sorted(women, key=lambda w: matrix[m][w][0]) for m in men}
    women_prefs = {w: sorted(men, key=lambda m: matrix[m][w][1]) for w in women}
    return marriage(men_prefs, women_prefs)


# --------------------------------------------------------------------------- textbook cases

# Gale & Shapley (1962), "College Admissions and the Stability of Marriage",
# Amer. Math. Monthly 69(1), Example 1: three men alpha, beta, gamma and three
# women A, B, C with cyclic preferences.  Three of the six marriages are stable.
GS_EXAMPLE_1 = {
    "α": {"A": (1, 3), "B": (2, 2), "C": (3, 1)},
    "β": {"A": (3, 1), "B": (1, 3), "C": (2, 2)},
    "γ": {"A": (2, 2), "B": (3, 1), "C": (1, 3)},
}

# Same paper, Example 2: four men, four women, a unique stable set of marriages.
GS_EXAMPLE_2 = {
    "α": {"A": (1, 3), "B": (2, 3), "C": (3, 2), "D": (4, 3)},
    "β": {"A": (1, 4), "B": (4, 1), "C": (3, 3), "D": (2, 2)},
    "γ": {"A": (2, 2), "B": (1, 4), "C": (3, 4), "D": (4, 1)},
    "δ": {"A": (4, 1), "B": (2, 2), "C": (3, 1), "D": (1, 4)},
}


def test_gale_shapley_1962_example_1_men_and_women_optimal() -> None:
    inst = from_ranking_matrix(GS_EXAMPLE_1)
    men_optimal = {"α": "A", "β": "B", "γ": "C"}  # every man gets his first choice
    women_optimal = {"α": "C", "β": "A", "γ": "B"}  # every woman gets her first choice
    assert solve(inst).assignment == men_optimal
    assert solve(inst, side="hosts").assignment == women_optimal
    stable = stable_matchings(inst)
    assert sorted(map(sorted_items, stable)) == sorted(
        map(sorted_items, [men_optimal, women_optimal, {"α": "B", "β": "C", "γ": "A"}])
    )


def test_gale_shapley_1962_example_2_unique_stable_matching() -> None:
    inst = from_ranking_matrix(GS_EXAMPLE_2)
    expected = {"α": "C", "β": "D", "γ": "A", "δ": "B"}
    assert solve(inst).assignment == expected
    assert solve(inst, side="hosts").assignment == expected
    assert stable_matchings(inst) == [expected]


def test_marriage_suitor_and_reviewer_optimal() -> None:
    # The "choose optimality" example of the `matching` package documentation.
    inst = marriage(
        {"A": ["X", "Y", "Z"], "B": ["Y", "Z", "X"], "C": ["Y", "X", "Z"]},
        {"X": ["B", "C", "A"], "Y": ["A", "C", "B"], "Z": ["A", "B", "C"]},
    )
    assert solve(inst).assignment == {"A": "X", "B": "Z", "C": "Y"}
    assert solve(inst, side="hosts").assignment == {"A": "Y", "B": "Z", "C": "X"}


def test_hospitals_residents_textbook_example() -> None:
    # HR example of the `matching` package documentation: five residents, three
    # hospitals with two places each; the stable matching is resident- and
    # hospital-optimal at once.
    residents = {
        "A": ["C"],
        "S": ["C", "M"],
        "D": ["C", "M", "G"],
        "J": ["C", "G", "M"],
        "L": ["M", "C", "G"],
    }
    hospitals = {"M": "DLSJ", "C": "DASLJ", "G": "DJL"}
    prios = {h: [[r] for r in order] for h, order in hospitals.items()}
    for side in ("applicants", "hosts"):
        result = allocate(residents, dict.fromkeys(hospitals, 2), host_priorities=prios, side=side)
        assert result.admitted == {"M": ("L", "S"), "C": ("D", "A"), "G": ("J",)}
        assert result.assignment == {"A": "C", "S": "M", "D": "C", "J": "G", "L": "M"}
        stats = result.statistics
        assert (stats.placed, stats.unplaced, stats.seats) == (5, 0, 6)
        assert stats.first_choice == 3  # A, D -> C and L -> M
        assert stats.top3 == 5
        assert stats.choice_counts == (3, 2, 0)
        assert stats.share_first_choice == pytest.approx(0.6)


def test_global_priority_with_tiers_and_draw() -> None:
    prefs = {"ann": ["x", "y"], "bob": ["x", "y"], "cat": ["x", "y"], "dan": ["x"]}
    scores = {"ann": 10.0, "bob": 12.0, "cat": 12.0, "dan": 5.0}
    tiers = tiers_from_scores(scores)
    assert tiers == [["bob", "cat"], ["ann"], ["dan"]]
    caps = {"x": 1, "y": 2}
    draw = ["dan", "cat", "ann", "bob"]
    result = allocate(prefs, caps, global_priority=tiers, tie_break=draw)
    assert result.assignment == {"ann": "y", "bob": "y", "cat": "x", "dan": None}
    assert result.admitted == {"x": ("cat",), "y": ("bob", "ann")}
    assert result.statistics.unplaced == 1
    # The draw decides only within a tier: reversing it swaps bob and cat.
    flipped = allocate(prefs, caps, global_priority=tiers, tie_break=draw[::-1])
    assert flipped.assignment == {"ann": "y", "bob": "x", "cat": "y", "dan": None}
    # Without a global priority the draw alone orders everybody.
    lottery = allocate(prefs, caps, tie_break=draw)
    assert lottery.admitted == {"x": ("dan",), "y": ("cat", "ann")}
    assert tiers_from_scores({"a": 1, "b": 2}, higher_is_better=False) == [["a"], ["b"]]


def test_mixed_explicit_and_global_hosts_and_capacity_zero() -> None:
    prefs = {"a": ["club", "open", "closed"], "b": ["club", "open"], "c": ["open", "club"]}
    result = allocate(
        prefs,
        {"club": 1, "open": 1, "closed": 0},
        host_priorities={"club": [["b"], ["c"]]},  # a is not acceptable to the club
        global_priority=[["c"], ["a", "b"]],
        tie_break=["a", "b", "c"],
    )
    assert result.assignment == {"a": None, "b": "club", "c": "open"}
    assert result.admitted["closed"] == ()


def test_empty_instance_and_empty_lists() -> None:
    empty = allocate({}, {})
    assert empty.assignment == {}
    assert empty.statistics.share_top3 == 0.0
    lonely = allocate({"a": []}, {"h": 3})
    assert lonely.assignment == {"a": None}
    assert lonely.statistics.choice_counts == ()


# --------------------------------------------------------------------------- brute force


def sorted_items(m: Mapping[str, str | None]) -> list[tuple[str, str | None]]:
    return sorted(m.items(), key=lambda kv: (kv[0], kv[1] or ""))


@dataclass(frozen=True)
class Case:
    """Raw inputs of a small random instance."""

    prefs: dict[str, list[str]]
    caps: dict[str, int]
    host_priorities: dict[str, list[list[str]]]
    global_priority: list[list[str]] | None
    tie_break: list[str]

    def build(self) -> Instance:
        return build_instance(
            self.prefs,
            self.caps,
            host_priorities=self.host_priorities,
            global_priority=self.global_priority,
            tie_break=self.tie_break,
        )


def strict_key(case: Case, host: str, applicant: str) -> tuple[int, int] | None:
    """Independent reading of the model: (tier, draw position), None if unacceptable."""
    tiers = case.host_priorities.get(host)
    if tiers is None:
        tiers = case.global_priority if case.global_priority is not None else [case.tie_break]
        assert any(applicant in t for t in tiers)
    for t, tier in enumerate(tiers):
        if applicant in tier:
            return (t, case.tie_break.index(applicant))
    return None


def acceptable(case: Case, applicant: str, host: str) -> bool:
    return host in case.prefs[applicant] and strict_key(case, host, applicant) is not None


def is_stable(case: Case, m: Mapping[str, str | None]) -> bool:
    """Brute-force stability of a capacity-respecting, acceptable assignment."""
    for a, row in case.prefs.items():
        for h in row:
            if h == m[a]:
                break
            key = strict_key(case, h, a)
            if key is None or case.caps[h] == 0:
                continue
            members = [b for b, g in m.items() if g == h]
            if len(members) < case.caps[h]:
                return False
            if any(key < k for b in members if (k := strict_key(case, h, b)) is not None):
                return False
    return True


def feasible_matchings(case: Case) -> list[Assignment]:
    """All assignments that respect capacities and acceptability."""
    apps = list(case.prefs)
    options = [[None, *[h for h in case.prefs[a] if acceptable(case, a, h)]] for a in apps]
    out: list[Assignment] = []
    for combo in itertools.product(*options):
        if all(combo.count(h) <= c for h, c in case.caps.items()):
            out.append(dict(zip(apps, combo, strict=True)))
    return out


def stable_matchings(inst: Instance) -> list[Assignment]:
    """Brute force via the checker (used for the hand-made textbook instances)."""
    apps = inst.applicant_ids
    options = [[None, *(inst.host_ids[h] for h in inst.preferences[a])] for a in range(len(apps))]
    found = []
    for combo in itertools.product(*options):
        m = dict(zip(apps, combo, strict=True))
        if not check_stability(inst, m):
            found.append(m)
    return found


def choice_pos(case: Case, a: str, h: str | None) -> int:
    return len(case.prefs[a]) if h is None else case.prefs[a].index(h)


@st.composite
def tiers_over(draw: st.DrawFn, members: list[str]) -> list[list[str]]:
    """Split members (in a random order) into non-empty tiers."""
    if not members:
        return []
    shuffled = draw(st.permutations(members))
    cuts = draw(st.lists(st.booleans(), min_size=len(shuffled) - 1, max_size=len(shuffled) - 1))
    tiers = [[shuffled[0]]]
    for a, cut in zip(shuffled[1:], cuts, strict=True):
        if cut:
            tiers.append([a])
        else:
            tiers[-1].append(a)
    return tiers


@st.composite
def cases(draw: st.DrawFn, max_applicants: int = 5, max_hosts: int = 3, max_cap: int = 2) -> Case:
    n = draw(st.integers(0, max_applicants))
    m = draw(st.integers(1, max_hosts))
    apps = [f"a{i}" for i in range(n)]
    hosts = [f"h{j}" for j in range(m)]
    prefs = {}
    for a in apps:
        order = draw(st.permutations(hosts))
        prefs[a] = list(order[: draw(st.integers(0, m))])
    caps = {h: draw(st.integers(0, max_cap)) for h in hosts}
    host_priorities = {}
    for h in hosts:
        if draw(st.booleans()):
            listed = [a for a in apps if draw(st.integers(0, 4)) > 0]
            host_priorities[h] = draw(tiers_over(listed))
            if not host_priorities[h]:
                del host_priorities[h]
    global_priority = draw(st.none() | tiers_over(apps)) if apps else None
    tie_break = list(draw(st.permutations(apps)))
    return Case(prefs, caps, host_priorities, global_priority, tie_break)


@st.composite
def conflicting_cases(draw: st.DrawFn) -> Case:
    """Balanced markets with uniformly random strict lists on both sides.

    Common priorities make the stable matching unique; independent random host lists
    often give several stable matchings, which is what the optimality test needs.
    """
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    m = rng.choice([3, 4])
    hosts = [f"h{j}" for j in range(m)]
    caps = {h: 1 if m == 4 else rng.randint(1, 2) for h in hosts}
    apps = [f"a{i}" for i in range(min(6, sum(caps.values())))]
    prefs = {a: rng.sample(hosts, m - (rng.random() < 0.15)) for a in apps}
    host_priorities = {
        h: [[a] for a in rng.sample(apps, len(apps) - (rng.random() < 0.15))] for h in hosts
    }
    tie_break = rng.sample(apps, len(apps))
    return Case(prefs, caps, host_priorities, None, tie_break)


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_optimal_against_brute_force(case: Case) -> None:
    check_against_brute_force(case)


@FAST
@given(conflicting_cases())
def test_optimal_against_brute_force_with_several_stable_matchings(case: Case) -> None:
    check_against_brute_force(case)


def check_against_brute_force(case: Case) -> None:
    """Compare both sides' results and the checker with an exhaustive enumeration."""
    inst = case.build()
    feasible = feasible_matchings(case)
    stable = [m for m in feasible if is_stable(case, m)]
    assert stable  # Gale & Shapley: a stable matching always exists
    # The checker agrees with the brute force on every feasible matching.
    for m in feasible:
        problems = check_stability(inst, m)
        assert (not problems) == is_stable(case, m), (m, problems)
        assert all(p.kind == "blocking_pair" for p in problems)
    best = solve(inst)
    worst = solve(inst, side="hosts")
    assert best.assignment in stable
    assert worst.assignment in stable
    for a in case.prefs:
        positions = [choice_pos(case, a, m[a]) for m in stable]
        assert choice_pos(case, a, best.assignment[a]) == min(positions)
        # Host-optimal is applicant-pessimal among stable matchings.
        assert choice_pos(case, a, worst.assignment[a]) == max(positions)
    # Rural hospitals theorem: the same applicants are placed in every stable matching.
    placed = {a for a, h in best.assignment.items() if h is not None}
    assert all({a for a, h in m.items() if h is not None} == placed for m in stable)


@FAST
@given(cases(max_applicants=40, max_hosts=8, max_cap=6))
def test_results_are_stable_and_explained(case: Case) -> None:
    inst = case.build()
    best = solve(inst)
    worst = solve(inst, side="hosts")
    assert check_stability(inst, best) == []
    assert check_stability(inst, worst) == []
    for a in case.prefs:
        assert choice_pos(case, a, best.assignment[a]) <= choice_pos(case, a, worst.assignment[a])
        exp = explain(inst, best, a)
        assert exp.host == best.assignment[a]
        assert len(exp.reasons) == choice_pos(case, a, exp.host)
        for r in exp.reasons:
            assert r.reason in {"full", "not_acceptable", "no_capacity"}
            if r.reason == "full":
                assert r.cutoff_position is not None and r.your_position is not None
                assert r.cutoff_position < r.your_position
    for h, members in best.admitted.items():
        keys = [strict_key(case, h, a) for a in members]
        assert keys == sorted(keys)
        assert len(members) <= case.caps[h]


def test_larger_random_instance_is_stable() -> None:
    rng = random.Random(7)
    hosts = [f"h{j}" for j in range(60)]
    prefs = {f"a{i}": rng.sample(hosts, rng.randint(0, 8)) for i in range(3000)}
    caps = {h: rng.randint(0, 80) for h in hosts}
    prios = {h: [rng.sample(list(prefs), 2000)] for h in hosts[:10]}
    draw = list(prefs)
    rng.shuffle(draw)
    inst = build_instance(prefs, caps, host_priorities=prios, tie_break=draw)
    best, worst = solve(inst), solve(inst, side="hosts")
    assert check_stability(inst, best) == []
    assert check_stability(inst, worst) == []
    assert isinstance(best, MatchingResult)


# --------------------------------------------------------------------------- checker


@pytest.fixture
def small() -> Instance:
    return build_instance(
        {"ann": ["x", "y"], "bob": ["x", "y"], "cat": ["y"]},
        {"x": 1, "y": 1},
        host_priorities={"x": [["ann"], ["bob"]], "y": [["cat"], ["bob"]]},
    )


def kinds(problems: Sequence[object]) -> list[str]:
    return [getattr(p, "kind", "") for p in problems]


def test_checker_accepts_the_solution(small: Instance) -> None:
    assert solve(small).assignment == {"ann": "x", "bob": None, "cat": "y"}
    assert check_stability(small, {"ann": "x", "bob": None, "cat": "y"}) == []
    # Missing applicants count as unplaced.
    assert check_stability(small, {"ann": "x", "cat": "y"}) == []


def test_checker_finds_blocking_pair(small: Instance) -> None:
    problems = check_stability(small, {"ann": None, "bob": "x", "cat": "y"})
    assert kinds(problems) == ["blocking_pair"]
    msg = str(problems[0])
    assert "'ann'" in msg and "'x'" in msg and "'bob'" in msg and "lower priority" in msg
    assert (problems[0].applicant, problems[0].host) == ("ann", "x")
    free = check_stability(small, {"ann": None, "bob": None, "cat": "y"})
    assert [(p.kind, p.applicant, p.host) for p in free] == [
        ("blocking_pair", "ann", "x"),
        ("blocking_pair", "bob", "x"),
    ]
    assert all("free place (0/1)" in p.message for p in free)


def test_checker_finds_over_capacity(small: Instance) -> None:
    problems = check_stability(small, {"ann": "x", "bob": "x", "cat": "y"})
    assert kinds(problems) == ["over_capacity"]
    assert "'x'" in problems[0].message and "capacity 1" in problems[0].message


def test_checker_finds_unacceptable_pairs(small: Instance) -> None:
    # cat did not rank x; ann is not in y's priority list.
    problems = check_stability(small, {"ann": "y", "bob": None, "cat": "x"})
    found = [p for p in problems if p.kind == "unacceptable"]
    assert sorted((p.applicant, p.host) for p in found) == [("ann", "y"), ("cat", "x")]
    assert any("did not rank" in p.message for p in found)
    assert any("priority does not include" in p.message for p in found)
    # ann prefers x to the unacceptable y, and x holds cat (unacceptable, so worst).
    assert ("blocking_pair", "ann", "x") in [(p.kind, p.applicant, p.host) for p in problems]


def test_checker_finds_unknown_ids(small: Instance) -> None:
    problems = check_stability(small, {"ann": "nowhere", "zed": "x"})
    unknown = {p.kind: p.message for p in problems if p.kind.startswith("unknown")}
    assert "'zed'" in unknown["unknown_applicant"]
    assert "'ann'" in unknown["unknown_host"] and "'nowhere'" in unknown["unknown_host"]


# --------------------------------------------------------------------------- explain


def test_explain_full_with_cutoff_and_not_acceptable() -> None:
    inst = build_instance(
        {
            "ann": ["top", "mid"],
            "bob": ["top", "mid"],
            "cat": ["top", "picky", "zero", "mid"],
        },
        {"top": 2, "picky": 1, "zero": 0, "mid": 5},
        host_priorities={"top": [["ann"], ["bob", "cat"]], "picky": [["ann"]]},
        tie_break=["bob", "cat", "ann"],
    )
    result = solve(inst)
    assert result.admitted["top"] == ("ann", "bob")
    exp = explain(inst, result, "cat")
    assert (exp.host, exp.choice) == ("mid", 4)
    full, picky, zero = exp.reasons
    assert full.reason == "full"
    assert (full.host, full.choice, full.capacity) == ("top", 1, 2)
    assert full.cutoff_applicant == "bob"
    assert (full.cutoff_position, full.your_position) == (2, 3)
    assert (full.cutoff_tier, full.your_tier) == (2, 2)
    assert "higher priority" in full.message and "tie-break draw" in full.message
    assert picky.reason == "not_acceptable" and "not acceptable" in picky.message
    assert zero.reason == "no_capacity"
    assert exp.message.splitlines()[0] == "cat was placed at mid (choice 4)."
    assert len(exp.message.splitlines()) == 4
    # The first choice needs no explanation.
    assert explain(inst, result, "ann").reasons == ()


def test_explain_tier_difference_and_unplaced() -> None:
    inst = build_instance(
        {"ann": ["h"], "bob": ["h"]},
        {"h": 1},
        global_priority=[["ann"], ["bob"]],
    )
    result = solve(inst)
    exp = explain(inst, result, "bob")
    assert exp.host is None and exp.choice is None
    assert exp.message.startswith("bob was not placed.")
    (r,) = exp.reasons
    assert (r.reason, r.cutoff_applicant, r.cutoff_tier, r.your_tier) == ("full", "ann", 1, 2)
    assert "priority tier 1; yours is 2" in r.message


def test_explain_flags_an_unstable_result() -> None:
    inst = build_instance(
        {"ann": ["h", "g"], "bob": ["h"]}, {"h": 1, "g": 1}, tie_break=["ann", "bob"]
    )
    good = solve(inst)
    bad = dataclasses.replace(
        good, assignment={"ann": "g", "bob": "h"}, admitted={"h": ("bob",), "g": ("ann",)}
    )
    (r,) = explain(inst, bad, "ann").reasons
    assert r.reason == "unstable" and "not stable" in r.message
    roomy = dataclasses.replace(
        good, assignment={"ann": "g", "bob": None}, admitted={"g": ("ann",)}
    )
    (r2,) = explain(inst, roomy, "ann").reasons
    assert r2.reason == "unstable" and "free place" in r2.message


# --------------------------------------------------------------------------- bad input

P = {"a": ["h"], "b": ["h"]}
C = {"h": 1}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        (
            {"preferences": {"a": ["h", "nope"]}},
            "applicant 'a' ranks unknown host 'nope' (choice 2)",
        ),
        ({"preferences": {"a": ["h", "h"]}}, "applicant 'a' ranks host 'h' more than once"),
        ({"preferences": {"a": "h"}}, "applicant 'a': preferences must be a list"),
        ({"preferences": {"a": [1]}}, "choice 1 1 is not a str host id"),
        ({"preferences": {1: ["h"]}}, "applicant id 1 must be a str"),
        ({"capacities": {"h": -1}}, "host 'h' has negative capacity -1"),
        ({"capacities": {"h": 1.5}}, "capacity of host 'h' must be an int"),
        ({"capacities": {"h": True}}, "capacity of host 'h' must be an int"),
        ({"tie_break": ["a"]}, "not a permutation of the applicants: 'b' is missing"),
        ({"tie_break": ["a", "a"]}, "not a permutation of the applicants: 'a' appears twice"),
        ({"tie_break": ["a", "b", "z"]}, "unknown applicant 'z'"),
        ({"tie_break": "ab"}, "tie_break must be a list"),
        ({"tie_break": None}, "global_priority or tie_break is required"),
        ({"host_priorities": {"zz": [["a"]]}}, "host_priorities given for unknown host 'zz'"),
        (
            {"host_priorities": {"h": [["a"], ["q"]]}},
            "host 'h': tier 2 lists unknown applicant 'q'",
        ),
        ({"host_priorities": {"h": [["a"], ["a"]]}}, "lists applicant 'a' more than once"),
        ({"host_priorities": {"h": [["a"], []]}}, "host 'h': tier 2 is empty"),
        ({"host_priorities": {"h": ["ab"]}}, "tier 1 must be a list of applicant ids"),
        ({"host_priorities": {"h": "a"}}, "must be a list of tiers"),
        (
            {"host_priorities": {"h": [["a", "b"]]}, "tie_break": None},
            "tier 1 ties 2 applicants ('a', 'b', ...) but no tie_break was given",
        ),
        ({"global_priority": [["a"]]}, "global priority does not list applicant 'b'"),
        (
            {"global_priority": [["a", "b"]], "tie_break": None},
            "global priority: tier 1 ties 2 applicants",
        ),
    ],
)
def test_bad_input(kwargs: dict[str, object], fragment: str) -> None:
    args: dict[str, object] = {
        "preferences": P,
        "capacities": C,
        "host_priorities": None,
        "global_priority": None,
        "tie_break": ["b", "a"],
    }
    args.update(kwargs)
    with pytest.raises(AllocationError) as info:
        build_instance(**args)  # type: ignore[arg-type]
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_strict_priorities_need_no_tie_break() -> None:
    inst = build_instance(P, C, global_priority=[["b"], ["a"]])
    assert solve(inst).assignment == {"a": None, "b": "h"}


def test_bad_side_and_unknown_applicant_in_explain() -> None:
    inst = build_instance(P, C, tie_break=["a", "b"])
    with pytest.raises(AllocationError, match="side must be"):
        solve(inst, side="both")  # type: ignore[arg-type]
    with pytest.raises(AllocationError, match="unknown applicant 'zed'"):
        explain(inst, solve(inst), "zed")


def test_instance_repr_is_short() -> None:
    assert repr(build_instance(P, C, tie_break=["a", "b"])) == "Instance(2 applicants, 1 hosts)"
