"""What every API router shares: authorisation, lookups that name the field, pagination."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

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

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any,
                          request: HttpRequest, **params: Any) -> dict[str, Any]:
        page = page_of(queryset, pagination.page, pagination.page_size)
        return {"items": page.items, "count": page.count, "page": page.number,
                "pages": page.num_pages}

