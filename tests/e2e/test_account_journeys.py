"""Account flows in a real Chromium: a participant resets a forgotten password through the link
that arrived at the test SMTP server; an officer sets up an authenticator app and signs in with
its code (computed with allauth's own TOTP functions)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page, expect

from chancery.accounts.models import User
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]
RESET_LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+/")
CHOSEN = "a fresh and unusual passphrase 77"


def _code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_participant_resets_a_forgotten_password(
    cast: Cast, page: Page, live_server: Any, smtp: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    User.objects.filter(pk=cast.pat.pk).update(email="pat@example.org")
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill("pat@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    [message] = smtp.to("pat@example.org")
    assert message["Subject"] == "[Chancery] Choose a new password"
    link = RESET_LINK.search(smtp.text(message))
    assert link is not None and link.group(0).startswith(base)
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password:", exact=True).fill(CHOSEN)
    page.get_by_label("New password (again):", exact=True).fill(CHOSEN)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")

    # The link is spent; the old password no longer opens the account, the new one does.
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("pat")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct")
    page.locator("#id_username").fill("pat@example.org")
    page.locator("#id_password").fill(CHOSEN)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator(".who")).to_have_text("pat")


def test_an_officer_sets_up_totp_and_signs_in_with_a_code(
    cast: Cast, page: Page, live_server: Any, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    # REQUIRE_2FA: the officer is sent to set up a second factor first, and allauth asks for
    # the password again before one is set up.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.locator("main img")).to_be_visible()  # the QR code
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from the app:", exact=True).fill("000000")
    page.get_by_role("button", name="Switch it on").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is not right.")
    page.get_by_label("Code from the app:", exact=True).fill(_code(secret))
    page.get_by_role("button", name="Switch it on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.locator("#recovery-codes").inner_text().split()
    assert len(codes) == 10
    page.get_by_role("link", name="Go on to Chancery").click()
    expect(page).to_have_url(f"{base}/")
    page.get_by_role("button", name="Sign out").click()

    # Signing in again asks for the app's code after the password.
    expect(page).to_have_url(f"{base}/accounts/login/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    page.get_by_label("Code from the app, or a recovery code").fill(_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator(".who")).to_have_text("alice")
