"""From a published call to a decided applicant, in a real Chromium, each person in a browser
of their own: the officer publishes a JPO call with two questions and two documents; a new
visitor registers, states her citizenship and sees the conditions checked as she types, saves a
draft, uploads both files and names a referee, who uploads a letter through the e-mailed link;
she submits; two reviewers score her; the officer ranks and selects her; she reads the decision.
A draft left open past the deadline cannot be submitted."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from chancery.accounts.models import User
from chancery.calls import services as calls
from chancery.calls.models import Application, ApplicationStatus, Call
from chancery.calls.tests.factories import PDF
from chancery.programmes import services as programmes
from chancery.programmes.models import EnrolmentState
from conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
REFEREE = re.compile(r"https?://\S+/calls/referee/[^/\s]+/")
CHOSEN = "a long and unusual passphrase 52"


@contextmanager
def person(browser: Browser, base: str, username: str = "") -> Iterator[Page]:
    """A browser of one's own, signed in as `username` (a visitor without one)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        if username:
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{base}/")
        yield page
    finally:
        context.close()


def _publish(page: Page, base: str, edition: Any) -> Call:
    page.goto(f"{base}/calls/manage/new/")
    page.locator("[name=edition]").select_option(str(edition.pk))
    page.locator("[name=slug]").fill("jpo-2028")
    page.locator("[name=title_en]").fill("Junior Public Officers 2028")
    page.locator("[name=deadline]").fill(
        (timezone.localdate() + timedelta(days=20)).isoformat() + " 18:00"
    )
    page.locator("[name=referees]").fill("1")
    page.locator("[name=published]").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The call is created.")).to_be_visible()
    for label, kind, limit in (
        ("Your master's programme", "short", ""),
        ("Why do you want to serve?", "long", "50"),
    ):
        form = page.locator("#questions form").last
        form.locator("[name=q-kind]").select_option(kind)
        form.locator("[name=q-label_en]").fill(label)
        form.locator("[name=q-word_limit]").fill(limit)
        form.get_by_role("button", name="Add the question").click()
        expect(page.locator("#questions")).to_contain_text(label)
    for name, types in (("CV", "pdf"), ("Diploma", "pdf,png")):
        form = page.locator("#documents form").last
        form.locator("[name=d-name_en]").fill(name)
        form.locator("[name=d-file_types]").fill(types)
        form.get_by_role("button", name="Add the document").click()
        expect(page.locator("#documents")).to_contain_text(name)
    return Call.objects.get(slug="jpo-2028")


def test_from_a_published_call_to_a_selected_applicant(
    cast: Cast, browser: Browser, live_server: Any, smtp: Any, settings: Any, tmp_path: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="JPO"
    )
    for kind, params in (
        ("citizenship_in", {"countries": ["KZ", "KG"]}),
        ("host_covered_by_agreement", {}),
    ):
        programmes.add_rule(actor=cast.alice, programme=programme, kind=kind, params=params)
    edition = programmes.create_edition(
        actor=cast.alice,
        programme=programme,
        name="JPO 2028",
        year=2028,
        starts_on=date(2028, 9, 1),
        capacity=1,
    )
    reviewers = [
        User.objects.create_user(username=name, password=PASSWORD)
        for name in ("dana-reviewer", "ruslan-reviewer")
    ]

    with person(browser, base, "alice") as officer:
        call = _publish(officer, base, edition)

        # A visitor registers from the call and confirms her address.
        with person(browser, base) as visitor:
            visitor.goto(f"{base}/calls/")
            visitor.get_by_role("link", name="Junior Public Officers 2028").click()
            expect(visitor.locator("#deadline")).to_contain_text("Asia/Almaty")
            visitor.locator("#apply").click()
            visitor.locator("input[name=email]").fill("aida@example.org")
            visitor.locator("input[name=username]").fill("aida")
            visitor.locator("input[name=password1]").fill(CHOSEN)
            visitor.locator("input[name=password2]").fill(CHOSEN)
            visitor.get_by_role("button", name="Create the account").click()
            [message] = smtp.to("aida@example.org")
            confirm = CONFIRM.search(smtp.text(message))
            assert confirm is not None
            visitor.goto(confirm.group(0))
            visitor.get_by_role("button", name="Confirm").click()
            visitor.goto(f"{base}/calls/{call.slug}/apply/")
            visitor.get_by_role("button", name="Start my application").click()

            # The conditions are checked as she states her citizenship; nothing is saved.
            conditions = visitor.locator("#eligibility")
            expect(conditions).to_contain_text("Citizenship is not recorded")
            visitor.locator("[name=citizenship]").select_option("TJ")
            expect(conditions).to_contain_text("Not every condition is met")
            visitor.locator("[name=citizenship]").select_option("KZ")
            expect(conditions).to_contain_text("You meet the conditions")
            expect(conditions).to_contain_text(
                "Host covered by an agreement: to be checked at placement"
            )
            assert Application.objects.get().citizenships == []

            visitor.get_by_label("Given name (Latin)").fill("Aida")
            visitor.get_by_label("Family name (Latin)").fill("Sarsen")
            visitor.get_by_label("Your master's programme").fill("Politics and Security")
            visitor.get_by_role("button", name="Save the draft").click()
            expect(visitor.get_by_text("Your draft is saved")).to_be_visible()
            # Coming back later from the call's page: the draft is there.
            visitor.goto(f"{base}/calls/{call.slug}/")
            visitor.get_by_role("link", name="Continue my application").click()
            expect(visitor.get_by_label("Your master's programme")).to_have_value(
                "Politics and Security"
            )
            expect(visitor.locator("[name=citizenship]")).to_have_value("KZ")
            for document in call.documents.all():
                row = visitor.locator("#files tr", has_text=document.name)
                row.locator("input[type=file]").set_input_files(
                    {"name": f"{document.name}.pdf", "mimeType": "application/pdf", "buffer": PDF}
                )
                row.get_by_role("button", name="Upload").click()
                expect(visitor.get_by_text("The file is uploaded.")).to_be_visible()
            referees = visitor.locator("#referees")
            referees.get_by_label("Referee's name").fill("Prof. Bek")
            referees.get_by_label("Referee's e-mail").fill("bek@university.example")
            referees.get_by_role("button", name="Name the referee").click()
            expect(visitor.locator("#referees")).to_contain_text("Awaited")

            # The referee uploads a letter through the link that arrived, with no account.
            [request] = smtp.to("bek@university.example")
            link = REFEREE.search(smtp.text(request))
            assert link is not None
            with person(browser, base) as referee:
                referee.goto(link.group(0))
                expect(referee.get_by_role("heading", level=1)).to_have_text("Reference letter")
                referee.get_by_label(re.compile("Your letter")).set_input_files(
                    {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}
                )
                referee.get_by_role("button", name="Upload the letter").click()
                expect(referee.get_by_text("Thank you: your letter has arrived.")).to_be_visible()
            visitor.reload()
            expect(visitor.locator("#referees")).to_contain_text("Arrived")
            expect(visitor.locator("#referees")).not_to_contain_text("Read the letter")

            visitor.get_by_label("Why do you want to serve?").fill("To serve the region well.")
            visitor.get_by_role("button", name="Submit the application").click()
            expect(visitor.locator("#status")).to_have_text("Submitted")
            expect(visitor.locator("#decision")).to_contain_text("Under review")
            application = Application.objects.get(applicant__username="aida")
            assert application.enrolment.state == EnrolmentState.ELIGIBLE

            # The officer seats two reviewers, writes the rubric and assigns the application.
            officer.goto(f"{base}/selection/editions/{edition.pk}/")
            officer.get_by_role("button", name="Set up the committee").click()
            for reviewer in reviewers:
                officer.get_by_label("User name").fill(reviewer.username)
                officer.get_by_role("button", name="Add a reviewer").click()
                expect(
                    officer.get_by_text(f"{reviewer.username} sits on the committee")
                ).to_be_visible()
            officer.get_by_label("Name in English").fill("Motivation")
            officer.get_by_role("button", name="Add a criterion").click()
            officer.get_by_role("button", name="Assign").click()
            expect(officer.get_by_text("2 reviews are assigned.")).to_be_visible()

            # Each reviewer reads the application, its files and the letter, and scores it.
            for reviewer, value in zip(reviewers, ("5", "4"), strict=True):
                with person(browser, base, reviewer.username) as reading:
                    reading.goto(f"{base}/selection/reviews/")
                    reading.get_by_role("link", name=re.compile("Aida")).first.click()
                    expect(reading.locator("#files")).to_contain_text("Letter from Prof. Bek")
                    expect(reading.get_by_text("Politics and Security")).to_be_visible()
                    reading.get_by_label(value, exact=True).check()
                    reading.get_by_role("button", name="Submit the review").click()
                    expect(reading.get_by_text("Your review is submitted.")).to_be_visible()

            # The officer ranks and selects her; she reads the decision.
            officer.goto(f"{base}/selection/editions/{edition.pk}/ranking/")
            row = officer.locator("#ranking tr", has_text="Aida")
            expect(row).to_contain_text("4.50")
            expect(row).to_contain_text("2/2")
            row.get_by_role("button", name="Select").click()
            expect(officer.get_by_text("is selected and told so")).to_be_visible()
            visitor.reload()
            expect(visitor.locator("#decision")).to_contain_text("Selected")
            subjects = [str(mail["Subject"]) for mail in smtp.to("aida@example.org")]
            assert any("Application received" in subject for subject in subjects), subjects
            assert any("selected" in subject.lower() for subject in subjects), subjects

        # Another applicant's draft is open when the deadline passes: submitting is refused.
        late = User.objects.create_user(
            username="late", password=PASSWORD, email="late@example.org"
        )
        EmailAddress.objects.create(user=late, email=late.email, verified=True, primary=True)
        draft = calls.start_application(actor=late, call=call)
        with person(browser, base, "late") as latecomer:
            latecomer.goto(f"{base}/calls/applications/{draft.pk}/")
            calls.update_call(
                actor=cast.alice, call=call, deadline=timezone.now() - timedelta(minutes=1)
            )
            latecomer.get_by_role("button", name="Submit the application").click()
            expect(
                latecomer.get_by_text(re.compile("deadline of this call .* has passed"))
            ).to_be_visible()
            expect(latecomer.locator("#closed")).to_be_visible()
        draft.refresh_from_db()
        assert draft.status == ApplicationStatus.DRAFT
