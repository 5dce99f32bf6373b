"""A guardian consents by link, in a real Chromium.

An officer asks a minor's guardian for consents from the pupil's page; the e-mail arrives at
the test SMTP server; the guardian, with no account, opens its link in their own browser,
gives the consent to photos and media, and the pupil's record shows who gave it and how.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import ConsentChannel
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]
LINK = re.compile(r"https?://\S+/directory/consent/[\w-]+/")


def test_a_guardian_consents_by_link(
    cast: Cast, sign_in: SignIn, live_server: Any, smtp: Any, settings: Any, browser: Browser
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    guardian = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Saule", family_name="Bekova"
    )
    pupil = services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Aruzhan",
        family_name="Bekova",
        birth_date=date(2013, 4, 12),
        guardian=guardian,
    )

    # The officer asks the recorded guardian, whose address was missing, from the pupil's page.
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/people/{pupil.pk}/")
    page.get_by_role("link", name="Ask the guardian for consent by e-mail").click()
    form = page.locator("#consent-request-form")
    expect(form.get_by_label("Guardian:", exact=True)).to_have_value(re.compile("Saule Bekova"))
    form.get_by_label("Guardian's e-mail").fill("saule@parents.example")
    form.get_by_label("Photos and media").check()
    form.get_by_label("Publication of testimonial").uncheck()
    form.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("The request is sent to saule@parents.example.")).to_be_visible()
    expect(page.locator("#consent-requests + p + .table-wrap")).to_contain_text("pending")

    # The e-mail arrived; the guardian opens its link in a browser of their own.
    [message] = smtp.to("saule@parents.example")
    link = LINK.search(smtp.text(message))
    assert link is not None and link.group(0).startswith(live_server.url)
    guardian_context = browser.new_context()
    try:
        guardian_page = guardian_context.new_page()
        guardian_page.goto(link.group(0))
        expect(guardian_page.get_by_role("heading", level=1)).to_have_text("Consent for Aruzhan")
        section = guardian_page.locator("#consent-media")
        expect(section).to_contain_text("may be published on the programme's public pages")
        section.get_by_role("button", name="I consent: Photos and media").click()
        expect(guardian_page.get_by_text("Thank you: your answer is recorded.")).to_be_visible()
        expect(guardian_page.locator("#consent-media")).to_contain_text("Given on")
    finally:
        guardian_context.close()

    # The pupil's record shows the consent, given by the guardian through the link.
    page.reload()
    consents = page.locator("table").filter(has_text="Given by")
    row = consents.locator("tr", has_text="Photos and media")
    expect(row).to_contain_text("Saule Bekova")
    expect(row).to_contain_text("by the guardian through the consent link")
    consent = pupil.consents.get(kind="media")
    assert consent.given_via == ConsentChannel.LINK and consent.given_by == guardian
    assert consent.link_address == "127.0.0.1"
