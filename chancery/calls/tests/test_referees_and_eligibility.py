"""An applicant's stated facts and live eligibility, and referees' letters by signed link."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chancery.accounts.models import User
from chancery.calls import queries, services
from chancery.calls.models import Referee
from chancery.calls.tests.factories import make_call, pdf
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.notifications.models import OutgoingMail
from chancery.programmes import services as programmes
from chancery.programmes.models import EnrolmentState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _newcomer(username: str = "dana", email: str = "dana@example.org") -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(username=username, email=email, password="Long-enough-9")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _with_rules(cast: Any, call: Any) -> Any:
    programme = call.edition.programme
    for kind, params in (
        ("citizenship_in", {"countries": ["KZ", "KG"]}),
        ("age_between", {"max": 35}),
        ("host_covered_by_agreement", {}),
    ):
        programmes.add_rule(actor=cast.alice, programme=programme, kind=kind, params=params)
    return call


def _complete(application: Any, user: Any, **facts: Any) -> Any:
    short, long = application.call.questions.all()
    application = services.save_draft(
        actor=user,
        application=application,
        answers={short.pk: "KazNU", long.pk: "To serve."},
        given_name="Dana",
        family_name="Example",
        facts=facts or None,
    )
    services.upload_file(
        actor=user, application=application, file=pdf(), document=application.call.documents.get()
    )
    return application


def test_the_facts_asked_follow_the_rules_and_become_the_person_record(cast: Any) -> None:
    call = _with_rules(cast, make_call(cast.alice, cast.academy))
    user = _newcomer()
    application = services.start_application(actor=user, call=call)
    assert queries.facts_asked(application) == ["citizenships", "birth_date"]
    application = _complete(
        application, user, citizenships=["kz", "KG"], birth_date=date(2000, 5, 1)
    )
    decision = queries.eligibility_of(application)
    assert decision.eligible
    assert [c.pending for c in decision.checks] == [False, False, True]
    application = services.submit(actor=user, application=application)
    person = application.enrolment.person
    assert sorted(person.citizenship_set.values_list("country_id", flat=True)) == ["KG", "KZ"]
    assert person.birth_date == date(2000, 5, 1)
    assert application.enrolment.state == EnrolmentState.ELIGIBLE
    user.refresh_from_db()
    assert user.person_id == person.pk


def test_stated_facts_are_checked_field_by_field(cast: Any) -> None:
    call = _with_rules(cast, make_call(cast.alice, cast.academy))
    user = _newcomer()
    application = services.start_application(actor=user, call=call)
    for facts, field in (
        ({"citizenships": ["XX"]}, "citizenships"),
        ({"birth_date": timezone.localdate() + timedelta(days=1)}, "birth_date"),
        ({"class_year": 1800}, "class_year"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.save_draft(actor=user, application=application, answers={}, facts=facts)
        assert set(caught.value.message_dict) == {field}
    application.refresh_from_db()
    assert application.citizenships == [] and application.birth_date is None


def test_an_alumnus_the_office_knows_is_recognised_by_e_mail(cast: Any) -> None:
    call = _with_rules(cast, make_call(cast.alice, cast.academy))
    known = directory.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Aida",
        family_name="Known",
        email="Aida@Example.org",
        birth_date=date(1999, 1, 1),
    )
    user = _newcomer("aida", "aida@example.org")
    application = services.start_application(actor=user, call=call)
    assert queries.person_of(application) == known
    assert queries.facts_asked(application) == []  # the record's facts are used
    decision = queries.eligibility_of(application)
    assert "citizenship is not recorded" in decision.failures[0].reason
    application = services.submit(actor=user, application=_complete(application, user))
    assert application.enrolment.person == known


def test_the_live_check_words_each_condition_once_in_the_readers_language(cast: Any) -> None:
    call = _with_rules(cast, make_call(cast.alice, cast.academy))
    user = _newcomer()
    application = services.start_application(actor=user, call=call)
    client = Client()
    client.force_login(user)
    url = reverse("calls:eligibility", args=[application.pk])
    user.language = "ru"
    user.save()
    page = client.post(url, {"citizenship": "TJ", "birth_date": "2000-05-01"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Таджикистан" in text and "будет проверено при распределении" in text
    assert text.count("будет проверено при распределении") == 1
    assert "no host" not in text and "{" not in text
    user.language = "en"
    user.save()
    ok = client.post(url, {"citizenship": "KZ", "birth_date": "2000-05-01"}).content.decode()
    assert "You meet the conditions" in ok
    application.refresh_from_db()
    assert application.citizenships == []  # the live check saves nothing
    assert client.post(reverse("calls:eligibility", args=[application.pk + 1])).status_code == 404


def _referee_link(address: str) -> str:
    mail = OutgoingMail.objects.filter(kind="referee_request", address=address).latest("pk")
    found = re.search(r"https?://\S+/calls/referee/(\S+?)/", mail.text)
    assert found, mail.text
    return reverse("calls:referee", args=[found.group(1)])


def test_a_referee_uploads_a_letter_through_the_e_mailed_link(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    services.update_call(actor=cast.alice, call=call, referees=1)
    user = _newcomer()
    application = _complete(services.start_application(actor=user, call=call), user)
    with pytest.raises(ValidationError) as caught:
        services.submit(actor=user, application=application)
    assert set(caught.value.message_dict) == {"referees"}
    applicant = Client()
    applicant.force_login(user)
    page = reverse("calls:application", args=[application.pk])
    applicant.post(
        reverse("calls:referees", args=[application.pk]),
        {"action": "add", "name": "Prof. Bek", "email": "bek@example.org"},
    )
    referee = Referee.objects.get(application=application)
    assert "Awaited" in applicant.get(page).content.decode()

    link = _referee_link("bek@example.org")
    referee_browser = Client()
    assert "Prof. Bek" in referee_browser.get(link).content.decode()
    refused = referee_browser.post(
        link,
        {"letter": SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert refused.status_code == 400 and "content is not" in refused.content.decode()
    assert referee_browser.post(link, {"letter": pdf("letter.pdf")}).status_code == 302
    referee.refresh_from_db()
    assert referee.arrived and referee.letter_kind == "pdf"
    assert referee.history.first().history_user is None

    text = applicant.get(page).content.decode()
    assert "Arrived" in text and "Read the letter" not in text
    letter = reverse("calls:letter", args=[application.pk, referee.pk])
    assert applicant.get(letter).status_code in (403, 404)
    officer = cast.client_for(cast.alice)
    assert "Read the letter" in officer.get(page).content.decode()
    response = officer.get(letter)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    services.submit(actor=user, application=application)


def test_a_referee_link_that_is_altered_expired_or_taken_back_is_refused(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    user = _newcomer()
    application = services.start_application(actor=user, call=call)
    with pytest.raises(ValidationError, match="no referees"):
        services.add_referee(
            actor=user, application=application, name="Bek", email="bek@example.org"
        )
    services.update_call(actor=cast.alice, call=call, referees=1)
    referee = services.add_referee(
        actor=user, application=application, name="Bek", email="bek@example.org"
    )
    token = services.referee_token(referee)
    visitor = Client()
    assert visitor.get(reverse("calls:referee", args=[token + "x"])).status_code == 404
    assert services.referee_for(token) == referee
    later = timezone.now() + timedelta(days=services.REFEREE_LINK_DAYS, minutes=1)
    with pytest.raises(services.RefereeLinkRefused) as caught:
        services.referee_for(token, now=later)
    assert caught.value.why == "expired"
    forged = signing.dumps({"referee": referee.pk, "email": "bek@example.org"}, salt="other")
    with pytest.raises(services.RefereeLinkRefused):
        services.referee_for(forged)
    with pytest.raises(ValidationError):
        services.add_referee(
            actor=user, application=application, name="Second", email="second@example.org"
        )  # the call asks for one at most
    with pytest.raises(ValidationError):
        services.add_referee(
            actor=user, application=application, name="Me", email="DANA@example.org"
        )
    services.remove_referee(actor=user, referee=referee)
    page = visitor.get(reverse("calls:referee", args=[token]))
    assert page.status_code == 404 and "not known" in page.content.decode()


def test_the_assigned_reviewer_reads_the_answers_files_and_letters(cast: Any) -> None:
    from chancery.selection import services as selection

    call = make_call(cast.alice, cast.academy)
    services.update_call(actor=cast.alice, call=call, referees=1)
    user = _newcomer()
    application = _complete(services.start_application(actor=user, call=call), user)
    referee = services.add_referee(
        actor=user, application=application, name="Prof. Bek", email="bek@example.org"
    )
    services.upload_letter(referee=referee, file=pdf("letter.pdf"))
    application = services.submit(actor=user, application=application)
    panel = selection.set_up(actor=cast.alice, edition=call.edition)
    reviewers = [User.objects.create_user(username=f"rev{n}", password="x") for n in range(2)]
    seat = selection.add_reviewer(actor=cast.alice, panel=panel, user=reviewers[0])
    selection.add_criterion(actor=cast.alice, panel=panel, name_en="Motivation")
    selection.assign(actor=cast.alice, panel=panel, per_application=1)
    assignment = seat.assignments.get()
    reader = Client()
    reader.force_login(reviewers[0])
    page = reader.get(reverse("selection:review", args=[assignment.pk])).content.decode()
    assert "KazNU" in page and "cv.pdf" in page and "Letter from Prof. Bek" in page
    upload = application.uploads.get()
    files = [
        reverse("selection:review_file", args=[assignment.pk, upload.pk]),
        reverse("selection:review_letter", args=[assignment.pk, referee.pk]),
    ]
    for url in files:
        response = reader.get(url)
        assert response.status_code == 200
        assert response.getvalue().startswith(b"%PDF")
    stranger = Client()
    stranger.force_login(reviewers[1])
    for url in files:
        assert stranger.get(url).status_code in (403, 404)
    # Someone else's upload through the reviewer's own assignment is not reachable either.
    assert (
        reader.get(
            reverse("selection:review_file", args=[assignment.pk, upload.pk + 999])
        ).status_code
        == 404
    )
