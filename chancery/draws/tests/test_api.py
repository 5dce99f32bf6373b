from datetime import timedelta
from typing import Any

from django.utils import timezone

from chancery.draws import services
from chancery.draws.models import Draw, DrawStatus


def _announced(cast: Any, known_on: str) -> Draw:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="T",
        kind="order",
        pool=["a", "b", "c"],
        sources=[{"name": "Closing index", "form": "numbers", "known_on": known_on}],
    )
    return services.announce_draw(
        actor=cast.alice, draw=draw, on=timezone.localdate() - timedelta(days=3)
    )


def test_the_api_refuses_to_conduct_before_the_sources_are_known(cast: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    draw = _announced(cast, tomorrow.isoformat())
    response = cast.client_for(cast.alice).post(
        f"/api/draws/{draw.pk}/conduct", {"values": ["1 2 3"]}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    # The day in the reader's format (English: "4 Dec 2026").
    day = f"{tomorrow.day} {tomorrow:%b %Y}"
    assert "Closing index" in problem["msg"] and f"known on {day}" in problem["msg"]
    draw.refresh_from_db()
    assert draw.status == DrawStatus.ANNOUNCED
    assert "values" not in draw.record


def test_the_api_conducts_once_every_source_is_known(cast: Any) -> None:
    draw = _announced(cast, timezone.localdate().isoformat())
    response = cast.client_for(cast.alice).post(
        f"/api/draws/{draw.pk}/conduct", {"values": ["1 2 3"]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    record = response.json()["record"]
    assert record["conducted_at"].startswith(timezone.localdate().isoformat())


def test_a_patch_whose_body_is_not_an_object_is_refused_naming_the_body(cast: Any) -> None:
    draw = services.create_draw(
        actor=cast.alice, owner=cast.academy, title="T", kind="order", pool=["a", "b"]
    )
    for body in ("[]", '"title"', "3"):
        response = cast.client_for(cast.alice).patch(
            f"/api/draws/{draw.pk}", body, content_type="application/json"
        )
        assert response.status_code == 422, body
        [problem] = response.json()["detail"]
        assert problem["loc"][0] == "body"
        assert "JSON object" in problem["msg"]


def test_a_patch_with_an_object_changes_the_draft(cast: Any) -> None:
    draw = services.create_draw(
        actor=cast.alice, owner=cast.academy, title="T", kind="order", pool=["a", "b"]
    )
    response = cast.client_for(cast.alice).patch(
        f"/api/draws/{draw.pk}", '{"title": "Renamed"}', content_type="application/json"
    )
    assert response.status_code == 200, response.content
    draw.refresh_from_db()
    assert draw.title == "Renamed"
