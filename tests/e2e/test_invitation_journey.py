"""Invitations, in a real Chromium: an officer invites a host supervisor and a participant from
their pages; each opens the link that arrived at the test SMTP server in a browser of their
own, chooses a password and lands signed in as themselves on their home page."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from chancery.accounts.models import Role, RoleAssignment, User
from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import AffiliationRole
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]
LINK = re.compile(r"https?://\S+/accounts/invitation/[\w-]+/")
CHOSEN = "a long and unusual passphrase 41"


def _invite(
    page: Page, base: str, person_id: int, role: str, organisation: str, email: str
) -> None:
    page.goto(f"{base}/directory/people/{person_id}/")
    page.get_by_role("link", name="Invite to an account").click()
    expect(page.get_by_label("E-mail:", exact=True)).to_have_value(email)
    page.get_by_label("Role:", exact=True).select_option(label=role)
    page.get_by_label("Organisation:", exact=True).select_option(label=organisation)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"The invitation is sent to {email}.")).to_be_visible()


def _accept(browser: Browser, smtp: Any, base: str, email: str, name: str) -> None:
    [message] = smtp.to(email)
    link = LINK.search(smtp.text(message))
    assert link is not None and link.group(0).startswith(base)
    assert link.group(0) in smtp.html(message)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(link.group(0))
        expect(page.get_by_role("heading", level=1)).to_have_text("Open your account")
        page.get_by_label("Password:", exact=True).fill(CHOSEN)
        page.get_by_label("Password again:", exact=True).fill(CHOSEN)
        page.get_by_role("button", name="Open my account").click()
        expect(page).to_have_url(f"{base}/")
        # Signed in as themselves, on the home page. The role home pages are another part of
        # issue 14; what is asserted here is what every home page has: the welcome naming the
        # person and the account in the header.
        expect(page.get_by_text(f"Welcome, {name}: your account is open.")).to_be_visible()
        expect(page.locator(".who")).to_have_text(email)
        page.goto(f"{base}/accounts/profile/")
        expect(page.get_by_role("link", name=name)).to_be_visible()
        # The link is used: opening it again says so and opens nothing.
        page.goto(link.group(0))
        expect(page.locator("#invitation-state")).to_contain_text("already been used")
    finally:
        context.close()


def test_an_officer_invites_a_supervisor_and_a_participant(
    cast: Cast, sign_in: SignIn, live_server: Any, smtp: Any, settings: Any, browser: Browser
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    base = live_server.url
    sara = services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Sara",
        family_name="Supervisova",
        email="sara@example.org",
    )
    services.add_affiliation(
        actor=SYSTEM, person=sara, organisation=cast.department, role=AffiliationRole.SUPERVISOR
    )
    nora = services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Nora",
        family_name="Newcomer",
        email="nora@example.org",
    )

    page = sign_in("alice", PASSWORD)
    _invite(page, base, sara.pk, "Host supervisor", "Test Department", "sara@example.org")
    _invite(page, base, nora.pk, "Participant", "Test Academy", "nora@example.org")
    page.goto(f"{base}/accounts/people/")
    expect(page.locator("#invitations")).to_contain_text("sara@example.org")
    expect(page.locator("#invitations")).to_contain_text("nora@example.org")

    _accept(browser, smtp, base, "sara@example.org", "Sara Supervisova")
    _accept(browser, smtp, base, "nora@example.org", "Nora Newcomer")

    assert RoleAssignment.objects.get(user__person=sara).role == Role.SUPERVISOR
    assert RoleAssignment.objects.get(user__person=nora).organisation == cast.academy
    assert User.objects.get(person=nora).email == "nora@example.org"
    page.reload()
    expect(page.locator("#invitations")).to_contain_text("No invitations waiting.")
    expect(page.locator("#accounts")).to_contain_text("Sara Supervisova")
