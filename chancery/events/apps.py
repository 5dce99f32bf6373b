from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "chancery.events"
    label = "events"
    verbose_name = "Events"
