from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from chancery.calls import services
from chancery.calls.models import Application, ApplicationStatus
from chancery.calls.tests.factories import make_call, pdf
from chancery.programmes.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _complete(application: Application, user: Any) -> Application:
    call = application.call
    short, long = call.questions.all()
    application = services.save_draft(
        actor=user,
        application=application,
        answers={short.pk: "KazNU", long.pk: "I want to serve."},
        given_name="Dana",
        family_name="Example",
    )
    services.upload_file(
        actor=user, application=application, file=pdf(), document=call.documents.get()
    )
    return application


def test_a_draft_is_saved_and_read_back(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    short = call.questions.first()
    services.save_draft(actor=cast.quinn, application=application, answers={short.pk: " KazNU "})
    again = services.start_application(actor=cast.quinn, call=call)
    assert again.pk == application.pk
    assert again.answers == {str(short.pk): "KazNU"}
    assert again.status == ApplicationStatus.DRAFT
    assert not Enrolment.objects.filter(edition=call.edition).exists()


def test_submitting_names_each_missing_answer_and_document(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    short, long = call.questions.all()
    services.save_draft(
        actor=cast.quinn,
        application=application,
        answers={long.pk: "one two three four five six"},
        given_name="Q",
        family_name="S",
    )
    with pytest.raises(ValidationError) as caught:
        services.submit(actor=cast.quinn, application=application)
    problems = caught.value.message_dict
    assert set(problems) == {short.field_name, long.field_name, call.documents.get().field_name}
    assert "Your university" in problems[short.field_name][0]
    assert "6 words; at most 5" in problems[long.field_name][0]
    assert "CV" in problems[call.documents.get().field_name][0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submitting_enrols_through_programmes_and_says_it_was_received(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    from allauth.account.models import EmailAddress

    applicant = type(cast.quinn).objects.create_user(username="dana", email="dana@example.org")
    address = EmailAddress.objects.create(
        user=applicant, email=applicant.email, primary=True, verified=False
    )
    with pytest.raises(ValidationError, match="Confirm your e-mail address"):
        services.start_application(actor=applicant, call=call)
    address.verified = True
    address.save()
    application = _complete(services.start_application(actor=applicant, call=call), applicant)
    mail.outbox.clear()
    submitted = services.submit(actor=applicant, application=application)
    assert submitted.status == ApplicationStatus.SUBMITTED
    enrolment = Enrolment.objects.get(edition=call.edition)
    assert submitted.enrolment == enrolment
    applicant.refresh_from_db()
    assert enrolment.person == applicant.person
    assert applicant.person.owner == cast.academy
    assert (applicant.person.given_name, applicant.person.family_name) == ("Dana", "Example")
    from chancery.notifications.models import Notification

    assert Notification.objects.filter(recipient=applicant, kind="application_received").exists()
    with pytest.raises(ValidationError, match="submitted"):
        services.save_draft(actor=applicant, application=submitted, answers={})


def test_the_deadline_is_enforced_by_the_service(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = _complete(services.start_application(actor=cast.quinn, call=call), cast.quinn)
    late = call.deadline + timedelta(seconds=1)
    for attempt in (
        lambda: services.submit(actor=cast.quinn, application=application, at=late),
        lambda: services.save_draft(actor=cast.quinn, application=application, answers={}, at=late),
        lambda: services.upload_file(
            actor=cast.quinn,
            application=application,
            file=pdf(),
            document=call.documents.get(),
            at=late,
        ),
        lambda: services.start_application(actor=cast.pat, call=call, at=late),
    ):
        with pytest.raises(ValidationError, match="deadline"):
            attempt()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not Enrolment.objects.filter(edition=call.edition).exists()
    # Just before the deadline it goes through.
    early = call.deadline - timedelta(seconds=1)
    assert services.submit(actor=cast.quinn, application=application, at=early).submitted


def test_an_unpublished_call_takes_no_application(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    call = services.update_call(actor=cast.alice, call=call, published=False)
    with pytest.raises(ValidationError, match="not published"):
        services.start_application(actor=cast.quinn, call=call)


def test_a_renamed_program_is_refused_as_a_pdf(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    document = call.documents.get()
    exe = pdf("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as caught:
        services.upload_file(actor=cast.quinn, application=application, file=exe, document=document)
    assert caught.value.message_dict == {document.field_name: ["The file's content is not PDF."]}
    assert not application.uploads.exists()


def test_a_file_over_the_documents_limit_is_refused(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    big = pdf(data=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="at most 1 MB"):
        services.upload_file(
            actor=cast.quinn, application=application, file=big, document=call.documents.get()
        )


def test_a_new_upload_replaces_the_earlier_one(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    application = services.start_application(actor=cast.quinn, call=call)
    document = call.documents.get()
    services.upload_file(
        actor=cast.quinn, application=application, file=pdf("a.pdf"), document=document
    )
    services.upload_file(
        actor=cast.quinn, application=application, file=pdf("b.pdf"), document=document
    )
    assert list(application.uploads.values_list("original_name", flat=True)) == ["b.pdf"]


def test_a_document_asks_only_for_known_types(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    with pytest.raises(ValidationError) as caught:
        services.add_document(actor=cast.alice, call=call, name_en="Diploma", file_types="exe")
    assert "file_types" in caught.value.message_dict


def test_a_deadline_in_the_past_is_shown_closed(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy, deadline=timezone.now() - timedelta(hours=1))
    assert not call.is_open()
