"""End-to-end journey of Jas Diplomat events, in a real Chromium.

A school coordinator registers a pupil (refused until the guardian's consent to data processing
is ticked); the paired embassy's liaison logs a lecture for their pairing and takes attendance
at the door, one tick per pupil; a visitor's public page shows the lecture and names only the
pupil whose guardian consented to photos and media.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.events.models import Attendance, Event
from chancery.events.tests.factories import make_outreach
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_lecture_from_pupil_registration_to_the_public_page(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    outreach = make_outreach(cast, PASSWORD)

    # The coordinator registers a pupil: refused without the guardian's data consent.
    page = sign_in("coordinator", PASSWORD)
    page.goto(f"{live_server.url}/events/pupils/new/")
    form = page.locator("#pupil-form")
    form.get_by_label("Pupil's given name").fill("Dana")
    form.get_by_label("Pupil's family name").fill("Omarova")
    form.get_by_label("Birth date").fill("2011-02-17")
    form.get_by_label("Guardian's given name").fill("Aigul")
    form.get_by_label("Guardian's family name").fill("Omarova")
    form.get_by_label("The guardian consents to photos and media").check()
    form.get_by_role("button", name="Register").click()
    expect(page.locator("#pupil-form")).to_contain_text(
        "consent to the processing of personal data"
    )
    page.locator("#pupil-form").get_by_label(
        "The guardian consents to the processing of personal data"
    ).check()
    page.locator("#pupil-form").get_by_role("button", name="Register").click()
    expect(page.get_by_text("Dana Omarova is registered.")).to_be_visible()
    _sign_out(page)

    # The liaison logs a lecture for their pairing.
    page = sign_in("liaison", PASSWORD)
    page.goto(f"{live_server.url}/events/new/")
    form = page.locator("#event-form")
    form.get_by_label("Kind").select_option(label="Lecture")
    form.get_by_label("Title (English)").fill("Poland in the European Union")
    form.get_by_label("Starts").fill("2018-11-05T10:00")
    form.get_by_label("Ends").fill("2018-11-05T11:30")
    form.get_by_label("Venue (English)").fill("School One, assembly hall")
    form.get_by_label("Pairings").select_option(label=str(outreach.pairing))
    form.get_by_label("Public").check()
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poland in the European Union")
    expect(page.locator("#event-when")).to_have_text("5 Nov 2018, 10:00 – 11:30 (Asia/Almaty)")
    event = Event.objects.get(title="Poland in the European Union")

    # Attendance at the door: search a name, tick.
    page.get_by_role("link", name="Take attendance").click()
    for name in ("Dana Omarova", "Timur Timurova"):
        page.get_by_label("Find a name").fill(name.split()[0])
        button = page.get_by_role("button", name=f"Tick {name} as present")
        button.click()
        expect(page.get_by_role("button", name=f"{name}: present; untick")).to_be_visible()
    assert set(
        Attendance.objects.filter(event=event, attended=True).values_list(
            "person__given_name", flat=True
        )
    ) == {"Dana", "Timur"}
    _sign_out(page)

    # A visitor sees the lecture, and only the pupil whose guardian consented to media.
    page.goto(f"{live_server.url}/events/editions/{outreach.edition.pk}/public/")
    expect(page.get_by_role("heading", name="Poland in the European Union")).to_be_visible()
    expect(page.locator("#taking-part")).to_contain_text("Dana Omarova")
    expect(page.get_by_text("Timur")).to_have_count(0)
