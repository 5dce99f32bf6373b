"""The affiliation form's organisation field: suggestions fetched as one types, in a browser."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import Affiliation
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_picks_an_organisation_from_the_suggestions(
    cast: Cast, sign_in: Callable[[str, str], Page], live_server: Any
) -> None:
    for country in ("Japan", "Jamaica", "France"):
        services.create_organisation(actor=SYSTEM, name_en=f"Embassy of {country}", kind="embassy")
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/directory/people/{cast.pat_person.pk}/")
    page.get_by_text("Add an affiliation").click()
    field = page.get_by_label("Organisation")
    field.press_sequentially("embassy of ja", delay=20)
    options = page.locator("#id_organisation-choices option")
    expect(options).to_have_count(2)  # Jamaica and Japan, not France
    japan = [
        value for value in options.evaluate_all("els => els.map(e => e.value)") if "Japan" in value
    ]
    assert len(japan) == 1
    field.fill(japan[0])
    page.get_by_label("Role").select_option("diplomat")
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Affiliation added.")
    assert Affiliation.objects.filter(
        person=cast.pat_person, organisation__name_en="Embassy of Japan"
    ).exists()
