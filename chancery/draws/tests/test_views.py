import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from chancery.draws import services
from chancery.draws.models import Draw, DrawStatus


def _form(**extra: Any) -> dict[str, Any]:
    data = {
        "title": "Model UN speaking order",
        "kind": "order",
        "algorithm": "sha256",
        "pool": "Brazil\nGeorgia\nGermany\nJapan",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "1",
        "sources-MAX_NUM_FORMS": "10",
        "sources-0-name": "Dice",
        "sources-0-form": "numbers",
        "sources-0-known_on": "2099-01-01",
    }
    data.update(extra)
    return data


def test_an_officer_prepares_announces_and_conducts_a_draw(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post("/draws/new/", _form(**{"sources-0-known_on": tomorrow.isoformat()}))
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert draw.pool == ["Brazil", "Georgia", "Germany", "Japan"]
    client.post(f"/draws/{draw.pk}/announce/")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.ANNOUNCED
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        next_day = cast.client_for(cast.alice)  # yesterday's session has expired
        next_day.post(f"/draws/{draw.pk}/conduct/", {"value_0": "6 2 5"})
    draw.refresh_from_db()
    assert draw.status == DrawStatus.CONDUCTED
    assert sorted(draw.record["result"]) == ["Brazil", "Georgia", "Germany", "Japan"]


def test_a_bad_draft_form_names_the_field(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post("/draws/new/", _form(pool="Brazil\nBrazil"))
    assert response.status_code == 422
    assert "duplicate" in response.content.decode()
    assert not Draw.objects.exists()


def test_values_in_the_wrong_form_are_refused_on_the_conduct_page(cast: Any) -> None:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="T",
        kind="order",
        pool=["a", "b"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-01"}],
    )
    services.announce_draw(actor=cast.alice, draw=draw, on=date(2029, 1, 1))
    response = cast.client_for(cast.alice).post(f"/draws/{draw.pk}/conduct/", {"value_0": "six"})
    assert response.status_code == 422
    assert "Dice" in response.content.decode()
    draw.refresh_from_db()
    assert draw.status == DrawStatus.ANNOUNCED


def _published(cast: Any) -> Draw:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="Pairing",
        kind="pair",
        left=["S1", "S2"],
        right=["E1", "E2"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-01"}],
    )
    draw = services.announce_draw(actor=cast.alice, draw=draw, on=date(2029, 1, 1))
    return services.conduct_draw(
        actor=cast.alice, draw=draw, values=["1 2 3"], at=datetime(2030, 1, 1, 9, tzinfo=UTC)
    )


def test_anyone_sees_a_published_draw_verified(cast: Any) -> None:
    draw = _published(cast)
    page = Client().get(f"/draws/{draw.pk}/").content.decode()
    assert draw.fingerprint in page
    assert "Verified" in page
    assert 'id="conducted-at"' in page
    record = Client().get(f"/draws/{draw.pk}/record.json").json()
    assert record == draw.record


def test_drafts_are_not_public(cast: Any) -> None:
    draw = services.create_draw(
        actor=cast.alice, owner=cast.academy, title="Secret draft", kind="order", pool=["a"]
    )
    assert Client().get(f"/draws/{draw.pk}/").status_code == 404
    assert "Secret draft" not in Client().get("/draws/").content.decode()
    assert cast.client_for(cast.charlie).get(f"/draws/{draw.pk}/").status_code == 404
    assert cast.client_for(cast.alice).get(f"/draws/{draw.pk}/").status_code == 200


def test_the_public_verification_page_detects_tampering(cast: Any) -> None:
    draw = _published(cast)
    ok = Client().post("/draws/verify/", {"record": json.dumps(draw.record)})
    assert "The fingerprint, the key and the result all recompute exactly." in ok.content.decode()
    tampered = dict(draw.record, values=["3 2 2"])
    bad = Client().post("/draws/verify/", {"record": json.dumps(tampered)}).content.decode()
    assert "does not verify" in bad
    assert "The key does not match" in bad
    garbage = Client().post("/draws/verify/", {"record": "{not json"})
    assert garbage.status_code == 422
    assert "not valid JSON" in garbage.content.decode()


def test_the_verifier_script_is_offered_for_download(cast: Any) -> None:
    response = Client().get("/draws/lottery.py")
    body = response.getvalue()
    assert b"def verify_record" in body
    assert b"import django" not in body


def test_an_untouched_extra_source_row_is_ignored(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/draws/new/",
        _form(
            **{
                "sources-TOTAL_FORMS": "2",
                "sources-1-name": "",
                "sources-1-form": "numbers",
                "sources-1-known_on": "",
            }
        ),
    )
    assert response.status_code == 302
    assert len(Draw.objects.get().sources) == 1


def test_the_conduct_page_refuses_before_the_sources_are_known(cast: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="T",
        kind="order",
        pool=["a", "b"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": tomorrow.isoformat()}],
    )
    services.announce_draw(actor=cast.alice, draw=draw, on=tomorrow - timedelta(days=2))
    response = cast.client_for(cast.alice).post(f"/draws/{draw.pk}/conduct/", {"value_0": "6 2"})
    assert response.status_code == 422
    assert "Dice" in response.content.decode()
    draw.refresh_from_db()
    assert draw.status == DrawStatus.ANNOUNCED


def test_the_public_verification_page_refuses_deeply_nested_json(db: Any) -> None:
    response = Client().post("/draws/verify/", {"record": "[" * 100_000 + "]" * 100_000})
    assert response.status_code == 422
    assert "nested too deeply" in response.content.decode()


def test_the_public_verification_page_refuses_duplicate_keys(cast: Any) -> None:
    draw = _published(cast)
    text = json.dumps(draw.record)[:-1] + ', "result": ' + json.dumps(draw.record["result"]) + "}"
    response = Client().post("/draws/verify/", {"record": text})
    assert response.status_code == 422
    assert "result" in response.content.decode()
    assert "twice" in response.content.decode()


def test_the_public_verification_page_refuses_a_record_conducted_too_early(cast: Any) -> None:
    early = dict(_published(cast).record, conducted_at="2029-12-31T23:00:00+05:00")
    page = Client().post("/draws/verify/", {"record": json.dumps(early)}).content.decode()
    assert "does not verify" in page
    assert "conducted on 31 Dec 2029, before the value of “Dice”" in page
