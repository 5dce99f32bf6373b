"""The Model UN projector fills the screen it is shown on and reads from the back of a hall.

The dark panel used to stop at its content (halfway down a 1920 × 1080 screen, the page's
light background below it) and the content sat small in the top-left corner. At each
common projector size, in English, Russian and Kazakh: the dark page reaches the bottom, the
speakers' list uses the right-hand side and the vote and quorum the bottom, nothing scrolls,
and every text is at least 3.5 % of the screen's smaller side (the clock far more).
"""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from chancery.mun import services
from chancery.mun.tests.factories import make_mun
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [(1920, 1080), (1280, 720), (1024, 768)]
DARK = "rgb(15, 31, 46)"

MEASURE = """() => {
  const box = selector => document.querySelector(selector).getBoundingClientRect();
  const texts = [...document.querySelectorAll('#live h1, #live h2, #live p, #live li')]
    .filter(element => element.textContent.trim())
    .map(element => [element.textContent.trim().slice(0, 30),
                     parseFloat(getComputedStyle(element).fontSize)]);
  return {
    html: getComputedStyle(document.documentElement).backgroundColor,
    body: getComputedStyle(document.body).backgroundColor,
    bodyBottom: box('body').bottom, mainBottom: box('main').bottom,
    resultBottom: box('.result').bottom, nextLeft: box('.next').left,
    clockHeight: box('#screen-timer').height,
    scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
    texts,
  };
}"""


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_projector_fills_the_screen_and_reads_from_the_back_of_the_hall(
    cast: Cast, browser: Browser, live_server: Any, language: str
) -> None:
    mun = make_mun(cast, PASSWORD)
    session = services.open_session(committee=mun.committee, actor=mun.chair)
    for seat in (mun.poland, mun.japan):
        services.set_attendance(
            session_id=session.pk, seat_id=seat.pk, attendance="present", actor=mun.chair
        )
        services.add_speaker(session_id=session.pk, version=None, speaker=seat.key, actor=mun.chair)
    services.next_speaker(session_id=session.pk, version=None, actor=mun.chair)
    shots = Path(os.environ["CHANCERY_SHOTS"]) if os.environ.get("CHANCERY_SHOTS") else None
    for width, height in SCREENS:
        context = browser.new_context(viewport={"width": width, "height": height}, locale=language)
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/mun/screen/{session.projector_token}/")
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.locator("#screen-speaker")).to_have_text(
                {"en": "Poland", "ru": "Польша", "kk": "Польша"}[language]
            )
            found = page.evaluate(MEASURE)
            if shots:
                page.screenshot(path=str(shots / f"{language}-projector-{width}x{height}.png"))
            where = f"{width}×{height} in {language}"
            assert found["html"] == DARK and found["body"] == DARK, where
            # The panel reaches the bottom of the screen, and so does the content.
            assert found["bodyBottom"] >= height - 1, (where, found["bodyBottom"])
            assert found["mainBottom"] >= height - 1, (where, found["mainBottom"])
            assert found["resultBottom"] >= 0.85 * height, (where, found["resultBottom"])
            # The speakers' list on the right, not under the speaker in the corner.
            assert found["nextLeft"] >= 0.4 * width, (where, found["nextLeft"])
            assert found["scroll"][0] <= width and found["scroll"][1] <= height, (where, found)
            smaller = min(width, height)
            assert found["clockHeight"] >= 0.15 * height, (where, found["clockHeight"])
            small = [(text, size) for text, size in found["texts"] if size < 0.035 * smaller]
            assert not small, (where, small)
        finally:
            context.close()
