from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "chancery.allocation"
    label = "allocation"
    verbose_name = "Allocation"
