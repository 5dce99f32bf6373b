"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

# Playwright's sync API runs an event loop in the test's thread; Django's ORM refuses to run
# in a thread with a running loop unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Nothing here may wait long: a missing element fails the test in seconds, not half a minute.
expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system Chromium (never a downloaded one), headless, as root."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS,
            "headless": True}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """The live server. Also replaces pytest-playwright's own `base_url`, a fixture defined as
    a method of a plugin class, which pytest 9 reports with a PytestRemovedIn10Warning (an
    error under `filterwarnings = error`)."""
    return str(live_server.url)


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(5_000)
    page.set_default_navigation_timeout(10_000)
    return page


@pytest.fixture
def sign_in(page: Page, live_server: Any) -> Callable[[str, str], Page]:
    """Sign in through the login form; returns the page on the dashboard."""

    def _sign_in(username: str, password: str) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    return _sign_in
