"""End-to-end: an officer previews and commits an allocation round, a participant reads why.

The round (four selected applicants, three hosts, a conducted tie-break draw) is set up
through the services; the officer then works in the browser, and Pat reads their own
explanation.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.allocation.tests.factories import make_setup
from chancery.programmes.models import Placement
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]


def test_an_officer_commits_a_round_and_a_participant_reads_why(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    setup = make_setup(cast)
    round_url = f"{live_server.url}/allocation/rounds/{setup.round.pk}/"

    # The officer finds the round from the edition's list, previews and commits it.
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/allocation/editions/{setup.edition.pk}/")
    page.get_by_role("link", name="Autumn placements").click()
    expect(page).to_have_url(round_url)
    expect(page.locator("#round-status")).to_have_text("Draft")
    page.get_by_role("button", name="Run preview").click()
    expect(page.locator("#round-status")).to_have_text("Previewed")
    expect(page.locator("#unplaced")).to_have_text("1")
    expect(page.locator("#share-first")).to_have_text("2 (50%)")
    expect(page.locator("#assignments")).to_contain_text("Pat Example")
    assert not Placement.objects.exists()
    page.get_by_role("button", name="Commit").click()
    expect(page.locator("#round-status")).to_have_text("Committed")
    assert Placement.objects.filter(enrolment=setup.pat).exists()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The participant reads their own explanation.
    page = sign_in("pat", PASSWORD)
    page.goto(f"{round_url}explanations/{setup.pat.pk}/")
    expect(page.locator("#headline")).to_have_text(
        "You got Test Department (your 2nd choice).")
    expect(page.locator("#reasons")).to_contain_text(
        "Test Ministry: full (1 place) with applicants of higher priority")
    expect(page.locator("#reasons")).to_contain_text("you were #2")
