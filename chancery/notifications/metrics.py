"""The outbox's gauge on /metrics (core/observability.py reads it at each scrape)."""

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from chancery.notifications.models import MailStatus, OutgoingMail


class OutboxCollector(Collector):
    """The e-mails of the outbox by status (queued, sending, sent, failed), read at each scrape:
    right whichever process sent them."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "chancery_outgoing_mail", "E-mails in the outbox by status.", labels=["status"]
        )

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "chancery_outgoing_mail", "E-mails in the outbox by status.", labels=["status"]
        )
        counts = dict(OutgoingMail.objects.values_list("status").annotate(n=Count("pk")))
        for status in MailStatus.values:
            family.add_metric([status], counts.get(status, 0))
        yield family
