"""Who sees which events, the calendar, the pages, the report and the API."""

import csv
import io
import json
import re
from typing import Any

from django.test import Client

from chancery.accounts.models import User
from chancery.core.actors import SYSTEM
from chancery.events import ical, queries, services
from chancery.events.models import Attendance, Event
from chancery.events.tests.factories import Outreach, almaty
from chancery.programmes.models import Edition


def _event(
    outreach: Outreach, pairing: Any, title: str, kind: str = "lecture", day: int = 5
) -> Event:
    return services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind=kind,
        title=title,
        public=True,
        starts_at=almaty(2018, 11, day, 10),
        ends_at=almaty(2018, 11, day, 11),
        pairings=[pairing] if pairing else [],
    )


def test_each_role_sees_only_the_events_it_should(outreach: Outreach, cast: Any) -> None:
    ours = _event(outreach, outreach.pairing, "Ours")
    theirs = _event(outreach, outreach.other_pairing, "Theirs")
    edition_wide = _event(outreach, None, "Launch", kind="ceremony")
    visible = {
        user: set(queries.events_visible_to(user))
        for user in (
            cast.alice,
            cast.bob,
            cast.charlie,
            cast.pat,
            outreach.coordinator,
            outreach.liaison,
            outreach.other_liaison,
        )
    }
    assert visible[cast.alice] == visible[cast.bob] == {ours, theirs, edition_wide}
    assert visible[cast.charlie] == visible[cast.pat] == set()
    # Their pairing's events and the whole edition's (a launch, the Model UN final), which
    # every school and embassy of the season is invited to.
    assert visible[outreach.coordinator] == visible[outreach.liaison] == {ours, edition_wide}
    assert visible[outreach.other_liaison] == {theirs, edition_wide}
    client = cast.client_for(outreach.coordinator)
    assert client.get(f"/events/{theirs.pk}/").status_code == 404
    assert client.get(f"/events/{ours.pk}/").status_code == 200
    assert cast.client_for(cast.pat).get("/events/").status_code == 403


def test_the_calendar_places_an_event_on_its_local_day_and_filters_by_kind(
    outreach: Outreach, cast: Any
) -> None:
    services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="concert",
        title="Midnight concert",
        pairings=[outreach.pairing],
        starts_at=almaty(2018, 11, 1, 2),
        ends_at=almaty(2018, 11, 1, 4),
    )
    _event(outreach, outreach.pairing, "A lecture")
    grid = queries.month_grid(Event.objects.all(), 2018, 11)
    days = {day.day.isoformat(): [e.title for e in day.events] for week in grid for day in week}
    assert days["2018-11-01"] == ["Midnight concert"]
    assert days["2018-10-31"] == []
    client = cast.client_for(cast.alice)
    page = client.get("/events/", {"month": "2018-11", "kind": "concert"}).content.decode()
    assert "Midnight concert" in page and "A lecture" not in page
    listing = client.get("/events/", {"view": "list", "pairing": outreach.pairing.pk})
    assert "1 Nov 2018, 02:00" in listing.content.decode()


def test_a_liaison_logs_a_lecture_through_the_form_in_almaty_time(
    outreach: Outreach, cast: Any
) -> None:
    client = cast.client_for(outreach.liaison)
    form = {
        "edition": outreach.edition.pk,
        "kind": "lecture",
        "title": "Night sky over Kraków",
        "starts": "2018-11-01T02:00",
        "ends": "2018-11-01T03:00",
        "time_zone": "Asia/Almaty",
        "pairings": [outreach.pairing.pk],
        "public": "on",
    }
    response = client.post("/events/new/", form)
    event = Event.objects.get(title="Night sky over Kraków")
    assert response.status_code == 302
    assert event.starts_at.isoformat() == "2018-10-31T20:00:00+00:00"
    bad = client.post(
        "/events/new/",
        {**form, "pairings": [outreach.other_pairing.pk]},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    assert "Select a valid choice" in bad.content.decode()
    backwards = client.post(
        "/events/new/", {**form, "ends": "2018-11-01T01:00"}, headers={"HX-Request": "true"}
    )
    assert backwards.status_code == 422 and "end after it starts" in backwards.content.decode()


def test_a_tick_at_the_door_is_one_htmx_post(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach, outreach.pairing, "Ours")
    client = cast.client_for(outreach.coordinator)
    found = client.get(
        f"/events/{event.pk}/attendance/", {"q": "aruzh"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Aruzhan Aruzhanova" in found and "Timur" not in found
    row = client.post(
        f"/events/{event.pk}/attendance/{outreach.pupil.pk}/",
        {"attended": "1"},
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200 and 'aria-pressed="true"' in row.content.decode()
    assert Attendance.objects.get(event=event, person=outreach.pupil).attended


def test_the_coordinator_registers_a_pupil_on_the_page(outreach: Outreach, cast: Any) -> None:
    client = cast.client_for(outreach.coordinator)
    form = {
        "edition": outreach.edition.pk,
        "school": outreach.school.pk,
        "given_name": "Dana",
        "family_name": "Omarova",
        "birth_date": "2011-02-17",
        "guardian_given_name": "Aigul",
        "guardian_family_name": "Omarova",
    }
    refused = client.post("/events/pupils/new/", form)
    assert refused.status_code == 422
    assert "consent to the processing of personal data" in refused.content.decode()
    accepted = client.post("/events/pupils/new/", {**form, "consent_data": "on"})
    assert accepted.status_code == 302


def test_the_edition_report_counts_and_exports(outreach: Outreach, cast: Any) -> None:
    lecture = _event(outreach, outreach.pairing, "Ours", day=5)
    _event(outreach, outreach.other_pairing, "Theirs", kind="concert", day=20)
    for pupil in (outreach.pupil, outreach.shy_pupil):
        services.record_attendance(actor=SYSTEM, event=lecture, person=pupil)
    lecture.speakers.add(outreach.diplomat)
    report = queries.edition_report(outreach.edition)
    assert (report.events, report.attended, report.pupils_reached, report.diplomats_reached) == (
        2,
        2,
        2,
        1,
    )
    assert dict(report.by_kind) == {"Lecture": 1, "Concert": 1}
    assert report.timeline == [("2018-11", 2)]
    assert [(r.label, r.events, r.attended) for r in report.by_school] == [
        ("School One", 1, 2),
        ("School Two", 1, 0),
    ]
    weekly = queries.edition_report(outreach.edition, per="week")
    assert weekly.timeline == [("2018-W45", 1), ("2018-W47", 1)]
    client = cast.client_for(cast.bob)
    page = client.get(f"/events/editions/{outreach.edition.pk}/report/").content.decode()
    assert "<svg" in page and 'id="pupils-reached">2<' in page
    exported = client.get(f"/events/editions/{outreach.edition.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert ["total", "pupils reached", "2"] in rows
    xlsx = client.get(f"/events/editions/{outreach.edition.pk}/report.xlsx")
    assert xlsx.content.startswith(b"PK")
    assert (
        cast.client_for(outreach.coordinator)
        .get(f"/events/editions/{outreach.edition.pk}/report/")
        .status_code
        == 403
    )


def test_the_api_creates_patches_and_ticks_within_the_liaisons_pairing(
    outreach: Outreach, cast: Any
) -> None:
    client = cast.client_for(outreach.liaison)
    body = {
        "edition": outreach.edition.pk,
        "kind": "lecture",
        "title": "By API",
        "starts_at": "2018-11-01T02:00:00",
        "ends_at": "2018-11-01T03:00:00",
        "pairings": [outreach.pairing.pk],
    }
    created = client.post("/api/events", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["starts_at"].startswith("2018-10-31T20:00") and data["hashtag"] == "#jasdiplomat"
    refused = client.post(
        "/api/events",
        json.dumps({**body, "pairings": [outreach.other_pairing.pk]}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    patched = client.patch(
        f"/api/events/{data['id']}",
        json.dumps({"title": "Renamed"}),
        content_type="application/json",
    )
    assert patched.json()["title"] == "Renamed"
    ticked = client.post(
        f"/api/events/{data['id']}/attendance",
        json.dumps({"person": outreach.pupil.pk}),
        content_type="application/json",
    )
    assert ticked.status_code == 200 and ticked.json()["attended"] is True
    assert client.get("/api/events").json()["count"] == 1
    other = cast.client_for(outreach.other_liaison)
    assert other.get(f"/api/events/{data['id']}").status_code == 404


def test_the_demo_season_runs_from_the_launch_to_the_model_un(demo: None) -> None:
    edition = Edition.objects.get(name="Jas Diplomat 2018")
    events = list(edition.events.order_by("starts_at"))
    assert len(events) == 23
    assert (events[0].kind, events[0].starts_local.date().isoformat()) == ("ceremony", "2018-10-26")
    assert (events[-1].kind, events[-1].starts_local.date().isoformat()) == (
        "model_un",
        "2018-12-14",
    )
    assert {event.hashtag for event in events} == {"#jasdiplomat"}
    liaison = User.objects.get(username="liaison")
    lecture = queries.events_visible_to(liaison).get(kind="lecture")
    assert lecture.speakers.get().family_name == "Nowak"
    page = Client().get(f"/events/editions/{edition.pk}/public/").content.decode()
    assert "Aruzhan Bekova" in page and "Zhaksylykov" not in page
    report = queries.edition_report(edition)
    assert report.pupils_reached == 3


PERSONAL_FEED = re.compile(r'href="/events/calendar/(?!mine\.ics)([^"]+)\.ics"')


def test_the_list_offers_its_calendar_feed_to_a_user_with_a_person_record(
    outreach: Outreach, cast: Any
) -> None:
    page = cast.client_for(outreach.liaison).get("/events/").content.decode()
    found = PERSONAL_FEED.search(page)
    assert found and ical.person_from_token(found.group(1)) == outreach.diplomat
    # the school's coordinator has an account but no person record: no feed of their own
    page = cast.client_for(outreach.coordinator).get("/events/").content.decode()
    assert not PERSONAL_FEED.search(page)
