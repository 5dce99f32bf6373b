"""Fuzzing every import format with malformed files, and the exports with formula injection.

Hypothesis makes broken files of every kind an officer might upload: random bytes, text in the
wrong encoding, byte-order marks, empty files, huge fields, NUL characters, spreadsheet
formulas (`=cmd|' /C calc'!A0`), workbooks that are truncated or have a damaged part, and
well-formed tables full of nonsense. Whatever the file, an import either works or refuses with
its own error naming the field, a page answers 4xx (never 5xx), and a refused import leaves
every table as it was, audit trail included.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chancery.allocation import services as allocation
from chancery.allocation.tests.factories import Setup, make_setup
from chancery.core.actors import SYSTEM
from chancery.events import services as events
from chancery.events.models import Event
from chancery.events.tests.factories import almaty, make_outreach
from chancery.reports import exports, imports
from conftest import PASSWORD

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
PAGES = settings(FUZZ, max_examples=25)

# Tables an import may write to, with their audit copies.
WRITTEN_APPS = {"directory", "programmes", "events", "allocation"}

PEOPLE_COLUMNS = [name for name, _help in imports.COLUMNS]
ATTENDANCE_COLUMNS = ["person_id", "given_name", "family_name", "attended"]
PREFERENCE_COLUMNS = ["applicant", "host", "rank", "capacity"]

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x.example","y")',
    "=IMPORTXML(A1)",
]


def counts() -> dict[str, int]:
    """Rows in every table an import writes to (audit copies included)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in WRITTEN_APPS
    }


# Strategies: the cells, the tables, the files


def cells(known: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "",
                " ",
                "yes",
                "no",
                "1",
                "#1",
                "0",
                "-3",
                "2011",
                "'11",
                "KZ",
                "Kazakhstan; Russia",
                "14.03.1990",
                "1990-02-30",
                "2019-02-01",
                "alumnus",
                "completed",
                "withdrawn",
                "Test Academy",
                "Test Ministry",
                "JPO",
                "JPO 2019",
                "Pat",
                "Example",
                "x" * 300,
                "\u200b",
                "Ё",
                "\ufeff",
                "\x00",
                "é" * 40,
                *known,
            ]
        ),
        st.sampled_from(FORMULAS),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=5).map(
            lambda s: s * 50
        ),
    )


def tables(columns: list[str]) -> st.SearchStrategy[list[list[str]]]:
    header = st.one_of(
        st.lists(
            st.sampled_from(
                [*columns, "", "No.", "given name", "GIVEN_NAME", "\ufeffgiven_name", "=cmd"]
            ),
            min_size=0,
            max_size=8,
        ),
        st.permutations(columns),
    )
    return st.tuples(header, st.lists(st.lists(cells(columns), max_size=10), max_size=6)).map(
        lambda pair: [pair[0], *pair[1]]
    )


def csv_files(columns: list[str]) -> st.SearchStrategy[bytes]:
    def write(table: list[list[str]], delimiter: str, encoding: str, bom: bool) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(table)
        text = ("\ufeff" if bom else "") + buffer.getvalue()
        return text.encode(encoding, errors="replace")

    return st.one_of(
        st.builds(
            write,
            tables(columns),
            st.sampled_from([",", ";", "\t"]),
            st.sampled_from(["utf-8", "utf-16", "cp1251", "latin-1", "utf-8"]),
            st.booleans(),
        ),
        st.binary(max_size=300),
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf",
                b"\n\n\n",
                b'"unclosed,quote\n',
                b"given_name\n" + b"x" * 200_000 + b"\n",
                b'given_name\n"' + b"x" * 200_000 + b'"\n',
                b"given_name,family_name\nA\x00B,C\n",
            ]
        ),
    )


def workbook(table: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in table:
        sheet.append(
            [
                None
                if value == ""
                else ILLEGAL_CHARACTERS_RE.sub("", value)
                if isinstance(value, str)
                else value
                for value in row
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged(data: bytes, member: int, content: bytes) -> bytes:
    """The workbook with one of its parts replaced by other bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = names[member % len(names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in names:
            out.writestr(name, content if name == target else source.read(name))
    return buffer.getvalue()


def xlsx_files(columns: list[str]) -> st.SearchStrategy[bytes]:
    values = st.one_of(
        cells(columns),
        st.integers(-(10**12), 10**12),
        st.floats(),
        st.dates(date(1900, 3, 1), date(2200, 1, 1)),
        st.datetimes(datetime(1900, 3, 1), datetime(2200, 1, 1)),
        st.booleans(),
    )
    typed = st.tuples(
        st.lists(st.sampled_from(columns), max_size=6),
        st.lists(st.lists(values, max_size=8), max_size=5),
    ).map(lambda pair: [pair[0], *pair[1]])
    good = st.one_of(tables(columns), typed).map(workbook)
    return st.one_of(
        good,
        st.binary(max_size=300),
        st.builds(lambda data, cut: data[:cut], good, st.integers(0, 4000)),
        st.builds(
            damaged,
            good,
            st.integers(0, 20),
            st.one_of(
                st.binary(max_size=200),
                st.sampled_from([b"", b"<worksheet/>", b"<?xml version='1.0'?><x", b"<a>" * 50]),
            ),
        ),
    )


class Upload(tuple[bytes, str]):
    """A file and its name; shown short when Hypothesis reports an example (files are big)."""

    def __repr__(self) -> str:
        data, filename = self
        return f"Upload({filename!r}, {len(data)} bytes: {data[:120]!r}...)"


def files(columns: list[str]) -> st.SearchStrategy[Upload]:
    return st.one_of(
        st.tuples(csv_files(columns), st.sampled_from(["list.csv", "LIST.CSV"])),
        st.tuples(xlsx_files(columns), st.sampled_from(["list.xlsx", "list.XLSX"])),
        st.tuples(
            st.binary(max_size=100), st.sampled_from(["list", "list.xls", "list.csv.exe", ".csv"])
        ),
    ).map(Upload)


def _sheet_damaged(columns: list[str], content: bytes) -> bytes:
    data = workbook([columns, ["x"] * len(columns)])
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return damaged(data, names.index("xl/worksheets/sheet1.xml"), content)


def known_cases(columns: list[str]) -> list[Upload]:
    """Files every run tries, whatever Hypothesis draws (each once broke an import)."""
    header = ",".join(columns)
    return [
        Upload(pair)
        for pair in (
            (_sheet_damaged(columns, b"<?xml version='1.0'?><worksheet"), "list.xlsx"),
            (_sheet_damaged(columns, b"\x00\xff"), "list.xlsx"),
            (workbook([columns, ["x"] * len(columns)])[:700], "list.xlsx"),
            (b"PK\x03\x04" + b"\x00" * 40, "list.xlsx"),
            (b"", "list.csv"),
            (b"\xef\xbb\xbf", "list.csv"),
            (f"{header}\n=cmd|' /C calc'!A0,@SUM(1),+1+1,-1+1\n".encode("utf-16"), "list.csv"),
            (f"{header}\nЗебулон,Кихот\n".encode("cp1251"), "list.csv"),
            (f'{header}\n"{"x" * 200_000}"\n'.encode(), "list.csv"),
            (f"{header}\n=cmd|' /C calc'!A0,@SUM(1),+1+1,-1+1\n".encode(), "list.csv"),
        )
    ]


def with_known_cases(columns: list[str], **others: Any) -> Callable[[Any], Any]:
    def decorate(test: Any) -> Any:
        for case in known_cases(columns):
            test = example(upload=case, **others)(test)
        return test

    return decorate


def rolled_back(check: Callable[[], None]) -> None:
    """Run one example in a savepoint that is undone, so the next starts from the same data."""
    with transaction.atomic():
        try:
            check()
        finally:
            transaction.set_rollback(True)


def assert_names_a_field(error: ValidationError) -> None:
    assert hasattr(error, "error_dict"), error
    assert set(error.message_dict) <= {"file", "status"}, error.message_dict


# The people import


@given(upload=files(PEOPLE_COLUMNS))
@with_known_cases(PEOPLE_COLUMNS)
@FUZZ
def test_the_people_import_refuses_any_broken_file_with_its_own_error_and_writes_nothing(
    upload: Upload, cast: Any
) -> None:
    data, filename = upload

    def check() -> None:
        before = counts()
        try:
            plan = imports.import_people(data, filename, office=cast.academy, user=cast.alice)
        except imports.ImportFileError as error:
            assert str(error).startswith("file: "), error
        except imports.ImportRefused as refused:
            assert refused.plan.error_count > 0
            for _row, field_name, reason in refused.plan.errors():
                assert field_name in {*PEOPLE_COLUMNS, "name", "person"}, field_name
                assert reason
        else:
            assert plan.committed and plan.error_count == 0
            return
        assert counts() == before

    rolled_back(check)


@given(upload=files(PEOPLE_COLUMNS))
@PAGES
def test_the_import_page_answers_4xx_to_any_broken_file_and_writes_nothing(
    upload: Upload, cast: Any
) -> None:
    data, filename = upload
    client = cast.client_for(cast.alice)

    def check() -> None:
        before = counts()
        response = client.post(
            "/reports/import/",
            {"file": SimpleUploadedFile(filename, data), "office": cast.academy.pk},
        )
        assert response.status_code in (200, 422), response.status_code
        assert counts() == before  # the dry run writes nothing
        if response.status_code == 422:
            return
        token = client.session[imports_session_key()]["token"]
        committed = client.post("/reports/import/commit/", {"token": token})
        assert committed.status_code in (200, 302, 422), committed.status_code
        if committed.status_code != 200:
            assert counts() == before

    rolled_back(check)


def imports_session_key() -> str:
    from chancery.reports import views

    return views.SESSION_KEY


# The attendance import of an event


@pytest.fixture
def event(cast: Any) -> Event:
    outreach = make_outreach(cast, PASSWORD)
    event = events.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Japan",
        public=True,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
    )
    events.record_attendance(actor=SYSTEM, event=event, person=outreach.pupil)
    return event


@given(upload=files(ATTENDANCE_COLUMNS), dry_run=st.booleans())
@with_known_cases(ATTENDANCE_COLUMNS, dry_run=False)
@FUZZ
def test_the_attendance_import_refuses_any_broken_file_naming_the_field(
    upload: Upload, dry_run: bool, cast: Any, event: Event
) -> None:
    data, filename = upload

    def check() -> None:
        before = counts()
        try:
            result = events.import_attendance(
                actor=cast.alice, event=event, data=data, filename=filename, dry_run=dry_run
            )
        except ValidationError as error:
            assert_names_a_field(error)
        else:
            for row in result.rows:
                assert {column for column, _reason in row.errors} <= set(ATTENDANCE_COLUMNS)
            if result.recorded:
                return
        assert counts() == before

    rolled_back(check)


@given(upload=files(ATTENDANCE_COLUMNS))
@PAGES
def test_the_attendance_import_page_answers_4xx_to_any_broken_file(
    upload: Upload, cast: Any, event: Event
) -> None:
    data, filename = upload
    client = cast.client_for(cast.alice)

    def check() -> None:
        before = counts()
        response = client.post(
            f"/events/{event.pk}/attendance/import/", {"file": SimpleUploadedFile(filename, data)}
        )
        assert response.status_code in (200, 302, 422), response.status_code
        if response.status_code != 302:
            assert counts() == before

    rolled_back(check)


# The preferences and capacities of an allocation round


@pytest.fixture
def setup(cast: Any) -> Setup:
    return make_setup(cast, draw=False)


@given(upload=files(PREFERENCE_COLUMNS), dry_run=st.booleans())
@with_known_cases(PREFERENCE_COLUMNS, dry_run=False)
@FUZZ
def test_the_preferences_import_refuses_any_broken_file_naming_the_field(
    upload: Upload, dry_run: bool, cast: Any, setup: Setup
) -> None:
    data, filename = upload

    def check() -> None:
        before = counts()
        try:
            result = allocation.import_preferences(
                actor=cast.alice, round=setup.round, data=data, filename=filename, dry_run=dry_run
            )
        except ValidationError as error:
            assert_names_a_field(error)
        else:
            for row in result.rows:
                assert {name for name, _message in row.errors} <= set(PREFERENCE_COLUMNS)
            if result.written:
                return
        assert counts() == before

    rolled_back(check)


@given(upload=files(PREFERENCE_COLUMNS), commit=st.booleans())
@PAGES
def test_the_preferences_import_page_answers_4xx_to_any_broken_file(
    upload: Upload, commit: bool, cast: Any, setup: Setup
) -> None:
    data, filename = upload
    client = cast.client_for(cast.alice)

    def check() -> None:
        before = counts()
        fields: dict[str, Any] = {"file": SimpleUploadedFile(filename, data)}
        if commit:
            fields["commit"] = "1"
        response = client.post(f"/allocation/rounds/{setup.round.pk}/import/", fields)
        assert response.status_code in (200, 302, 422), response.status_code
        if response.status_code != 302:
            assert counts() == before

    rolled_back(check)


# Exports: a cell never runs as a formula

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


ARITHMETIC_ONLY = re.compile(r"[+\-][\d\s()\-]*")


@given(
    values=st.lists(
        st.one_of(
            st.sampled_from(FORMULAS),
            st.text(max_size=20),
            st.sampled_from(["+7 701 555 01 99", "-", "+", "-12", "=", "@", " =1+1", "\n=1"]),
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(FUZZ, max_examples=100)
def test_exports_never_write_a_cell_a_spreadsheet_would_run(values: list[str]) -> None:
    columns = [(f"c{index}", f"v{index}") for index in range(len(values))]
    rows = [SimpleNamespace(**{f"v{index}": value for index, value in enumerate(values)})]

    text = b"".join(exports.render(rows, columns, "csv")).decode("utf-8-sig")
    written = list(csv.reader(io.StringIO(text)))[1]
    for value, cell in zip(values, written, strict=True):
        if cell.startswith(DANGEROUS):
            # Left alone only when nothing but digits follow (a phone number "+7 701 ..."):
            # no function, no reference, nothing a spreadsheet could call out with.
            assert cell == value and ARITHMETIC_ONLY.fullmatch(cell), (value, cell)
        else:
            assert cell in (value, "'" + value), (value, cell)

    book = b"".join(exports.render(rows, columns, "xlsx"))
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_exports_neutralise_the_classic_injections(cast: Any) -> None:
    rows = [SimpleNamespace(v=value) for value in FORMULAS]
    text = b"".join(exports.render(rows, [("v", "v")], "csv")).decode("utf-8-sig")
    written = [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
    assert written == ["'" + value for value in FORMULAS]
