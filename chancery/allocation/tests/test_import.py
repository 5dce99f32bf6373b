import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from chancery.allocation import services
from chancery.allocation.models import Preference
from chancery.allocation.tests.factories import Setup


def _csv(*lines: str) -> bytes:
    return ("\n".join(["applicant,host,rank,capacity", *lines]) + "\n").encode()


def test_a_dry_run_reports_each_bad_row_naming_row_and_field(setup: Setup, cast: Any) -> None:
    data = _csv(
        f"{setup.pat.pk},Test Ministry,1,",
        f"{setup.pat.pk},Nowhere Inc,2,",
        f"{setup.pat.pk},Test Department,1,",
        ",Test Consulate,,-2",
        "999999,Test Ministry,1,",
    )
    before = list(Preference.objects.values_list("pk", flat=True))
    result = services.import_preferences(
        actor=cast.alice, round=setup.round, data=data, filename="choices.csv", dry_run=True
    )
    assert result.written is False
    assert result.error_count == 4
    messages = result.messages
    assert any(m.startswith("row 3, host: unknown host 'Nowhere Inc'") for m in messages)
    assert any(m.startswith("row 4, rank: duplicate rank 1") for m in messages)
    assert any(m.startswith("row 5, capacity: capacity below zero") for m in messages)
    assert any(m.startswith("row 6, applicant: unknown applicant") for m in messages)
    assert list(Preference.objects.values_list("pk", flat=True)) == before


def test_an_import_with_one_bad_row_writes_nothing(setup: Setup, cast: Any) -> None:
    data = _csv(
        f"{setup.ivan.pk},Test Department,1,",
        ",Test Ministry,,5",
        f"{setup.ivan.pk},Nowhere Inc,2,",
    )
    result = services.import_preferences(
        actor=cast.alice, round=setup.round, data=data, filename="choices.csv", dry_run=False
    )
    assert result.written is False and result.error_count == 1
    setup.ministry.refresh_from_db()
    assert setup.ministry.capacity == 1
    ivan = Preference.objects.filter(enrolment=setup.ivan)
    assert [p.host_id for p in ivan] == [setup.ministry.pk]


def test_a_clean_import_replaces_the_choices_and_sets_the_places(setup: Setup, cast: Any) -> None:
    data = _csv(
        f"#{setup.ivan.pk},Test Consulate,2,",
        f"{setup.ivan.pk},Test Department,1,",
        f",{cast.ministry.pk},,3",
    )
    result = services.import_preferences(
        actor=cast.alice, round=setup.round, data=data, filename="choices.csv", dry_run=False
    )
    assert result.written is True and result.error_count == 0
    setup.ministry.refresh_from_db()
    assert setup.ministry.capacity == 3
    ivan = Preference.objects.filter(enrolment=setup.ivan).order_by("rank")
    assert [(p.rank, p.host_id) for p in ivan] == [
        (1, setup.department.pk),
        (2, setup.consulate.pk),
    ]
    assert ivan[0].history.first().history_user == cast.alice


def test_an_xlsx_file_is_read_too(setup: Setup, cast: Any) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["applicant", "host", "rank"])
    sheet.append([setup.ivan.pk, "test consulate", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = services.import_preferences(
        actor=cast.alice, round=setup.round, data=buffer.getvalue(), filename="c.xlsx", dry_run=True
    )
    assert result.error_count == 0 and len(result.rows) == 1


def test_an_unreadable_file_is_refused_naming_the_file(setup: Setup, cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.import_preferences(
            actor=cast.alice, round=setup.round, data=b"x", filename="choices.pdf", dry_run=True
        )
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError, match="unknown: colour"):
        services.import_preferences(
            actor=cast.alice, round=setup.round, data=b"host,colour\nA,red\n", filename="c.csv"
        )
