"""A participant reads their inbox: the bell's count follows what they mark read, in place."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from chancery.notifications.services import notify
from conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page: Page, url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )


def test_marking_read_updates_the_inbox_and_the_bell(
    cast: Cast, page: Page, live_server: Any
) -> None:
    for subject in ("You are placed", "Your final report is due"):
        notify(
            kind="message",
            recipients=[cast.pat],
            office=cast.academy,
            context={"subject": subject, "body": "Details inside."},
            link="/programmes/mine/",
        )
    url = live_server.url
    _signed_in(page, url, cast.pat)
    page.goto(f"{url}/programmes/mine/")
    bell = page.locator("#notification-bell")
    expect(bell).to_have_accessible_name("2 unread notifications")  # a bell and a count are shown
    expect(bell.locator(".bell-count")).to_have_text("2")
    bell.click()
    expect(page).to_have_url(f"{url}/notifications/")
    first = page.locator(".inbox li").first
    expect(first).to_contain_text("Your final report is due")  # the newest first
    first.get_by_role("button", name="Mark read").click()
    expect(bell).to_have_accessible_name("1 unread notification")  # swapped in place by htmx
    expect(page.locator(".inbox li.unread")).to_have_count(1)
    page.get_by_role("button", name="Mark 1 unread as read").click()
    expect(bell).to_have_text("Notifications")
    expect(page.locator(".inbox li.unread")).to_have_count(0)
    page.get_by_role("link", name="You are placed").click()
    expect(page).to_have_url(f"{url}/programmes/mine/")
