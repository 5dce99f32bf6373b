"""The header on a phone: the brand, the language and a Menu button in one line; the links and
the account's tools fold behind the button, which opens and closes them (Escape closes too).
On a wide screen there is no button and the links are in view."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")


def test_the_phone_header_folds_its_links_behind_a_menu_button(
    cast: Cast, page: Page, live_server: Any
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, base)
    page.goto(f"{base}/programmes/")
    header = page.locator("header.topbar")
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator("#language-select")).to_be_visible()  # the language stays in reach
    closed = header.bounding_box()
    assert closed is not None and closed["height"] < 80, closed
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Programmes", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(button).to_be_focused()

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="Programmes", exact=True)).to_be_visible()
    expect(page.locator("#language-select")).to_be_visible()
