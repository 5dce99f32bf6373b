"""A database that cannot be reached answers 503 (a page, or JSON for the API), not 500.

The database goes away (a restart, a fail-over, a network cut) while requests run. Django raises
`OperationalError` or `InterfaceError` wherever the next query happens: in the view, or before it
in a middleware (the session and the user are loaded lazily, by the first middleware that looks at
`request.user`). A view's exception reaches `process_exception`; one raised in a middleware is
turned into a 500 response by Django before it gets here, so `got_request_exception`, which
Django sends while it handles the exception, marks the request and the 500 is replaced on its way
out. Nothing half-written stays: each write runs in a transaction, which the database rolls back.

Recovery needs nothing: Django drops a connection that raised such an error when the request
ends (and checks a kept PostgreSQL connection before reuse, CONN_HEALTH_CHECKS), so the next
request connects afresh once the database is back. With DEBUG on, Django's error page is left
as it is: there the cause is more often a missing migration than a lost server.

The log says it once: the first request that finds the database gone logs one error (the
alert, with the driver's message), each later one only Django's one-line "Service Unavailable",
and the first request that uses the database again logs that it is back. The traceback Django
logs for an exception raised in a middleware is dropped when that exception is a lost database:
during an outage it would be the same 3 KB for every request.
"""

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _

logger = logging.getLogger("chancery.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
_MARK = "_chancery_database_unavailable"


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from or while handling, is a lost database."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _wants_json(request: HttpRequest) -> bool:
    if request.path_info.startswith(API_PREFIX):
        return True
    return request.accepts("application/json") and not request.accepts("text/html")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer, rendered without touching the database (no request context)."""
    # LocaleMiddleware may not have run yet; the cookie and Accept-Language need no database.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        response: HttpResponse
        if _wants_json(request):
            response = JsonResponse(
                {"detail": _("The database is unavailable; try again in a moment.")}, status=503
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response.headers["Content-Language"] = language
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    # The security middlewares inside this one did not see this response.
    if settings.SECURE_CSP:
        response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(settings.SECURE_CSP)
    response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


class Outage:
    """Whether this process last found the database unreachable, and since when."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since: float | None = None
        self.refused = 0

    def failed(self, request: HttpRequest, error: BaseException | None) -> None:
        """A request found the database unreachable: the alert if it is the first."""
        with self._lock:
            first = self.since is None
            if first:
                self.since = time.monotonic()
            self.refused += 1
        if first:
            message = " ".join(str(error).split())[:300] if error is not None else "unknown"
            logger.error(
                "Database unreachable (%s: %s) on %s %s; answering 503 until it is back",
                type(error).__name__,
                message,
                request.method,
                request.path,
            )

    def succeeded(self) -> None:
        """A request used the database and got through: the outage, if any, is over."""
        if self.since is None:
            return
        with self._lock:
            if self.since is None:
                return
            lasted, refused = time.monotonic() - self.since, self.refused
            self.since, self.refused = None, 0
        logger.warning(
            "Database reachable again after %.0f s; %d requests were answered 503", lasted, refused
        )


outage = Outage()


def _mark_unavailable(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    error = sys.exc_info()[1]
    if request is not None and is_database_unavailable(error):
        setattr(request, _MARK, error)


got_request_exception.connect(_mark_unavailable, dispatch_uid="chancery-database-unavailable")


def _drop_outage_tracebacks(record: logging.LogRecord) -> bool:
    """Keep django.request's records but the tracebacks of a lost database (this module logs)."""
    return settings.DEBUG or not (record.exc_info and is_database_unavailable(record.exc_info[1]))


logging.getLogger("django.request").addFilter(_drop_outage_tracebacks)


class DatabaseUnavailableMiddleware:
    """Answer 503 when the database cannot be reached; see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG:
            return response
        marked = getattr(request, _MARK, None)
        if marked is not None:
            if response.status_code != 500:
                return response  # answered by process_exception, which noted it
            outage.failed(request, marked)
            return unavailable_response(request)
        database = connections[DEFAULT_DB_ALIAS]
        if database.connection is not None and not database.errors_occurred:
            outage.succeeded()  # this request used the database and nothing failed
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG or not is_database_unavailable(exception):
            return None  # with DEBUG on, Django's page shows the traceback (a missing migration)
        setattr(request, _MARK, exception)
        outage.failed(request, exception)
        return unavailable_response(request)
