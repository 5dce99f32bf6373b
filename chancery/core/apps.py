from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chancery.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from chancery.core import checks  # noqa: F401 - registers the deployment checks
