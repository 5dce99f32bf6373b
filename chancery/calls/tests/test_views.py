from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from chancery.accounts.models import User
from chancery.calls import services
from chancery.calls.models import Application, ApplicationStatus
from chancery.calls.tests.factories import make_call, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_sign_up_opens_only_for_a_visitor_coming_from_an_open_calls_apply(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    visitor = Client()
    closed = visitor.get(reverse("account_signup"))
    assert "Sign-up is closed" in closed.content.decode()
    apply = visitor.get(reverse("calls:apply", args=[call.slug]))
    assert apply.status_code == 302 and apply["Location"].startswith(reverse("account_signup"))
    page = visitor.get(apply["Location"])
    assert "Create an account" in page.content.decode()
    response = visitor.post(
        apply["Location"],
        {
            "email": "dana@example.org",
            "username": "dana",
            "password1": "Long-enough-9",
            "password2": "Long-enough-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="dana")
    assert not EmailAddress.objects.get(user=user).verified
    assert any("dana@example.org" in message.to for message in mail.outbox)
    # Until the address is confirmed, no application is started.
    refused = visitor.post(reverse("calls:apply", args=[call.slug]), follow=True)
    assert "Confirm your e-mail address" in refused.content.decode()
    assert not Application.objects.exists()
    EmailAddress.objects.filter(user=user).update(verified=True)
    started = visitor.post(reverse("calls:apply", args=[call.slug]))
    application = Application.objects.get(applicant=user)
    assert started["Location"] == reverse("calls:application", args=[application.pk])
    # Another visitor, who did not come from a call, still finds sign-up closed.
    assert "Sign-up is closed" in Client().get(reverse("account_signup")).content.decode()


def test_sign_up_stays_closed_once_the_deadline_passed(cast: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    call = make_call(cast.alice, cast.academy, deadline=timezone.now() - timedelta(minutes=1))
    visitor = Client()
    response = visitor.get(reverse("calls:apply", args=[call.slug]), follow=True)
    assert "deadline of this call has passed" in response.content.decode()
    assert "Sign-up is closed" in visitor.get(reverse("account_signup")).content.decode()
    page = visitor.get(reverse("calls:detail", args=[call.slug])).content.decode()
    assert "applications are closed" in page


def test_draft_upload_and_submit_through_the_pages(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    client = cast.client_for(cast.quinn)
    client.post(reverse("calls:apply", args=[call.slug]))
    application = Application.objects.get(applicant=cast.quinn)
    url = reverse("calls:application", args=[application.pk])
    short, long = call.questions.all()
    saved = client.post(
        url,
        {"given_name": "Quinn", "family_name": "Sample", short.field_name: "KazNU", "save": "1"},
        follow=True,
    )
    assert "Your draft is saved" in saved.content.decode()
    refused = client.post(
        url,
        {"given_name": "Quinn", "family_name": "Sample", short.field_name: "KazNU", "submit": "1"},
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "“Motivation”: this answer is required." in text and "“CV”: upload" in text
    document = call.documents.get()
    exe = pdf("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    bad = client.post(
        reverse("calls:upload", args=[application.pk]),
        {"item": f"document-{document.pk}", "file": exe},
        follow=True,
    )
    assert "The file&#x27;s content is not PDF." in bad.content.decode()
    client.post(
        reverse("calls:upload", args=[application.pk]),
        {"item": f"document-{document.pk}", "file": pdf()},
    )
    done = client.post(
        url,
        {
            "given_name": "Quinn",
            "family_name": "Sample",
            short.field_name: "KazNU",
            long.field_name: "To serve.",
            "submit": "1",
        },
        follow=True,
    )
    assert "Your application is submitted" in done.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.enrolment.person == cast.quinn_person


def test_files_are_served_only_to_the_applicant_and_the_calls_office(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    upload = services.upload_file(
        actor=cast.quinn, application=application, file=pdf(), document=call.documents.get()
    )
    file_url = reverse("calls:file", args=[application.pk, upload.pk])
    page_url = reverse("calls:application", args=[application.pk])
    own = cast.client_for(cast.quinn).get(file_url)
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    officer = cast.client_for(cast.alice).get(file_url)
    # Read to the end (the test client then closes it without closing the database
    # connection, which a bare close() does on PostgreSQL).
    assert officer.status_code == 200 and b"".join(officer.streaming_content).startswith(b"%PDF")
    # Another applicant, a viewer, an officer of another office: nothing, as if it were not.
    for user in (cast.pat, cast.charlie, cast.sam):
        assert cast.client_for(user).get(file_url).status_code == 404, user
        assert cast.client_for(user).get(page_url).status_code == 404, user
        assert (
            cast.client_for(user)
            .post(
                reverse("calls:upload", args=[application.pk]),
                {"item": "document-1", "file": pdf()},
            )
            .status_code
            == 404
        ), user
    anonymous = Client().get(file_url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    # The officer reads the application but cannot change it.
    assert cast.client_for(cast.alice).post(page_url, {"save": "1"}).status_code == 404
    # Another office's officer cannot open or change the call.
    manage = reverse("calls:manage", args=[call.pk])
    assert cast.client_for(cast.charlie).get(manage).status_code == 404
    assert (
        cast.client_for(cast.charlie)
        .post(reverse("calls:add_question", args=[call.pk]), {"q-kind": "short"})
        .status_code
        == 404
    )


def test_an_officer_creates_a_call_and_its_form(cast: Any) -> None:
    from chancery.programmes import services as programmes

    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="JPO"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="2029", year=2029
    )
    client = cast.client_for(cast.alice)
    response = client.post(
        reverse("calls:manage_create"),
        {
            "edition": edition.pk,
            "slug": "jpo-2029",
            "title_en": "JPO 2029",
            "title_ru": "ПМС 2029",
            "deadline": "2099-03-01 18:00",
            "referees": "1",
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = edition.call
    assert call.deadline.isoformat() == "2099-03-01T13:00:00+00:00"  # 18:00 in Almaty (UTC+5)
    client.post(
        reverse("calls:add_question", args=[call.pk]),
        {
            "q-kind": "long",
            "q-label_en": "Why?",
            "q-label_ru": "Почему?",
            "q-word_limit": "300",
            "q-required": "on",
            "q-position": "1",
        },
    )
    client.post(
        reverse("calls:add_document", args=[call.pk]),
        {
            "d-name_en": "Diploma",
            "d-file_types": "pdf, jpg",
            "d-max_mb": "5",
            "d-required": "on",
            "d-position": "1",
        },
    )
    bad = client.post(
        reverse("calls:add_document", args=[call.pk]),
        {"d-name_en": "Program", "d-file_types": "exe", "d-max_mb": "5", "d-position": "2"},
        follow=True,
    )
    assert "Give file types among" in bad.content.decode()
    assert [q.label for q in call.questions.all()] == ["Why?"]
    assert [d.types for d in call.documents.all()] == [["pdf", "jpg"]]
    public = Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("calls:detail", args=["jpo-2029"]))
    assert "ПМС 2029" in public.content.decode()
    listing = Client().get(reverse("calls:list")).content.decode()
    assert "JPO 2029" in listing
    ics = Client().get(reverse("calls:ics", args=["jpo-2029"])).content.decode()
    assert "DTSTART;TZID=Asia/Almaty:20990301T180000" in ics


def test_after_the_deadline_the_page_says_so_and_submitting_is_refused(cast: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from chancery.calls.models import Call

    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client = cast.client_for(cast.quinn)
    url = reverse("calls:application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "this application can no longer be submitted" in page
    assert "Submit the application" not in page
    refused = client.post(url, {"given_name": "Q", "family_name": "S", "submit": "1"})
    assert refused.status_code == 400
    assert "has passed" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.given_name == ""
