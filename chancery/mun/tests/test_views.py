"""The Model UN pages through the test client: who may open what, the console's actions and
conflicts, the projector's secret link and its live updates."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chancery.mun import services
from chancery.mun.models import Session
from chancery.mun.tests.factories import Mun

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _session(mun: Mun) -> Session:
    session = services.open_session(committee=mun.committee, actor=mun.chair)
    for seat in (mun.poland, mun.japan):
        services.set_attendance(
            session_id=session.pk, seat_id=seat.pk, attendance="present", actor=mun.chair
        )
    session.refresh_from_db()
    return session


def test_the_conference_page_lists_delegations_and_committees(mun: Mun) -> None:
    page = _client(mun.officer).get(reverse("mun:conference", args=[mun.conference.pk]))
    assert page.status_code == 200
    assert b"Poland" in page.content and b"General Assembly" in page.content


def test_an_officer_creates_a_conference_and_bad_input_names_the_field(mun: Mun) -> None:
    client = _client(mun.officer)
    url = reverse("mun:conference_create")
    bad = client.post(
        url,
        {
            "edition": mun.outreach.edition.pk,
            "title": "Final",
            "day": "not a date",
            "theme": "Energy",
            "goal": 7,
        },
    )
    assert bad.status_code == 422 and b"Enter a valid date" in bad.content
    good = client.post(
        url,
        {
            "edition": mun.outreach.edition.pk,
            "title": "Second final",
            "day": "2019-05-01",
            "theme": "Water",
            "goal": 6,
        },
    )
    assert good.status_code == 302


def test_the_console_is_for_the_committees_chairs_only(mun: Mun) -> None:
    session = _session(mun)
    url = reverse("mun:console", args=[session.pk])
    assert _client(mun.chair).get(url).status_code == 200
    assert _client(mun.officer).get(url).status_code == 200
    assert _client(mun.outreach.coordinator).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_a_chair_action_refreshes_the_console_and_a_stale_one_is_a_conflict(mun: Mun) -> None:
    session = _session(mun)
    chair = _client(mun.chair)
    url = reverse("mun:act", args=[session.pk, "speaker-add"])
    seen = session.version
    done = chair.post(url, {"speaker": mun.poland.key, "version": seen}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and b"Poland" in done.content
    stale = _client(mun.officer).post(
        url, {"speaker": mun.japan.key, "version": seen}, HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    assert b"Another chair changed the session" in stale.content
    session.refresh_from_db()
    assert session.floor["queue"] == [mun.poland.key]


def test_a_refused_action_says_why_with_422(mun: Mun) -> None:
    session = _session(mun)
    url = reverse("mun:act", args=[session.pk, "speaking-time"])
    refused = _client(mun.chair).post(url, {"seconds": "soon"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and b"Give a whole number" in refused.content
    unknown = _client(mun.chair).post(reverse("mun:act", args=[session.pk, "explode"]))
    assert unknown.status_code == 404


def test_the_projector_needs_only_its_secret_link_and_polls_cheaply(mun: Mun) -> None:
    session = _session(mun)
    anonymous = Client()
    screen = anonymous.get(reverse("mun:projector", args=[session.projector_token]))
    assert screen.status_code == 200 and screen["X-Robots-Tag"] == "noindex"
    assert anonymous.get(reverse("mun:projector", args=["x" * 32])).status_code == 404
    live = reverse("mun:projector_live", args=[session.projector_token])
    assert anonymous.get(live, {"v": session.version}).status_code == 204
    services.add_speaker(
        session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
    )
    changed = anonymous.get(live, {"v": session.version})
    assert changed.status_code == 200 and b"Japan" in changed.content
    assert b"<form" not in changed.content  # read only


def test_the_minutes_page_reads_in_order(mun: Mun, cast: Any) -> None:
    session = _session(mun)
    services.close_session(session_id=session.pk, version=None, actor=mun.chair)
    page = _client(mun.officer).get(reverse("mun:minutes", args=[session.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("opened the session") < text.index("closed the session")
    embassy = _client(mun.outreach.other_liaison).get(reverse("mun:minutes", args=[session.pk]))
    assert embassy.status_code == 200  # its embassy takes part in the edition
    other_office = _client(cast.charlie).get(reverse("mun:minutes", args=[session.pk]))
    assert other_office.status_code == 404


def test_the_api_gives_a_sessions_live_state_to_those_who_see_the_conference(
    mun: Mun, cast: Any
) -> None:
    session = _session(mun)
    services.add_speaker(
        session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
    )
    state = _client(mun.officer).get(f"/api/mun/sessions/{session.pk}")
    assert state.status_code == 200
    body = state.json()
    assert body["speakers_list"] == ["Japan"] and body["quorum"] is True
    assert {seat["delegation"] for seat in body["seats"]} == {"Poland", "Japan"}
    assert _client(cast.charlie).get(f"/api/mun/sessions/{session.pk}").status_code == 404
    listed = _client(mun.officer).get("/api/mun/conferences").json()
    assert [c["title"] for c in listed["items"]] == ["Final meeting"]


def test_projectors_share_one_rendering_per_version_and_clocks_carry_their_deadline(
    mun: Mun,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = _session(mun)
    services.add_speaker(
        session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
    )
    services.next_speaker(session_id=session.pk, version=None, actor=mun.chair)
    session.refresh_from_db()
    live = reverse("mun:projector_live", args=[session.projector_token])
    first = Client().get(live, {"v": 0})
    assert first.status_code == 200 and b'data-deadline="1' in first.content
    with CaptureQueriesContext(connection) as queries_run:
        again = Client().get(live, {"v": 0})
    assert again.content == first.content
    assert len(queries_run) == 1  # the version; the rendering came from the cache
    services.pause_timer(session_id=session.pk, version=None, actor=mun.chair)
    paused = Client().get(live, {"v": session.version})
    assert paused.status_code == 200 and b'data-running="0"' in paused.content
