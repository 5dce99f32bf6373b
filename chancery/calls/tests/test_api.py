"""Calls and applications over JSON: the same services and queries as the pages, the same
refusals (by field, 422), and nobody reads another's application."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chancery.accounts.services import create_token
from chancery.calls import services
from chancery.calls.models import Application, ApplicationStatus, Call, Upload
from chancery.calls.tests.factories import PDF, make_call, pdf
from chancery.programmes.models import Enrolment, EnrolmentState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _api(user: Any, **headers: str) -> Client:
    """A client that authenticates with an API token, as a script would."""
    _token, secret = create_token(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {secret}", **headers})


def _json(client: Client, method: str, url: str, body: Any = None) -> Any:
    return client.generic(
        method, url, "" if body is None else json.dumps(body), content_type="application/json"
    )


def _loc(response: Any) -> set[str]:
    return {problem["loc"][-1] for problem in response.json()["detail"]}


def test_signed_in_callers_read_the_open_calls_and_a_call_s_form(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    services.add_question(
        actor=cast.alice,
        call=call,
        kind="choice",
        label_en="Track",
        label_ru="Направление",
        choices_en="Policy\nLaw",
        choices_ru="Политика\nПраво",
        required=False,
    )
    hidden = make_call(cast.alice, cast.academy, slug="hidden")
    services.update_call(actor=cast.alice, call=hidden, published=False)
    assert Client().get("/api/calls").status_code == 401
    client = _api(cast.quinn)
    listed = client.get("/api/calls").json()
    assert [item["slug"] for item in listed["items"]] == ["jpo-2028"]
    assert listed["items"][0]["open"] is True and listed["count"] == 1
    assert client.get("/api/calls/hidden").status_code == 404
    detail = _api(cast.quinn, **{"Accept-Language": "ru"}).get("/api/calls/jpo-2028").json()
    assert detail["title"] == "JPO 2028 (ru)"
    labels = {q["label"]: q for q in detail["questions"]}
    assert set(labels) == {"Ваш университет", "Motivation", "Направление"}
    assert labels["Motivation"]["word_limit"] == 5
    assert labels["Направление"]["options"] == ["Политика", "Право"]
    assert labels["Направление"]["required"] is False
    [document] = detail["documents"]
    assert document == {
        "id": call.documents.get().pk,
        "name": "CV",
        "types": ["pdf"],
        "max_mb": 1,
        "required": True,
    }


def test_an_applicant_drafts_uploads_and_submits(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    short, long = call.questions.all()
    cv = call.documents.get()
    client = _api(cast.quinn)
    started = client.post("/api/calls/jpo-2028/applications")
    assert started.status_code == 201, started.content
    pk = started.json()["id"]
    assert started.json()["status"] == "draft"
    again = client.post("/api/calls/jpo-2028/applications")
    assert again.status_code == 200 and again.json()["id"] == pk
    saved = _json(
        client,
        "PATCH",
        f"/api/applications/{pk}",
        {
            "answers": {str(short.pk): " KazNU ", str(long.pk): "I want to serve."},
            "given_name": "Quinn",
            "family_name": "Sample",
        },
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["answers"] == {str(short.pk): "KazNU", str(long.pk): "I want to serve."}
    assert [m["field"] for m in saved.json()["missing"]] == [cv.field_name]
    # A change of one answer keeps the others and the names.
    kept = _json(
        client, "PATCH", f"/api/applications/{pk}", {"answers": {str(long.pk): "To serve."}}
    ).json()
    assert kept["answers"][str(short.pk)] == "KazNU" and kept["given_name"] == "Quinn"
    uploaded = client.post(
        f"/api/applications/{pk}/files", {"document": cv.pk, "file": pdf("my cv.pdf")}
    )
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["kind"] == "pdf" and uploaded.json()["size"] == len(PDF)
    assert uploaded.json()["name"] == "my cv.pdf"
    upload = Upload.objects.get(application_id=pk)
    with upload.file.open("rb") as kept_file:
        assert kept_file.read() == PDF
    # The file's address is the application page's download, for a signed-in session.
    download = cast.client_for(cast.quinn).get(uploaded.json()["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    submitted = client.post(f"/api/applications/{pk}/submit")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and body["missing"] == []
    enrolment = Enrolment.objects.get(edition=call.edition, person=cast.quinn_person)
    assert body["enrolment"] == enrolment.pk
    assert enrolment.state in (EnrolmentState.APPLIED, EnrolmentState.ELIGIBLE)
    # Submitted: no more changes.
    refused = _json(client, "PATCH", f"/api/applications/{pk}", {"given_name": "Other"})
    assert refused.status_code == 422
    assert "submitted" in refused.json()["detail"][0]["msg"]
    assert client.get("/api/applications").json()["items"][0]["status"] == "submitted"


def test_submitting_an_incomplete_application_names_each_missing_field(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    short, long = call.questions.all()
    client = _api(cast.quinn)
    pk = client.post("/api/calls/jpo-2028/applications").json()["id"]
    _json(
        client,
        "PATCH",
        f"/api/applications/{pk}",
        {"answers": {str(long.pk): "one two three four five six"}, "given_name": "Quinn"},
    )
    response = client.post(f"/api/applications/{pk}/submit")
    assert response.status_code == 422, response.content
    assert _loc(response) == {
        "family_name",
        short.field_name,
        long.field_name,
        call.documents.get().field_name,
    }
    messages = " ".join(p["msg"] for p in response.json()["detail"])
    assert "Your university" in messages and "6 words; at most 5" in messages
    assert Application.objects.get(pk=pk).status == ApplicationStatus.DRAFT
    assert not Enrolment.objects.filter(edition=call.edition).exists()


def test_answers_and_files_that_cannot_be_read_are_refused_by_field(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    born = services.add_question(actor=cast.alice, call=call, kind="date", label_en="Born")
    photo = services.add_question(actor=cast.alice, call=call, kind="file", label_en="Photo")
    short = call.questions.first()
    cv = call.documents.get()
    client = _api(cast.quinn)
    pk = client.post("/api/calls/jpo-2028/applications").json()["id"]
    url = f"/api/applications/{pk}"
    bad_date = _json(client, "PATCH", url, {"answers": {str(born.pk): "soon"}})
    assert bad_date.status_code == 422 and _loc(bad_date) == {born.field_name}
    assert _loc(_json(client, "PATCH", url, {"answers": {"999999": "x"}})) == {"answers"}
    file_answer = _json(client, "PATCH", url, {"answers": {str(photo.pk): "x"}})
    assert file_answer.status_code == 422 and _loc(file_answer) == {photo.field_name}
    assert _json(client, "PATCH", url, []).status_code == 422
    good = _json(client, "PATCH", url, {"answers": {str(born.pk): "2001-04-12"}})
    assert good.json()["answers"][str(born.pk)] == "2001-04-12"
    assert Application.objects.get(pk=pk).answers == {str(born.pk): "2001-04-12"}
    # Files: the content decides, the item must be the call's, and one item is named.
    text = client.post(f"{url}/files", {"document": cv.pk, "file": pdf("cv.pdf", b"not a pdf")})
    assert text.status_code == 422 and _loc(text) == {cv.field_name}
    other = make_call(cast.alice, cast.academy, slug="other").documents.get()
    assert _loc(client.post(f"{url}/files", {"document": other.pk, "file": pdf()})) == {"document"}
    assert _loc(client.post(f"{url}/files", {"question": short.pk, "file": pdf()})) == {"question"}
    assert _loc(client.post(f"{url}/files", {"file": pdf()})) == {"document"}
    assert not Upload.objects.exists()
    answered = client.post(f"{url}/files", {"question": photo.pk, "file": pdf("me.pdf")})
    assert answered.status_code == 201 and answered.json()["question"] == photo.pk


def test_after_the_deadline_nothing_is_saved_or_submitted(cast: Any) -> None:
    call = make_call(cast.alice, cast.academy)
    short, long = call.questions.all()
    client = _api(cast.quinn)
    pk = client.post("/api/calls/jpo-2028/applications").json()["id"]
    _json(
        client,
        "PATCH",
        f"/api/applications/{pk}",
        {
            "answers": {str(short.pk): "KazNU", str(long.pk): "To serve."},
            "given_name": "Quinn",
            "family_name": "Sample",
        },
    )
    client.post(
        f"/api/applications/{pk}/files", {"document": call.documents.get().pk, "file": pdf()}
    )
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    submitted = client.post(f"/api/applications/{pk}/submit")
    assert submitted.status_code == 422, submitted.content
    assert "deadline" in submitted.json()["detail"][0]["msg"]
    saved = _json(client, "PATCH", f"/api/applications/{pk}", {"given_name": "Late"})
    assert saved.status_code == 422
    assert Application.objects.get(pk=pk).status == ApplicationStatus.DRAFT
    assert Application.objects.get(pk=pk).given_name == "Quinn"
    # A new application to the closed call is refused too.
    assert _api(cast.pat).post("/api/calls/jpo-2028/applications").status_code == 422
    assert not Enrolment.objects.filter(edition=call.edition).exists()


def test_nobody_else_reads_or_changes_an_application(cast: Any) -> None:
    make_call(cast.alice, cast.academy)
    pk = _api(cast.quinn).post("/api/calls/jpo-2028/applications").json()["id"]
    for user in (cast.pat, cast.charlie, cast.bob):
        client = _api(user)
        assert client.get(f"/api/applications/{pk}").status_code == 404
        assert (
            _json(client, "PATCH", f"/api/applications/{pk}", {"given_name": "Mallory"}).status_code
            == 404
        )
        assert client.post(f"/api/applications/{pk}/files", {"file": pdf()}).status_code == 404
        assert client.post(f"/api/applications/{pk}/submit").status_code == 404
        assert client.get("/api/applications").json()["count"] == 0
    # The call's officer reads it, and changes nothing of it.
    officer = _api(cast.alice)
    assert officer.get(f"/api/applications/{pk}").json()["applicant"] == "quinn"
    assert (
        _json(officer, "PATCH", f"/api/applications/{pk}", {"given_name": "Mallory"}).status_code
        == 404
    )
    assert Application.objects.get(pk=pk).given_name == ""


def test_the_officer_lists_the_applications_to_the_calls_they_manage(cast: Any) -> None:
    make_call(cast.alice, cast.academy)
    for user in (cast.quinn, cast.pat):
        _api(user).post("/api/calls/jpo-2028/applications")
    listed = _api(cast.alice).get("/api/calls/jpo-2028/applications")
    assert listed.status_code == 200, listed.content
    assert listed.json()["count"] == 2
    assert {item["applicant"] for item in listed.json()["items"]} == {"quinn", "pat"}
    assert _api(cast.charlie).get("/api/calls/jpo-2028/applications").status_code == 404
    assert _api(cast.quinn).get("/api/calls/jpo-2028/applications").status_code == 403
    assert _api(cast.alice).get("/api/calls/nothing/applications").status_code == 404


def test_facts_eligibility_and_referees_over_json(cast: Any) -> None:
    from allauth.account.models import EmailAddress

    from chancery.accounts.models import User
    from chancery.notifications.models import OutgoingMail
    from chancery.programmes import services as programmes

    call = make_call(cast.alice, cast.academy)
    services.update_call(actor=cast.alice, call=call, referees=1)
    programmes.add_rule(
        actor=cast.alice,
        programme=call.edition.programme,
        kind="citizenship_in",
        params={"countries": ["KZ"]},
    )
    programmes.add_rule(
        actor=cast.alice,
        programme=call.edition.programme,
        kind="host_covered_by_agreement",
        params={},
    )
    user = User.objects.create_user(username="dana", email="dana@example.org", password="x")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = _api(user)
    started = client.post("/api/calls/jpo-2028/applications").json()
    url = f"/api/applications/{started['id']}"
    assert started["facts_asked"] == ["citizenships"]
    refused = _json(client, "PATCH", url, {"citizenships": ["XX"]})
    assert refused.status_code == 422 and _loc(refused) == {"citizenships"}
    saved = _json(client, "PATCH", url, {"citizenships": ["kz"]}).json()
    assert saved["citizenships"] == ["KZ"]
    checks = client.get(f"{url}/eligibility").json()
    assert checks["eligible"] is True
    assert [c["state"] for c in checks["checks"]] == ["passed", "pending"]
    assert checks["checks"][1]["code"] == "at_placement"

    named = _json(
        client, "POST", f"{url}/referees", {"name": "Prof. Bek", "email": "bek@example.org"}
    )
    assert named.status_code == 201 and named.json()["arrived"] is False
    assert OutgoingMail.objects.filter(kind="referee_request", address="bek@example.org")
    second = _json(client, "POST", f"{url}/referees", {"name": "Two", "email": "two@example.org"})
    assert second.status_code == 422
    bad = _json(client, "POST", f"{url}/referees", {"name": "X", "email": "not an address"})
    assert bad.status_code == 422 and _loc(bad) == {"email"}
    assert client.get(url).json()["referees"][0]["name"] == "Prof. Bek"
    other = _api(cast.quinn)
    referee_id = named.json()["id"]
    assert other.delete(f"{url}/referees/{referee_id}").status_code == 404
    assert client.delete(f"{url}/referees/{referee_id}").status_code == 204
    assert client.get(url).json()["referees"] == []
