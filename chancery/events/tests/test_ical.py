"""iCalendar feeds, parsed back with icalendar, on both sides of Almaty's 2024 change of offset.

Asia/Almaty was UTC+6 until 1 March 2024 and is UTC+5 since: 02:00 on 1 November is 20:00 UTC
on 31 October in 2018 and 21:00 UTC in 2025.
"""

from datetime import UTC, datetime
from typing import Any

from django.test import Client
from icalendar import Calendar

from chancery.core.actors import SYSTEM
from chancery.events import ical, services
from chancery.events.models import Event
from chancery.events.tests.factories import Outreach, almaty


def _event(
    outreach: Outreach, year: int, public: bool = True, title: str = "Night lecture"
) -> Event:
    return services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title=title,
        public=public,
        starts_at=almaty(year, 11, 1, 2),
        ends_at=almaty(year, 11, 1, 3),
        pairings=[outreach.pairing],
        venue="School One",
    )


def _parsed(body: bytes) -> dict[str, Any]:
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_edition_feed_has_the_public_events_at_the_right_utc_times(outreach: Outreach) -> None:
    _event(outreach, 2018, title="Before the change")
    _event(outreach, 2025, title="After the change")
    _event(outreach, 2018, public=False, title="Private")
    response = Client().get(f"/events/editions/{outreach.edition.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _parsed(response.content)
    assert set(events) == {"Before the change", "After the change"}
    before = events["Before the change"].decoded("DTSTART")
    after = events["After the change"].decoded("DTSTART")
    assert before.astimezone(UTC) == datetime(2018, 10, 31, 20, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2025, 10, 31, 21, 0, tzinfo=UTC)
    assert (before.hour, before.day, after.hour, after.day) == (2, 1, 2, 1)
    assert str(events["Before the change"]["LOCATION"]) == "School One"
    assert b"TZID=Asia/Almaty" in response.content
    assert b"BEGIN:VTIMEZONE" in response.content


def test_the_stored_time_is_utc_and_shown_in_the_events_zone(outreach: Outreach) -> None:
    event = _event(outreach, 2018)
    event.refresh_from_db()
    assert event.starts_at == datetime(2018, 10, 31, 20, 0, tzinfo=UTC)
    assert event.starts_local == datetime(2018, 11, 1, 2, 0)


def test_a_persons_feed_needs_their_secret_token(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach, 2018, public=False, title="Private lecture")
    services.record_attendance(actor=SYSTEM, event=event, person=outreach.pupil)
    _event(outreach, 2018, title="Not theirs")
    token = ical.person_token(outreach.pupil)
    response = Client().get(f"/events/calendar/{token}.ics")
    assert response.status_code == 200
    assert set(_parsed(response.content)) == {"Private lecture"}
    assert Client().get(f"/events/calendar/{token}x.ics").status_code == 404
    assert Client().get(f"/events/calendar/{outreach.pupil.pk}.ics").status_code == 404


def test_a_signed_in_speaker_gets_their_own_feed(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach, 2018, title="Her lecture")
    event.speakers.add(outreach.diplomat)
    response = cast.client_for(outreach.liaison).get("/events/calendar/mine.ics")
    assert set(_parsed(response.content)) == {"Her lecture"}
