"""The overlap rule of placements, checked against days counted one by one."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from chancery.programmes.periods import first_clash, overlaps

DAY0 = date(2020, 1, 1)


def _days(start: date, end: date) -> set[date]:
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


periods = st.tuples(st.integers(0, 60), st.integers(0, 30)).map(
    lambda p: (DAY0 + timedelta(days=p[0]), DAY0 + timedelta(days=p[0] + p[1]))
)


def test_a_placement_ending_the_day_another_starts_clashes_with_it() -> None:
    assert overlaps(date(2020, 1, 1), date(2020, 3, 31), date(2020, 3, 31), date(2020, 6, 30))
    assert not overlaps(date(2020, 1, 1), date(2020, 3, 30), date(2020, 3, 31), date(2020, 6, 30))


def test_a_cancelled_placement_never_clashes() -> None:
    held = [("cancelled", date(2020, 1, 1), date(2020, 12, 31), True)]
    assert first_clash(held, date(2020, 5, 1), date(2020, 5, 31)) is None


@given(st.lists(st.tuples(periods, st.booleans()), max_size=6), periods)
def test_the_first_clash_is_the_first_period_sharing_a_day(
    held: list[tuple[tuple[date, date], bool]], wanted: tuple[date, date]
) -> None:
    rows = [(index, start, end, cancelled) for index, ((start, end), cancelled) in enumerate(held)]
    sharing = [
        index
        for index, start, end, cancelled in rows
        if not cancelled and _days(start, end) & _days(*wanted)
    ]
    assert first_clash(rows, *wanted) == (sharing[0] if sharing else None)
