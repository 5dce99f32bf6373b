"""Placement periods: the one rule that says when two placements of a person clash.

Pure standard-library code: no Django, no I/O. Periods are closed (the first and the last day
both count), so a placement ending on the day another starts clashes with it; cancelled
placements never clash. `programmes.services.place` and the people import both ask
`first_clash`, so a file cannot record what the placement form refuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

__all__ = ["first_clash", "overlaps"]


def overlaps(start: date, end: date, other_start: date, other_end: date) -> bool:
    """Whether two closed periods share at least one day."""
    return start <= other_end and other_start <= end


def first_clash[K](
    periods: Iterable[tuple[K, date, date, bool]], start: date, end: date
) -> K | None:
    """The key of the first (key, start, end, cancelled) period that clashes with start–end."""
    for key, other_start, other_end, cancelled in periods:
        if not cancelled and overlaps(start, end, other_start, other_end):
            return key
    return None
