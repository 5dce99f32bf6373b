"""A call for applications, in a real Chromium: a visitor opens the public call, clicks Apply,
signs up (sign-up is open to them for that call), confirms the address from the e-mail that
arrived at the test SMTP server, saves a draft, uploads the CV and submits."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chancery.calls.models import Application, ApplicationStatus
from chancery.calls.tests.factories import PDF, make_call
from chancery.programmes.models import Enrolment
from conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM = re.compile(r"https?://\S+/accounts/confirm-email/[^/\s]+/")
CHOSEN = "a long and unusual passphrase 52"


def test_a_visitor_registers_from_a_call_drafts_uploads_and_submits(
        cast: Cast, page: Page, live_server: Any, smtp: Any, settings: Any,
        tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    call = make_call(cast.alice, cast.academy)
    document = call.documents.get()

    page.goto(f"{base}/calls/")
    page.get_by_role("link", name=re.compile("JPO 2028")).click()
    expect(page.locator("#deadline")).to_contain_text("Asia/Almaty")
    page.locator("#apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.locator("input[name=email]").fill("dana@example.org")
    page.locator("input[name=username]").fill("dana")
    page.locator("input[name=password1]").fill(CHOSEN)
    page.locator("input[name=password2]").fill(CHOSEN)
    page.get_by_role("button", name="Create the account").click()
    # Not confirmed yet: no application is started.
    [message] = smtp.to("dana@example.org")
    link = CONFIRM.search(smtp.text(message))
    assert link is not None
    page.goto(f"{base}/calls/{call.slug}/apply/")
    page.get_by_role("button", name="Start my application").click()
    expect(page.get_by_text("Confirm your e-mail address first")).to_be_visible()
    assert not Application.objects.exists()
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()

    page.goto(f"{base}/calls/{call.slug}/apply/")
    page.get_by_role("button", name="Start my application").click()
    page.get_by_label("Given name (Latin)").fill("Dana")
    page.get_by_label("Family name (Latin)").fill("Example")
    page.get_by_label("Your university").fill("KazNU")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    # Coming back later: the draft is there.
    page.goto(f"{base}/calls/{call.slug}/")
    page.get_by_role("link", name="Continue my application").click()
    expect(page.get_by_label("Your university")).to_have_value("KazNU")
    page.locator(f"#file-document-{document.pk}").set_input_files(
        {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.locator("#files").get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The file is uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="cv.pdf")).to_be_visible()
    page.get_by_label("Motivation").fill("To serve the region.")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("Your application is submitted")).to_be_visible()
    expect(page.locator("#status")).to_have_text("Submitted")
    application = Application.objects.get(applicant__username="dana")
    assert application.status == ApplicationStatus.SUBMITTED
    assert Enrolment.objects.filter(edition=call.edition,
                                    person__given_name="Dana").exists()
    # The confirmation, then programmes' own "application received" (and its eligibility).
    subjects = [str(mail["Subject"]) for mail in smtp.to("dana@example.org")]
    assert any("Application received" in subject for subject in subjects), subjects
