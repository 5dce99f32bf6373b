"""What an operator sees: a request id on every request and log line, Prometheus metrics.

- Every request gets an id: the `X-Request-ID` a proxy sent (when it looks like one), else a new
  one; it is answered in the same header and put on every log record written while the request
  runs, so the lines of one request can be found together (LOG_FORMAT=json writes JSON lines).
- `/metrics` (Prometheus text format) counts requests by method and status, their latency and
  the database queries each made, and reads the jobs by status from the database when scraped.
  Only the operator reads it: `Authorization: Bearer <METRICS_TOKEN>`, or a superuser's session.
  With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (an empty folder, the same for
  every worker of the server) so a scrape adds up all of them (docs/deploy.md).
"""

import os
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from chancery.core.access import public
from chancery.core.logs import request_id
from chancery.core.models import Job, JobStatus

_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

REQUESTS = Counter("chancery_requests_total", "HTTP requests answered.", ["method", "status"])
LATENCY = Histogram(
    "chancery_request_seconds",
    "Time to answer a request.",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "chancery_request_queries",
    "Database queries a request made.",
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
)
# Counted where mail is sent (the workers: add them up with PROMETHEUS_MULTIPROC_DIR).
MAILS_SENT = Counter("chancery_mails_sent_total", "E-mails handed to the mail server.")
MAILS_FAILED = Counter(
    "chancery_mails_failed_total",
    "Tries to send an e-mail that failed: retried later, or given up.",
    ["outcome"],
)


class JobsCollector(Collector):
    """The background jobs by status, read from the database at each scrape."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """What it yields, without the database (asked when it is registered)."""
        yield GaugeMetricFamily("chancery_jobs", "Background jobs by status.", labels=["status"])

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count

        family = GaugeMetricFamily("chancery_jobs", "Background jobs by status.", labels=["status"])
        counts = dict(Job.objects.values_list("status").annotate(n=Count("pk")))
        for status in JobStatus.values:
            family.add_metric([status], counts.get(status, 0))
        yield family


class ObservabilityMiddleware:
    """Request id, latency, status and query count of every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = request_id.set(request.request_id)  # type: ignore[attr-defined]
        queries = [0]

        def count(execute: Callable[..., Any], *args: Any) -> Any:
            queries[0] += 1
            return execute(*args)

        started = time.perf_counter()
        try:
            with connections["default"].execute_wrapper(count):
                response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id.get()
            REQUESTS.labels(request.method or "-", str(response.status_code)).inc()
            LATENCY.labels(request.method or "-").observe(time.perf_counter() - started)
            QUERIES.observe(queries[0])
            return response
        finally:
            request_id.reset(token)


# The gauges read from the database at each scrape: core's jobs here, each app's own in its
# AppConfig.ready() (`register_collector`: notifications its outbox), so this names no app.
COLLECTORS: list[Collector] = []


def register_collector(collector: Collector) -> None:
    """Read this collector at each scrape (in-process: Prometheus' default registry)."""
    COLLECTORS.append(collector)
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        REGISTRY.register(collector)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        for collector in COLLECTORS:
            registry.register(collector)
        return registry
    return REGISTRY


def _operator(request: HttpRequest) -> bool:
    expected = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if expected and header.lower().startswith("bearer "):
        return secrets.compare_digest(header[7:].strip(), expected)
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_superuser)


@public  # checks its own reader: the operator's token or a superuser, else 401 / 403
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the operator only."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not _operator(request):
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        response = HttpResponse(status=403 if signed_in else 401)
        if not signed_in:
            response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


register_collector(JobsCollector())
