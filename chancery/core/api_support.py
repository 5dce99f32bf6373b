"""What every API router shares: authorisation, lookups that name the field, pagination,
the error body and the statuses every operation may answer with it."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from chancery.core.pagination import MAX_PAGE, page_of


def authorize(request: HttpRequest, predicate: Callable[[Any], bool]) -> None:
    """Refuse the operation with 403 unless the predicate holds for the caller."""
    if not predicate(request.user):
        raise HttpError(403, _("You do not have permission to do this."))


def get_visible[M: Model](queryset: QuerySet[M], pk: Any) -> M:
    """An object the caller may see, or 404 (the same answer as for an unknown id)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, _("Not found."))
    return obj


def resolve[M: Model](queryset: QuerySet[M], pk: Any, field: str) -> M:
    """The object an input field refers to, or a validation error naming that field."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("No such record: %(id)s.") % {"id": pk}})
    return obj


class PagePagination(PaginationBase):
    """Page-number pagination with the page count."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = page_of(queryset, pagination.page, pagination.page_size)
        return {
            "items": page.items,
            "count": page.count,
            "page": page.number,
            "pages": page.num_pages,
        }


class SessionAuth(NinjaSessionAuth):
    """The session cookie; the CSRF token is checked only when the session is signed in.

    ninja's own checks CSRF first, so a request with neither token nor session was refused as
    "CSRF check Failed" (403) instead of being told that it is not authenticated (401).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(
                403,
                _(
                    "The CSRF token is missing or wrong: a request signed in "
                    "with the session cookie sends it in the X-CSRFToken header."
                ),
            )
        return request.COOKIES.get(self.param_name)


class ErrorItem(Schema):
    """One problem with the request: where (["body", "field"], ["query", "page"]) and what."""

    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    """Every error the API answers: a sentence, or (422) the list of what is wrong where."""

    detail: str | list[ErrorItem]


# Every operation may answer these, with the Error body (429: chancery/core/ratelimits.py;
# 503: the database is unreachable, chancery/core/middleware.py).
ERROR_STATUSES: dict[int, str] = {
    400: "Bad Request: the body or a parameter cannot be read",
    401: "Unauthorized: no valid session or token",
    403: "Forbidden: not allowed for your roles",
    404: "Not Found: no such record, or not one you may see",
    409: "Conflict: the records as they are refuse it (what holds a record, a state, a version)",
    413: "Content Too Large: the request body is over the limit",
    422: "Unprocessable Content: a field's value is refused; `detail` names each field",
    429: "Too Many Requests: over the caller's rate limit; retry after Retry-After seconds",
    503: "Service Unavailable: the database cannot be reached; retry later",
}
ERROR_REF = "#/components/schemas/Error"
ERROR_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with: Bearer",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer"},
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer"},
        }
    },
}


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare ERROR_STATUSES with the Error body on every operation of an OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    definition = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(definition.pop("$defs", {}))
    components["Error"] = definition
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            declared = {str(status) for status in responses}
            for status, description in ERROR_STATUSES.items():
                if str(status) not in declared:
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                        **({"headers": ERROR_HEADERS[status]} if status in ERROR_HEADERS else {}),
                    }
    return schema
