"""Tests for chancery.programmes.lifecycle: the rule text as a table, plus property tests."""

from __future__ import annotations

from collections import deque
from itertools import pairwise, product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chancery.programmes.lifecycle import (
    TERMINAL,
    TRANSITIONS,
    State,
    TransitionError,
    allowed_targets,
    check_transition,
    path_to,
)

# The rules as written in the brief, transcribed independently of TRANSITIONS.
RULE_TEXT = """
applied -> eligible ineligible withdrawn
eligible -> selected ineligible withdrawn
ineligible -> eligible* withdrawn
selected -> placed withdrawn eligible
placed -> active withdrawn selected
active -> completed withdrawn
completed ->
withdrawn ->
"""


def _parse(text: str) -> dict[tuple[str, str], bool]:
    """(from, to) -> whether the change needs an override."""
    table: dict[tuple[str, str], bool] = {}
    for line in text.strip().splitlines():
        source, _, targets = line.partition("->")
        for target in targets.split():
            table[(source.strip(), target.rstrip("*"))] = target.endswith("*")
    return table


ALLOWED = _parse(RULE_TEXT)
STATES = [s.value for s in State]


def test_states_are_the_eight_of_the_rule_text() -> None:
    assert STATES == [
        "applied",
        "eligible",
        "ineligible",
        "selected",
        "placed",
        "active",
        "completed",
        "withdrawn",
    ]


@pytest.mark.parametrize(("source", "target"), list(product(STATES, STATES)))
def test_every_pair_against_the_rule_text(source: str, target: str) -> None:
    allowed = (source, target) in ALLOWED
    assert (State(target) in TRANSITIONS[State(source)]) is allowed
    assert (State(target) in allowed_targets(source)) is allowed
    if not allowed:
        for override in (False, True):
            with pytest.raises(TransitionError):
                check_transition(source, target, reason="written reason", override=override)
        return
    needs_override = ALLOWED[(source, target)]
    needs_reason = needs_override or target == "withdrawn"
    check_transition(source, target, reason="written reason", override=True)
    check_transition(State(source), State(target), reason="written reason", override=True)
    if needs_override:
        with pytest.raises(TransitionError, match="only when an officer overrides"):
            check_transition(source, target, reason="written reason")
    else:
        check_transition(source, target, reason="written reason")
    if needs_reason:
        for blank in ("", "   \n\t"):
            with pytest.raises(TransitionError, match="needs a written reason"):
                check_transition(source, target, reason=blank, override=True)
    else:
        check_transition(source, target)


def test_refusal_message_lists_the_way_on() -> None:
    with pytest.raises(TransitionError) as raised:
        check_transition(State.APPLIED, State.COMPLETED)
    assert str(raised.value) == (
        "An enrolment that is applied cannot become completed; "
        "from applied it can become eligible, ineligible or withdrawn."
    )


def test_refusal_message_for_a_final_state() -> None:
    with pytest.raises(TransitionError) as raised:
        check_transition("completed", "active")
    assert (
        str(raised.value) == "An enrolment that is completed cannot become active; "
        "completed is final."
    )


def test_refusal_message_with_two_ways_on() -> None:
    with pytest.raises(TransitionError) as raised:
        check_transition("active", "placed")
    assert str(raised.value).endswith("from active it can become completed or withdrawn.")


def test_same_state_is_refused() -> None:
    for state in State:
        with pytest.raises(TransitionError) as raised:
            check_transition(state, state, reason="x", override=True)
        assert str(raised.value) == f"The enrolment is already {state.value}."


def test_override_messages() -> None:
    with pytest.raises(TransitionError) as raised:
        check_transition("ineligible", "eligible", reason="Officer's decision of 3 March")
    assert str(raised.value) == (
        "An enrolment that is ineligible can become eligible only when "
        "an officer overrides the eligibility result."
    )
    with pytest.raises(TransitionError) as raised:
        check_transition("ineligible", "eligible", override=True)
    assert str(raised.value) == "Overriding the eligibility result needs a written reason."
    check_transition("ineligible", "eligible", reason="Officer's decision", override=True)


def test_withdrawal_message() -> None:
    with pytest.raises(TransitionError) as raised:
        check_transition("active", "withdrawn", reason=" ")
    assert str(raised.value) == "Withdrawing an enrolment needs a written reason."


def test_override_does_not_matter_elsewhere() -> None:
    check_transition("applied", "eligible", override=True)
    check_transition("placed", "selected", override=True)


@pytest.mark.parametrize("value", ["APPLIED", " applied", "finished", "", None, 3])
def test_values_that_are_not_states(value: object) -> None:
    with pytest.raises(TransitionError, match="is not an enrolment state") as raised:
        check_transition(value, "eligible")  # type: ignore[arg-type]
    assert repr(value) in str(raised.value)
    with pytest.raises(TransitionError, match="is not an enrolment state"):
        check_transition("applied", value)  # type: ignore[arg-type]
    with pytest.raises(TransitionError, match="is not an enrolment state"):
        allowed_targets(value)  # type: ignore[arg-type]
    with pytest.raises(TransitionError, match="is not an enrolment state"):
        path_to(value, "applied")  # type: ignore[arg-type]


def test_transition_error_is_a_value_error() -> None:
    assert issubclass(TransitionError, ValueError)


def test_transitions_are_read_only() -> None:
    with pytest.raises(TypeError):
        TRANSITIONS[State.COMPLETED] = frozenset({State.ACTIVE})  # type: ignore[index]
    assert sorted(TERMINAL) == [State.COMPLETED, State.WITHDRAWN]


def test_path_for_back_filling_history() -> None:
    assert path_to("applied", "completed") == [
        State.ELIGIBLE,
        State.SELECTED,
        State.PLACED,
        State.ACTIVE,
        State.COMPLETED,
    ]
    assert path_to("applied", "applied") == []
    assert path_to("completed", "applied") is None
    assert path_to("placed", "eligible") == [State.SELECTED, State.ELIGIBLE]


def test_path_from_ineligible_needs_the_override() -> None:
    assert path_to("ineligible", "completed") is None
    assert path_to("ineligible", "withdrawn") == [State.WITHDRAWN]
    assert path_to("ineligible", "selected", override=True) == [State.ELIGIBLE, State.SELECTED]


# --------------------------------------------------------------------- properties

states = st.sampled_from(list(State))


def _bfs(source: State, target: State, override: bool) -> int | None:
    """Length of the shortest path, computed from the rule text."""
    dist = {source.value: 0}
    queue = deque([source.value])
    while queue:
        here = queue.popleft()
        for (a, b), needs_override in ALLOWED.items():
            if a == here and b not in dist and (override or not needs_override):
                dist[b] = dist[here] + 1
                queue.append(b)
    return dist.get(target.value)


@given(states)
def test_every_state_is_reachable_from_applied(state: State) -> None:
    path = path_to(State.APPLIED, state)
    assert path is not None
    assert (path[-1] if path else State.APPLIED) == state


@given(states)
def test_final_states_go_nowhere(target: State) -> None:
    for state in (State.COMPLETED, State.WITHDRAWN):
        assert allowed_targets(state) == frozenset()
        with pytest.raises(TransitionError):
            check_transition(state, target, reason="x", override=True)
        if target != state:
            assert path_to(state, target, override=True) is None


@given(states, states, st.booleans())
def test_path_takes_only_allowed_steps_and_is_shortest(
    source: State, target: State, override: bool
) -> None:
    path = path_to(source, target, override=override)
    assert (None if path is None else len(path)) == _bfs(source, target, override)
    if path is None:
        return
    for a, b in pairwise([source, *path]):
        assert (a.value, b.value) in ALLOWED
        assert override or not ALLOWED[(a.value, b.value)]
        check_transition(a, b, reason="back-filled", override=override)


@given(
    st.lists(st.tuples(states, st.sampled_from(["", " ", "because"]), st.booleans()), max_size=40)
)
def test_random_walks_never_break_the_rules(steps: list[tuple[State, str, bool]]) -> None:
    state = State.APPLIED
    for target, reason, override in steps:
        try:
            check_transition(state, target, reason=reason, override=override)
        except TransitionError:
            continue
        assert state not in TERMINAL
        assert target != state
        assert (state.value, target.value) in ALLOWED
        if target == State.WITHDRAWN or ALLOWED[(state.value, target.value)]:
            assert reason.strip()
        if ALLOWED[(state.value, target.value)]:
            assert override
        state = target
