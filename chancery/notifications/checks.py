"""The outbox must have somewhere to deliver to."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

OUTBOX = "chancery.notifications.backends.OutboxBackend"


@register()
def delivery_mailer(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    mailers = getattr(settings, "MAILERS", {})
    if mailers.get("default", {}).get("BACKEND") != OUTBOX:
        return []
    delivery = mailers.get("delivery")
    if delivery is None or delivery.get("BACKEND") == OUTBOX:
        return [
            Error(
                "MAILERS['default'] is the outbox, so MAILERS['delivery'] must be the "
                "mail server it sends through (SMTP or the console).",
                id="chancery.notifications.E001",
            )
        ]
    return []
