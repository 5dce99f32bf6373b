from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chancery.draws import lottery, services
from chancery.draws.models import Draw, DrawStatus

SOURCES = [
    {"name": "National lottery of 26 October", "form": "numbers", "known_on": "2018-10-26"},
    {"name": "Dice in the hall", "form": "numbers", "known_on": "2018-10-26"},
]


def _draft(cast: Any, **extra: Any) -> Draw:
    fields = {"title": "Pairing", "kind": "pair", "left": ["School B", "School A"],
              "right": ["Embassy of Japan", "Embassy of Brazil"], "sources": SOURCES, **extra}
    return services.create_draw(actor=cast.alice, owner=cast.academy, **fields)


def _conducted(cast: Any) -> Draw:
    draw = services.announce_draw(actor=cast.alice, draw=_draft(cast), on=date(2018, 10, 22))
    return services.conduct_draw(actor=cast.alice, draw=draw, values=["3 7 1", "4 2"])


def test_the_lists_are_kept_in_canonical_order(cast: Any) -> None:
    draw = _draft(cast, left=["  School  B", "School A"])
    assert draw.left == ["School A", "School B"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"left": ["A", "A"]}, "left", "duplicate"),
    ({"left": ["A", " "]}, "left", "blank"),
    ({"kind": "select", "pool": ["A", "B"], "k": 3}, "k", "Cannot select 3 from a pool of 2"),
    ({"sources": [{"name": "x", "form": "dice", "known_on": "2018-10-26"}]}, "sources",
     "unknown form"),
])
def test_bad_input_is_refused_naming_the_field(cast: Any, changes: dict[str, Any], field: str,
                                               message: str) -> None:
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
    assert steps == [("draft", cast.alice.pk), ("announced", cast.alice.pk),
                     ("conducted", cast.alice.pk)]
