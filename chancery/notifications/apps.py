from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chancery.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from chancery.notifications import checks  # noqa: F401  (registers the system check)
