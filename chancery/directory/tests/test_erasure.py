"""Personal data: an officer exports everything recorded about a person, or erases it,
keeping anonymised statistics; erasure is refused while the data must be kept."""

import json
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from chancery.accounts import services as accounts
from chancery.accounts.models import ApiToken
from chancery.accounts.services import create_token
from chancery.core.actors import SYSTEM
from chancery.directory import personal_data, services
from chancery.directory.models import AffiliationRole, ConsentKind, Person
from chancery.events import services as events
from chancery.events.models import Attendance, Photo
from chancery.events.tests.factories import Outreach, almaty, image_bytes, make_outreach
from chancery.programmes import queries as programme_queries
from chancery.programmes import services as programmes
from chancery.programmes.models import Certificate, Enrolment
from conftest import PASSWORD

# Words that appear only in the person's own data: none may survive an erasure, anywhere.
SECRETS = (
    "Zebulon",
    "Quixotic",
    "Зебулон",
    "zeb@quixotic.example",
    "+7 701 555 0199",
    "zz-note",
    "zz-motivation",
    "zz-comment",
    "zz-testimonial",
    "zz-title",
    "zz-consent-note",
    "zz-caption",
    "zz-report",
)


@dataclass
class Record:
    person: Person
    enrolment: Enrolment
    certificate: Certificate
    photo: Photo
    outreach: Outreach


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def record(cast: Any) -> Record:
    """Pat, renamed Zebulon Quixotic, with something recorded in every app."""
    person = services.update_person(
        actor=cast.alice,
        person=cast.pat_person,
        given_name="Zebulon",
        family_name="Quixotic",
        given_name_cyrl="Зебулон",
        email="zeb@quixotic.example",
        phone="+7 701 555 0199",
        birth_date=date(1999, 4, 1),
        class_year=2021,
        notes="zz-note",
    )
    services.record_consent(
        actor=cast.alice, person=person, kind=ConsentKind.MEDIA, note="zz-consent-note"
    )
    services.add_affiliation(
        actor=cast.alice,
        person=person,
        organisation=cast.academy,
        role=AffiliationRole.ALUMNUS,
        title="zz-title",
    )
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="Internships"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="2025", year=2025, starts_on=date(2025, 2, 1)
    )
    enrolment = programmes.apply(
        actor=cast.alice, edition=edition, person=person, motivation="zz-motivation"
    )
    programmes.select(actor=cast.alice, enrolment=enrolment, reason="zz-motivation again")
    placement = programmes.place(
        actor=cast.alice, enrolment=enrolment, host=cast.ministry, start=date(2025, 2, 1)
    )
    programmes.start(actor=cast.alice, enrolment=enrolment)
    supervisor = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Sam", family_name="Supervisor"
    )
    programmes.evaluate(
        actor=cast.sam,
        placement=placement,
        evaluator=supervisor,
        scores=dict.fromkeys(("knowledge", "analysis", "initiative", "teamwork", "reliability"), 4),
        comment="zz-comment",
    )
    programmes.complete(actor=cast.alice, enrolment=enrolment, on=date(2025, 4, 30))
    programmes.upload_final_report(
        actor=cast.pat, enrolment=enrolment, file=ContentFile(b"zz-report", name="zz-report.txt")
    )
    programmes.write_testimonial(
        actor=cast.pat, enrolment=enrolment, text="zz-testimonial", publish=True
    )
    certificate = programmes.issue_certificate(actor=cast.alice, enrolment=enrolment)

    outreach = make_outreach(cast, PASSWORD)
    services.add_affiliation(
        actor=cast.alice, person=person, organisation=outreach.school, role=AffiliationRole.STAFF
    )
    event = events.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Japan",
        public=True,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
    )
    events.record_attendance(actor=SYSTEM, event=event, person=person)
    events.record_attendance(actor=SYSTEM, event=event, person=outreach.pupil)
    photo = events.add_photo(
        actor=cast.alice,
        event=event,
        caption="zz-caption",
        image=SimpleUploadedFile("zz.png", image_bytes(), "image/png"),
        people=[person],
    )
    create_token(user=cast.pat, name="zz-token")
    # Invited to a second role at the address (a first link replaced, the second taken), which
    # allauth keeps as the account's verified address.
    first, _token = accounts.invite(
        actor=cast.alice, person=person, role="viewer", organisation=cast.academy
    )
    second, _token = accounts.reinvite(actor=cast.alice, invitation=first)
    accounts.take_invitation(invitation=second, user=cast.pat)
    EmailAddress.objects.create(
        user=cast.pat, email="zeb@quixotic.example", verified=True, primary=True
    )
    person.refresh_from_db()
    return Record(
        person=person, enrolment=enrolment, certificate=certificate, photo=photo, outreach=outreach
    )


def _everything_stored() -> str:
    """Every row of every table Chancery keeps (audit copies included), as one text."""
    rows: list[str] = []
    for model in apps.get_models():
        if model._meta.app_label in {"contenttypes", "auth", "sessions", "admin"}:
            continue
        rows.extend(str(row) for row in model._default_manager.values())
    return "\n".join(rows)


# Export


def test_the_export_holds_everything_recorded_about_the_person_and_no_password(
    cast: Any, record: Record
) -> None:
    data = services.export_personal_data(person=record.person)
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRETS:
        assert secret in text, secret
    assert data["person"]["email"] == "zeb@quixotic.example"
    assert [c["country"] for c in data["citizenships"]] == ["KZ"]
    enrolment = data["enrolments"][0]
    assert enrolment["state"] == "completed"
    assert enrolment["placements"][0]["evaluation"]["comment"] == "zz-comment"
    assert enrolment["certificate"]["code"] == record.certificate.code
    assert enrolment["testimonial"]["text"] == "zz-testimonial"
    assert len(data["attendance"]) == 1
    assert data["photos"][0]["caption"] == "zz-caption"
    assert data["user"]["username"] == "pat"
    assert data["user"]["api_tokens"][0]["name"] == "zz-token"
    assert "password" not in text and "digest" not in text
    references = data["referred_to_by"]
    assert references["events.Attendance.person"] == [
        a.pk for a in Attendance.objects.filter(person=record.person)
    ]
    assert references["programmes.Enrolment.person"] == [record.enrolment.pk]
    assert references["events.Photo.people"] == [record.photo.pk]
    recorded = {entry["record"] for entry in data["history"]}
    assert {
        "person",
        "consent",
        "affiliation",
        "enrolment",
        "placement",
        "evaluation",
        "certificate",
        "attendance",
    } <= recorded
    assert any(
        change["field"] == "given name (Latin)" and change["new"] == "Zebulon"
        for entry in data["history"]
        for change in entry["changes"]
    )


def test_an_officer_downloads_the_export_from_the_page_and_the_api(
    cast: Any, record: Record
) -> None:
    client = cast.client_for(cast.alice)
    page = client.get(f"/directory/people/{record.person.pk}/")
    assert f"/directory/people/{record.person.pk}/personal-data.json" in page.content.decode()
    response = client.get(f"/directory/people/{record.person.pk}/personal-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="person-{record.person.pk}.json"'
    )
    assert json.loads(response.content)["person"]["given_name"] == "Zebulon"
    api = client.get(f"/api/people/{record.person.pk}/personal-data")
    assert api.status_code == 200
    assert api.json()["person"]["family_name"] == "Quixotic"


@pytest.mark.parametrize("who", ["bob", "charlie", "pat"])
def test_only_an_officer_of_the_keeping_office_exports_or_erases(cast: Any, who: str) -> None:
    client = cast.client_for(getattr(cast, who))
    pk = cast.quinn_person.pk
    assert client.get(f"/directory/people/{pk}/personal-data.json").status_code in (403, 404)
    assert client.get(f"/directory/people/{pk}/erase/").status_code in (403, 404)
    assert client.post(
        f"/directory/people/{pk}/erase/", {"confirmation": "Quinn Sample"}
    ).status_code in (403, 404)
    assert client.get(f"/api/people/{pk}/personal-data").status_code in (403, 404)
    assert client.post(
        f"/api/people/{pk}/erase", {"confirm": "Quinn Sample"}, content_type="application/json"
    ).status_code in (403, 404)
    assert Person.objects.get(pk=pk).given_name == "Quinn"


# Erasure


def test_erasure_leaves_no_personal_data_anywhere_not_even_in_the_audit_trail(
    cast: Any, record: Record, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo_file = Path(settings.MEDIA_ROOT) / record.photo.image.name
    assert photo_file.exists()
    before = _everything_stored()
    assert all(secret in before for secret in SECRETS)

    with django_capture_on_commit_callbacks(execute=True):  # files go once it is committed
        services.erase_person(actor=cast.alice, person=record.person)

    after = _everything_stored()
    assert [secret for secret in SECRETS if secret in after] == []
    person = Person.objects.get(pk=record.person.pk)
    assert person.name == f"Erased person #{person.pk}"
    assert (person.birth_date, person.class_year, person.email, person.phone) == (
        None,
        None,
        "",
        "",
    )
    assert personal_data.is_erased(person)
    assert not photo_file.exists()
    assert not Photo.objects.filter(pk=record.photo.pk).exists()


def test_erasure_keeps_the_statistics_right(cast: Any, record: Record) -> None:
    programme = record.enrolment.edition.programme
    report = programme_queries.programme_report(programme)
    attendance = Attendance.objects.filter(event__edition=record.outreach.edition).count()

    services.erase_person(actor=cast.alice, person=record.person)

    after = programme_queries.programme_report(programme)
    assert after.completions_by_year == report.completions_by_year == [(2025, 1)]
    assert after.by_citizenship == report.by_citizenship
    assert after.by_host == report.by_host
    assert after.pipeline == report.pipeline
    assert (
        Attendance.objects.filter(event__edition=record.outreach.edition).count()
        == (attendance)
        == 2
    )
    assert Enrolment.objects.get(pk=record.enrolment.pk).person_id == record.person.pk


def test_the_certificate_stays_verifiable_and_names_the_holder_erased(
    cast: Any, record: Record
) -> None:
    services.erase_person(actor=cast.alice, person=record.person)
    page = Client().get(f"/verify/{record.certificate.code}/").content.decode()
    assert "Valid" in page
    assert f"Erased person #{record.person.pk}" in page
    assert "Zebulon" not in page


def test_the_account_can_no_longer_sign_in_and_its_tokens_are_gone(
    cast: Any, record: Record
) -> None:
    services.erase_person(actor=cast.alice, person=record.person)
    cast.pat.refresh_from_db()
    assert cast.pat.username == f"erased-{cast.pat.pk}"
    assert not cast.pat.is_active and not cast.pat.has_usable_password()
    assert not cast.pat.role_assignments.exists()
    assert not ApiToken.objects.filter(user=cast.pat).exists()
    for username in ("pat", cast.pat.username):
        client = Client()
        client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert client.get("/programmes/mine/").status_code == 302  # sent to sign in


def test_the_audit_trail_says_who_erased_the_record_and_when(cast: Any, record: Record) -> None:
    services.erase_person(actor=cast.alice, person=record.person)
    latest = record.person.history.order_by("-history_id").first()
    assert latest.history_user == cast.alice
    assert latest.history_change_reason == personal_data.ERASURE_REASON
    page = (
        cast.client_for(cast.alice)
        .get(f"/directory/people/{record.person.pk}/history/")
        .content.decode()
    )
    assert "Personal data erased on" in page and "by alice" in page


@pytest.mark.parametrize("situation", ["serving", "guardian", "consents", "erased"])
def test_erasure_is_refused_while_the_data_must_be_kept(cast: Any, situation: str) -> None:
    person = cast.quinn_person
    expected = {
        "serving": "is placed or serving",
        "guardian": "is the recorded guardian",
        "consents": "gave consents for others",
        "erased": "already erased",
    }[situation]
    if situation == "serving":
        programme = programmes.create_programme(
            actor=SYSTEM, owner=cast.academy, kind="internship", name_en="P"
        )
        edition = programmes.create_edition(actor=SYSTEM, programme=programme, name="E", year=2030)
        enrolment = programmes.apply(actor=SYSTEM, edition=edition, person=person)
        programmes.select(actor=SYSTEM, enrolment=enrolment)
        programmes.place(
            actor=SYSTEM, enrolment=enrolment, host=cast.ministry, start=date(2030, 1, 1)
        )
    elif situation in ("guardian", "consents"):
        ward = services.create_person(
            actor=SYSTEM,
            owner=cast.academy,
            given_name="Ward",
            birth_date=date(2015, 1, 1),
            guardian=person,
        )
        services.record_consent(
            actor=SYSTEM, person=ward, kind=ConsentKind.DATA_PROCESSING, given_by=person
        )
        if situation == "consents":
            services.update_person(actor=SYSTEM, person=ward, guardian=None)
    else:
        services.erase_person(actor=SYSTEM, person=person)
    with pytest.raises(ValidationError) as refused:
        services.erase_person(actor=cast.alice, person=person)
    assert expected in " ".join(refused.value.messages)
    page = cast.client_for(cast.alice).get(f"/directory/people/{person.pk}/erase/")
    assert expected in page.content.decode()
    assert 'id="erase-form"' not in page.content.decode()


def test_the_page_asks_for_the_name_typed_before_erasing(cast: Any, record: Record) -> None:
    client = cast.client_for(cast.alice)
    url = f"/directory/people/{record.person.pk}/erase/"
    assert f'href="{url}"' in client.get(f"/directory/people/{record.person.pk}/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'id="erase-form"' in page.content.decode()
    wrong = client.post(url, {"confirmation": "Quinn Sample"})
    assert wrong.status_code == 422
    assert "not the person&#x27;s name" in wrong.content.decode()
    assert Person.objects.get(pk=record.person.pk).given_name == "Zebulon"
    done = client.post(url, {"confirmation": "  zebulon   QUIXOTIC "})
    assert done.status_code == 302
    assert personal_data.is_erased(Person.objects.get(pk=record.person.pk))


def test_the_api_erases_with_the_name_as_confirmation(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    pk = cast.quinn_person.pk
    wrong = client.post(
        f"/api/people/{pk}/erase", {"confirm": "Pat"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "confirm"]
    done = client.post(
        f"/api/people/{pk}/erase", {"confirm": "Quinn Sample"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["name"] == f"Erased person #{pk}"
    again = client.post(
        f"/api/people/{pk}/erase",
        {"confirm": f"Erased person #{pk}"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert "already erased" in again.json()["detail"][0]["msg"]


def test_the_command_line_refuses_a_viewer_as_the_erase_page_does(cast: Any) -> None:
    pk = cast.quinn_person.pk
    viewer = cast.client_for(cast.bob)
    assert viewer.get(f"/directory/people/{pk}/erase/").status_code == 403
    assert viewer.get(f"/directory/people/{pk}/personal-data.json").status_code == 403
    rows = Person.objects.get(pk=pk).history.count()
    with pytest.raises(CommandError, match=rf"^--as: bob may not erase person #{pk}\.$"):
        call_command("person", "--as", "bob", "erase", str(pk), "--confirm", stdout=StringIO())
    with pytest.raises(CommandError, match=rf"^--as: bob may not export person #{pk}\.$"):
        call_command("person", "--as", "bob", "export", str(pk), stdout=StringIO())
    with pytest.raises(CommandError, match=rf"^--as: charlie may not erase person #{pk}\.$"):
        call_command("person", "--as", "charlie", "erase", str(pk), "--confirm", stdout=StringIO())
    person = Person.objects.get(pk=pk)
    assert person.given_name == "Quinn" and person.history.count() == rows
    out = StringIO()
    call_command("person", "--as", "alice", "export", str(pk), stdout=out)
    assert json.loads(out.getvalue())["person"]["given_name"] == "Quinn"


def test_the_command_line_exports_and_erases_only_with_confirm(cast: Any, tmp_path: Path) -> None:
    pk = str(cast.quinn_person.pk)
    out = StringIO()
    call_command("person", "export", pk, stdout=out)
    assert json.loads(out.getvalue())["person"]["given_name"] == "Quinn"
    call_command("person", "export", pk, "-o", str(tmp_path / "q.json"), stdout=StringIO())
    assert json.loads((tmp_path / "q.json").read_text())["person"]["family_name"] == "Sample"
    with pytest.raises(CommandError, match="--confirm"):
        call_command("person", "erase", pk, stdout=StringIO())
    assert Person.objects.get(pk=pk).given_name == "Quinn"
    out = StringIO()
    call_command("person", "--as", "alice", "erase", pk, "--confirm", stdout=out)
    assert f"Erased person #{pk}" in out.getvalue()
    assert Person.objects.get(pk=pk).history.latest().history_user == cast.alice
    with pytest.raises(CommandError, match="already erased"):
        call_command("person", "erase", pk, "--confirm", stdout=StringIO())
    with pytest.raises(CommandError, match="no person #999999"):
        call_command("person", "export", "999999", stdout=StringIO())
