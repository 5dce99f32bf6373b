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
"""

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
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
        request)
    with translation.override(language):
        response: HttpResponse
        if _wants_json(request):
            response = JsonResponse(
                {"detail": _("The database is unavailable; try again in a moment.")}, status=503)
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


def _mark_unavailable(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_unavailable, dispatch_uid="chancery-database-unavailable")


class DatabaseUnavailableMiddleware:
    """Answer 503 when the database cannot be reached; see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False) and not settings.DEBUG:
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG or not is_database_unavailable(exception):
            return None  # with DEBUG on, Django's page shows the traceback (a missing migration)
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
        return unavailable_response(request)
