"""The enrolment lifecycle: the one place that says which changes of state are allowed.

Pure standard-library code: no Django, no I/O.  An enrolment moves through these states::

    applied    -> eligible | ineligible | withdrawn
    eligible   -> selected | ineligible | withdrawn
    ineligible -> eligible (officer's override, in writing) | withdrawn
    selected   -> placed | eligible (deselected) | withdrawn
    placed     -> active | selected (placement cancelled) | withdrawn
    active     -> completed | withdrawn
    completed, withdrawn: final

Two changes need more than the arrow:

* becoming ``withdrawn`` needs a written (non-blank) reason;
* ``ineligible -> eligible`` is an officer overriding the eligibility result, so it needs
  ``override=True`` *and* a written reason.  ``override`` has no effect on other changes.

Staying in the same state is not a change and is refused.  Every refusal is a
:class:`TransitionError` carrying a :class:`~chancery.core.messages.Message` (``error.message``:
a code and the states), which the app words in the reader's language; ``str(error)`` is the
English reading.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from chancery.core.messages import Message, message

__all__ = [
    "TERMINAL",
    "TRANSITIONS",
    "State",
    "TransitionError",
    "allowed_targets",
    "check_transition",
    "path_to",
]


class TransitionError(ValueError):
    """A change of state that the lifecycle does not allow; ``message`` says which and why."""

    def __init__(self, why: Message) -> None:
        super().__init__(why.text)
        self.message = why


class State(StrEnum):
    """Where an enrolment is in its programme."""

    APPLIED = "applied"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    SELECTED = "selected"
    PLACED = "placed"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


#: For each state, the states it may become (read-only).  Conditions are in the docstring.
TRANSITIONS: Mapping[State, frozenset[State]] = MappingProxyType(
    {
        State.APPLIED: frozenset({State.ELIGIBLE, State.INELIGIBLE, State.WITHDRAWN}),
        State.ELIGIBLE: frozenset({State.SELECTED, State.INELIGIBLE, State.WITHDRAWN}),
        State.INELIGIBLE: frozenset({State.ELIGIBLE, State.WITHDRAWN}),
        State.SELECTED: frozenset({State.PLACED, State.ELIGIBLE, State.WITHDRAWN}),
        State.PLACED: frozenset({State.ACTIVE, State.SELECTED, State.WITHDRAWN}),
        State.ACTIVE: frozenset({State.COMPLETED, State.WITHDRAWN}),
        State.COMPLETED: frozenset(),
        State.WITHDRAWN: frozenset(),
    }
)

#: States an enrolment never leaves.
TERMINAL: frozenset[State] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

#: Changes that only an officer's written override of the eligibility result allows.
_OVERRIDE_ONLY: frozenset[tuple[State, State]] = frozenset({(State.INELIGIBLE, State.ELIGIBLE)})


def _state(value: object) -> State:
    """The state named by ``value``, or a TransitionError naming the value."""
    if isinstance(value, State):
        return value
    if isinstance(value, str):
        try:
            return State(value)
        except ValueError:
            pass
    names = ", ".join(s.value for s in State)
    raise TransitionError(
        message(
            "unknown_state",
            f"{value!r} is not an enrolment state; the states are {names}.",
            value=str(value),
            states=tuple(s.value for s in State),
        )
    )


def _in_order(states: frozenset[State]) -> list[State]:
    """The states in the order they are declared in :class:`State`."""
    return [s for s in State if s in states]


def _either(states: frozenset[State]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    names = [s.value for s in _in_order(states)]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


def allowed_targets(current: State | str) -> frozenset[State]:
    """The states an enrolment in ``current`` may become (conditions aside)."""
    return TRANSITIONS[_state(current)]


def check_transition(
    current: State | str, target: State | str, *, reason: str = "", override: bool = False
) -> None:
    """Return if ``current -> target`` is allowed with this reason and override, else raise."""
    source, goal = _state(current), _state(target)
    if source == goal:
        raise TransitionError(
            message("already", f"The enrolment is already {source.value}.", state=source.value)
        )
    targets = TRANSITIONS[source]
    if goal not in targets:
        if not targets:
            raise TransitionError(
                message(
                    "final",
                    f"An enrolment that is {source.value} cannot become "
                    f"{goal.value}; {source.value} is final.",
                    source=source.value,
                    target=goal.value,
                )
            )
        raise TransitionError(
            message(
                "not_allowed",
                f"An enrolment that is {source.value} cannot become {goal.value}; "
                f"from {source.value} it can become {_either(targets)}.",
                source=source.value,
                target=goal.value,
                allowed=tuple(s.value for s in _in_order(targets)),
            )
        )
    written = bool(reason.strip())
    if (source, goal) in _OVERRIDE_ONLY:
        if not override:
            raise TransitionError(
                message(
                    "override_only",
                    f"An enrolment that is {source.value} can become {goal.value} "
                    "only when an officer overrides the eligibility result.",
                    source=source.value,
                    target=goal.value,
                )
            )
        if not written:
            raise TransitionError(
                message(
                    "override_reason", "Overriding the eligibility result needs a written reason."
                )
            )
    if goal == State.WITHDRAWN and not written:
        raise TransitionError(
            message("withdraw_reason", "Withdrawing an enrolment needs a written reason.")
        )


def path_to(
    current: State | str, target: State | str, *, override: bool = False
) -> list[State] | None:
    """The shortest allowed path: the states after ``current`` up to ``target``, or None.

    ``path_to(s, s)`` is ``[]``.  The override step (ineligible -> eligible) is used only
    with ``override=True``; steps into ``withdrawn`` still need a reason when taken.
    Among shortest paths the one that takes targets in declaration order wins.
    """
    source, goal = _state(current), _state(target)
    previous: dict[State, State | None] = {source: None}
    queue = deque([source])
    while queue:
        state = queue.popleft()
        if state == goal:
            path: list[State] = []
            step: State | None = state
            while step is not None and step != source:
                path.append(step)
                step = previous[step]
            return path[::-1]
        for nxt in _in_order(TRANSITIONS[state]):
            if nxt in previous or ((state, nxt) in _OVERRIDE_ONLY and not override):
                continue
            previous[nxt] = state
            queue.append(nxt)
    return None
