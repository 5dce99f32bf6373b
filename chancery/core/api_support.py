"""What every API router shares: authorisation, lookups that name the field, pagination."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, Model, OuterRef, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce
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


def linked_ids(model: type[Model], relation: str) -> Coalesce:
    """The ids that the many-to-many `relation` links to each row of `model`, as text ("3,7,12";
    "" for none) put together by the database: a list answer shows them without a model
    instance each."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = field.m2m_field_name()  # type: ignore[union-attr]
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname  # type: ignore[union-attr]
    links = (through.objects.filter(**{source: OuterRef("pk")}).order_by().values(source)
             .annotate(ids=StringAgg(Cast(target, CharField()), Value(",")))
             .values("ids"))
    return Coalesce(Subquery(links, output_field=CharField()), Value(""))


def ids_in(text: str) -> list[int]:
    """The ids of a `linked_ids` text, in order (not every database orders an aggregate)."""
    return sorted(int(part) for part in text.split(",")) if text else []
