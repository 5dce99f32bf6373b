from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "chancery.agreements"
    label = "agreements"
    verbose_name = "Agreements"
