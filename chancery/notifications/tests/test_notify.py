"""notify(): inbox entries and e-mails, in each recipient's language, through a real SMTP
server (the `smtp` fixture), sent by the delivery task once the transaction commits."""

from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError

from chancery.notifications import kinds
from chancery.notifications.models import MailStatus, Notification, OutgoingMail
from chancery.notifications.services import absolute_url, notify

pytestmark = pytest.mark.django_db(transaction=True)


def _message(cast: Any, recipients: list[Any], **kwargs: Any) -> list[Notification]:
    return notify(
        kind="message",
        recipients=recipients,
        office=cast.academy,
        context={"subject": "Your placement", "body": "Please read it."},
        link="/notifications/",
        **kwargs,
    )


def test_absolute_url_joins_the_site_address(settings: Any) -> None:
    settings.SITE_URL = "https://chancery.example.org"
    assert absolute_url("/programmes/3/") == "https://chancery.example.org/programmes/3/"
    assert absolute_url("programmes/") == "https://chancery.example.org/programmes/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


@pytest.mark.parametrize(
    ("language", "hello", "button", "office"),
    [
        ("en", "Hello", "Open in Chancery", "Test Academy"),
        ("ru", "Здравствуйте", "Открыть в Chancery", "Тестовая академия"),
        ("kk", "Сәлеметсіз бе", "Chancery-де ашу", "Сынақ академиясы"),
    ],
)
def test_a_notification_arrives_in_the_recipients_language(
    cast: Any, smtp: Any, settings: Any, language: str, hello: str, button: str, office: str
) -> None:
    settings.SITE_URL = "http://testserver"
    cast.academy.name_ru, cast.academy.name_kk = "Тестовая академия", "Сынақ академиясы"
    cast.academy.save()
    cast.pat.email, cast.pat.language = "pat@example.org", language
    cast.pat.save()
    [entry] = _message(cast, [cast.pat])
    assert entry.recipient == cast.pat and entry.subject == "Your placement"
    [message] = smtp.to("pat@example.org")
    assert message["Subject"] == "Your placement"
    assert message["Content-Language"] == language
    assert message["From"].addresses[0].display_name == office
    assert message["From"].addresses[0].addr_spec == settings.DEFAULT_FROM_EMAIL
    text, html = smtp.text(message), smtp.html(message)
    assert hello in text and "Please read it." in text
    assert hello in html and button in html and office in html  # the header
    link = "http://testserver/notifications/"
    assert link in text and f'href="{link}"' in html
    response = cast.client_for(cast.pat).get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "Your placement" in response.content.decode()


def test_an_address_without_an_account_gets_the_mail_in_the_language_given(
    cast: Any, smtp: Any
) -> None:
    assert _message(cast, ["guardian@example.org"], language="ru") == []
    [message] = smtp.to("guardian@example.org")
    assert "Здравствуйте" in smtp.text(message)
    assert not Notification.objects.exists()


def test_the_same_key_notifies_once(cast: Any, smtp: Any) -> None:
    cast.pat.email = "pat@example.org"
    cast.pat.save()
    assert len(_message(cast, [cast.pat, "guardian@example.org"], key="k:1")) == 1
    assert _message(cast, [cast.pat, "guardian@example.org"], key="k:1") == []
    assert len(_message(cast, [cast.pat], key="k:2")) == 1
    assert Notification.objects.filter(recipient=cast.pat).count() == 2
    assert len(smtp.to("pat@example.org")) == 2
    assert len(smtp.to("guardian@example.org")) == 1


def test_an_office_that_switched_the_kind_off_sends_nothing(
    cast: Any, smtp: Any, monkeypatch: Any
) -> None:
    from chancery.notifications.services import set_kind_enabled

    monkeypatch.setitem(kinds.KINDS, "message", kinds.Kind("Message", switchable=True))
    cast.pat.email = "pat@example.org"
    cast.pat.save()
    set_kind_enabled(actor=cast.alice, office=cast.academy, kind="message", enabled=False)
    assert _message(cast, [cast.pat, "guardian@example.org"]) == []
    assert not Notification.objects.exists() and not OutgoingMail.objects.exists()
    assert smtp.messages == []
    # Another office still sends it.
    notify(
        kind="message",
        recipients=[cast.pat],
        office=cast.ministry,
        context={"subject": "Hi", "body": "x"},
    )
    assert len(smtp.to("pat@example.org")) == 1


def test_a_bad_address_is_refused_naming_it(cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _message(cast, ["not-an-address"])
    assert "not-an-address" in str(refused.value)


def test_an_unknown_kind_is_a_programming_error(cast: Any) -> None:
    with pytest.raises(LookupError):
        notify(kind="no-such-kind", recipients=[cast.pat], context={})


def test_attachments_arrive(cast: Any, smtp: Any) -> None:
    _message(
        cast,
        ["school@example.org"],
        attachments=[("event.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    [message] = smtp.to("school@example.org")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "event.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VCALENDAR" in attachment.get_content()


def test_without_the_smtp_fixture_tests_read_the_delivery_mailer(cast: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _message(cast, ["someone@example.org"])
    [sent] = django_mail.outbox
    assert sent.to == ["someone@example.org"]
    assert OutgoingMail.objects.get().status == MailStatus.SENT
