import csv
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from chancery.core.actors import SYSTEM
from chancery.directory.models import Person
from chancery.programmes.models import Enrolment, Placement
from chancery.reports import views
from chancery.reports.tests.conftest import CLEAN, MESSY, xlsx_bytes


def _upload(client: Any, data: bytes, name: str, office: Any) -> Any:
    return client.post(
        "/reports/import/", {"file": SimpleUploadedFile(name, data), "office": office.pk}
    )


def test_the_upload_page_documents_the_columns(cast: Any) -> None:
    page = cast.client_for(cast.alice).get("/reports/import/").content.decode()
    for column in ("given_name_cyrl", "birth_date", "citizenship", "class_year", "programme"):
        assert f"<code>{column}</code>" in page


def test_only_officers_may_import_or_export(cast: Any) -> None:
    for user in (cast.bob, cast.pat, cast.sam):
        client = cast.client_for(user)
        assert client.get("/reports/import/").status_code == 403
        assert client.get("/reports/export/people.csv").status_code == 403
        assert client.post("/reports/import/commit/", {"token": "x"}).status_code == 403


def test_the_upload_page_refuses_a_pdf_naming_the_field(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = _upload(client, b"%PDF-1.4 ...", "alumni.pdf", cast.academy)
    assert response.status_code == 422
    assert "file: upload a .csv or .xlsx file" in response.content.decode()
    assert Person.objects.count() == 3


def test_the_upload_page_refuses_a_file_over_the_size_limit(cast: Any, settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 1
    big = CLEAN + b"\n" * (1024 * 1024)
    response = _upload(cast.client_for(cast.alice), big, "alumni.csv", cast.academy)
    assert response.status_code == 422
    assert "files of at most 1 MB are accepted" in response.content.decode()
    assert Person.objects.count() == 3


def test_an_unreadable_file_is_refused_with_the_reason(cast: Any) -> None:
    response = _upload(cast.client_for(cast.alice), b"not a zip", "alumni.xlsx", cast.academy)
    assert response.status_code == 422
    assert "file: not a readable .xlsx workbook" in response.content.decode()


def test_an_officer_cannot_import_into_another_office(cast: Any) -> None:
    response = _upload(cast.client_for(cast.alice), CLEAN, "alumni.csv", cast.ministry)
    assert response.status_code == 422
    assert "office: " in response.content.decode()


def test_the_dry_run_shows_each_row_and_refuses_to_commit_a_file_with_errors(
    cast: Any,
    jpo: Any,
) -> None:
    client = cast.client_for(cast.alice)
    response = _upload(client, MESSY, "alumni.csv", cast.academy)
    page = response.content.decode()
    assert response.status_code == 200
    for number in range(2, 11):
        assert f'id="row-{number}"' in page
    assert "citizenship: unknown country &#x27;Tadjikistan&#x27;" in page
    assert "citizenship not given: recorded as unknown" in page
    assert "likely duplicate of row 8" in page
    assert "1 row has an error" in page
    assert 'name="token"' not in page
    token = client.session[views.SESSION_KEY]["token"]
    refused = client.post("/reports/import/commit/", {"token": token})
    assert refused.status_code == 422
    assert Person.objects.count() == 3


def test_a_large_dry_run_shows_its_errors_first_however_late_they_come(
    cast: Any,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(views, "ROWS_ALWAYS_SHOWN", 2)
    monkeypatch.setattr(views, "ROWS_SHOWN_AT_MOST", 4)
    letters = "abcdefghijklmnopqrstuvwxy"  # names keyed without digits would all be one
    rows = [f"Anna;Ivanova{letters[n]};" for n in range(20)]  # no citizenship: a warning
    rows += [f"Boris;Petrov{letters[n]};KZ" for n in range(5)]
    rows[17] = "Bad;Row;Narnia"
    data = ("given_name;family_name;citizenship\n" + "\n".join(rows) + "\n").encode()
    page = _upload(cast.client_for(cast.alice), data, "big.csv", cast.academy).content.decode()
    assert page.index('id="row-19"') < page.index('id="row-2"')
    assert "citizenship: unknown country &#x27;Narnia&#x27;" in page
    assert "16 more rows with errors or warnings are not shown" in page
    assert "5 more rows without remarks are not shown" in page


def test_commit_writes_the_stored_upload_then_forgets_it(
    cast: Any, jpo: Any, settings: Any
) -> None:
    # Kept in the storage backend, not on this server's disk: any app server can commit it.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client = cast.client_for(cast.alice)
    page = _upload(client, xlsx_bytes(CLEAN), "alumni.xlsx", cast.academy).content.decode()
    assert "Commit 9 rows" in page
    stored = client.session[views.SESSION_KEY]
    assert not (settings.MEDIA_ROOT / "imports").exists()
    assert default_storage.exists(views.pending_name(stored))
    done = client.post("/reports/import/commit/", {"token": stored["token"]})
    assert done.status_code == 200
    assert "Import done" in done.content.decode()
    assert Person.objects.count() == 3 + 7
    assert Person.objects.get(family_name="Nazarova").history.get().history_user == cast.alice
    assert Enrolment.objects.count() == 3 and Placement.objects.count() == 2
    assert not default_storage.exists(views.pending_name(stored))
    again = client.post("/reports/import/commit/", {"token": stored["token"]})
    assert again.status_code == 302
    assert Person.objects.count() == 3 + 7


def test_commit_refuses_a_token_that_is_not_the_sessions(cast: Any, jpo: Any) -> None:
    client = cast.client_for(cast.alice)
    _upload(client, CLEAN, "alumni.csv", cast.academy)
    response = client.post("/reports/import/commit/", {"token": "guessed"})
    assert response.status_code == 302
    assert Person.objects.count() == 3


@pytest.mark.parametrize("name", ["people", "enrolments", "placements", "agreements"])
def test_every_list_exports_as_csv_and_xlsx_with_its_headers(
    cast: Any, jpo: Any, name: str
) -> None:
    from openpyxl import load_workbook

    from chancery.reports import imports

    imports.import_people(CLEAN, "alumni.csv", office=cast.academy, user=cast.alice)
    client = cast.client_for(cast.alice)
    response = client.get(f"/reports/export/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{name}-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "id"
    response = client.get(f"/reports/export/{name}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == rows[0]
    assert len(table) == len(rows)
    if name == "people":
        assert len(rows) == 1 + 10
        assert {"given_name_cyrl", "citizenship", "class_year"} <= set(rows[0])
    if name == "enrolments":
        assert len(rows) == 1 + 3
        assert {"programme", "edition", "state", "host", "start", "end"} <= set(rows[0])


def test_an_unknown_list_or_format_is_not_found(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    assert client.get("/reports/export/passwords.csv").status_code == 404
    assert client.get("/reports/export/people.pdf").status_code == 404


def test_exports_hold_only_what_the_user_may_see(cast: Any) -> None:
    text = b"".join(
        cast.client_for(cast.charlie).get("/reports/export/people.csv").streaming_content
    ).decode("utf-8-sig")
    assert "Example" not in text and "Sample" not in text


def test_an_exported_people_list_imports_back_unchanged(cast: Any, jpo: Any) -> None:
    from chancery.reports import imports

    imports.import_people(CLEAN, "alumni.csv", office=cast.academy, user=cast.alice)
    client = cast.client_for(cast.alice)
    exported = b"".join(client.get("/reports/export/people.csv").streaming_content)
    plan = imports.plan_import(exported, "people.csv", office=cast.academy)
    assert {row.outcome for row in plan.rows} == {"skip"}
    assert plan.error_count == 0
    assert plan.file_warnings == ["columns not imported: 'id', 'display_name', 'phone', 'kept_by'"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_placements_and_enrolments_import_back_unchanged(
    cast: Any, jpo: Any, fmt: str
) -> None:
    from chancery.programmes import services as programmes
    from chancery.reports import imports

    imports.import_people(CLEAN, "alumni.csv", office=cast.academy, user=cast.alice)
    placed = Placement.objects.filter(status="active").select_related("enrolment").first()
    programmes.withdraw(actor=cast.alice, enrolment=placed.enrolment, reason="moved abroad")
    client = cast.client_for(cast.alice)
    for name in ("placements", "enrolments"):
        response = client.get(f"/reports/export/{name}.{fmt}")
        exported = b"".join(response.streaming_content) if response.streaming else response.content
        plan = imports.plan_import(exported, f"{name}.{fmt}", office=cast.academy)
        assert plan.error_count == 0, list(plan.errors())
        assert {row.outcome for row in plan.rows} == {"skip"}, name


def test_a_name_protected_from_formulas_imports_back_unchanged(cast: Any) -> None:
    from chancery.directory import services
    from chancery.reports import imports

    services.update_person(actor=SYSTEM, person=cast.quinn_person, notes="", family_name="=Sample")
    exported = b"".join(
        cast.client_for(cast.alice).get("/reports/export/people.csv").streaming_content
    )
    plan = imports.plan_import(exported, "people.csv", office=cast.academy)
    assert {row.outcome for row in plan.rows} == {"skip"}


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(cast: Any) -> None:
    from openpyxl import load_workbook

    from chancery.directory import services

    services.update_person(
        actor=SYSTEM,
        person=cast.quinn_person,
        notes="",
        family_name='=HYPERLINK("http://evil")',
        phone="+7 701 000 00 00",
    )
    client = cast.client_for(cast.alice)
    text = b"".join(client.get("/reports/export/people.csv").streaming_content).decode()
    assert "'=HYPERLINK" in text
    assert ",+7 701 000 00 00," in text
    response = client.get("/reports/export/people.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == '=HYPERLINK("http://evil")'
    ]
    assert cells and cells[0].data_type == "s"


def test_posting_without_a_file_names_the_missing_field(cast: Any) -> None:
    response = cast.client_for(cast.alice).post("/reports/import/", {})
    assert response.status_code == 422
    assert "file: This field is required." in response.content.decode()
