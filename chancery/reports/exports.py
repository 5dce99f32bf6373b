"""Exports: the registers as CSV (streamed) or XLSX, with the columns the import reads back.

`render(rows, columns, fmt)` is the one function that writes a file; the lists (`LISTS`) say
which rows a user may export and which columns they have. Column headers follow the import's
names where the import has the field, so an exported people list can be imported again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from chancery.agreements.queries import agreements_list, agreements_visible_to
from chancery.core.replica import reporting
from chancery.core.tabular import FORMULA
from chancery.directory.queries import people_visible_to
from chancery.programmes.models import Placement, PlacementStatus
from chancery.programmes.queries import enrolment_list, enrolments_visible_to

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK_ROWS = 500

Accessor = str | Callable[[Any], Any]
Column = tuple[str, Accessor]

_ILLEGAL_IN_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")


def value_of(row: Any, accessor: Accessor) -> Any:
    """Read a column: a callable gets the row; a string is a dotted attribute path."""
    if callable(accessor):
        return accessor(row)
    value = row
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds")
            if timezone.is_aware(value)
            else value.isoformat(timespec="seconds")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if FORMULA.match(text) else text


def _rows_of(rows: Iterable[Any]) -> Iterable[Any]:
    """A queryset is read in chunks (with its prefetches), so memory stays flat."""
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_ROWS)
    return rows


def render(rows: Iterable[Any], columns: Sequence[Column], fmt: str) -> Iterator[bytes]:
    """The file's bytes: CSV (UTF-8 with BOM, so Excel reads it) as it goes, or one XLSX."""
    if fmt == "csv":
        return _csv(rows, columns)
    if fmt == "xlsx":
        return iter([_xlsx(rows, columns)])
    raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")


class _Line:
    """A file-like object whose write() returns what was written, for csv.writer."""

    def write(self, text: str) -> str:
        return text


def _csv(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([header for header, _ in columns]).encode()
    chunk: list[str] = []
    for row in _rows_of(rows):
        chunk.append(writer.writerow([_text(value_of(row, accessor)) for _, accessor in columns]))
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def _cell(value: Any) -> Any:
    """A value as openpyxl stores it: numbers and dates native, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _text(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, date)):
        return value
    # Control characters a workbook cannot hold (openpyxl refuses them) are left out.
    return _ILLEGAL_IN_XLSX.sub("", str(value))


def _xlsx(rows: Iterable[Any], columns: Sequence[Column]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([header for header, _ in columns])
    for row in _rows_of(rows):
        cells = []
        for _header, accessor in columns:
            cell = WriteOnlyCell(sheet, value=_cell(value_of(row, accessor)))
            if cell.data_type == "f":  # text starting with "=" is text here, never a formula
                cell.data_type = "s"
            if isinstance(cell.value, str) and FORMULA.match(cell.value):
                cell.quotePrefix = True  # stays text even when edited in the spreadsheet
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The lists


def _citizenship(person: Any) -> str:
    return "; ".join(sorted(country.alpha2 for country in person.citizenships.all()))


def _current_placement(enrolment: Any) -> Placement | None:
    placements = [p for p in enrolment.placements.all() if p.status != PlacementStatus.CANCELLED]
    placements = placements or list(enrolment.placements.all())
    return max(placements, key=lambda p: p.start) if placements else None


def _placement_field(name: str) -> Callable[[Any], Any]:
    def read(enrolment: Any) -> Any:
        placement = _current_placement(enrolment)
        return value_of(placement, name) if placement else None

    return read


PERSON_COLUMNS: list[Column] = [
    ("given_name", "given_name"),
    ("family_name", "family_name"),
    ("given_name_cyrl", "given_name_cyrl"),
    ("family_name_cyrl", "family_name_cyrl"),
]

PEOPLE: list[Column] = [
    ("id", "pk"),
    *PERSON_COLUMNS,
    ("display_name", "display_name"),
    ("email", "email"),
    ("phone", "phone"),
    ("birth_date", "birth_date"),
    ("citizenship", _citizenship),
    ("class_year", "class_year"),
    ("kept_by", "owner.name_en"),
]

ENROLMENTS: list[Column] = [
    ("id", "pk"),
    ("person_id", "person_id"),
    *[(header, f"person.{name}") for header, name in PERSON_COLUMNS],
    ("email", "person.email"),
    ("birth_date", "person.birth_date"),
    ("citizenship", lambda e: _citizenship(e.person)),
    ("class_year", "person.class_year"),
    ("programme", "edition.programme.name_en"),
    ("edition", "edition.name"),
    ("year", "edition.year"),
    ("state", "state"),
    ("reason", "state_reason"),
    ("applied_on", "applied_on"),
    ("completed_on", "completed_on"),
    ("host", _placement_field("host.name_en")),
    ("start", _placement_field("start")),
    ("end", _placement_field("end")),
]

PLACEMENTS: list[Column] = [
    ("id", "pk"),
    ("enrolment_id", "enrolment_id"),
    ("person_id", "enrolment.person_id"),
    *[(header, f"enrolment.person.{name}") for header, name in PERSON_COLUMNS],
    ("email", "enrolment.person.email"),
    ("birth_date", "enrolment.person.birth_date"),
    ("programme", "enrolment.edition.programme.name_en"),
    ("edition", "enrolment.edition.name"),
    ("state", "enrolment.state"),
    ("reason", "enrolment.state_reason"),
    ("host", "host.name_en"),
    ("department", "department.name_en"),
    ("supervisor", lambda p: p.supervisor.name if p.supervisor else ""),
    ("start", "start"),
    ("end", "end"),
    ("status", "status"),
]

AGREEMENTS: list[Column] = [
    ("id", "pk"),
    ("title", "title_en"),  # in English, as every name of these lists
    ("kind", "kind"),
    ("followed_by", "owner.name_en"),
    ("parties", lambda a: "; ".join(sorted(p.organisation.name_en for p in a.parties.all()))),
    ("signed_on", "signed_on"),
    ("in_force_from", "in_force_from"),
    ("term_months", "term_months"),
    ("renewal", "renewal"),
    ("ends_on", lambda a: a.ends_on()),
    ("terminated_on", "terminated_on"),
    ("status", "status"),
    ("summary", "summary_en"),
]


@dataclass(frozen=True)
class ExportList:
    name: str
    columns: list[Column]
    select: Callable[[Any], QuerySet[Any]]

    def rows_for(self, user: Any) -> QuerySet[Any]:
        """The rows the user may see, read from the replica when there is one."""
        return reporting(self.select(user))


def _people(user: Any) -> QuerySet[Model]:
    return (
        people_visible_to(user)
        .select_related("owner")
        .prefetch_related("citizenships")
        .order_by("family_name", "given_name", "id")
    )


def _enrolments(user: Any) -> QuerySet[Model]:
    return enrolment_list(enrolments_visible_to(user)).order_by("-edition__year", "id")


def _placements(user: Any) -> QuerySet[Model]:
    return (
        Placement.objects.filter(enrolment__in=enrolments_visible_to(user))
        .select_related(
            "enrolment__person", "enrolment__edition__programme", "host", "department", "supervisor"
        )
        .order_by("-start", "id")
    )


def _agreements(user: Any) -> QuerySet[Model]:
    return agreements_list(agreements_visible_to(user)).order_by("-signed_on", "title_en", "id")


LISTS = {
    "people": ExportList("people", PEOPLE, _people),
    "enrolments": ExportList("enrolments", ENROLMENTS, _enrolments),
    "placements": ExportList("placements", PLACEMENTS, _placements),
    "agreements": ExportList("agreements", AGREEMENTS, _agreements),
}


def export(name: str, fmt: str, user: Any) -> Iterator[bytes]:
    """The named list as the user may see it, in the format."""
    chosen = LISTS[name]
    return render(chosen.rows_for(user), chosen.columns, fmt)


def filename(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.{fmt}"
