"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Two things about Playwright's sync API shape this file:

* Between its calls it leaves its asyncio loop marked as running in the main thread. Django then
  refuses ORM calls (SynchronousOnlyOperation) unless DJANGO_ALLOW_ASYNC_UNSAFE is set (only
  while the browser tests run: a subprocess that inherits it fails `check --deploy`), and it
  keeps database connections per context instead of per thread: the connection a test uses
  once Playwright runs is not the one the test database was set up with. So the live server is
  started only after Playwright (it must share the test's in-memory SQLite connection), and
  the countries, which a data migration loads, are put back by a fixture rather than by
  `serialized_rollback` (the serialized copy sits on the other connection).
* The loop stays "running" until the session ends, so the browser tests run last.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright, expect

from conftest import load_reference_data

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

# A missing element fails a test in seconds, not half a minute.
expect.set_options(timeout=5_000)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests after every other test (see the module docstring)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system Chromium (never a downloaded one), headless, as root."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def _async_unsafe_allowed() -> Iterator[None]:
    """Let the ORM run while Playwright's loop is marked as running, until the session ends."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session", autouse=True)
def _playwright_before_live_server(
    _async_unsafe_allowed: None, playwright: Playwright, django_db_setup: None, live_server: Any
) -> None:
    """Start Playwright, then the test database, then the live server, in that order.

    A live server started before Playwright would hand its request threads a database
    connection the tests no longer use; each request would then open (and leak) its own.
    """


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """The live server's address.

    This replaces pytest-playwright's own `base_url`, a fixture defined as a method of a plugin
    class, which pytest 9 reports with a PytestRemovedIn10Warning (an error here).
    """
    return str(live_server.url)


@pytest.fixture(autouse=True)
def _countries(transactional_db: None) -> None:
    """The reference data of the data migrations; transactional tests flush it after each."""
    load_reference_data()


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    page.set_default_timeout(5_000)
    page.set_default_navigation_timeout(10_000)
    yield page


@pytest.fixture
def sign_in(page: Page, live_server: Any) -> Callable[[str, str], Page]:
    """Sign in through the login form; returns the page, on the dashboard."""

    def _sign_in(username: str, password: str) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    return _sign_in
