"""Which reviewer reads which application: pure and deterministic, no Django.

Every application gets `per_application` distinct reviewers (or every reviewer when it is
None), never one who declared a conflict with it. Applications with the fewest possible
reviewers are served first and each takes the least-loaded reviewers (ties by the reviewers'
order), so without conflicts the loads differ by at most one.
"""

from collections.abc import Hashable, Iterable, Sequence


class AssignmentError(ValueError):
    """The assignment cannot be made; `application` names the one that cannot be served."""

    def __init__(self, message: str, application: Hashable | None = None) -> None:
        super().__init__(message)
        self.application = application


def assign[A: Hashable, R: Hashable](
    applications: Sequence[A],
    reviewers: Sequence[R],
    per_application: int | None,
    conflicts: Iterable[tuple[A, R]] = (),
) -> dict[A, list[R]]:
    """Map each application to its reviewers, in the reviewers' order."""
    if len(set(reviewers)) != len(reviewers):
        raise AssignmentError("a reviewer is named twice")
    if per_application is not None and per_application < 1:
        raise AssignmentError("each application needs at least one reviewer")
    barred: dict[A, set[R]] = {}
    for application, reviewer in conflicts:
        barred.setdefault(application, set()).add(reviewer)
    position = {reviewer: index for index, reviewer in enumerate(reviewers)}
    free = {a: [r for r in reviewers if r not in barred.get(a, set())] for a in applications}
    result: dict[A, list[R]] = {}
    if per_application is None:
        for application in applications:
            if not free[application]:
                raise AssignmentError("every reviewer declared a conflict", application)
            result[application] = free[application]
        return result
    load = dict.fromkeys(reviewers, 0)
    order = sorted(range(len(applications)), key=lambda i: (len(free[applications[i]]), i))
    for index in order:
        application = applications[index]
        candidates = free[application]
        if len(candidates) < per_application:
            raise AssignmentError(
                f"{len(candidates)} reviewers without a conflict, {per_application} needed",
                application,
            )
        chosen = sorted(candidates, key=lambda r: (load[r], position[r]))[:per_application]
        for reviewer in chosen:
            load[reviewer] += 1
        result[application] = sorted(chosen, key=lambda r: position[r])
    return {application: result[application] for application in applications}


def loads[A: Hashable, R: Hashable](
    assignment: dict[A, list[R]], reviewers: Sequence[R]
) -> dict[R, int]:
    """How many applications each reviewer reads."""
    counts = dict.fromkeys(reviewers, 0)
    for chosen in assignment.values():
        for reviewer in chosen:
            counts[reviewer] += 1
    return counts
