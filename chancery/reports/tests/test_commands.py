import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chancery.directory.models import Person


def _write(tmp_path: Any, data: bytes, name: str = "alumni.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_dry_run_prints_the_table_and_fails_naming_row_and_field(
    cast: Any,
    jpo: Any,
    tmp_path: Any,
) -> None:
    from chancery.reports.tests.conftest import MESSY

    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import",
            "people",
            _write(tmp_path, MESSY),
            "--dry-run",
            "--office",
            str(cast.academy.pk),
            stdout=out,
        )
    assert "row 7, citizenship: unknown country 'Tadjikistan'" in str(refused.value)
    assert str(refused.value).startswith("1 row has an error, nothing was imported")
    printed = out.getvalue()
    assert "     2  create   new       Daniyar Suyunov" in printed
    assert "     3  update   row 2     Данияр Суюнов" in printed
    assert "error: citizenship: unknown country 'Tadjikistan'" in printed
    assert "warning: citizenship not given: recorded as unknown" in printed
    assert Person.objects.count() == 3


def test_the_command_imports_a_clean_file_and_a_second_run_changes_nothing(
    cast: Any,
    jpo: Any,
    tmp_path: Any,
) -> None:
    from chancery.reports.tests.conftest import CLEAN

    path = _write(tmp_path, CLEAN)
    out = io.StringIO()
    call_command("import", "people", path, "--dry-run", "--as", "alice", stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert Person.objects.count() == 3
    call_command("import", "people", path, "--as", "alice", stdout=out)
    assert Person.objects.count() == 10
    assert Person.objects.get(family_name="Bekov").history.get().history_user == cast.alice
    again = io.StringIO()
    call_command("import", "people", path, "--as", "alice", stdout=again)
    assert "0 created, 0 updated, 9 unchanged" in again.getvalue()


def test_the_command_needs_an_office_when_several_have_officers(cast: Any, tmp_path: Any) -> None:
    from chancery.reports.tests.conftest import CLEAN

    with pytest.raises(CommandError, match="office: give --office ID"):
        call_command("import", "people", _write(tmp_path, CLEAN), stdout=io.StringIO())
    with pytest.raises(CommandError, match="office: alice is not an officer of Test Ministry"):
        call_command(
            "import",
            "people",
            _write(tmp_path, CLEAN),
            "--as",
            "alice",
            "--office",
            str(cast.ministry.pk),
            stdout=io.StringIO(),
        )


def test_the_command_refuses_an_unreadable_file(cast: Any, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match=r"file: upload a \.csv or \.xlsx file"):
        call_command(
            "import",
            "people",
            _write(tmp_path, b"%PDF", "a.pdf"),
            "--as",
            "alice",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="file: cannot read"):
        call_command("import", "people", str(tmp_path / "missing.csv"), "--as", "alice")


def test_export_people_as_csv_to_standard_output(cast: Any) -> None:
    out = io.StringIO()
    call_command("export", "people", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "given_name", "family_name"]
    assert len(rows) == 1 + 3


def test_export_as_xlsx_to_a_file_for_one_users_view(cast: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "people.xlsx"
    call_command("export", "people", "--format", "xlsx", "--as", "charlie", "--output", str(target))
    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1  # the Ministry's officer sees none of the Academy's people
