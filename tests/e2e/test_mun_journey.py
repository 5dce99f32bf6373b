"""The Model UN session in a real Chromium, with two browser contexts at once: a pupil chair
runs roll call, adds speakers, starts the timer and takes a vote on a laptop; the projector,
opened by its secret link in another context with nobody signed in, shows each change within a
second."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from chancery.mun import services
from chancery.mun.tests.factories import make_mun
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITHIN_A_SECOND = 1_000  # ms: how long the projector may take to show a change


def test_a_chair_runs_a_session_and_the_projector_follows(
    cast: Cast, sign_in: Callable[[str, str], Page], browser: Browser, live_server: Any
) -> None:
    mun = make_mun(cast, PASSWORD, profile="harvard")
    session = services.open_session(committee=mun.committee, actor=mun.chair)

    chair = sign_in("chair", PASSWORD)
    chair.goto(f"{live_server.url}/mun/sessions/{session.pk}/")
    expect(chair.get_by_role("heading", level=1)).to_contain_text("session 1")

    screen_context = browser.new_context()
    screen = screen_context.new_page()
    screen.goto(f"{live_server.url}/mun/screen/{session.projector_token}/")
    expect(screen.locator("#screen-speaker")).to_have_text("Nobody holds the floor.")
    expect(screen.locator(".quorum")).to_contain_text("0 of 2")

    # Roll call: both delegations present.
    for seat in (mun.poland, mun.japan):
        chair.locator(f"#seat-{seat.pk}").get_by_role("button", name="Present", exact=True).click()
        expect(chair.locator(f"#seat-{seat.pk}")).to_have_attribute("data-attendance", "present")
    expect(screen.locator(".quorum")).to_contain_text("2 of 2", timeout=WITHIN_A_SECOND)

    # Speakers: Japan, then Poland.
    for name in ("Japan", "Poland"):
        chair.locator("#add-speaker").select_option(label=name)
        chair.locator("#add-speaker-button").click()
        expect(chair.locator("#speakers")).to_contain_text(name)
    expect(screen.locator("#screen-speakers")).to_contain_text(
        re.compile("Japan.*Poland", re.S), timeout=WITHIN_A_SECOND
    )

    # The floor and the timer: the projector counts down on its own.
    chair.locator("#next-speaker").click()
    expect(chair.locator("#current-speaker")).to_have_text("Japan")
    expect(screen.locator("#screen-speaker")).to_have_text("Japan", timeout=WITHIN_A_SECOND)
    chair.locator("#pause-timer").click()
    expect(chair.locator("#start-timer")).to_be_visible()
    paused = screen.locator("#screen-timer")
    expect(paused).to_have_attribute("data-running", "0", timeout=WITHIN_A_SECOND)
    chair.locator("#start-timer").click()
    expect(screen.locator("#screen-timer")).to_have_attribute(
        "data-running", "1", timeout=WITHIN_A_SECOND
    )
    first = screen.locator("#screen-timer").inner_text()
    screen.wait_for_timeout(1_300)
    assert screen.locator("#screen-timer").inner_text() != first  # it ticks

    # A motion, put to the vote; each vote shows on the projector's tally.
    chair.locator("summary", has_text="Raise a motion").click()
    chair.locator("#motion-kind").select_option(label="Unmoderated caucus")
    chair.locator("#motion-proposer").select_option(label="Poland")
    chair.locator("#motion-total").fill("300")
    chair.get_by_role("button", name="Raise", exact=True).click()
    expect(chair.locator("#motions")).to_contain_text("Unmoderated caucus")
    chair.locator("#motions").get_by_role("button", name="Put to the vote").click()
    expect(screen.locator("#screen-tally")).to_contain_text("Yes 0", timeout=WITHIN_A_SECOND)
    chair.locator(f"#seat-{mun.poland.pk}").get_by_role("button", name="Yes").click()
    expect(screen.locator("#screen-tally")).to_contain_text("Yes 1", timeout=WITHIN_A_SECOND)
    chair.locator(f"#seat-{mun.japan.pk}").get_by_role("button", name="Yes").click()
    expect(chair.locator("#tally")).to_contain_text("Yes 2")
    chair.locator("#close-vote").click()
    expect(chair.locator("#last-outcome")).to_contain_text("passed")
    expect(screen.locator("#screen-outcome")).to_contain_text("passed", timeout=WITHIN_A_SECOND)
    expect(screen.get_by_role("heading", name="Unmoderated caucus")).to_be_visible(
        timeout=WITHIN_A_SECOND
    )
    screen_context.close()
