from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chancery.reports"
    label = "reports"
    verbose_name = "Reports"
