from django.apps import AppConfig


class MunConfig(AppConfig):
    name = "chancery.mun"
    label = "mun"
    verbose_name = "Model UN"
