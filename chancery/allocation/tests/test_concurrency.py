"""Two officers committing one allocation round: one commit places everyone, the other is
refused, and no placement is made twice."""

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from chancery.allocation import services
from chancery.allocation.models import Round, RoundStatus
from chancery.allocation.tests.factories import make_setup
from chancery.programmes.models import EnrolmentState, Placement, PlacementStatus

ALREADY = "This round is already committed."


def _placements(round: Round) -> list[tuple[int, int]]:
    return sorted(
        Placement.objects.filter(enrolment__edition=round.edition)
        .exclude(status=PlacementStatus.CANCELLED)
        .values_list("enrolment_id", "host_id")
    )


def test_a_second_commit_of_a_round_is_refused_and_places_nobody_again(cast: Any) -> None:
    setup = make_setup(cast)
    services.run_round(actor=cast.alice, round=setup.round)
    services.commit_round(actor=cast.alice, round=setup.round)
    placed = _placements(setup.round)
    with pytest.raises(ValidationError) as refused:
        services.commit_round(actor=cast.bob, round=setup.round)
    assert refused.value.messages == [ALREADY]
    assert _placements(setup.round) == placed
    assert len(placed) == 3


# SQLite's in-memory test database shares one cache between threads with table locks of its
# own; the real file database serialises writers with IMMEDIATE. Skipped before the database
# is set up, so that no flush takes the migrated countries from the tests that follow.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections are tested on PostgreSQL (.ci/run)",
)
@pytest.mark.django_db(transaction=True)  # reference data: see the root conftest
def test_two_commits_of_one_round_at_once_place_everyone_once(cast: Any) -> None:
    setup = make_setup(cast)
    round = services.run_round(actor=cast.alice, round=setup.round)
    assigned = sum(1 for host in round.result["assignment"].values() if host is not None)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def commit() -> None:
        stale = Round.objects.get(pk=round.pk)  # each officer's page read the previewed round
        barrier.wait()
        try:
            services.commit_round(actor=cast.alice, round=stale)
            outcomes.append("committed")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=commit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [ALREADY, "committed"]
    stored = Round.objects.get(pk=round.pk)
    assert stored.status == RoundStatus.COMMITTED
    assert stored.history.filter(status=RoundStatus.COMMITTED).count() == 1
    placements = _placements(stored)
    assert len(placements) == assigned == 3
    assert len({enrolment for enrolment, _host in placements}) == assigned
    assert sorted(stored.result["placements"].values()) == sorted(
        Placement.objects.filter(enrolment__edition=stored.edition).values_list("pk", flat=True)
    )
    placed = setup.edition.enrolments.filter(state=EnrolmentState.PLACED).count()
    assert placed == assigned
