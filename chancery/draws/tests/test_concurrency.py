import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from chancery.draws import services
from chancery.draws.models import Draw, DrawStatus


# SQLite's in-memory test database shares one cache between threads with table locks of its
# own; the real file database serialises writers with IMMEDIATE. Skipped before the database
# is set up, so that no flush takes the migrated countries from the tests that follow.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections are tested on PostgreSQL (.ci/run)",
)
@pytest.mark.django_db(transaction=True)  # reference data: see the root conftest
def test_concurrent_conducts_produce_one_result(cast: Any) -> None:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="Race",
        kind="order",
        pool=["a", "b", "c"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-02"}],
    )
    services.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def conduct(values: list[str]) -> None:
        barrier.wait()
        try:
            services.conduct_draw(
                actor=cast.alice, draw=draw, values=values, at=datetime(2030, 1, 2, 9, tzinfo=UTC)
            )
            outcomes.append("conducted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=conduct, args=(values,)) for values in (["1"], ["6"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "This draw was already conducted; order a re-draw instead."
    assert sorted(outcomes)[1] == "conducted"
    stored = Draw.objects.get(pk=draw.pk)
    assert stored.status == DrawStatus.CONDUCTED
    assert stored.history.filter(status=DrawStatus.CONDUCTED).count() == 1
