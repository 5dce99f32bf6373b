"""One pagination for pages and API lists alike."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet

from chancery.core.versioned import counted

MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    num_pages: int
    count: int
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def page_of(queryset: QuerySet[Any], number: Any, per_page: int) -> Page:
    """Return one page of a queryset; a bad or too large page number gives the last page.

    The count (a scan of every matching row) is kept until a table it reads changes.
    """
    paginator = Paginator(queryset, per_page)
    vars(paginator)["count"] = counted(queryset)  # Paginator.count is a cached property
    try:
        page = paginator.page(number or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return Page(
        items=list(page.object_list),
        number=page.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
        per_page=per_page,
    )
