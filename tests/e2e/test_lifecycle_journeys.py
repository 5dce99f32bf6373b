"""End-to-end journeys of the JPO lifecycle and of a public draw, in a real Chromium.

One test walks an internship from the officer opening an edition to a stranger verifying the
certificate; another follows an officer preparing, announcing and conducting a draw and a
visitor verifying it from its public page.
"""

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from chancery.agreements import services as agreements
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, Country
from chancery.draws.models import Draw
from chancery.programmes import services as programmes
from chancery.programmes.models import Certificate, Enrolment
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SignIn = Callable[[str, str], Page]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_an_internship_from_edition_to_verified_certificate(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    kz = Country.objects.get(alpha2="KZ")
    mfa = directory.create_organisation(
        actor=SYSTEM, name_en="MFA of Kazakhstan", kind="ministry", country=kz
    )
    department = directory.create_organisation(
        actor=SYSTEM, name_en="Multilateral Department", kind="department", parent=mfa, country=kz
    )
    agreement = agreements.create_agreement(
        actor=SYSTEM,
        owner=cast.academy,
        kind="bilateral",
        title="JPO with the MFA",
        signed_on=date(2010, 9, 10),
        parties=[{"organisation": cast.academy}, {"organisation": mfa}],
    )
    programme = programmes.create_programme(
        actor=cast.alice,
        owner=cast.academy,
        kind="internship",
        name_en="JPO",
        agreements=[agreement],
    )
    for kind, params in (
        ("graduate_of", {"organisation": cast.academy.pk, "name": "Academy"}),
        ("citizenship_in", {"countries": ["KZ"]}),
        ("host_country_is_citizenship", {}),
        ("host_covered_by_agreement", {}),
    ):
        programmes.add_rule(actor=cast.alice, programme=programme, kind=kind, params=params)
    directory.add_affiliation(
        actor=SYSTEM,
        person=cast.pat_person,
        organisation=cast.academy,
        role=AffiliationRole.ALUMNUS,
    )
    supervisor = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Saule", family_name="Supervisor"
    )
    directory.add_affiliation(
        actor=SYSTEM, person=supervisor, organisation=department, role=AffiliationRole.SUPERVISOR
    )
    cast.sam.person = supervisor
    cast.sam.save()
    today = date.today()
    start = today + timedelta(days=30)

    # The officer opens an edition that takes applications today.
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    page.get_by_role("link", name="New edition").click()
    page.get_by_label("Name").fill("JPO next")
    page.get_by_label("Year").fill(str(start.year))
    page.get_by_label("Starts on").fill(start.isoformat())
    page.get_by_label("Applications open").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Applications close").fill((today + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("JPO next")
    _sign_out(page)

    # The participant applies for the ministry and is found eligible.
    page = sign_in("pat", PASSWORD)
    page.goto(f"{live_server.url}/programmes/mine/")
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Where would you like to serve?").select_option(label="MFA of Kazakhstan")
    page.get_by_label("Why do you apply?").fill("To learn how multilateral policy is made.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#enrolment-state")).to_have_text("Eligible")
    enrolment = Enrolment.objects.get(person=cast.pat_person)
    _sign_out(page)

    # The officer selects and places the participant, and the placement starts.
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/programmes/enrolments/{enrolment.pk}/")
    page.locator("#state-form").get_by_label("Move to").select_option("selected")
    page.locator("#state-form").get_by_role("button", name="Apply").click()
    expect(page.locator("#enrolment-state")).to_have_text("Selected")
    form = page.locator("#place-form")
    # The pickers suggest as one types, each among its own kind of record.
    host = form.get_by_label("Host organisation")
    host.press_sequentially("MFA", delay=20)
    suggested = page.locator("#id_host-choices option")
    expect(suggested).to_have_count(1)  # the ministry, not its department
    host.fill(suggested.first.get_attribute("value") or "")
    department = form.get_by_label("Department")
    department.press_sequentially("multilateral", delay=20)
    expect(page.locator("#id_department-choices option")).to_have_count(1)
    department.fill("Multilateral Department")  # a unique name is taken as typed
    supervisor = form.get_by_label("Supervisor")
    supervisor.press_sequentially("saule", delay=20)
    expect(page.locator("#id_supervisor-choices option")).to_have_count(1)
    supervisor.fill(
        page.locator("#id_supervisor-choices option").first.get_attribute("value") or ""
    )
    form.get_by_label("Start").fill(start.isoformat())
    form.get_by_role("button", name="Place").click()
    expect(page.locator("#enrolment-state")).to_have_text("Placed")
    page.locator("#state-form").get_by_label("Move to").select_option("active")
    page.locator("#state-form").get_by_role("button", name="Apply").click()
    expect(page.locator("#enrolment-state")).to_have_text("Active")
    _sign_out(page)

    # The supervisor evaluates the intern.
    page = sign_in("sam", PASSWORD)
    page.goto(f"{live_server.url}/programmes/mine/")
    page.get_by_role("link", name="Pat Example").first.click()
    evaluation = page.locator("#evaluation-form")
    for criterion in (
        "Knowledge of the field",
        "Analysis and writing",
        "Initiative",
        "Communication and teamwork",
        "Reliability",
    ):
        evaluation.get_by_role("group", name=criterion).get_by_label("5").check()
    evaluation.get_by_label("Comment").fill("Clear, well-sourced briefs.")
    evaluation.get_by_role("button", name="Submit the evaluation").click()
    expect(page.get_by_text("Clear, well-sourced briefs.")).to_be_visible()
    _sign_out(page)

    # The officer records the completion and issues the certificate.
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/programmes/enrolments/{enrolment.pk}/")
    page.locator("#state-form").get_by_label("Move to").select_option("completed")
    page.locator("#state-form").get_by_role("button", name="Apply").click()
    expect(page.locator("#enrolment-state")).to_have_text("Completed")
    page.get_by_role("button", name="Issue the certificate").click()
    code = Certificate.objects.get(enrolment=enrolment).code
    expect(page.get_by_text(code)).to_be_visible()
    _sign_out(page)

    # The participant downloads it; a stranger verifies it.
    page = sign_in("pat", PASSWORD)
    page.goto(f"{live_server.url}/programmes/enrolments/{enrolment.pk}/")
    with page.expect_download() as download:
        page.locator("#certificate-download").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    _sign_out(page)
    page.goto(f"{live_server.url}/verify/{code}/")
    expect(page.get_by_text("Pat Example").first).to_be_visible()
    expect(page.get_by_text("valid", exact=False).first).to_be_visible()


def test_an_officer_runs_a_draw_and_a_visitor_verifies_it(
    cast: Cast, sign_in: SignIn, live_server: Any
) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = sign_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/draws/new/")
    page.get_by_label("Title").fill("Speaking order")
    page.get_by_label("Kind").select_option("order")
    page.get_by_label("Pool (one per line)").fill("Brazil\nGeorgia\nGermany\nJapan\nPoland")
    page.locator("#id_sources-0-name").fill("Dice thrown in the hall")
    page.locator("#id_sources-0-form").select_option("numbers")
    page.locator("#id_sources-0-known_on").fill(tomorrow)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#draw-status")).to_have_text("Draft")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Announce").click()
    expect(page.locator("#draw-status")).to_have_text("Announced")
    fingerprint = page.locator("#fingerprint").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)

    page.get_by_role("link", name="Conduct: enter the values").click()
    page.get_by_label("Dice thrown in the hall").fill("6 3 5 1")
    page.get_by_role("button", name="Conduct the draw").click()
    expect(page.locator("#conduct-form")).to_contain_text("cannot be conducted before")

    # The next day the dice have been thrown; yesterday's sign-in has expired.
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        sign_in("alice", PASSWORD)
        draw = Draw.objects.get()
        page.goto(f"{live_server.url}/draws/{draw.pk}/conduct/")
        page.get_by_label("Dice thrown in the hall").fill("6 3 5 1")
        page.get_by_role("button", name="Conduct the draw").click()
        expect(page.locator("#draw-status")).to_have_text("Conducted")
        _sign_out(page)
    draw.refresh_from_db()

    # A visitor, not signed in, opens the public page and re-checks the record.
    page.goto(f"{live_server.url}/draws/{draw.pk}/")
    expect(page.locator("#fingerprint")).to_have_text(fingerprint)
    expect(page.locator("#verified")).to_be_visible()
    rows = page.locator("#result tbody tr")
    expect(rows).to_have_count(5)
    page.goto(f"{live_server.url}/draws/verify/")
    page.get_by_label("Draw record (JSON)").fill(json.dumps(draw.record))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#verify-result")).to_contain_text("Verified")
    tampered = dict(draw.record, result=list(reversed(draw.record["result"])))
    page.get_by_label("Draw record (JSON)").fill(json.dumps(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#verify-result")).to_contain_text("The result does not match")
