"""The console's and projector's clocks as the server counts them (queries.countdown)."""

from datetime import UTC, datetime, timedelta

import pytest

from chancery.mun.queries import countdown

STARTED = datetime(2030, 3, 1, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "shown"),
    [(0, 120), (0.4, 120), (0.999, 120), (1, 119), (59.5, 61), (119.9, 1), (120, 0), (500, 0)],
)
def test_a_running_clock_counts_whole_seconds_down_from_its_limit(
    elapsed: float, shown: int
) -> None:
    clock = countdown(120, 0, STARTED.isoformat(), STARTED + timedelta(seconds=elapsed))
    assert clock.remaining == shown and clock.running
    assert clock.deadline_ms == int((STARTED.timestamp() + 120) * 1000)


@pytest.mark.parametrize("behind", [0.2, 1, 1.5, 5, 90])
def test_a_clock_never_shows_more_than_its_limit_when_the_server_reads_it_early(
    behind: float,
) -> None:
    # Another server, whose clock is behind the one that started the timer, reads it:
    # 1.5 s before the start used to be 120 - int(-1.5) = 121, "2:01" of a 120 s limit.
    clock = countdown(120, 0, STARTED.isoformat(), STARTED - timedelta(seconds=behind))
    assert clock.remaining == 120
    resumed = countdown(120, 30, STARTED.isoformat(), STARTED - timedelta(seconds=behind))
    assert resumed.remaining == 90


def test_a_paused_clock_shows_what_is_left_and_has_no_deadline() -> None:
    clock = countdown(120, 45, None, STARTED)
    assert (clock.remaining, clock.running, clock.deadline_ms) == (75, False, None)
    assert countdown(120, 130, None, STARTED).remaining == 0
