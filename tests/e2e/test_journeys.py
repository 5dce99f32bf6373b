"""End-to-end journeys through a real Chromium: sign in, search, create, switch language, access.

Each test builds its own records (the `cast` of the root conftest, plus what it needs) in a
transactional database that the live server shares.
"""

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import Organisation
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]
SCREENSHOTS = Path(os.environ.get("CHANCERY_SCREENSHOTS", tempfile.gettempdir()))
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def _mark_document(page: Page) -> None:
    """Tag the window: the tag survives an htmx swap, not a page load."""
    page.evaluate("window.__sameDocument = true")


def _same_document(page: Page) -> bool:
    return bool(page.evaluate("window.__sameDocument === true"))


def test_officer_signs_in_after_a_wrong_password(cast: Cast, page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".error-summary")).to_contain_text(
        "correct user name or e-mail address and password"
    )
    expect(page.get_by_role("heading", name="Dashboard")).to_have_count(0)

    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("header .who")).to_have_text("alice")


def test_people_search_updates_in_place_and_crosses_scripts(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Daniyar", family_name="Suyunov"
    )
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/people/")
    results = page.locator("#results")
    expect(results).to_contain_text("Quinn")
    expect(results).to_contain_text("Suyunov")

    _mark_document(page)
    with page.expect_response(
        lambda r: "/directory/people/" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("#q").fill("Quinn")
    expect(results).to_contain_text("Sample")
    expect(results).not_to_contain_text("Suyunov")
    expect(results).not_to_contain_text("Example")
    assert _same_document(page), "the search reloaded the page"
    expect(page).to_have_url(re.compile(r"[?&]q=Quinn"))  # hx-push-url keeps it shareable

    page.locator("#q").fill("Суюнов")
    expect(results.get_by_role("link", name=re.compile("Suyunov"))).to_be_visible()
    expect(results).not_to_contain_text("Sample")
    assert _same_document(page), "the search reloaded the page"


def test_back_to_a_search_shows_the_whole_page(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    """The search pushes its URL; Back from a person must not show the bare results fragment."""
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/people/")
    page.locator("#q").fill("Quinn")
    expect(page).to_have_url(re.compile(r"[?&]q=Quinn"))
    page.locator("#results").get_by_role("link", name="Quinn Sample").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quinn")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/directory/people/\?q=Quinn"))
    expect(page.locator("header.topbar")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.locator("#q")).to_have_value("Quinn")
    expect(page.locator("#results")).to_contain_text("Quinn Sample")


def test_organisation_form_shows_errors_in_place_then_creates(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    before = Organisation.objects.count()
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/organisations/new/")
    form = page.locator("#organisation-form")
    form.get_by_label("Kind").select_option("embassy")
    form.get_by_label("Website").fill("not a url")

    _mark_document(page)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="Save").click()
    assert posted.value.status == 422
    name_field = form.locator(".field", has=page.get_by_label("Name (English)"))
    website_field = form.locator(".field", has=page.get_by_label("Website"))
    expect(name_field.locator(".errorlist")).to_contain_text("This field is required")
    expect(website_field.locator(".errorlist")).to_contain_text("valid URL")
    expect(form.get_by_label("Website")).to_have_value("not a url")  # the input is kept
    assert _same_document(page), "the errors came with a page load, not in place"
    assert Organisation.objects.count() == before

    form.get_by_label("Name (English)").fill("Embassy of Testland")
    form.get_by_label("Website").fill("https://testland.example")
    form.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/directory/organisations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Embassy of Testland")
    created = Organisation.objects.get(name_en="Embassy of Testland")
    assert created.website == "https://testland.example"
    assert page.url == f"{live_server.url}/directory/organisations/{created.pk}/"
    assert Organisation.objects.count() == before + 1

    page.goto(f"{live_server.url}/directory/organisations/{created.pk}/history/")
    row = page.locator("tbody tr", has_text="created")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("alice")


def test_language_switch_from_the_header(cast: Cast, sign_in: SignIn, live_server: Any) -> None:
    page = sign_in("alice", PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.locator("select#language-select").select_option("ru")
    expect(page).to_have_url(f"{live_server.url}/")  # back where we were
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("select#language-select option:checked")).to_have_text("Русский")
    # Whatever the catalogue's wording, the heading is no longer English (`make pytest`
    # compiles the catalogues first; without their .mo files this fails).
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("Dashboard")
    expect(heading).to_have_text(CYRILLIC)

    page.goto(f"{live_server.url}/directory/people/")  # the choice persists
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    with page.expect_navigation():
        page.locator("select#language-select").select_option("kk")
    expect(page).to_have_url(f"{live_server.url}/directory/people/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("select#language-select option:checked")).to_have_text("Қазақша")


def test_participant_sees_only_their_own_record(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    page = sign_in("pat", PASSWORD)

    response = page.goto(f"{live_server.url}/directory/people/{cast.quinn_person.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("main")).not_to_contain_text("Quinn")

    response = page.goto(f"{live_server.url}/directory/people/{cast.pat_person.pk}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pat")


def test_screenshots_and_no_sideways_scroll(cast: Cast, sign_in: SignIn, live_server: Any) -> None:
    """Screenshots for a human to look at; the test checks what it can: nothing scrolls sideways."""
    page = sign_in("alice", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/directory/people/")
    page.screenshot(path=SCREENSHOTS / "people-phone.png", full_page=True)
    header = page.locator("header.topbar")
    assert header.evaluate("el => el.scrollWidth <= el.clientWidth"), "the header overflows"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the people list scrolls sideways on a phone"
    )
