"""Delivery from the outbox: nothing is lost while the mail server is down, failures are
recorded and retried, and Django's own mail takes the same way."""

import smtplib
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.utils import timezone

from chancery.core import schedule
from chancery.core.actors import SYSTEM
from chancery.core.models import ScheduledRun
from chancery.notifications import services
from chancery.notifications.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nobody listens


def _server_down(settings: Any) -> None:
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 5},
        },
    }


def _server_up(settings: Any, smtp: Any) -> None:
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp.port, "timeout": 5},
        },
    }


def _notify(cast: Any, address: str = "pat@example.org") -> None:
    services.notify(
        kind="message",
        recipients=[address],
        office=cast.academy,
        context={"subject": "Placement", "body": "Details."},
    )


def test_a_mail_waits_while_the_server_is_down_and_goes_when_it_is_back(
    cast: Any, smtp: Any, settings: Any
) -> None:
    _server_down(settings)
    _notify(cast)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.next_attempt_at > timezone.now()
    assert smtp.messages == []
    # The sweep leaves it alone until its time has come...
    assert services.sweep().startswith("0 mail(s)")
    # ...then, with the server back, sends it.
    _server_up(settings, smtp)
    services.sweep(now=mail.next_attempt_at + timedelta(seconds=1))
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 2, "")
    [message] = smtp.to("pat@example.org")
    assert message["Subject"] == "Placement"
    # Each outcome is in the mail's history.
    assert [h.status for h in mail.history.order_by("history_id")] == [
        MailStatus.QUEUED,
        MailStatus.QUEUED,
        MailStatus.SENT,
    ]


def test_the_schedule_runs_the_sweep_every_minute(cast: Any, smtp: Any, settings: Any) -> None:
    _server_down(settings)
    _notify(cast)
    mail = OutgoingMail.objects.get()
    _server_up(settings, smtp)
    ran = schedule.run_due(now=mail.next_attempt_at + timedelta(seconds=5))
    assert any(line.startswith("send-due-mail: 1 mail(s)") for line in ran), ran
    assert ScheduledRun.objects.filter(name="send-due-mail").exists()
    assert len(smtp.to("pat@example.org")) == 1


def test_after_the_last_attempt_the_mail_is_failed_until_someone_retries_it(
    cast: Any, smtp: Any, settings: Any
) -> None:
    settings.MAIL_MAX_ATTEMPTS = 3
    _server_down(settings)
    _notify(cast)
    mail = OutgoingMail.objects.get()
    delays = []
    while mail.status == MailStatus.QUEUED:
        delays.append(mail.next_attempt_at)
        services.sweep(now=mail.next_attempt_at + timedelta(seconds=1))
        mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 3)
    assert mail.next_attempt_at is None and "ConnectionRefusedError" in mail.last_error
    services.sweep(now=timezone.now() + timedelta(days=1))
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED  # given up: only a person sends it again
    _server_up(settings, smtp)
    services.retry_mail(actor=cast.alice, mail=mail)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 4)
    retried = mail.history.filter(history_change_reason="retry").get()
    assert retried.history_user == cast.alice
    assert len(smtp.to("pat@example.org")) == 1


def test_the_wait_doubles_up_to_two_hours() -> None:
    assert [services.retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8)
    ]
    assert services.retry_delay(20) == timedelta(hours=2)


def test_a_recipient_the_server_refuses_for_good_is_failed_at_once(
    cast: Any, settings: Any, monkeypatch: Any
) -> None:
    def refuse(self: Any, messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"pat@example.org": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _notify(cast)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)
    assert "No such user" in mail.last_error


def test_a_sender_that_died_while_sending_is_replaced(cast: Any, smtp: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:  # the task is queued and never runs
        patch.setattr(services, "enqueue_delivery", lambda mail_id: None)
        _notify(cast)
    mail = OutgoingMail.objects.get()
    now = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENDING, next_attempt_at=now)
    assert services.deliver(mail.pk) == "not queued"  # someone else has it
    services.sweep(now=now + timedelta(seconds=1))
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert len(smtp.to("pat@example.org")) == 1


def test_a_mail_whose_task_was_lost_is_queued_again_by_the_sweep(cast: Any, smtp: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "enqueue_delivery", lambda mail_id: None)
        _notify(cast)
    mail = OutgoingMail.objects.get()
    assert mail.status == MailStatus.QUEUED and smtp.messages == []
    services.sweep(now=mail.next_attempt_at + timedelta(seconds=1))
    assert len(smtp.to("pat@example.org")) == 1


def test_djangos_own_mail_goes_through_the_outbox(smtp: Any, settings: Any) -> None:
    _server_down(settings)
    send_mail(
        "Reset your password",
        "Follow the link.",
        None,
        ["pat@example.org"],
        html_message="<p>Follow the <a href='http://x/'>link</a>.</p>",
    )
    mail = OutgoingMail.objects.get()
    assert (mail.kind, mail.office, mail.status) == ("", None, MailStatus.QUEUED)
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    _server_up(settings, smtp)
    services.retry_mail(actor=SYSTEM, mail=mail)
    [message] = smtp.to("pat@example.org")
    assert smtp.text(message).strip() == "Follow the link."
    assert "<a href='http://x/'>link</a>" in smtp.html(message)


def test_a_message_keeps_its_recipients_headers_and_attachments(smtp: Any) -> None:
    message = EmailMultiAlternatives(
        subject="Minutes",
        body="Attached.",
        from_email="Office <office@example.org>",
        to=["a@example.org"],
        cc=["b@example.org"],
        bcc=["c@example.org"],
        reply_to=["desk@example.org"],
        headers={"X-Thing": "1"},
    )
    message.attach("minutes.pdf", b"%PDF-1.4 binary\x00\xff", "application/pdf")
    message.attach("notes.txt", "Заметки", "text/plain")
    message.send()
    mail = OutgoingMail.objects.get()
    assert mail.status == MailStatus.SENT
    [received] = smtp.messages
    assert set(received["X-Envelope-To"].split(", ")) == {
        "a@example.org",
        "b@example.org",
        "c@example.org",
    }
    assert received["Cc"] == "b@example.org" and received["Bcc"] is None
    assert received["Reply-To"] == "desk@example.org" and received["X-Thing"] == "1"
    assert received["Message-ID"] == mail.headers["Message-ID"]
    pdf, notes = list(received.iter_attachments())
    assert pdf.get_content() == b"%PDF-1.4 binary\x00\xff"
    assert notes.get_content().strip() == "Заметки"


def test_metrics_count_sent_and_failed_mail(cast: Any, smtp: Any, settings: Any) -> None:
    from django.test import Client

    from chancery.core.observability import MAILS_FAILED, MAILS_SENT

    sent, retried = MAILS_SENT._value.get(), MAILS_FAILED.labels("retry")._value.get()
    _server_down(settings)
    _notify(cast, "down@example.org")
    _server_up(settings, smtp)
    _notify(cast, "up@example.org")
    assert MAILS_SENT._value.get() == sent + 1
    assert MAILS_FAILED.labels("retry")._value.get() == retried + 1
    settings.METRICS_TOKEN = "scraper-secret-0123456789"
    text = (
        Client()
        .get("/metrics", HTTP_AUTHORIZATION="Bearer scraper-secret-0123456789")
        .content.decode()
    )
    assert 'chancery_outgoing_mail{status="queued"} 1.0' in text
    assert 'chancery_outgoing_mail{status="sent"} 1.0' in text
    assert 'chancery_mails_failed_total{outcome="retry"}' in text


def test_sent_mail_is_forgotten_after_the_days_kept(cast: Any, smtp: Any, settings: Any) -> None:
    settings.MAIL_KEEP_DAYS = 30
    _notify(cast, "old@example.org")
    _server_down(settings)
    _notify(cast, "waiting@example.org")
    old = OutgoingMail.objects.get(address="old@example.org")
    assert services.forget_sent_mail(now=old.sent_at + timedelta(days=29)).startswith("0 ")
    assert services.forget_sent_mail(now=old.sent_at + timedelta(days=31)).startswith("1 ")
    assert list(OutgoingMail.objects.values_list("address", flat=True)) == [
        "waiting@example.org"
    ]  # not sent yet: kept however old
    assert old.history.filter(status=MailStatus.SENT).exists()  # who was sent what, and when
