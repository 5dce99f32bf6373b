"""The design system in a browser: a failed form's error summary takes the focus and its links
lead to the fields; the officer's header groups its links behind a few buttons on a wide
screen (opened, closed by Escape or a click elsewhere) and lists them all in the phone's Menu;
a destructive action asks on a confirmation page before it acts."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(
    cast: Cast, sign_in: Callable[[str, str], Page], live_server: Any
) -> None:
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/organisations/new/")
    page.locator("main form").get_by_role("button").last.click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    assert target and target.startswith("#id_")
    link.click()
    expect(page.locator(target)).to_be_focused()


def test_the_officer_header_groups_its_links(
    cast: Cast, sign_in: Callable[[str, str], Page], live_server: Any
) -> None:
    page = sign_in("alice", PASSWORD)
    page.set_viewport_size(WIDE)
    links = page.get_by_role("navigation", name="Main").bounding_box()
    assert links is not None and links["height"] < 50, links  # the links in one row, not three
    directory = page.get_by_role("button", name="Directory")
    expect(directory).to_have_attribute("aria-expanded", "false")
    people = page.get_by_role("link", name="People", exact=True)
    expect(people).to_be_hidden()
    directory.click()
    expect(directory).to_have_attribute("aria-expanded", "true")
    expect(people).to_be_visible()
    page.get_by_role("button", name="Reports and tools").click()  # one group open at a time
    expect(people).to_be_hidden()
    expect(page.get_by_role("link", name="Reports", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Reports", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Reports and tools")).to_be_focused()
    directory.click()
    page.mouse.click(1200, 760)  # a click elsewhere (not under the open list) closes it
    expect(people).to_be_hidden()
    directory.click()
    people.click()
    expect(page).to_have_url(f"{live_server.url}/directory/people/")

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="People", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Reports", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_participant_sees_a_short_header_without_groups(
    cast: Cast, sign_in: Callable[[str, str], Page], live_server: Any
) -> None:
    page = sign_in("pat", PASSWORD)
    page.set_viewport_size(WIDE)
    expect(page.locator(".menu-group")).to_have_count(0)
    expect(page.get_by_role("link", name="Programmes", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Accounts", exact=True)).to_have_count(0)


def test_a_destructive_action_asks_first(
    cast: Cast, sign_in: Callable[[str, str], Page], live_server: Any
) -> None:
    from chancery.directory.models import Person

    person = Person.objects.create(given_name="Dana", family_name="Short", owner=cast.academy)
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/people/{person.pk}/")
    page.get_by_role("button", name="Delete this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete the record of Dana Short?")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(f"{live_server.url}/directory/people/{person.pk}/")
    assert Person.objects.filter(pk=person.pk).exists()
    page.get_by_role("button", name="Delete this record").click()
    page.locator("#confirm-step").get_by_role("button", name="Delete this record").click()
    expect(page).to_have_url(f"{live_server.url}/directory/people/")
    assert not Person.objects.filter(pk=person.pk).exists()
