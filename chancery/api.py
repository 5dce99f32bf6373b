"""The JSON API: one NinjaAPI, one router per app, one way to report errors."""

import logging
from typing import Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema

from chancery.accounts.api import TokenAuth
from chancery.accounts.api import router as accounts_router
from chancery.agreements.api import router as agreements_router
from chancery.allocation.api import router as allocation_router
from chancery.calls.api import router as calls_router
from chancery.core.api_support import SessionAuth, add_error_responses
from chancery.core.protection import refusal_message
from chancery.directory.api import router as directory_router
from chancery.draws.api import router as draws_router
from chancery.events.api import router as events_router
from chancery.mun.api import router as mun_router
from chancery.notifications.api import router as notifications_router
from chancery.programmes.api import router as programmes_router
from chancery.selection.api import router as selection_router

logger = logging.getLogger("chancery.api")


class ChanceryAPI(NinjaAPI):
    """The NinjaAPI whose schema declares the error statuses every operation may answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        add_error_responses(schema)
        return schema


api = ChanceryAPI(
    title="Chancery API",
    version="1",
    description="Programmes, agreements, draws, the directory of people and organisations, "
    "calls for applications and the selection, accounts and invitations, the inbox and the "
    "outbox. "
    "Authenticate with the session cookie (and CSRF token) or `Authorization: Bearer <token>`. "
    'Every error answers `{"detail": ...}`: a sentence, or for 422 the list of fields refused.',
    # The token comes first; the session's CSRF check runs only for a signed-in session, so a
    # request with neither is told 401, not "CSRF check failed".
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/accounts", accounts_router)
api.add_router("/", directory_router)
api.add_router("/", draws_router)
api.add_router("/", agreements_router)
api.add_router("/", programmes_router)
api.add_router("/", calls_router)
api.add_router("/", selection_router)
api.add_router("/", allocation_router)
api.add_router("/", events_router)
api.add_router("/", mun_router)
api.add_router("/", notifications_router)


def validation_details(error: ValidationError) -> list[dict[str, Any]]:
    """Turn a Django ValidationError into the API's list of {loc, msg} naming each field."""
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", field], "msg": message, "type": "invalid"}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message, "type": "invalid"} for message in error.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": validation_details(exc)}, status=422)


@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # A service's refusal says what the caller may do instead; a bare one says no more.
    return api.create_response(
        request, {"detail": str(exc) or _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def on_not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": _(
                "Authentication is missing or not valid: send `Authorization: Bearer <token>`, or sign "
                "in and send the session cookie with its CSRF token."
            )
        },
        status=401,
    )
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ProtectedError)
@api.exception_handler(RestrictedError)
def on_record_in_use(request: HttpRequest, exc: ProtectedError | RestrictedError) -> HttpResponse:
    # Not a race: retrying changes nothing while the records that refer to it stay.
    return api.create_response(request, {"detail": refusal_message(exc)}, status=409)


def is_concurrent_write(exc: IntegrityError) -> bool:
    """A unique or foreign key violation: validation passed, then a concurrent write won."""
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)  # psycopg
    if sqlstate is not None:
        return sqlstate in {"23505", "23503"}  # unique_violation, foreign_key_violation
    name = getattr(cause, "sqlite_errorname", "")  # sqlite3
    return name in {
        "SQLITE_CONSTRAINT_UNIQUE",
        "SQLITE_CONSTRAINT_PRIMARYKEY",
        "SQLITE_CONSTRAINT_FOREIGNKEY",
    }


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    if is_concurrent_write(exc):
        # Validation runs first; this is the race where a concurrent write won.
        detail = _("This conflicts with a record saved at the same time; retry.")
    else:
        # A check or not-null constraint that validation let through: a defect, not a race.
        logger.error("Integrity error on %s %s: %s", request.method, request.path, exc)
        detail = _("The records as they are refuse this change; retrying will not help.")
    return api.create_response(request, {"detail": detail}, status=409)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": _("The request body is too large.")}, status=413)


@api.exception_handler(SuspiciousOperation)
def on_unreadable_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Too many form fields or files, a malformed multipart body: the request cannot be read.
    return api.create_response(request, {"detail": _("The request cannot be read.")}, status=400)
