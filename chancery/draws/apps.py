from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "chancery.draws"
    label = "draws"
    verbose_name = "Draws"
