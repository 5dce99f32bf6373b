"""One date form per language on every page: the same day and time read the same everywhere.

English is day-month-year with the month's short name («1 Sep 2018», «5 Nov 2018, 10:00»),
Russian and Kazakh numeric («01.09.2018», «05.11.2018 10:00»); Django's American defaults
(«Sept. 1, 2018», «09/01/2018», «10 a.m.») and the ISO text of a template's own format
(«2018-11-05 10:00») appear nowhere. Event times are shown in the event's zone, named. Date
inputs are text in the language's input format, whatever the browser's locale.
"""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from chancery.core.actors import SYSTEM
from chancery.draws.models import Draw
from chancery.events import services
from chancery.events.models import Event
from chancery.events.tests.factories import Outreach, almaty
from chancery.programmes.models import Edition

DAY = {"en": "1 Sep 2018", "ru": "01.09.2018", "kk": "01.09.2018"}
EVENT_TIME = {"en": "5 Nov 2018, 10:00", "ru": "05.11.2018 10:00", "kk": "05.11.2018 10:00"}
ANNOUNCED = {"en": "1 Oct 2018", "ru": "01.10.2018", "kk": "01.10.2018"}
# The forms the pages showed before: Django's American defaults, ISO text, Russian words.
OTHER_FORMS = re.compile(
    r"Sept\.|Nov\. 5|09/01/2018|11/05/2018|2018-11-05 10:00|a\.m\.|"
    r"сентября|ноября|жылғы"
)


def _client(cast: Any, language: str) -> Client:
    client = cast.client_for(cast.alice)
    client.cookies["django_language"] = language
    return client


def _page(client: Client, url: str, language: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    return page


@pytest.fixture
def event(outreach: Outreach) -> Event:
    Edition.objects.filter(pk=outreach.edition.pk).update(
        starts_on=date(2018, 9, 1), ends_on=date(2018, 12, 14)
    )
    return services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Poland in the EU",
        public=True,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
    )


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_same_day_reads_the_same_on_every_page(
    event: Event, outreach: Outreach, cast: Any, language: str
) -> None:
    client = _client(cast, language)
    edition = outreach.edition
    for url in (f"/programmes/editions/{edition.pk}/", f"/programmes/{edition.programme_id}/"):
        page = _page(client, url, language)
        assert DAY[language] in page, url
        assert not OTHER_FORMS.search(page), (url, OTHER_FORMS.search(page))
    for url in (
        f"/events/{event.pk}/",
        f"/events/{event.pk}/attendance/",
        "/events/?view=list",
        f"/events/editions/{edition.pk}/public/",
    ):
        page = _page(client, url, language)
        assert f"{EVENT_TIME[language]} (Asia/Almaty)" in page or (
            EVENT_TIME[language] in page and "Asia/Almaty" in page
        ), url
        assert not OTHER_FORMS.search(page), (url, OTHER_FORMS.search(page))
    # A draw's published record keeps its days as ISO text; the page shows them as dates.
    pairing_draw = Draw.objects.get(edition=edition)
    page = _page(client, f"/draws/{pairing_draw.pk}/", language)
    assert f"<dd>{ANNOUNCED[language]}</dd>" in page
    assert not OTHER_FORMS.search(page), OTHER_FORMS.search(page)


def test_the_calendar_shows_the_month_and_an_agenda_of_its_days(event: Event, cast: Any) -> None:
    page = _page(_client(cast, "kk"), "/events/?month=2018-11", "kk")
    assert '<span id="month">2018 жылғы қараша</span>' in page
    agenda = page.split('id="agenda"', 1)[1].split("</div>", 1)[0]
    assert "05.11.2018" in agenda and "10:00 Poland in the EU" in agenda
    empty = _page(_client(cast, "en"), "/events/?month=2018-12", "en")
    agenda = empty.split('id="agenda"', 1)[1].split("</div>", 1)[0]
    assert "No events this month" in agenda


@pytest.mark.parametrize(
    ("language", "shown", "typed", "hint"),
    [
        ("en", "2018-11-05 10:00", "2018-11-06 15:30", "YYYY-MM-DD HH:MM"),
        ("ru", "05.11.2018 10:00", "06.11.2018 15:30", "ДД.ММ.ГГГГ ЧЧ:ММ"),
        ("kk", "05.11.2018 10:00", "06.11.2018 15:30", "КК.АА.ЖЖЖЖ СС:ММ"),
    ],
)
def test_date_inputs_are_text_in_the_languages_input_format(
    event: Event, cast: Any, language: str, shown: str, typed: str, hint: str
) -> None:
    client = _client(cast, language)
    form = _page(client, f"/events/{event.pk}/edit/", language)
    starts = re.search(r'<input type="text" name="starts" value="([^"]*)"[^>]*>', form)
    assert starts is not None and starts.group(1) == shown
    assert 'aria-describedby="id_starts_helptext id_starts_format"' in starts.group(0)
    with translation.override(language):
        label = translation.gettext("Format: %(hint)s") % {"hint": hint}
    assert f'id="id_starts_format">{label}</span>' in form
    assert 'type="date"' not in form and 'type="datetime-local"' not in form
    data = {
        "edition": event.edition_id,
        "kind": event.kind,
        "title": event.title_en,
        "starts": typed,
        "ends": typed.replace("15:30", "17:00"),
        "time_zone": "Asia/Almaty",
        "pairings": [p.pk for p in event.pairings.all()],
    }
    response = client.post(f"/events/{event.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.starts_at == almaty(2018, 11, 6, 15, 30)


def test_an_american_date_is_refused_in_english_as_ambiguous(event: Event, cast: Any) -> None:
    client = _client(cast, "en")
    data = {
        "edition": event.edition_id,
        "kind": event.kind,
        "title": event.title_en,
        "starts": "11/06/2018 15:30",
        "ends": "2018-11-06 17:00",
        "time_zone": "Asia/Almaty",
    }
    response = client.post(f"/events/{event.pk}/edit/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a valid date/time." in page
    event.refresh_from_db()
    assert event.starts_at == almaty(2018, 11, 5, 10)


def test_an_event_in_another_zone_is_edited_in_its_own_zone(event: Event, cast: Any) -> None:
    # Shown and typed as wall-clock time of the event's zone, not the server's Asia/Almaty.
    Event.objects.filter(pk=event.pk).update(time_zone="Europe/Warsaw")
    event.refresh_from_db()
    client = _client(cast, "en")
    form = _page(client, f"/events/{event.pk}/edit/", "en")
    # 10:00 in Almaty (UTC+6 until 2024) is 05:00 in Warsaw (UTC+1 in November).
    assert 'name="starts" value="2018-11-05 05:00"' in form
    page = _page(client, f"/events/{event.pk}/", "en")
    assert "5 Nov 2018, 05:00 – 06:00 (Europe/Warsaw)" in page
