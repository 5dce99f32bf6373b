from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "chancery.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from chancery.directory import journey
        from chancery.events import queries

        journey.register(queries.journey_steps)  # the person page's journey
