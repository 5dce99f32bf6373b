"""A guardian gives or withdraws a minor's consents through the link of an e-mail, without an
account; the record says who gave it, when, how and from where; public pages follow it."""

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chancery.core.actors import SYSTEM
from chancery.core.audit import history_of
from chancery.directory import services
from chancery.directory.models import (
    AffiliationRole,
    Consent,
    ConsentChannel,
    ConsentKind,
    ConsentRequest,
    Person,
)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LINK = re.compile(r"https?://\S+/directory/consent/[\w-]+/")


@pytest.fixture
def pupil(cast: Any) -> Person:
    """A minor kept by the Academy, whose guardian is recorded without an e-mail address."""
    guardian = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Saule", family_name="Guardianova"
    )
    return services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Aruzhan",
        family_name="Pupilova",
        birth_date=date(2014, 2, 3),
        guardian=guardian,
    )


def _request(cast: Any, pupil: Person, **extra: Any) -> ConsentRequest:
    fields = {
        "guardian": pupil.guardian,
        "guardian_email": "saule@parents.example",
        "kinds": [ConsentKind.DATA_PROCESSING, ConsentKind.MEDIA],
        "language": "ru",
    }
    return services.request_consent(actor=cast.alice, person=pupil, **{**fields, **extra})


def _token(consent_request: ConsentRequest) -> str:
    return consent_request.token  # type: ignore[attr-defined]  # set by request_consent, not stored


# The request


def test_a_request_goes_to_the_recorded_guardian_whose_address_it_fills_in(
    cast: Any, pupil: Person
) -> None:
    consent_request = _request(cast, pupil)
    guardian = Person.objects.get(pk=pupil.guardian_id)
    assert guardian.email == "saule@parents.example"
    assert consent_request.guardian == guardian and consent_request.requested_by == cast.alice
    assert consent_request.kinds == ["data", "media"] and consent_request.language == "ru"
    assert consent_request.expires_at - consent_request.created_at == timedelta(days=30)
    # Only the token's hash is kept: the token itself is nowhere in the row.
    assert _token(consent_request) not in str(
        ConsentRequest.objects.filter(pk=consent_request.pk).values().get()
    )
    assert consent_request.history.first().history_user == cast.alice


def test_a_new_guardian_is_recorded_and_becomes_the_pupils(cast: Any) -> None:
    pupil = services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Timur",
        family_name="Orphanov",
        birth_date=date(2013, 1, 1),
    )
    consent_request = services.request_consent(
        actor=cast.alice,
        person=pupil,
        kinds=[ConsentKind.MEDIA],
        guardian_given_name="Aigul",
        guardian_family_name="Orphanova",
        guardian_email="aigul@parents.example",
    )
    pupil.refresh_from_db()
    assert pupil.guardian == consent_request.guardian
    assert pupil.guardian.email == "aigul@parents.example"
    assert pupil.guardian.owner == cast.academy


def test_a_request_needs_an_address_and_a_consent_naming_the_field(
    cast: Any, pupil: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        _request(cast, pupil, guardian_email="")
    assert "guardian_email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _request(cast, pupil, kinds=[])
    assert "kinds" in error.value.message_dict
    assert not ConsentRequest.objects.exists()


def test_an_officer_of_another_office_cannot_request(cast: Any, pupil: Person) -> None:
    with pytest.raises(PermissionDenied):
        services.request_consent(
            actor=cast.charlie,
            person=pupil,
            guardian=pupil.guardian,
            guardian_email="x@example.org",
            kinds=["media"],
        )
    charlie = cast.client_for(cast.charlie)
    url = f"/directory/people/{pupil.pk}/consent-requests/new/"
    assert charlie.get(url).status_code == 404
    assert (
        charlie.post(
            url, {"guardian_email": "x@example.org", "kinds": ["media"], "language": "en"}
        ).status_code
        == 404
    )
    assert cast.client_for(cast.bob).get(url).status_code == 403  # a viewer
    assert not ConsentRequest.objects.exists()


def test_the_guardian_must_be_someone_the_officer_keeps(cast: Any, pupil: Person) -> None:
    stranger = services.create_person(
        actor=SYSTEM,
        owner=cast.ministry,
        given_name="Other",
        family_name="Office",
        email="other@example.org",
    )
    with pytest.raises(PermissionDenied):
        _request(cast, pupil, guardian=stranger)
    response = cast.client_for(cast.alice).post(
        f"/directory/people/{pupil.pk}/consent-requests/new/",
        {"guardian": str(stranger.pk), "kinds": ["media"], "language": "en"},
    )
    assert response.status_code == 422
    pupil.refresh_from_db()
    assert pupil.guardian != stranger and not ConsentRequest.objects.exists()


def test_an_office_that_switched_the_mail_off_is_told_so(cast: Any, pupil: Person) -> None:
    from chancery.notifications.services import set_kind_enabled

    set_kind_enabled(actor=SYSTEM, office=cast.academy, kind="consent_requested", enabled=False)
    with pytest.raises(ValidationError, match="switched off"):
        _request(cast, pupil)


# The link: give, withdraw, change one's mind, audit


def test_the_guardian_gives_and_withdraws_through_the_link_and_it_is_audited(
    cast: Any, pupil: Person
) -> None:
    consent_request = _request(cast, pupil)
    token = _token(consent_request)
    consent = services.answer_consent_request(
        token=token, kind="media", give=True, address="203.0.113.7"
    )
    assert consent is not None
    assert consent.given_by == pupil.guardian and consent.given_on == timezone.localdate()
    assert consent.given_via == ConsentChannel.LINK and consent.request == consent_request
    assert consent.link_address == "203.0.113.7"
    assert services.has_consent(pupil, ConsentKind.MEDIA)
    # Giving again changes nothing; withdrawing ends it, through the same link.
    assert services.answer_consent_request(token=token, kind="media", give=True) == consent
    assert Consent.objects.filter(person=pupil).count() == 1
    services.answer_consent_request(token=token, kind="media", give=False, address="203.0.113.8")
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawn_via == ConsentChannel.LINK
    assert not services.has_consent(pupil, ConsentKind.MEDIA)
    # ...and the guardian may change their mind again while the link lasts.
    again = services.answer_consent_request(token=token, kind="media", give=True)
    assert again is not None and again.pk != consent.pk
    assert services.has_consent(pupil, ConsentKind.MEDIA)
    consent_request.refresh_from_db()
    assert consent_request.answered_at is not None
    # The history names the guardian, the link's request and the address, without a user.
    actors = [
        entry.actor for entry in history_of(pupil, Consent.history.filter(person_id=pupil.pk))
    ]
    assert (
        f"Saule Guardianova (guardian), through the link of consent request "
        f"#{consent_request.pk}, from 203.0.113.7" in actors
    )
    assert any("from 203.0.113.8" in actor for actor in actors)
    assert all(record.history_user is None for record in Consent.history.all())


def test_a_link_asks_only_for_its_consents_and_only_for_its_pupil(cast: Any, pupil: Person) -> None:
    other = services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Other",
        family_name="Pupil",
        birth_date=date(2014, 1, 1),
        guardian=pupil.guardian,
    )
    consent_request = _request(cast, pupil, kinds=[ConsentKind.MEDIA])
    with pytest.raises(ValidationError) as error:
        services.answer_consent_request(
            token=_token(consent_request), kind="testimonial", give=True
        )
    assert "kind" in error.value.message_dict
    client = Client()
    url = f"/directory/consent/{_token(consent_request)}/"
    client.post(url, {"kind": "media", "action": "give", "person": other.pk, "pk": other.pk})
    assert services.has_consent(pupil, ConsentKind.MEDIA)
    assert not Consent.objects.filter(person=other).exists()
    # The officer's pages stay closed to whoever holds the link.
    assert client.get(f"/directory/people/{other.pk}/").status_code == 302


def test_an_expired_a_replaced_or_a_tampered_link_gets_a_clear_page(
    cast: Any, pupil: Person
) -> None:
    first = _request(cast, pupil, language="en")
    second = _request(cast, pupil, language="en")  # replaces the first link
    client = Client()
    replaced = client.get(f"/directory/consent/{_token(first)}/")
    assert replaced.status_code == 410
    assert "replaced by a newer one" in replaced.content.decode()
    tampered = _token(second)[:-2] + ("aa" if not _token(second).endswith("aa") else "bb")
    for url in (
        f"/directory/consent/{tampered}/",
        "/directory/consent/x/",
        f"/directory/consent/{'z' * 500}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "This link is not valid" in response.content.decode()
        assert client.post(url, {"kind": "media", "action": "give"}).status_code == 404
    later = second.expires_at + timedelta(seconds=1)
    with pytest.raises(services.LinkRefused) as refused:
        services.answer_consent_request(token=_token(second), kind="media", give=True, now=later)
    assert refused.value.reason == "expired"
    ConsentRequest.objects.filter(pk=second.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = client.post(
        f"/directory/consent/{_token(second)}/", {"kind": "media", "action": "give"}
    )
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    assert not Consent.objects.filter(person=pupil).exists()


def test_a_link_to_a_former_guardian_stops_working(cast: Any, pupil: Person) -> None:
    consent_request = _request(cast, pupil)
    newcomer = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="New", family_name="Guardian"
    )
    services.update_person(actor=cast.alice, person=pupil, guardian=newcomer)
    with pytest.raises(services.LinkRefused, match="guardian changed"):
        services.answer_consent_request(token=_token(consent_request), kind="media", give=True)
    assert Client().get(f"/directory/consent/{_token(consent_request)}/").status_code == 410


def test_the_page_speaks_the_guardians_language_and_switches(cast: Any, pupil: Person) -> None:
    consent_request = _request(cast, pupil)
    url = f"/directory/consent/{_token(consent_request)}/"
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Language"] == "ru"
    body = page.content.decode()
    assert "Aruzhan" in body and "Pupilova" not in body  # the first name only
    assert "Фото" in body or "фото" in body
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    english = client.get(url, {"language": "en"})
    assert english["Content-Language"] == "en"
    assert "Photos and media" in english.content.decode()


def test_the_page_gives_and_withdraws_and_the_person_page_shows_how(
    cast: Any, pupil: Person
) -> None:
    consent_request = _request(cast, pupil, language="en")
    url = f"/directory/consent/{_token(consent_request)}/"
    guardian = Client(REMOTE_ADDR="198.51.100.4")
    given = guardian.post(url, {"kind": "data", "action": "give"}, follow=True)
    assert given.status_code == 200 and "your answer is recorded" in given.content.decode()
    consent = Consent.objects.get(person=pupil, kind="data")
    assert consent.link_address == "198.51.100.4"
    assert guardian.post(url, {"kind": "data", "action": "nonsense"}).status_code == 302
    officer = cast.client_for(cast.alice)
    [listed] = officer.get(f"/api/people/{pupil.pk}/consents").json()
    assert (listed["given_via"], listed["request"]) == ("link", consent_request.pk)
    page = officer.get(f"/directory/people/{pupil.pk}/").content.decode()
    assert "by the guardian through the consent link" in page
    assert f"request #{consent_request.pk}" in page
    assert "pending" in page and "saule@parents.example" in page
    history = officer.get(f"/directory/people/{pupil.pk}/history/").content.decode()
    assert "through the link of consent request" in history and "198.51.100.4" in history
    # The office withdraws the link: the guardian can no longer use it.
    officer.post(f"/directory/people/{pupil.pk}/consent-requests/{consent_request.pk}/revoke/")
    assert guardian.get(url).status_code == 410
    assert "replaced or withdrawn" in officer.get(f"/directory/people/{pupil.pk}/").content.decode()


def test_another_office_cannot_withdraw_a_request(cast: Any, pupil: Person) -> None:
    consent_request = _request(cast, pupil)
    url = f"/directory/people/{pupil.pk}/consent-requests/{consent_request.pk}/revoke/"
    assert cast.client_for(cast.charlie).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.revoke_consent_request(actor=cast.charlie, consent_request=consent_request)
    consent_request.refresh_from_db()
    assert consent_request.revoked_at is None


def test_the_consent_page_is_rate_limited_like_the_public_pages(
    settings: Any, cast: Any, pupil: Person
) -> None:
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_VERIFY = "2/m"
    cache.clear()
    client = Client(REMOTE_ADDR="192.0.2.9")
    assert [client.get(f"/directory/consent/guess{n}/").status_code for n in range(2)] == [404, 404]
    assert client.get("/directory/consent/guess3/").status_code == 429
    cache.clear()


def test_the_form_page_sends_the_request(cast: Any, pupil: Person) -> None:
    officer = cast.client_for(cast.alice)
    url = f"/directory/people/{pupil.pk}/consent-requests/new/"
    form = officer.get(url)
    assert form.status_code == 200 and "Saule Guardianova" in form.content.decode()
    refused = officer.post(
        url, {"guardian": str(pupil.guardian_id), "kinds": ["media"], "language": "kk"}
    )
    assert refused.status_code == 422 and "has no e-mail address" in refused.content.decode()
    sent = officer.post(
        url,
        {
            "guardian": str(pupil.guardian_id),
            "kinds": ["media"],
            "language": "kk",
            "guardian_email": "saule@parents.example",
        },
    )
    assert sent.status_code == 302
    assert ConsentRequest.objects.get(person=pupil).language == "kk"


# The e-mail, through a real SMTP server


@pytest.mark.django_db(transaction=True)
def test_the_email_arrives_in_the_guardians_language_with_a_working_link(
    settings: Any, smtp: Any, cast: Any, pupil: Person
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    _request(cast, pupil, language="kk")
    [message] = smtp.to("saule@parents.example")
    assert "Test Academy" in message["From"]
    text = smtp.text(message)
    assert "Aruzhan" in text
    assert "Фото" in text or "фото" in text  # the consent's label, in Kazakh
    assert "Photos and media" not in text
    link = LINK.search(text)
    assert link is not None and link.group(0) in smtp.html(message)
    page = Client().get(urlsplit(link.group(0)).path)
    assert page.status_code == 200 and page["Content-Language"] == "kk"


# The media rules of the public pages follow the guardian's answer


@pytest.fixture
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.usefixtures("_media")
def test_withdrawing_media_consent_by_link_takes_the_photos_off_the_public_page(cast: Any) -> None:
    from chancery.events import services as events
    from chancery.events.tests.factories import almaty, image_bytes, make_outreach
    from conftest import PASSWORD

    outreach = make_outreach(cast, PASSWORD)
    pupil = outreach.pupil
    assert pupil.affiliations.filter(role=AffiliationRole.PUPIL).exists()
    event = events.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Poland in the EU",
        public=True,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
    )
    events.record_attendance(actor=SYSTEM, event=event, person=pupil)
    photo = events.add_photo(
        actor=SYSTEM,
        event=event,
        caption="",
        people=[pupil],
        image=SimpleUploadedFile("class.png", image_bytes(), "image/png"),
    )
    public = f"/events/editions/{outreach.edition.pk}/public/"
    visitor = Client()
    assert f"/events/photos/{photo.pk}/image" in visitor.get(public).content.decode()

    consent_request = services.request_consent(
        actor=cast.alice,
        person=pupil,
        guardian=pupil.guardian,
        kinds=[ConsentKind.MEDIA],
        guardian_email="guardian@parents.example",
        language="en",
    )
    link = f"/directory/consent/{_token(consent_request)}/"
    page = Client().get(link).content.decode()
    assert "Jas Diplomat — JD 2018" in page  # what the consent is for
    Client().post(link, {"kind": "media", "action": "withdraw"})
    assert f"/events/photos/{photo.pk}/image" not in visitor.get(public).content.decode()
    assert "Aruzhan" not in visitor.get(public).content.decode()
    assert visitor.get(f"/events/photos/{photo.pk}/image").status_code == 404
    Client().post(link, {"kind": "media", "action": "give"})
    assert f"/events/photos/{photo.pk}/image" in visitor.get(public).content.decode()


# A whole school at once


def test_the_guardians_of_a_schools_pupils_missing_consent_are_asked_at_once(
    cast: Any, pupil: Person
) -> None:
    school = services.create_organisation(actor=SYSTEM, name_en="School One", kind="school")
    guardian = Person.objects.get(pk=pupil.guardian_id)
    services.update_person(actor=SYSTEM, person=guardian, email="saule@parents.example")

    def enrol(
        given: str,
        *,
        email: str = "",
        owner: Any = cast.academy,
        born: date = date(2013, 1, 1),
        media: bool = False,
    ) -> Person:
        parent = services.create_person(
            actor=SYSTEM, owner=owner, given_name="Parent", family_name=given, email=email
        )
        child = services.create_person(
            actor=SYSTEM,
            owner=owner,
            given_name=given,
            family_name="Schoolova",
            birth_date=born,
            guardian=parent,
        )
        services.record_consent(actor=SYSTEM, person=child, kind="data", given_by=parent)
        if media:
            services.record_consent(actor=SYSTEM, person=child, kind="media", given_by=parent)
        services.add_affiliation(
            actor=SYSTEM, person=child, organisation=school, role=AffiliationRole.PUPIL
        )
        return child

    services.record_consent(actor=SYSTEM, person=pupil, kind="data", given_by=guardian)
    services.add_affiliation(
        actor=SYSTEM, person=pupil, organisation=school, role=AffiliationRole.PUPIL
    )
    no_address = enrol("Noaddress")
    enrol("Consented", email="c@parents.example", media=True)
    enrol("Grown", email="g@parents.example", born=date(2000, 1, 1))
    elsewhere = enrol("Elsewhere", email="e@parents.example", owner=cast.ministry)
    officer = cast.client_for(cast.alice)
    url = "/directory/people/consent-requests/"
    assert "School One" in officer.get(url, {"school": school.pk}).content.decode()
    page = officer.post(
        url, {"school": str(school.pk), "kinds": ["data", "media"], "language": "en"}
    ).content.decode()
    assert "1 request is sent." in page
    [sent] = ConsentRequest.objects.all()
    assert sent.person == pupil and sent.kinds == ["media"]  # only what is missing
    assert f"{no_address}</a>: no guardian with an e-mail address is recorded" in page
    again = officer.post(
        url, {"school": str(school.pk), "kinds": ["media"], "language": "en"}
    ).content.decode()
    assert "0 requests are sent." in again and "is pending" in again
    assert ConsentRequest.objects.count() == 1
    assert cast.client_for(cast.bob).get(url).status_code == 403
    # Another office asks only the guardians of the pupils it keeps.
    charlie = cast.client_for(cast.charlie).post(
        url, {"school": str(school.pk), "kinds": ["media"], "language": "en"}
    )
    assert "1 request is sent." in charlie.content.decode()
    assert ConsentRequest.objects.exclude(pk=sent.pk).get().person == elsewhere


def test_merging_people_keeps_their_consent_requests(cast: Any, pupil: Person) -> None:
    consent_request = _request(cast, pupil)
    twin = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Saule", family_name="Guardianova"
    )
    kept = services.merge_people(actor=cast.alice, keep=twin, drop=pupil.guardian)
    consent_request.refresh_from_db()
    assert consent_request.guardian == kept
    assert services.consent_request_for(_token(consent_request)).pk == consent_request.pk
