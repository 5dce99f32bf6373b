"""One rule for refusals on the events pages (#16): 403 for an event or an edition the user
may see but whose page is not theirs (the season final's editing, another office's report of
a public edition), 404 for one they cannot see."""

from typing import Any

from chancery.core.actors import SYSTEM
from chancery.events import services
from chancery.events.models import Event
from chancery.events.tests.factories import Outreach, almaty
from chancery.programmes import services as programmes


def _final(outreach: Outreach) -> Event:
    """The whole season's Model UN final: no pairing, every school and embassy invited."""
    return services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="model_un",
        title="The Model UN final",
        starts_at=almaty(2018, 12, 14, 10),
        ends_at=almaty(2018, 12, 14, 16),
    )


def test_the_season_final_is_read_only_for_its_schools_and_embassies(
    outreach: Outreach, cast: Any
) -> None:
    final = _final(outreach)
    theirs = services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Theirs",
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.other_pairing],
    )
    pages = ("edit", "attendance", "attendance/import")
    for user in (outreach.coordinator, outreach.liaison):
        client = cast.client_for(user)
        page = client.get(f"/events/{final.pk}/")
        assert page.status_code == 200
        assert f"/events/{final.pk}/edit/" not in page.content.decode()
        for name in pages:
            # They see the final, so its editing is refused as not theirs: 403, not 404.
            assert client.get(f"/events/{final.pk}/{name}/").status_code == 403, (user, name)
        assert client.post(f"/events/{final.pk}/attendance/{outreach.pupil.pk}/").status_code == 403
        # Another pairing's event is not theirs to see at all: 404, as for no event.
        assert client.get(f"/events/{theirs.pk}/").status_code == 404
        for name in pages:
            assert client.get(f"/events/{theirs.pk}/{name}/").status_code == 404, (user, name)
    # The viewer's role writes no events: 403 from the page's mark.
    assert cast.client_for(cast.bob).get(f"/events/{final.pk}/edit/").status_code == 403
    assert cast.client_for(cast.alice).get(f"/events/{final.pk}/edit/").status_code == 200


def test_the_report_of_a_public_edition_is_403_to_another_office_404_when_none(
    outreach: Outreach, cast: Any
) -> None:
    url = f"/events/editions/{outreach.edition.pk}/report/"
    assert cast.client_for(cast.bob).get(url).status_code == 200
    # Every outreach edition has a public page: another office's officer knows it exists.
    assert (
        cast.client_for(cast.charlie)
        .get(f"/events/editions/{outreach.edition.pk}/public/")
        .status_code
        == 200
    )
    assert cast.client_for(cast.charlie).get(url).status_code == 403
    assert (
        cast.client_for(cast.charlie)
        .get(f"/events/editions/{outreach.edition.pk}/report.csv")
        .status_code
        == 403
    )
    assert cast.client_for(outreach.coordinator).get(url).status_code == 403
    internship = programmes.create_programme(
        actor=SYSTEM, owner=cast.academy, kind="internship", name_en="Interns"
    )
    edition = programmes.create_edition(actor=SYSTEM, programme=internship, name="2026", year=2026)
    assert (
        cast.client_for(cast.bob).get(f"/events/editions/{edition.pk}/report/").status_code == 404
    )
    assert cast.client_for(cast.bob).get("/events/editions/999999/report/").status_code == 404
