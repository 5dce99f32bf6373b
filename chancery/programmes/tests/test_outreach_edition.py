"""An outreach edition's page (#16): it counts what the season has (its pupils take part
through their schools, never through enrolments), offers the pairing draw only until the
edition is paired, prints no empty application dates, and links its events' pages."""

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from chancery.core.actors import SYSTEM
from chancery.draws import services as draws
from chancery.events import services as events
from chancery.events.tests.factories import Outreach, almaty, make_outreach
from chancery.programmes import services
from conftest import PASSWORD

CONDUCTED = datetime(2030, 1, 2, 9, tzinfo=UTC)  # the day the dice's values are known


@pytest.fixture
def outreach(cast: Any) -> Outreach:
    return make_outreach(cast, PASSWORD)


FEED = "Add the events to your calendar (iCalendar)"


def _page(client: Client, outreach: Outreach) -> str:
    response = client.get(f"/programmes/editions/{outreach.edition.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _links(page: str) -> dict[str, str]:
    section = re.search(r'id="season-links">(.*?)</p>', page, re.S)
    assert section, "no links to the edition's events pages"
    return {
        label: url.replace("&amp;", "&")
        for url, label in re.findall(r'href="([^"]+)">([^<]+)</a>', section.group(1))
    }


def test_the_page_counts_the_seasons_schools_embassies_events_and_pupils(
    outreach: Outreach, cast: Any
) -> None:
    lecture = events.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Poland today",
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
    )
    events.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="model_un",
        title="The final",
        starts_at=almaty(2030, 12, 14, 10),
        ends_at=almaty(2030, 12, 14, 16),
    )
    for pupil in (outreach.pupil, outreach.shy_pupil):
        events.record_attendance(actor=SYSTEM, event=lecture, person=pupil)
    page = _page(cast.client_for(cast.alice), outreach)
    assert 'id="season-schools">2<' in page and 'id="season-embassies">2<' in page
    assert 'id="season-events">2 (held: 1)<' in page
    assert 'id="season-pupils">2<' in page
    # No enrolments: no empty "Enrolments: nobody yet", no enrolling, no selection draw.
    assert "Nobody yet." not in page and "<h2>Enrolments</h2>" not in page
    assert "Enrol a person" not in page and "Prepare a selection draw" not in page
    # No application dates: a sentence instead of "… – …".
    assert "… – …" not in page
    assert 'id="no-applications">None: pupils take part through their schools.<' in page


def test_an_internships_edition_without_application_dates_prints_none(cast: Any) -> None:
    programme = services.create_programme(
        actor=SYSTEM, owner=cast.academy, kind="internship", name_en="Interns"
    )
    edition = services.create_edition(actor=SYSTEM, programme=programme, name="2026", year=2026)
    page = cast.client_for(cast.alice).get(f"/programmes/editions/{edition.pk}/")
    text = page.content.decode()
    assert "<h2>Enrolments</h2>" in text and "<dt>Applications</dt>" not in text
    assert "… – …" not in text and 'id="season"' not in text


def test_once_paired_the_page_shows_the_draw_instead_of_offering_it_again(
    outreach: Outreach, cast: Any
) -> None:
    client = cast.client_for(cast.alice)
    paired_by = outreach.pairing.draw
    page = _page(client, outreach)
    assert f'<a id="paired-by" href="/draws/{paired_by.pk}/">Paired by draw #{paired_by.pk}' in page
    assert "Prepare a pairing draw" not in page
    assert "Create the pairings from this draw" not in page
    # A conducted re-draw of it is the one thing left to apply: it replaces the pairings.
    redraw = draws.order_redraw(actor=cast.alice, draw=paired_by, reason="A school left")
    page = _page(client, outreach)
    assert f"#{redraw.pk}</a> Draft" in page and "Prepare a pairing draw" not in page
    redraw = draws.update_draw(
        actor=cast.alice,
        draw=redraw,
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-02"}],
    )
    redraw = draws.announce_draw(actor=cast.alice, draw=redraw, on=date(2030, 1, 1))
    draws.conduct_draw(actor=cast.alice, draw=redraw, values=["4"], at=CONDUCTED)
    page = _page(client, outreach)
    assert "Replace the pairings with this re-draw" in page
    assert "Create the pairings from this draw" not in page
    assert (
        client.post(
            f"/programmes/editions/{outreach.edition.pk}/pairing-draw/apply/",
            {"draw": str(redraw.pk)},
        ).status_code
        == 302
    )
    page = _page(client, outreach)
    assert f"Paired by draw #{redraw.pk}<" in page
    assert "Replace the pairings" not in page and "Create the pairings" not in page


def test_before_the_pairings_the_page_offers_the_draw_and_its_result(
    outreach: Outreach, cast: Any
) -> None:
    edition = services.create_edition(
        actor=SYSTEM, programme=outreach.edition.programme, name="JD 2019", year=2019
    )
    for organisation, role in ((outreach.school, "school"), (outreach.embassy, "embassy")):
        services.add_participation(
            actor=SYSTEM, edition=edition, organisation=organisation, role=role
        )
    client = cast.client_for(cast.alice)
    page = client.get(f"/programmes/editions/{edition.pk}/").content.decode()
    assert "Prepare a pairing draw" in page and 'id="paired-by"' not in page
    draw = services.prepare_pairing_draw(actor=cast.alice, edition=edition)
    draw = draws.update_draw(
        actor=cast.alice,
        draw=draw,
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-02"}],
    )
    draw = draws.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    draws.conduct_draw(actor=cast.alice, draw=draw, values=["2"], at=CONDUCTED)
    page = client.get(f"/programmes/editions/{edition.pk}/").content.decode()
    assert "Create the pairings from this draw" in page


def test_the_page_links_the_events_pages_each_to_those_it_lets_in(
    outreach: Outreach, cast: Any
) -> None:
    pk = outreach.edition.pk
    office = _links(_page(cast.client_for(cast.alice), outreach))
    assert office == {
        "The edition&#x27;s events": f"/events/?edition={pk}&view=list",
        "Events report": f"/events/editions/{pk}/report/",
        "Public page": f"/events/editions/{pk}/public/",
        FEED: f"/events/editions/{pk}/calendar.ics",
    }
    assert _links(_page(cast.client_for(cast.bob), outreach)) == office
    school = _links(_page(cast.client_for(outreach.coordinator), outreach))
    assert "Events report" not in school and set(school) == set(office) - {"Events report"}
    for user, links in (
        (cast.alice, office),
        (cast.bob, office),
        (outreach.coordinator, school),
        (outreach.liaison, school),
    ):
        client = cast.client_for(user)
        for url in links.values():
            assert client.get(url).status_code == 200, (user, url)
    # The one its link is hidden from refuses them: a link and its page agree.
    assert cast.client_for(outreach.coordinator).get(office["Events report"]).status_code == 403
