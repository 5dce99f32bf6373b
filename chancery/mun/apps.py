from django.apps import AppConfig


class MunConfig(AppConfig):
    name = "chancery.mun"
    label = "mun"
    verbose_name = "Model UN"

    def ready(self) -> None:
        from chancery.directory import journey
        from chancery.mun import queries

        journey.register(queries.journey_steps)  # the person page's journey
