from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "chancery.programmes"
    label = "programmes"
    verbose_name = "Programmes"
