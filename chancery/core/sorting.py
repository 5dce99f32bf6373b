"""Sortable columns of a long list: the server sorts, by a query parameter (`?sort=name`,
`?sort=-name` for the reverse) that each list whitelists as its own columns.

An unknown key is ignored (the list keeps its own order), never an error. A column heading
is a link that sorts by it, the sorted one marked with aria-sort (the `sort_header` tag of
core/templatetags/ui.py); the filters and the page size stay, the page goes back to the first.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OrderBy, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import get_language

SORT_PARAMETER = "sort"
LOCALISED = "_*"  # a field kept per language (name_en, name_ru, name_kk): `name_*`


def _expression(field: str) -> F | Coalesce:
    """A field to sort by; `name_*` is the reader's language's name, else the English one."""
    if not field.endswith(LOCALISED):
        return F(field)
    base = field.removesuffix(LOCALISED)
    language = (get_language() or "en")[:2]
    return Coalesce(NullIf(F(f"{base}_{language}"), Value("")), F(f"{base}_en"))


@dataclass(frozen=True)
class Column:
    """A sortable column: its key in the address, its heading, the fields it sorts by (the
    first one in the chosen direction, empty values last; the others break ties; `name_*`
    for a name kept per language)."""

    key: str
    label: str | Promise
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Sorting:
    columns: tuple[Column, ...]
    key: str = ""
    descending: bool = False

    @property
    def parameter(self) -> str:
        """The query parameter's value that keeps this order ("" for the list's own)."""
        return f"{'-' if self.descending else ''}{self.key}" if self.key else ""

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def order_by(self) -> list[OrderBy]:
        first, *ties = (_expression(field) for field in self.column(self.key).fields)
        chosen = first.desc(nulls_last=True) if self.descending else first.asc(nulls_last=True)
        return [chosen, *(field.asc() for field in ties), F("pk").asc()]

    def apply(self, records: QuerySet[Any]) -> QuerySet[Any]:
        """The records in the chosen order, or as they were when no column is chosen."""
        return records.order_by(*self.order_by()) if self.key else records

    def direction(self, key: str) -> str:
        """aria-sort's value for a column: "ascending", "descending", or "" (not sorted)."""
        if key != self.key:
            return ""
        return "descending" if self.descending else "ascending"

    def parameter_for(self, key: str) -> str:
        """Where the column's heading leads: by it, or by it reversed when already sorted."""
        return f"-{key}" if key == self.key and not self.descending else key


def sorting_of(request: HttpRequest, columns: Sequence[Column]) -> Sorting:
    """The order the request asks for among `columns`; an unknown key means none."""
    asked = request.GET.get(SORT_PARAMETER, "")[:50]
    key = asked.removeprefix("-")
    if key not in {column.key for column in columns}:
        return Sorting(tuple(columns))
    return Sorting(tuple(columns), key, asked.startswith("-"))
