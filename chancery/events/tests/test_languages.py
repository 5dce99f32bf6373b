"""An event's title, description and venue per language (#16): the pages and the API read the
reader's language, English where that language is empty; the form and the API write each."""

import json
from typing import Any

import pytest

from chancery.core.actors import SYSTEM
from chancery.events import services
from chancery.events.models import Event
from chancery.events.tests.factories import Outreach, almaty

TEXTS = {
    "title": "A lecture on diplomacy",
    "title_ru": "Лекция о дипломатии",
    "title_kk": "Дипломатия туралы дәріс",
    "description": "What an embassy does.",
    "description_ru": "Чем занимается посольство.",
    "description_kk": "Елшілік немен айналысады.",
    "venue": "Assembly hall, School One",
    "venue_ru": "Актовый зал первой школы",
    "venue_kk": "Бірінші мектептің мәжіліс залы",
}
ENGLISH = {"title": TEXTS["title"], "description": TEXTS["description"], "venue": TEXTS["venue"]}


def _event(outreach: Outreach, **texts: Any) -> Event:
    return services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        public=True,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
        **texts,
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_event_page_shows_the_readers_language(
    outreach: Outreach, cast: Any, language: str
) -> None:
    event = _event(outreach, **TEXTS)
    page = (
        cast.client_for(cast.alice)
        .get(f"/events/{event.pk}/", headers={"accept-language": language})
        .content.decode()
    )
    for name in ("title", "description", "venue"):
        assert TEXTS[f"{name}_{language}"] in page
        assert TEXTS[name] not in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_event_page_falls_back_to_english(outreach: Outreach, cast: Any, language: str) -> None:
    event = _event(outreach, **ENGLISH)
    page = (
        cast.client_for(cast.alice)
        .get(f"/events/{event.pk}/", headers={"accept-language": language})
        .content.decode()
    )
    for text in ENGLISH.values():
        assert text in page


def test_the_english_texts_stay_english_whatever_the_language_of_the_change(
    outreach: Outreach, cast: Any
) -> None:
    event = _event(outreach, **ENGLISH)
    client = cast.client_for(cast.alice)
    response = client.post(
        f"/events/{event.pk}/edit/",
        {
            "edition": outreach.edition.pk,
            "kind": "lecture",
            **TEXTS,
            "starts": "2018-11-05T10:00",
            "ends": "2018-11-05T11:00",
            "time_zone": "Asia/Almaty",
            "pairings": [outreach.pairing.pk],
        },
        headers={"accept-language": "kk"},
    )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    event = Event.objects.get(pk=event.pk)
    for name, text in TEXTS.items():
        stored = name if name.endswith(("_ru", "_kk")) else f"{name}_en"
        assert getattr(event, stored) == text
    form = client.get(f"/events/{event.pk}/edit/", headers={"accept-language": "ru"})
    initial = form.context["form"].initial
    assert (initial["description"], initial["venue"]) == (ENGLISH["description"], ENGLISH["venue"])
    assert initial["venue_kk"] == TEXTS["venue_kk"]
    page = form.content.decode()
    assert "Место проведения на казахском" in page and "Описание на русском" in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_api_takes_and_gives_each_language(
    outreach: Outreach, cast: Any, language: str
) -> None:
    client = cast.client_for(cast.alice)
    created = client.post(
        "/api/events",
        json.dumps(
            {
                "edition": outreach.edition.pk,
                "kind": "lecture",
                **TEXTS,
                "starts_at": "2018-11-05T10:00:00",
                "ends_at": "2018-11-05T11:00:00",
                "pairings": [outreach.pairing.pk],
            }
        ),
        content_type="application/json",
        headers={"accept-language": language},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {name: body[name] for name in TEXTS} == TEXTS
    event = Event.objects.get(pk=body["id"])
    assert (event.description_en, event.venue_en) == (ENGLISH["description"], ENGLISH["venue"])
    patched = client.patch(
        f"/api/events/{body['id']}",
        json.dumps({"venue": "Hall 2", f"description_{language}": ""}),
        content_type="application/json",
        headers={"accept-language": language},
    ).json()
    assert patched["venue"] == "Hall 2"
    assert patched[f"venue_{language}"] == TEXTS[f"venue_{language}"]
    assert patched[f"description_{language}"] == ""
    assert patched["description"] == ENGLISH["description"]


def test_the_api_gives_empty_texts_for_a_language_not_written(
    outreach: Outreach, cast: Any
) -> None:
    event = _event(outreach, **ENGLISH)
    body = cast.client_for(cast.alice).get(f"/api/events/{event.pk}").json()
    assert (body["description"], body["venue"]) == (ENGLISH["description"], ENGLISH["venue"])
    for language in ("ru", "kk"):
        assert body[f"description_{language}"] == body[f"venue_{language}"] == ""


def test_a_change_of_one_language_is_told_as_a_change_of_the_text(outreach: Outreach) -> None:
    event = _event(outreach, **ENGLISH)
    before = services._told_state(event)
    event.venue_kk = TEXTS["venue_kk"]
    assert [str(name) for name in services._changed(before, services._told_state(event))] == [
        "venue"
    ]


def test_the_demo_gives_every_event_a_russian_and_a_kazakh_description_and_venue(
    demo: None,
) -> None:
    for event in Event.objects.all():
        for name in ("description", "venue"):
            english = getattr(event, f"{name}_en")
            assert english, (event.pk, name)
            for language in ("ru", "kk"):
                text = getattr(event, f"{name}_{language}")
                assert text and text != english, (event.title_en, name, language)
