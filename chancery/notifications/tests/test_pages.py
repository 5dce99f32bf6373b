"""The inbox and its bell, the office's outbox and switches: each shows only what is yours."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chancery.notifications import kinds
from chancery.notifications.models import (
    MailStatus,
    Notification,
    NotificationSetting,
    OutgoingMail,
)
from chancery.notifications.queries import unread_count
from chancery.notifications.services import notify


def _tell(
    cast: Any, user: Any, subject: str, link: str = "/programmes/mine/", office: Any = None
) -> Notification:
    [entry] = notify(
        kind="message",
        recipients=[user],
        office=office or cast.academy,
        context={"subject": subject, "body": f"About {subject}."},
        link=link,
    )
    return entry


@pytest.mark.django_db
def test_the_inbox_lists_your_notifications_newest_first_unread_highlighted(cast: Any) -> None:
    first = _tell(cast, cast.pat, "First news")
    _tell(cast, cast.pat, "Second news")
    _tell(cast, cast.quinn, "Quinn's news")
    first.read_at = first.created_at
    first.save()
    page = cast.client_for(cast.pat).get("/notifications/").content.decode()
    assert page.index("Second news") < page.index("First news")
    assert "Quinn" not in page
    assert 'class="card unread"' in page and page.count('class="card unread"') == 1
    assert "1 unread notification" in page  # the bell


@pytest.mark.django_db
def test_the_bell_counts_unread_with_one_query_a_request(cast: Any) -> None:
    for n in range(3):
        _tell(cast, cast.pat, f"News {n}")
    client = cast.client_for(cast.pat)
    page = client.get("/programmes/mine/").content.decode()
    assert 'id="notification-bell"' in page and "3 unread notifications" in page
    with CaptureQueriesContext(connection) as queries:
        client.get("/programmes/mine/")
    counting = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1
    user = cast.pat
    with CaptureQueriesContext(connection) as again:
        assert unread_count(user) == 3
        assert unread_count(user) == 3
    assert len(again.captured_queries) == 1


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_follows_its_link(cast: Any) -> None:
    entry = _tell(cast, cast.pat, "Placed", link="/programmes/mine/")
    client = cast.client_for(cast.pat)
    response = client.get(f"/notifications/{entry.pk}/")
    assert response.status_code == 302 and response["Location"] == "/programmes/mine/"
    entry.refresh_from_db()
    assert entry.read_at is not None
    assert "unread notification" not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_a_link_to_the_site_address_opens_in_the_app(cast: Any, settings: Any) -> None:
    settings.SITE_URL = "https://chancery.example.org"
    entry = _tell(cast, cast.pat, "Placed", link="https://chancery.example.org/programmes/mine/")
    assert entry.link == "/programmes/mine/"
    response = cast.client_for(cast.pat).get(f"/notifications/{entry.pk}/")
    assert response["Location"] == "/programmes/mine/"


@pytest.mark.django_db
def test_a_notification_without_a_link_is_shown(cast: Any) -> None:
    entry = _tell(cast, cast.pat, "Just so you know", link="")
    response = cast.client_for(cast.pat).get(f"/notifications/{entry.pk}/")
    assert response.status_code == 200
    assert "About Just so you know." in response.content.decode()


@pytest.mark.django_db
def test_another_users_notification_is_not_found(cast: Any) -> None:
    entry = _tell(cast, cast.pat, "Private")
    client = cast.client_for(cast.quinn)
    assert client.get(f"/notifications/{entry.pk}/").status_code == 404
    assert client.post(f"/notifications/{entry.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    entry.refresh_from_db()
    assert entry.read_at is None


@pytest.mark.django_db
def test_mark_one_and_mark_all_read(cast: Any) -> None:
    one, *_others = [_tell(cast, cast.pat, f"N{n}") for n in range(3)]
    client = cast.client_for(cast.pat)
    response = client.post(f"/notifications/{one.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Mark all 2 unread as read" in response.content.decode()
    # The bell in the header is swapped too, with the new count.
    bell = response.content.decode().split('id="notification-bell"', 1)[1].split("</a>", 1)[0]
    assert 'hx-swap-oob="true"' in bell and '<span class="bell-count" aria-hidden="true">2<' in bell
    assert '<span class="visually-hidden">2 unread notifications</span>' in bell
    assert Notification.objects.filter(read_at=None).count() == 2
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at=None).exists()
    assert client.get("/notifications/read-all/").status_code == 405


def _failed_mail(cast: Any, office: Any, address: str) -> OutgoingMail:
    notify(
        kind="message",
        recipients=[address],
        office=office,
        context={"subject": f"To {address}", "body": "x"},
    )
    mail = OutgoingMail.objects.get(address=address)
    mail.status, mail.attempts = MailStatus.FAILED, 12
    mail.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    mail.save()
    return mail


@pytest.mark.django_db
def test_the_outbox_shows_the_offices_failures_and_no_other_offices(cast: Any) -> None:
    ours = _failed_mail(cast, cast.academy, "ours@example.org")
    theirs = _failed_mail(cast, cast.ministry, "theirs@example.org")
    page = cast.client_for(cast.alice).get("/notifications/outbox/").content.decode()
    assert "ours@example.org" in page and "Connection unexpectedly closed" in page
    assert "theirs@example.org" not in page
    assert f"/notifications/outbox/{ours.pk}/retry/" in page
    other = cast.client_for(cast.charlie).get("/notifications/outbox/").content.decode()
    assert "theirs@example.org" in other and "ours@example.org" not in other
    # Another office's officer cannot retry it; a viewer or a participant cannot see any.
    assert (
        cast.client_for(cast.charlie).post(f"/notifications/outbox/{ours.pk}/retry/").status_code
        == 404
    )
    assert cast.client_for(cast.bob).get("/notifications/outbox/").status_code == 403
    assert cast.client_for(cast.pat).get("/notifications/outbox/").status_code == 403
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.status == theirs.status == MailStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_retrying_from_the_outbox_sends_it(cast: Any, smtp: Any) -> None:
    mail = _failed_mail(cast, cast.academy, "ours@example.org")
    smtp.messages.clear()
    response = cast.client_for(cast.alice).post(f"/notifications/outbox/{mail.pk}/retry/")
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert len(smtp.to("ours@example.org")) == 1
    assert mail.history.filter(history_user=cast.alice, history_change_reason="retry").exists()
    again = cast.client_for(cast.alice).post(f"/notifications/outbox/{mail.pk}/retry/", follow=True)
    assert "Only a failed or waiting mail can be retried." in again.content.decode()


@pytest.fixture
def switchable(monkeypatch: Any) -> None:
    monkeypatch.setattr(
        kinds,
        "KINDS",
        {
            "message": kinds.KINDS["message"],
            "placed": kinds.Kind("Placed", "To the intern."),
            "selected": kinds.Kind("Selected", "To the applicant."),
        },
    )


@pytest.mark.django_db
def test_an_officer_switches_kinds_off_for_their_office(cast: Any, switchable: None) -> None:
    client = cast.client_for(cast.alice)
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="placed" checked' in page and 'value="selected" checked' in page
    assert 'value="message"' not in page  # not switchable
    response = client.post(
        "/notifications/settings/", {"office": cast.academy.pk, "enabled": ["selected"]}
    )
    assert response.status_code == 302
    setting = NotificationSetting.objects.get(office=cast.academy, kind="placed")
    assert setting.enabled is False
    assert setting.history.get().history_user == cast.alice
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="placed">' in page and 'value="selected" checked' in page
    assert notify(kind="placed", recipients=[cast.pat], office=cast.academy, context={}) == []


@pytest.mark.django_db
def test_another_offices_settings_are_out_of_reach(cast: Any, switchable: None) -> None:
    charlie = cast.client_for(cast.charlie)
    assert charlie.get(f"/notifications/settings/?office={cast.academy.pk}").status_code == 404
    response = charlie.post("/notifications/settings/", {"office": cast.academy.pk})
    assert response.status_code == 404
    assert not NotificationSetting.objects.exists()
    assert cast.client_for(cast.bob).get("/notifications/settings/").status_code == 403
    assert cast.client_for(cast.pat).get("/notifications/settings/").status_code == 403


@pytest.mark.django_db
def test_an_unknown_kind_in_the_form_is_refused_by_name(cast: Any, switchable: None) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        "/notifications/settings/", {"office": cast.academy.pk, "enabled": ["bogus"]}, follow=True
    )
    assert "bogus" in response.content.decode()
    assert not NotificationSetting.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_after_an_outage_an_officer_retries_every_failed_mail_of_their_office(
    cast: Any, smtp: Any
) -> None:
    ours = [_failed_mail(cast, cast.academy, f"ours{n}@example.org") for n in range(2)]
    theirs = _failed_mail(cast, cast.ministry, "theirs@example.org")
    smtp.messages.clear()
    client = cast.client_for(cast.alice)
    assert "Retry every failed mail" in client.get("/notifications/outbox/").content.decode()
    page = client.post("/notifications/outbox/retry-failed/", follow=True).content.decode()
    assert "2 failed mail(s) queued to be sent again." in page
    assert "Retry every failed mail" not in page
    for mail in ours:
        mail.refresh_from_db()
        assert mail.status == MailStatus.SENT
    theirs.refresh_from_db()
    assert theirs.status == MailStatus.FAILED
    assert {m["X-Envelope-To"] for m in smtp.messages} == {"ours0@example.org", "ours1@example.org"}
    assert cast.client_for(cast.bob).post("/notifications/outbox/retry-failed/").status_code == 403
