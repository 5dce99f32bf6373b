"""Reading a CSV: a NUL character (which no text field holds, and PostgreSQL refuses) is the
file's error, named with its line, before anything is planned or written. (A workbook cannot
hold one: openpyxl reads an escaped _x0000_ as those characters.)"""

import pytest

from chancery.core.tabular import ImportFileError, read_table


def test_a_csv_with_a_nul_character_is_refused_naming_its_line() -> None:
    with pytest.raises(ImportFileError) as refused:
        read_table(b"given_name,family_name\nAnna,Ivanova\nA\x00B,C\n", "people.csv")
    assert str(refused.value).startswith("file: line 3 holds a NUL character")


def test_a_clean_csv_reads_as_it_is() -> None:
    header, rows = read_table(b"given_name,family_name\nAnna,Ivanova\n", "people.csv")
    assert header == ["given_name", "family_name"] and list(rows) == [["Anna", "Ivanova"]]
