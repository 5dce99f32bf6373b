"""Properties of the pure assignment of applications to reviewers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chancery.selection.assignment import AssignmentError, assign, loads


@st.composite
def cases(draw: st.DrawFn, with_conflicts: bool) -> tuple[list[int], list[str], int, set]:
    reviewers = [f"r{i}" for i in range(draw(st.integers(1, 8)))]
    applications = list(range(draw(st.integers(0, 40))))
    n = draw(st.integers(1, len(reviewers)))
    conflicts: set[tuple[int, str]] = set()
    if with_conflicts and applications:
        conflicts = draw(
            st.sets(
                st.tuples(st.sampled_from(applications), st.sampled_from(reviewers)), max_size=30
            )
        )
    return applications, reviewers, n, conflicts


@given(cases(with_conflicts=False))
def test_balanced_within_one_without_conflicts(case: tuple) -> None:
    applications, reviewers, n, _ = case
    result = assign(applications, reviewers, n)
    counts = loads(result, reviewers).values()
    assert max(counts) - min(counts) <= 1
    assert all(len(set(chosen)) == n == len(chosen) for chosen in result.values())
    assert sum(counts) == n * len(applications)


@given(cases(with_conflicts=True))
def test_never_a_conflicted_reviewer_and_n_distinct(case: tuple) -> None:
    applications, reviewers, n, conflicts = case
    try:
        result = assign(applications, reviewers, n, conflicts)
    except AssignmentError as error:
        barred = {r for a, r in conflicts if a == error.application}
        assert len(reviewers) - len(barred) < n
        return
    assert set(result) == set(applications)
    for application, chosen in result.items():
        assert len(chosen) == len(set(chosen)) == n
        assert not {(application, r) for r in chosen} & conflicts


@given(cases(with_conflicts=True))
def test_every_reviewer_mode(case: tuple) -> None:
    applications, reviewers, _, conflicts = case
    try:
        result = assign(applications, reviewers, None, conflicts)
    except AssignmentError as error:
        assert {r for a, r in conflicts if a == error.application} == set(reviewers)
        return
    for application, chosen in result.items():
        assert set(chosen) == {r for r in reviewers if (application, r) not in conflicts}


def test_too_few_free_reviewers_names_the_application() -> None:
    with pytest.raises(AssignmentError) as caught:
        assign([1, 2], ["a", "b"], 2, {(2, "a")})
    assert caught.value.application == 2
