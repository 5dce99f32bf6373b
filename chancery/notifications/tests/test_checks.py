from typing import Any

from chancery.notifications.checks import OUTBOX, delivery_mailer


def test_the_outbox_needs_a_delivery_mailer(settings: Any) -> None:
    settings.MAILERS = {"default": {"BACKEND": OUTBOX}}
    assert [e.id for e in delivery_mailer()] == ["chancery.notifications.E001"]
    settings.MAILERS = {"default": {"BACKEND": OUTBOX}, "delivery": {"BACKEND": OUTBOX}}
    assert [e.id for e in delivery_mailer()] == ["chancery.notifications.E001"]
    settings.MAILERS = {
        "default": {"BACKEND": OUTBOX},
        "delivery": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
    }
    assert delivery_mailer() == []


def test_the_settings_send_all_mail_through_the_outbox(monkeypatch: Any) -> None:
    """What settings.py says, before the test run replaced every mailer with locmem."""
    import importlib

    from chancery import settings as configured

    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    monkeypatch.setenv("DEBUG", "off")
    importlib.reload(configured)
    assert configured.MAILERS["default"]["BACKEND"] == OUTBOX
    assert configured.MAILERS["delivery"]["BACKEND"] == (
        "django.core.mail.backends.smtp.EmailBackend"
    )
    assert configured.SITE_URL == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "https://chancery.example.org/")
    importlib.reload(configured)
    assert configured.SITE_URL == "https://chancery.example.org"
