"""Reading a table people upload: a .csv or .xlsx file as a header row and rows of text.

Every import reads its file here (people, attendance, allocation preferences), so each accepts
the same files: CSV in UTF-8 (with or without BOM), UTF-16 with its BOM, or the Windows Cyrillic
code pages Excel saves in Russian (cp1251) and Kazakh (KZ-1048) settings; the first sheet of a
workbook; and cells our exports protected against formulas read back as they were.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

# A cell a spreadsheet would run as a formula; a phone number like +7 701 is left alone.
FORMULA = re.compile(r"^(?:[=@\t\r]|[+\-](?![\d\s()\-]*$))")


def unprotected(text: str) -> str:
    """A cell as it was before an export put a ' before it (see FORMULA)."""
    return text[1:] if text.startswith("'") and FORMULA.match(text[1:]) else text


@dataclass
class RowOutcome:
    """What an import does with one row of a file, or why it cannot; every import's row type
    is one (adding what it reads from the row).

    `number` is the row as a spreadsheet shows it (the header is row 1); `errors` are
    (column, reason) pairs, each naming the column; `warnings` are sentences. The messages name
    the row and the column, in the reader's language.
    """

    number: int
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))

    @property
    def error_messages(self) -> list[str]:
        return [
            _("row %(row)d, %(field)s: %(reason)s")
            % {"row": self.number, "field": column, "reason": reason}
            for column, reason in self.errors
        ]

    @property
    def warning_messages(self) -> list[str]:
        return [
            _("row %(row)d: %(warning)s") % {"row": self.number, "warning": warning}
            for warning in self.warnings
        ]

    @property
    def messages(self) -> list[str]:
        return self.error_messages + self.warning_messages


def rows_with_errors(rows: list[Any]) -> int:
    """How many of an import's rows have an error."""
    return sum(1 for row in rows if row.errors)


def rows_with_warnings(rows: list[Any]) -> int:
    """How many of an import's rows have a warning."""
    return sum(1 for row in rows if row.warnings)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message starts with the field, "file: "."""


def read_table(data: bytes, filename: str) -> tuple[list[str], Iterator[list[str]]]:
    """The header row and the data rows (as text) of a .csv or .xlsx file.

    Cells our exports protected against formulas (a ' before =, +, - or @) read back as they
    were, so an export imports again unchanged.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        header, rows = _read_csv(data)
    elif extension == "xlsx":
        header, rows = _read_xlsx(data)
    else:
        raise ImportFileError(_("file: upload a .csv or .xlsx file"))
    return header, ([unprotected(cell) for cell in row] for row in rows)


# Bytes that cp1251 reads as Serbian and Macedonian letters and Kazakh KZ-1048 as Kazakh ones.
_KAZAKH_IN_CP1251 = frozenset("ЂЃЉЊЌЋЏђѓљњќћџЎўЈҐ")
# A Latin and a Cyrillic letter in one word: Western text (José) misread as Cyrillic (Josй).
_MIXED_SCRIPTS = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def _decoded(data: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), UTF-16 with its BOM, or the Windows
    Cyrillic code pages Excel saves in Russian (cp1251) and Kazakh (KZ-1048) settings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        text = data.decode("cp1251", errors="replace")
        letters = [ch for ch in text if ord(ch) > 127]
        cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
        if cyrillic >= 0.9 * len(letters) and not _MIXED_SCRIPTS.search(text):
            if _KAZAKH_IN_CP1251.intersection(letters):
                return data.decode("kz1048", errors="replace")
            return text
    raise ImportFileError(
        _("file: the CSV is neither UTF-8 nor Windows Cyrillic text; save it as “CSV UTF-8”")
    )


def _read_csv(data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    text = _decoded(data)
    if "\x00" in text:  # no text field holds one (PostgreSQL refuses it): not a text CSV
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(
            _(
                "file: line %(line)d holds a NUL character (byte 0), so this is not a text CSV; "
                "save it as “CSV UTF-8”"
            )
            % {"line": line}
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportFileError(_("file: unreadable CSV (%(error)s)") % {"error": error}) from None
    if header is None:
        raise ImportFileError(_("file: the file is empty"))

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except csv.Error as error:
            raise ImportFileError(
                _("file: unreadable CSV at line %(line)d (%(error)s)")
                % {"line": reader.line_num, "error": error}
            ) from None

    return header, rows()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [
                [_cell_text(cell) for cell in row]
                for row in workbook.worksheets[0].iter_rows(values_only=True)
            ]
            workbook.close()
    except (
        zipfile.BadZipFile,
        zlib.error,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        IndexError,
        EOFError,
        TypeError,
        AttributeError,
        NotImplementedError,
        SyntaxError,
    ):  # a damaged part: xml.etree's ParseError is a SyntaxError
        raise ImportFileError(_("file: not a readable .xlsx workbook")) from None
    if not rows:
        raise ImportFileError(_("file: the file is empty"))
    return rows[0], iter(rows[1:])
