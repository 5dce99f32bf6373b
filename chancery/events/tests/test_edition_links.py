"""The edition's events report, public page and calendar feed are linked from the events
list (#16), each for those it lets in (the edition page links them too:
programmes/tests/test_outreach_edition.py)."""

import re
from typing import Any

from chancery.core.actors import SYSTEM
from chancery.events.tests.factories import Outreach
from chancery.programmes import services as programmes

FEED = "Add the events to your calendar (iCalendar)"


def _links(page: str) -> dict[str, str]:
    section = re.search(r'id="edition-links">(.*?)</p>', page, re.S)
    return (
        {label: url for url, label in re.findall(r'href="([^"]+)">([^<]+)</a>', section.group(1))}
        if section
        else {}
    )


def test_the_events_list_links_the_editions_report_public_page_and_feed(
    outreach: Outreach, cast: Any
) -> None:
    pk = outreach.edition.pk
    office = _links(
        cast.client_for(cast.alice)
        .get("/events/", {"edition": pk, "view": "list"})
        .content.decode()
    )
    assert office == {
        "Events report": f"/events/editions/{pk}/report/",
        "Public page": f"/events/editions/{pk}/public/",
        FEED: f"/events/editions/{pk}/calendar.ics",
    }
    # A school's only season needs no choosing; its report is not the school's to read.
    school = _links(cast.client_for(outreach.coordinator).get("/events/").content.decode())
    assert school == {k: v for k, v in office.items() if k != "Events report"}
    for user, links in ((cast.alice, office), (outreach.coordinator, school)):
        client = cast.client_for(user)
        for url in links.values():
            assert client.get(url).status_code == 200, (user, url)
    # With two seasons and none chosen, the list does not guess which.
    programmes.create_edition(
        actor=SYSTEM, programme=outreach.edition.programme, name="JD 2019", year=2019
    )
    assert _links(cast.client_for(cast.alice).get("/events/").content.decode()) == {}
