"""A supervisor and a participant sign in on a phone and land on their own home page."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.site.tests.home_world import make_world
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_on_a_phone(page: Page, url: str, username: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/")


def _sign_out_on_a_phone(page: Page) -> None:
    """On a phone, Sign out is in the header's menu, behind its button."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the home page scrolls sideways at 390 px"
    )


def test_a_supervisor_and_a_participant_land_on_their_home_pages(
    cast: Cast, page: Page, live_server: Any
) -> None:
    world = make_world(cast, PASSWORD)
    url = live_server.url

    _sign_in_on_a_phone(page, url, "sam")
    interns = page.locator("#home-supervisor")
    expect(interns.get_by_role("heading", level=2)).to_have_text("Your interns")
    expect(interns.locator("#interns tbody tr")).to_have_count(2)
    expect(interns.get_by_role("link", name="Overdue: evaluate")).to_be_visible()
    _no_sideways_scroll(page)
    _sign_out_on_a_phone(page)

    _sign_in_on_a_phone(page, url, "pat")
    mine = page.locator("#home-participant")
    expect(mine.locator(f"#enrolment-{world.pat_enrolment.pk}")).to_contain_text("Sam Supervisor")
    expect(mine.locator("article")).to_have_count(1)
    expect(page.locator("#home-supervisor")).to_have_count(0)
    _no_sideways_scroll(page)
    mine.get_by_role("link", name="Upload your final report").click()
    expect(page).to_have_url(f"{url}/programmes/enrolments/{world.pat_enrolment.pk}/#report")
