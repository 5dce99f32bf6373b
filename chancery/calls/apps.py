from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "chancery.calls"
    label = "calls"
    verbose_name = "Calls for applications"
