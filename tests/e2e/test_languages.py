"""Browser journeys switched to Russian and Kazakh: the headings follow the chosen language.

The expected headings are read from the catalogues (gettext in the language) and must differ
from the English, so a heading left untranslated, or a switch that does not take, fails.
"""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def say(language: str, msgid: str) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    assert text != msgid, f"{msgid!r} is not translated into {language}"
    return text


def switch_to(page: Page, language: str) -> None:
    """Choose the language in the header's switcher (it submits itself)."""
    with page.expect_navigation():
        page.locator("#language-select").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.fixture
def demo(transactional_db: None) -> dict[str, Any]:
    from chancery.programmes.models import Certificate, Edition

    call_command("demo", stdout=StringIO())
    return {
        "edition": Edition.objects.filter(programme__kind="internship").order_by("pk").first(),
        "outreach": Edition.objects.filter(programme__kind="outreach").order_by("pk").first(),
        "certificate": Certificate.objects.order_by("pk").first(),
    }


def test_sign_in_and_the_directory_in_russian_then_kazakh(
    demo: dict[str, Any], page: Page, live_server: Any
) -> None:
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Sign in")
    switch_to(page, "ru")
    expect(page.locator("h1")).to_have_text(say("ru", "Sign in"))
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("chancery-demo")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{url}/")
    expect(page.locator("h1")).to_have_text(say("ru", "Dashboard"))

    # The directory search: the heading and the results in Russian, a Cyrillic query finding a
    # Latin-script record.
    page.goto(f"{url}/directory/people/?q=Суюнов")
    expect(page.locator("h1")).to_have_text(say("ru", "People"))
    expect(page.locator("main table tbody tr").first).to_contain_text("Суюнов")

    switch_to(page, "kk")
    expect(page.locator("h1")).to_have_text(say("kk", "People"))
    page.goto(f"{url}/")
    expect(page.locator("h1")).to_have_text(say("kk", "Dashboard"))
    # The choice is remembered with the account: a new page stays in Kazakh.
    page.goto(f"{url}/programmes/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")


def test_an_edition_page_in_kazakh(demo: dict[str, Any], page: Page, live_server: Any) -> None:
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill("chancery-demo")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{url}/")
    switch_to(page, "kk")
    page.goto(f"{url}/programmes/editions/{demo['edition'].pk}/")
    expect(page.locator("h2", has_text=say("kk", "Enrolments"))).to_be_visible()
    expect(page.locator("h2", has_text="Enrolments")).to_have_count(0)


def test_public_pages_in_russian_and_kazakh_for_an_anonymous_visitor(
    demo: dict[str, Any],
    page: Page,
    live_server: Any,
) -> None:
    url = live_server.url
    page.goto(f"{url}/events/editions/{demo['outreach'].pk}/public/")
    expect(page.locator("h2", has_text="Schools and their embassies")).to_be_visible()
    switch_to(page, "ru")
    expect(page.locator("h2", has_text=say("ru", "Schools and their embassies"))).to_be_visible()
    switch_to(page, "kk")
    expect(page.locator("h2", has_text=say("kk", "Schools and their embassies"))).to_be_visible()

    # A certificate's verification page, opened from its QR code, in the chosen language.
    page.goto(f"{url}/verify/{demo['certificate'].code}/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("h1")).to_have_text(say("kk", "Certificate verification"))
    switch_to(page, "ru")
    expect(page.locator("h1")).to_have_text(say("ru", "Certificate verification"))
