"""The JSON API: one NinjaAPI, one router per app, one way to report errors."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth

from chancery.accounts.api import TokenAuth
from chancery.accounts.api import router as accounts_router
from chancery.agreements.api import router as agreements_router
from chancery.allocation.api import router as allocation_router
from chancery.directory.api import router as directory_router
from chancery.draws.api import router as draws_router
from chancery.events.api import router as events_router
from chancery.mun.api import router as mun_router
from chancery.programmes.api import router as programmes_router

api = NinjaAPI(
    title="Chancery API",
    version="1",
    description="Programmes, agreements, draws and the directory of people and organisations. "
    "Authenticate with the session cookie (and CSRF token) or `Authorization: Bearer <token>`.",
    # The token comes first: django_auth runs the CSRF check before it looks for a session, and
    # its 403 would end authentication for every unsafe request made with a token.
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/accounts", accounts_router)
api.add_router("/", directory_router)
api.add_router("/", draws_router)
api.add_router("/", agreements_router)
api.add_router("/", programmes_router)
api.add_router("/", allocation_router)
api.add_router("/", events_router)
api.add_router("/", mun_router)


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
    return api.create_response(
        request, {"detail": _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Validation runs first; this is the race where a concurrent write won.
    return api.create_response(
        request, {"detail": _("This conflicts with a record saved at the same time; retry.")},
        status=409,
    )
