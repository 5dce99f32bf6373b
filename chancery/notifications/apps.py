from datetime import timedelta

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chancery.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from chancery.core import observability, schedule
        from chancery.notifications import (
            checks,  # noqa: F401  (registers the system check)
            services,
        )
        from chancery.notifications.metrics import OutboxCollector

        # The outbox's sweeps: mail due for another try, and the bodies of old sent mail.
        schedule.register(schedule.Periodic("send-due-mail", timedelta(minutes=1), services.sweep))
        schedule.register(
            schedule.Periodic("forget-sent-mail", timedelta(days=1), services.forget_sent_mail)
        )
        observability.register_collector(OutboxCollector())
