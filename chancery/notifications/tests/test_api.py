"""/api/notifications: the inbox of every signed-in user, the outbox and the switches of an
office's officers, through the queries and services the pages use."""

from typing import Any

import pytest
from django.test import Client

from chancery.notifications.models import (
    MailStatus,
    Notification,
    NotificationSetting,
    OutgoingMail,
)
from chancery.notifications.services import notify

pytestmark = pytest.mark.django_db


def _tell(cast: Any, user: Any, subject: str, office: Any = None) -> Notification:
    [entry] = notify(
        kind="message",
        recipients=[user],
        office=office or cast.academy,
        context={"subject": subject, "body": f"About {subject}."},
        link="/programmes/mine/",
    )
    return entry


def _mail(office: Any, address: str, status: str = MailStatus.FAILED) -> OutgoingMail:
    return OutgoingMail.objects.create(
        address=address,
        to=[address],
        office=office,
        kind="invitation",
        subject=f"To {address}",
        from_email="office@example.org",
        status=status,
        last_error="Refused" if status == "failed" else "",
    )


def _fields(response: Any) -> list[str]:
    return [problem["loc"][-1] for problem in response.json()["detail"]]


def test_the_inbox_holds_your_notifications_only_newest_first_with_the_unread_count(
    cast: Any,
) -> None:
    first = _tell(cast, cast.pat, "First news")
    second = _tell(cast, cast.pat, "Second news")
    _tell(cast, cast.quinn, "Quinn's news")
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    client = cast.client_for(cast.pat)
    inbox = client.get("/api/notifications").json()
    assert [item["id"] for item in inbox["items"]] == [second.pk, first.pk]
    assert [item["unread"] for item in inbox["items"]] == [True, False]
    assert inbox["items"][0]["subject"] == "Second news"
    unread = client.get("/api/notifications?unread=true").json()
    assert [item["id"] for item in unread["items"]] == [second.pk]
    assert client.get("/api/notifications/unread-count").json() == {"unread": 1}
    paged = client.get("/api/notifications?page_size=1&page=2").json()
    assert [item["id"] for item in paged["items"]] == [first.pk] and paged["pages"] == 2
    bad = client.get("/api/notifications?unread=perhaps")
    assert bad.status_code == 422 and _fields(bad) == ["unread"]
    assert Client().get("/api/notifications").status_code == 401
    assert Client().get("/api/notifications/unread-count").status_code == 401


def test_marking_read_is_yours_alone(cast: Any) -> None:
    mine = _tell(cast, cast.pat, "Mine")
    _tell(cast, cast.pat, "Mine too")
    quinns = _tell(cast, cast.quinn, "Quinn's")
    client = cast.client_for(cast.pat)
    assert Client().post(f"/api/notifications/{mine.pk}/read").status_code == 401
    assert client.post(f"/api/notifications/{quinns.pk}/read").status_code == 404
    quinns.refresh_from_db()
    assert quinns.read_at is None
    read = client.post(f"/api/notifications/{mine.pk}/read")
    assert read.status_code == 200 and read.json()["unread"] is False
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Client().post("/api/notifications/read-all").status_code == 401
    assert client.post("/api/notifications/read-all").json() == {"count": 1}
    assert client.get("/api/notifications/unread-count").json() == {"unread": 0}
    assert Notification.objects.get(pk=quinns.pk).read_at is None


def test_the_outbox_shows_the_offices_problems_to_its_officers(cast: Any) -> None:
    failed = _mail(cast.academy, "failed@example.org")
    queued = _mail(cast.academy, "queued@example.org", MailStatus.QUEUED)
    _mail(cast.academy, "sent@example.org", MailStatus.SENT)
    _mail(cast.ministry, "ministry@example.org")
    client = cast.client_for(cast.alice)
    outbox = client.get("/api/notifications/outbox").json()
    assert [item["id"] for item in outbox["items"]] == [failed.pk, queued.pk]
    assert outbox["items"][0]["last_error"] == "Refused"
    assert outbox["items"][0]["kind_label"] == "Invitation"
    only = client.get("/api/notifications/outbox?status=queued").json()
    assert [item["id"] for item in only["items"]] == [queued.pk]
    bad = client.get("/api/notifications/outbox?status=lost")
    assert bad.status_code == 422 and _fields(bad) == ["status"]
    assert Client().get("/api/notifications/outbox").status_code == 401
    assert cast.client_for(cast.bob).get("/api/notifications/outbox").status_code == 403
    assert cast.client_for(cast.pat).get("/api/notifications/outbox").status_code == 403


def test_retrying_is_audited_and_kept_to_the_sending_office(cast: Any) -> None:
    failed = _mail(cast.academy, "failed@example.org")
    sent = _mail(cast.academy, "sent@example.org", MailStatus.SENT)
    ministrys = _mail(cast.ministry, "ministry@example.org")
    client = cast.client_for(cast.alice)
    assert Client().post(f"/api/notifications/outbox/{failed.pk}/retry").status_code == 401
    assert (
        cast.client_for(cast.bob).post(f"/api/notifications/outbox/{failed.pk}/retry").status_code
        == 403
    )
    assert client.post(f"/api/notifications/outbox/{ministrys.pk}/retry").status_code == 404
    refused = client.post(f"/api/notifications/outbox/{sent.pk}/retry")
    assert refused.status_code == 422 and _fields(refused) == ["status"]
    retried = client.post(f"/api/notifications/outbox/{failed.pk}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    failed.refresh_from_db()
    assert failed.status == MailStatus.QUEUED
    assert failed.history.latest().history_user == cast.alice
    assert OutgoingMail.objects.get(pk=ministrys.pk).status == MailStatus.FAILED


def test_retrying_every_failed_mail_touches_only_your_offices(cast: Any) -> None:
    mails = [_mail(cast.academy, f"failed{n}@example.org") for n in range(2)]
    ministrys = _mail(cast.ministry, "ministry@example.org")
    assert Client().post("/api/notifications/outbox/retry-failed").status_code == 401
    assert (
        cast.client_for(cast.pat).post("/api/notifications/outbox/retry-failed").status_code == 403
    )
    response = cast.client_for(cast.alice).post("/api/notifications/outbox/retry-failed")
    assert response.json() == {"count": 2}
    for mail in mails:
        mail.refresh_from_db()
        assert mail.status == MailStatus.QUEUED
        assert mail.history.latest().history_user == cast.alice
    assert OutgoingMail.objects.get(pk=ministrys.pk).status == MailStatus.FAILED


def test_the_offices_switches_are_read_and_set_by_its_officers(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    url = f"/api/notifications/offices/{cast.academy.pk}/kinds"
    switches = {item["kind"]: item for item in client.get(url).json()}
    assert switches["invitation"]["enabled"] is True
    assert "message" not in switches  # always sent: not switchable
    response = client.put(f"{url}/invitation", {"enabled": False}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["kind"] == "invitation" and response.json()["enabled"] is False
    setting = NotificationSetting.objects.get(office=cast.academy, kind="invitation")
    assert setting.enabled is False
    assert setting.history.latest().history_user == cast.alice
    assert {item["kind"]: item["enabled"] for item in client.get(url).json()}["invitation"] is False


def test_the_switches_refuse_others_and_name_a_bad_kind_or_value(cast: Any) -> None:
    url = f"/api/notifications/offices/{cast.academy.pk}/kinds"
    body = {"enabled": False}
    assert Client().get(url).status_code == 401
    assert (
        Client().put(f"{url}/invitation", body, content_type="application/json").status_code == 401
    )
    bob = cast.client_for(cast.bob)
    assert bob.get(url).status_code == 403
    assert bob.put(f"{url}/invitation", body, content_type="application/json").status_code == 403
    charlie = cast.client_for(cast.charlie)
    assert charlie.get(url).status_code == 404
    assert (
        charlie.put(f"{url}/invitation", body, content_type="application/json").status_code == 404
    )
    alice = cast.client_for(cast.alice)
    for kind in ("message", "no_such_kind"):
        refused = alice.put(f"{url}/{kind}", body, content_type="application/json")
        assert refused.status_code == 422 and _fields(refused) == ["kind"]
    refused = alice.put(
        f"{url}/invitation", {"enabled": "sometimes"}, content_type="application/json"
    )
    assert refused.status_code == 422 and _fields(refused) == ["enabled"]
    assert not NotificationSetting.objects.exists()
