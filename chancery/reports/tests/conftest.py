"""Fixtures of the import and export tests: a JPO programme, the messy alumni sample."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from chancery.programmes.models import Edition, Programme

HEADER = (
    "Given_Name;family_name;GIVEN_NAME_CYRL;family_name_cyrl;email;birth_date;citizenship;"
    "class_year;organisation;role;programme;edition;state;reason;host;start;end;status;No."
)

# The JPO alumni list as it comes: typographic apostrophes, Cyrillic-only names, a Tajik
# citizen, two rows without citizenship, an unknown country (row 7), the same person written
# in two scripts (rows 2 and 3), a pair of likely duplicates across scripts (rows 8 and 9),
# and a person already recorded (row 10, Pat Example of the cast).
MESSY_ROWS = (
    "Daniyar;Suyunov;;;Daniyar.Suyunov@example.kz;14.03.1990;Kazakhstan;’11;Test Academy;"
    "alumnus;JPO;JPO 2019;completed;;Test Ministry;2019-02-01;2019-07-31;;1",
    ";;Данияр;Суюнов;;1990-03-14;KZ;2011;;;;;;;;;;;2",
    "Firuza;Nazarova;Фируза;Назарова;firuza@example.tj;05.11.1992;Таджикистан;'14;;;JPO;2021;"
    "active;;Test Ministry;2021-03-01;2021-08-31;;3",
    ";;Айгерим;Жаксылыкова;aigerim@example.kz;;;2015;;;;;;;;;;;4",
    "Timur;Bekov;;;;;;‘16;;;JPO;JPO 2021;withdrawn;family reasons;;;;;5",
    "Rustam;Karimov;;;rustam@example.tj;1991-01-20;Tadjikistan;2012;;;;;;;;;;;6",
    "Dilnoza;Rakhimova;;;dilnoza@example.uz;1993-05-05;UZ;2015;;;;;;;;;;;7",
    ";;Дильноза;Рахимова;d.rakhimova@example.uz;05.05.1993;Узбекистан;2015;;;;;;;;;;;8",
    'Pat;Example;;;;;"KZ; Russia";;;;;;;;;;;;9',
)


def csv_bytes(
    rows: tuple[str, ...] | list[str], header: str = HEADER, *, bom: bool = True
) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


MESSY = csv_bytes(MESSY_ROWS)
CLEAN = MESSY.replace(b"Tadjikistan", b"Tajikistan")


def xlsx_bytes(data: bytes) -> bytes:
    """The same table as a workbook, with real dates and numbers where Excel would put them."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    lines = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    for number, line in enumerate(lines):
        cells: list[Any] = list(line)
        if number:
            for index, cell in enumerate(cells):
                if len(cell) == 10 and cell[4] == "-" and cell[:4].isdigit():
                    cells[index] = date.fromisoformat(cell)
                elif cell.isdigit() and len(cell) == 4:
                    cells[index] = int(cell)
                elif cell == "":
                    cells[index] = None
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Jpo:
    programme: Programme
    edition_2019: Edition
    edition_2021: Edition


@pytest.fixture
def jpo(cast: Any) -> Jpo:
    programme = Programme.objects.create(name_en="JPO", kind="internship", owner=cast.academy)
    return Jpo(
        programme=programme,
        edition_2019=Edition.objects.create(programme=programme, name="JPO 2019", year=2019),
        edition_2021=Edition.objects.create(programme=programme, name="JPO 2021", year=2021),
    )


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
