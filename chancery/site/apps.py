from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What knows every app: the home dashboard, the header's menu, the jobs pages, the demo,
    the benchmark data set and the daily reminders (the top layer, see docs/architecture.md)."""

    name = "chancery.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from chancery.core import schedule
        from chancery.site import reminders

        schedule.register(reminders.TASK)
