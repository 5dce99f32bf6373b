from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chancery.core"
    label = "core"
    verbose_name = "Core"
