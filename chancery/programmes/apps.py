from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "chancery.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from chancery.directory import journey
        from chancery.programmes import queries

        journey.register(queries.journey_steps)  # the person page's journey
