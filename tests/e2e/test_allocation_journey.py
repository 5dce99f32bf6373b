"""End-to-end: an officer previews and commits an allocation round, a participant reads why.

A second journey: a school coordinator ranks Model UN countries for their school, the officer
commits the round of countries, and the coordinator reads why the school got its country.

The round (four selected applicants, three hosts, a conducted tie-break draw) is set up
through the services; the officer then works in the browser, and Pat reads their own
explanation.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.allocation import services
from chancery.allocation.models import CountryAssignment
from chancery.allocation.tests.factories import make_country_round, make_setup
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
    expect(page.locator("#headline")).to_have_text("You got Test Department (your 2nd choice).")
    expect(page.locator("#reasons")).to_contain_text(
        "Test Ministry: full (1 place) with applicants of higher priority"
    )
    expect(page.locator("#reasons")).to_contain_text("you were #2")


def test_a_coordinator_ranks_model_un_countries_and_reads_the_school_result(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    countries = make_country_round(cast, choices=False, password=PASSWORD)
    for letter, codes in (("B", ["JP", "BR"]), ("C", ["JP"]), ("D", ["BR"])):
        services.set_school_preferences(
            actor=cast.alice,
            round=countries.round,
            school=countries.schools[letter],
            hosts=[countries.hosts[code] for code in codes],
        )
    round_url = f"{live_server.url}/allocation/rounds/{countries.round.pk}/"
    school = countries.schools["A"]

    # The coordinator of School A finds the round and ranks Japan, then France.
    page = sign_in("coord_a", PASSWORD)
    page.goto(f"{live_server.url}/allocation/schools/")
    page.get_by_role("link", name="rank the countries").click()
    expect(page).to_have_url(f"{round_url}schools/{school.pk}/choices/")
    form = page.locator("#choices-form")
    form.get_by_label("Choice 1").select_option(label="Japan")
    form.get_by_label("Choice 2").select_option(label="France")
    form.get_by_role("button", name="Save the school's choices").click()
    expect(page.get_by_text("The school's choices are saved.")).to_be_visible()
    expect(page.locator("#choices-form").get_by_label("Choice 2")).to_have_value(
        str(countries.hosts["FR"].pk)
    )
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The officer previews, reads the statistics and commits.
    page = sign_in("alice", PASSWORD)
    page.goto(round_url)
    expect(page.locator("#round-kind")).to_have_text("Outreach schools to Model UN countries")
    page.get_by_role("button", name="Run preview").click()
    expect(page.locator("#round-status")).to_have_text("Previewed")
    expect(page.locator("#unplaced")).to_have_text("1")
    expect(page.locator("#assignments")).to_contain_text("France")
    assert not CountryAssignment.objects.exists()
    page.get_by_role("button", name="Commit").click()
    expect(page.locator("#round-status")).to_have_text("Committed")
    assert CountryAssignment.objects.get(school=school).country_id == "FR"
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The coordinator reads why School A represents France.
    page = sign_in("coord_a", PASSWORD)
    page.goto(f"{live_server.url}/allocation/schools/")
    page.get_by_role("link", name="the school's country and why").click()
    expect(page.locator("#headline")).to_have_text("School A represents France (its 2nd choice).")
    expect(page.locator("#reasons")).to_contain_text("Japan: full (1 place)")
