from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chancery.draws import lottery, services
from chancery.draws.models import Draw, DrawStatus

ALMATY = ZoneInfo("Asia/Almaty")

SOURCES = [
    {"name": "National lottery of 26 October", "form": "numbers", "known_on": "2018-10-26"},
    {"name": "Dice in the hall", "form": "numbers", "known_on": "2018-10-26"},
]


def _draft(cast: Any, **extra: Any) -> Draw:
    fields = {
        "title": "Pairing",
        "kind": "pair",
        "left": ["School B", "School A"],
        "right": ["Embassy of Japan", "Embassy of Brazil"],
        "sources": SOURCES,
        **extra,
    }
    return services.create_draw(actor=cast.alice, owner=cast.academy, **fields)


def _conducted(cast: Any) -> Draw:
    draw = services.announce_draw(actor=cast.alice, draw=_draft(cast), on=date(2018, 10, 22))
    return services.conduct_draw(actor=cast.alice, draw=draw, values=["3 7 1", "4 2"])


def test_the_lists_are_kept_in_canonical_order(cast: Any) -> None:
    draw = _draft(cast, left=["  School  B", "School A"])
    assert draw.left == ["School A", "School B"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"left": ["A", "A"]}, "left", "“A” appears twice"),
        ({"left": ["A", " "]}, "left", "blank"),
        ({"kind": "select", "pool": ["A", "B"], "k": 3}, "k", "Cannot select 3 from a pool of 2"),
        (
            {"sources": [{"name": "x", "form": "dice", "known_on": "2018-10-26"}]},
            "sources",
            "unknown form",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    cast: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        _draft(cast, **changes)
    assert message in " ".join(error.value.message_dict[field])
    assert not Draw.objects.exists()


def test_announcing_freezes_the_record_under_a_fingerprint(cast: Any) -> None:
    draw = services.announce_draw(actor=cast.alice, draw=_draft(cast), on=date(2018, 10, 22))
    assert draw.status == DrawStatus.ANNOUNCED
    assert draw.fingerprint == lottery.fingerprint(draw.record)
    with pytest.raises(ValidationError, match="nothing in it can change"):
        services.update_draw(actor=cast.alice, draw=draw, title="Something else")
    with pytest.raises(ValidationError, match="already announced"):
        services.announce_draw(actor=cast.alice, draw=draw)
    with pytest.raises(ValidationError, match="stays on record"):
        services.delete_draft(actor=cast.alice, draw=draw)


def test_sources_must_become_known_after_the_announcement(cast: Any) -> None:
    with pytest.raises(ValidationError, match="after the announcement"):
        services.announce_draw(actor=cast.alice, draw=_draft(cast), on=date(2018, 10, 26))


def test_a_draw_is_conducted_once_and_verifies(cast: Any) -> None:
    draw = _conducted(cast)
    assert draw.status == DrawStatus.CONDUCTED
    assert lottery.verify_record(draw.record) == []
    assert sorted(left for left, _ in draw.pairs) == ["School A", "School B"]
    with pytest.raises(ValidationError, match="already conducted"):
        services.conduct_draw(actor=cast.alice, draw=draw, values=["1", "2"])
    draw.refresh_from_db()
    assert draw.record["values"] == ["3 7 1", "4 2"]


def test_values_not_in_the_declared_form_are_refused_and_nothing_is_stored(cast: Any) -> None:
    draw = services.announce_draw(actor=cast.alice, draw=_draft(cast), on=date(2018, 10, 22))
    with pytest.raises(ValidationError) as error:
        services.conduct_draw(actor=cast.alice, draw=draw, values=["three", "4"])
    assert "values" in error.value.message_dict
    draw.refresh_from_db()
    assert draw.status == DrawStatus.ANNOUNCED
    assert "values" not in draw.record


def test_a_draft_cannot_be_conducted(cast: Any) -> None:
    with pytest.raises(ValidationError, match="Announce the draw before"):
        services.conduct_draw(actor=cast.alice, draw=_draft(cast), values=["1", "2"])


def test_a_redraw_needs_a_reason_and_points_at_the_old_draw(cast: Any) -> None:
    old = _conducted(cast)
    with pytest.raises(ValidationError, match="reason"):
        services.order_redraw(actor=cast.alice, draw=old, reason="  ")
    new = services.order_redraw(actor=cast.alice, draw=old, reason="A school withdrew.")
    assert new.redraw_of == old
    assert new.status == DrawStatus.DRAFT
    assert new.left == old.left
    old.refresh_from_db()
    assert old.status == DrawStatus.CONDUCTED


def test_every_step_is_audited(cast: Any) -> None:
    draw = _conducted(cast)
    steps = list(draw.history.order_by("history_date").values_list("status", "history_user"))
    assert steps == [
        ("draft", cast.alice.pk),
        ("announced", cast.alice.pk),
        ("conducted", cast.alice.pk),
    ]


def _announced_for(cast: Any, known_on: str) -> Draw:
    draw = _draft(
        cast,
        sources=[
            {"name": "KASE close", "form": "numbers", "known_on": "2030-01-01"},
            {"name": "Dice", "form": "numbers", "known_on": known_on},
        ],
    )
    return services.announce_draw(actor=cast.alice, draw=draw, on=date(2029, 12, 1))


def test_a_draw_cannot_be_conducted_before_its_sources_are_known(cast: Any) -> None:
    draw = _announced_for(cast, "2030-01-02")
    with pytest.raises(ValidationError) as error:
        services.conduct_draw(
            actor=cast.alice,
            draw=draw,
            values=["1", "2"],
            at=datetime(2030, 1, 1, 12, tzinfo=ALMATY),
        )
    [message] = error.value.messages
    assert "Dice (known on 2 Jan 2030)" in message and "KASE" not in message
    assert "2 Jan 2030 or later" in message
    draw.refresh_from_db()
    assert draw.status == DrawStatus.ANNOUNCED
    assert "values" not in draw.record


def test_the_day_of_conduct_is_the_office_s_day(cast: Any) -> None:
    draw = _announced_for(cast, "2030-01-02")
    # 23:30 in Almaty is still 1 January there, though 2 January has begun further east.
    with pytest.raises(ValidationError, match="Dice"):
        services.conduct_draw(
            actor=cast.alice,
            draw=draw,
            values=["1", "2"],
            at=datetime(2030, 1, 2, 3, 30, tzinfo=ZoneInfo("Asia/Tokyo")),
        )
    draw = services.conduct_draw(
        actor=cast.alice, draw=draw, values=["1", "2"], at=datetime(2030, 1, 1, 19, 30, tzinfo=UTC)
    )
    assert draw.record["conducted_at"] == "2030-01-02T00:30:00+05:00"
    assert draw.conducted_at == datetime(2030, 1, 1, 19, 30, tzinfo=UTC)
    assert lottery.verify_record(draw.record) == []


def test_a_draw_announced_today_with_a_source_known_tomorrow_waits(cast: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    draw = _draft(
        cast, sources=[{"name": "Dice", "form": "numbers", "known_on": tomorrow.isoformat()}]
    )
    draw = services.announce_draw(actor=cast.alice, draw=draw)
    with pytest.raises(ValidationError, match="cannot be conducted before"):
        services.conduct_draw(actor=cast.alice, draw=draw, values=["4"])
