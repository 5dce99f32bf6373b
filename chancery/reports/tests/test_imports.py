from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError

from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import Affiliation, Citizenship, Person
from chancery.programmes.models import Enrolment, Placement
from chancery.reports import imports
from chancery.reports.tests.conftest import CLEAN, HEADER, MESSY, csv_bytes, xlsx_bytes


def _plan(cast: Any, data: bytes, filename: str = "jpo.csv") -> imports.ImportPlan:
    return imports.plan_import(data, filename, office=cast.academy)


def _outcomes(plan: imports.ImportPlan) -> list[tuple[int, str, str]]:
    return [(row.number, row.outcome, row.target) for row in plan.rows]


def _row(plan: imports.ImportPlan, number: int) -> imports.PersonRow:
    return next(row for row in plan.rows if row.number == number)


def _written() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "people_history": Person.history.count(),
        "citizenships": Citizenship.objects.count(),
        "citizenship_history": Citizenship.history.count(),
        "affiliations": Affiliation.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "placements": Placement.objects.count(),
    }


def test_the_dry_run_of_the_messy_sample_says_each_rows_outcome(cast: Any, jpo: Any) -> None:
    before = _written()
    plan = _plan(cast, MESSY)
    pat = f"#{cast.pat_person.pk}"
    assert _outcomes(plan) == [
        (2, "create", "new"),
        (3, "update", "row 2"),
        (4, "create", "new"),
        (5, "create", "new"),
        (6, "create", "new"),
        (7, "error", ""),
        (8, "create", "new"),
        (9, "create", "new"),
        (10, "update", pat),
    ]
    assert _row(plan, 7).errors == [
        ("citizenship", "unknown country 'Tadjikistan'; did you mean 'Tajikistan'?")
    ]
    assert plan.error_count == 1
    assert _row(plan, 3).warnings == ["same person as row 2 (matched by name and birth date)"]
    assert _row(plan, 5).warnings == ["citizenship not given: recorded as unknown"]
    assert _row(plan, 6).warnings == ["citizenship not given: recorded as unknown"]
    assert _row(plan, 9).warnings == ["likely duplicate of row 8 (same name and birth date)"]
    assert _row(plan, 10).changes == ["citizenship + RU"]
    assert _row(plan, 5).name == "Айгерим Жаксылыкова"
    assert plan.file_warnings == ["columns not imported: 'No.'"]
    assert _written() == before


def test_a_file_with_one_bad_row_commits_nothing(cast: Any, jpo: Any) -> None:
    before = _written()
    with pytest.raises(imports.ImportRefused, match="1 row has an error; nothing was imported"):
        imports.import_people(MESSY, "jpo.csv", office=cast.academy, user=cast.alice)
    assert _written() == before


def test_the_clean_sample_commits_every_row_with_its_audit_and_reimports_as_all_skip(
    cast: Any,
    jpo: Any,
) -> None:
    before = _written()
    plan = imports.import_people(CLEAN, "jpo.csv", office=cast.academy, user=cast.alice)
    assert plan.committed
    assert plan.counts == {"create": 7, "update": 2, "skip": 0, "error": 0}
    after = _written()
    assert after["people"] == before["people"] + 7
    assert after["people_history"] == before["people_history"] + 7

    daniyar = Person.objects.get(email="Daniyar.Suyunov@example.kz")
    assert (daniyar.given_name_cyrl, daniyar.family_name_cyrl) == ("Данияр", "Суюнов")
    assert daniyar.birth_date == date(1990, 3, 14)
    assert daniyar.class_year == 2011
    assert daniyar.owner == cast.academy
    assert daniyar.history.get().history_user == cast.alice
    assert daniyar.affiliations.get().organisation == cast.academy
    completed = Enrolment.objects.get(person=daniyar)
    assert (completed.state, completed.completed_on) == ("completed", date(2019, 7, 31))
    assert completed.history.get().history_user == cast.alice
    placement = completed.placements.get()
    assert (placement.host, placement.status) == (cast.ministry, "completed")

    firuza = Person.objects.get(family_name="Nazarova")
    assert list(firuza.citizenships.values_list("alpha2", flat=True)) == ["TJ"]
    assert Enrolment.objects.get(person=firuza).edition == jpo.edition_2021
    aigerim = Person.objects.get(family_name_cyrl="Жаксылыкова")
    assert aigerim.given_name == "" and not aigerim.citizenships.exists()
    timur = Enrolment.objects.get(person__family_name="Bekov")
    assert (timur.state, timur.state_reason) == ("withdrawn", "family reasons")
    assert Person.objects.filter(name_key="dilnoza rahimova").count() == 2
    assert set(cast.pat_person.citizenships.values_list("alpha2", flat=True)) == {"KZ", "RU"}
    assert Citizenship.history.filter(country_id="RU").get().history_user == cast.alice

    again = _plan(cast, CLEAN)
    assert {row.outcome for row in again.rows} == {"skip"}
    imports.import_people(CLEAN, "jpo.csv", office=cast.academy, user=cast.alice)
    assert _written() == after


def test_an_xlsx_file_imports_like_the_csv(cast: Any, jpo: Any) -> None:
    from_csv = _plan(cast, CLEAN)
    from_xlsx = _plan(cast, xlsx_bytes(CLEAN), "jpo.xlsx")
    assert _outcomes(from_xlsx) == _outcomes(from_csv)
    assert [r.messages for r in from_xlsx.rows] == [r.messages for r in from_csv.rows]
    imports.import_people(xlsx_bytes(CLEAN), "jpo.xlsx", office=cast.academy, user=cast.alice)
    assert {row.outcome for row in _plan(cast, CLEAN).rows} == {"skip"}


def test_a_comma_csv_without_bom_reads_like_a_semicolon_one(cast: Any) -> None:
    data = csv_bytes(
        ['Anna,Savchenko,,,anna@example.kz,2001-02-03,"KZ;RU",2022'],
        "given_name,family_name,given_name_cyrl,family_name_cyrl,email,birth_date,"
        "citizenship,class_year",
        bom=False,
    )
    plan = _plan(cast, data)
    assert _outcomes(plan) == [(2, "create", "new")]
    assert plan.rows[0].messages == []


@pytest.mark.parametrize(
    ("text", "year"), [("2011", 2011), ("'11", 2011), ("’11", 2011), ("‘09", 2009), ("11", 2011)]
)
def test_class_years_are_read_in_full_or_with_two_digits(cast: Any, text: str, year: int) -> None:
    plan = _plan(cast, csv_bytes([f"Anna;Savchenko;{text}"], "given_name;family_name;class_year"))
    imports.write_plan(plan, user=cast.alice)
    assert Person.objects.get(family_name="Savchenko").class_year == year


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        ("class_year", "2O11", "'2O11' is not a year"),
        ("class_year", "1949", "1949 is not between 1950 and 2100"),
        ("birth_date", "31.02.1990", "'31.02.1990' is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
        ("birth_date", "1990/03/14", "'1990/03/14' is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
        ("email", "anna@", "'anna@' is not a valid e-mail address"),
        ("citizenship", "KZ; Narnia", "unknown country 'Narnia'"),
        ("given_name", "A" * 101, "longer than 100 characters"),
        ("organisation", "Nowhere Institute", "unknown organisation 'Nowhere Institute'"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_field_and_the_reason(
    cast: Any,
    column: str,
    text: str,
    message: str,
) -> None:
    header = f"family_name;{column}" + (";role" if column == "organisation" else "")
    row = f'Savchenko;"{text}"' + (";alumnus" if column == "organisation" else "")
    plan = _plan(cast, csv_bytes([row], header))
    assert plan.rows[0].outcome == "error"
    assert plan.rows[0].errors == [(column, message)]


@pytest.mark.parametrize(
    "text", ["TJ", "tjk", "Tajikistan", "TAJIKISTAN", "Таджикистан", "Republic of Tajikistan"]
)
def test_a_citizenship_is_found_by_code_or_english_or_russian_name(cast: Any, text: str) -> None:
    plan = _plan(cast, csv_bytes([f"Firuza;{text}"], "given_name;citizenship"))
    imports.write_plan(plan, user=cast.alice)
    person = Person.objects.get(given_name="Firuza")
    assert list(person.citizenships.values_list("alpha2", flat=True)) == ["TJ"]


def test_several_citizenships_are_separated_by_semicolons(cast: Any) -> None:
    plan = _plan(cast, csv_bytes(['Firuza;"TJ; Russia ;Россия"'], "given_name;citizenship"))
    imports.write_plan(plan, user=cast.alice)
    person = Person.objects.get(given_name="Firuza")
    assert set(person.citizenships.values_list("alpha2", flat=True)) == {"TJ", "RU"}


def test_rows_are_matched_by_email_regardless_of_case(cast: Any) -> None:
    services.update_person(actor=SYSTEM, person=cast.quinn_person, email="Quinn@Example.org")
    plan = _plan(cast, csv_bytes(["QUINN@example.org;2016"], "email;class_year"))
    assert _outcomes(plan) == [(2, "update", f"#{cast.quinn_person.pk}")]
    assert plan.rows[0].changes == ["class_year → 2016"]
    assert plan.rows[0].name == "Quinn Sample"


def test_a_row_matching_several_records_is_an_ambiguous_error(cast: Any) -> None:
    twin = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Pat", family_name="Example", class_year=2010
    )
    plan = _plan(cast, csv_bytes(["Pat;Example;KZ"], "given_name;family_name;citizenship"))
    assert plan.rows[0].errors == [
        ("person", f"ambiguous: matches #{cast.pat_person.pk}, #{twin.pk}")
    ]


def test_a_record_with_another_email_is_not_matched_by_name_but_flagged(cast: Any) -> None:
    recorded = services.create_person(
        actor=SYSTEM,
        owner=cast.academy,
        given_name="Anna",
        family_name="Savchenko",
        email="anna@one.kz",
        birth_date=date(2001, 2, 3),
    )
    plan = _plan(
        cast,
        csv_bytes(
            ["Анна;Савченко;anna@two.kz;03.02.2001"],
            "given_name_cyrl;family_name_cyrl;email;birth_date",
        ),
    )
    assert _outcomes(plan) == [(2, "create", "new")]
    assert f"likely duplicate of #{recorded.pk} (same name and birth date)" in (
        plan.rows[0].warnings
    )


def test_records_of_another_office_are_neither_matched_nor_changed(cast: Any) -> None:
    plan = imports.plan_import(
        csv_bytes(["Pat;Example;2011"], "given_name;family_name;class_year"),
        "x.csv",
        office=cast.ministry,
    )
    assert _outcomes(plan) == [(2, "create", "new")]


def test_two_rows_saying_different_things_of_the_same_person_are_an_error(cast: Any) -> None:
    plan = _plan(
        cast,
        csv_bytes(
            ["Anna;Savchenko;;;anna@example.kz;2011", ";;Анна;Савченко;ANNA@example.kz;2012"],
            "given_name;family_name;given_name_cyrl;family_name_cyrl;email;class_year",
        ),
    )
    assert _outcomes(plan) == [(2, "create", "new"), (3, "error", "")]
    assert plan.rows[1].errors == [
        ("class_year", "2012 differs from row 2 (2011) for the same person")
    ]


def test_a_row_without_any_name_is_an_error_when_it_would_create(cast: Any) -> None:
    plan = _plan(cast, csv_bytes(["nobody@example.kz;KZ"], "email;citizenship"))
    assert plan.rows[0].errors == [("name", "a person needs a name in at least one script")]


@pytest.mark.parametrize(
    ("cells", "errors"),
    [
        ("JPO;;applied;;;;", [("edition", "required to import an enrolment")]),
        ("JPO;JPO 2030;applied;;;;", [("edition", "programme 'JPO' has no edition 'JPO 2030'")]),
        ("Unknown;JPO 2019;applied;;;;", [("programme", "unknown programme 'Unknown'")]),
        (
            "JPO;JPO 2019;finished;;;;",
            [
                (
                    "state",
                    "'finished' is not one of applied, eligible, "
                    "ineligible, selected, placed, active, "
                    "completed, withdrawn",
                )
            ],
        ),
        ("JPO;JPO 2019;withdrawn;;;;", [("reason", "a withdrawal needs a reason")]),
        ("JPO;JPO 2019;completed;;Test Ministry;;2019-07-31", [("start", "required with a host")]),
        (
            "JPO;JPO 2019;completed;;Test Ministry;2019-08-01;2019-07-31",
            [("end", "2019-07-31 is before the start 2019-08-01")],
        ),
        (
            "JPO;JPO 2019;applied;;Test Ministry;2019-02-01;2019-07-31",
            [("host", "an enrolment in state 'applied' has no placement")],
        ),
    ],
)
def test_an_enrolment_is_checked_as_the_model_would(
    cast: Any, jpo: Any, cells: str, errors: list[tuple[str, str]]
) -> None:
    header = "given_name;family_name;programme;edition;state;reason;host;start;end"
    plan = _plan(cast, csv_bytes([f"Anna;Savchenko;{cells}"], header))
    assert plan.rows[0].errors == errors


def test_enrolments_only_go_into_the_programmes_given(cast: Any, jpo: Any) -> None:
    header = "given_name;family_name;programme;edition;state"
    plan = imports.plan_import(
        csv_bytes(["Anna;Savchenko;JPO;JPO 2019;applied"], header),
        "x.csv",
        office=cast.academy,
        programmes=[],
    )
    assert plan.rows[0].errors == [("programme", "'JPO' is not a programme of your office")]


def test_a_changed_state_updates_the_enrolment_with_its_history(cast: Any, jpo: Any) -> None:
    header = "given_name;family_name;programme;edition;state;host;start;end"
    imports.import_people(
        csv_bytes(
            ["Anna;Savchenko;JPO;JPO 2021;active;Test Ministry;2021-03-01;2021-08-31"], header
        ),
        "x.csv",
        office=cast.academy,
        user=cast.alice,
    )
    plan = imports.import_people(
        csv_bytes(
            ["Anna;Savchenko;JPO;JPO 2021;completed;Test Ministry;2021-03-01;2021-08-31"], header
        ),
        "x.csv",
        office=cast.academy,
        user=cast.bob,
    )
    assert _outcomes(plan)[0][1] == "update"
    enrolment = Enrolment.objects.get(person__family_name="Savchenko")
    assert (enrolment.state, enrolment.completed_on) == ("completed", date(2021, 8, 31))
    assert enrolment.history.first().history_user == cast.bob
    assert enrolment.placements.get().status == "completed"


def test_two_rows_placing_one_person_at_overlapping_dates_are_refused(cast: Any, jpo: Any) -> None:
    header = "given_name;family_name;programme;edition;state;host;start;end"
    plan = _plan(
        cast,
        csv_bytes(
            [
                "Anna;Savchenko;JPO;JPO 2019;completed;Test Ministry;2019-02-01;2019-07-31",
                "Anna;Savchenko;JPO;JPO 2021;completed;Test Department;2019-07-31;2019-10-31",
            ],
            header,
        ),
    )
    assert _row(plan, 2).errors == []
    assert _row(plan, 3).errors == [
        ("start", "This person is already placed at Test Ministry from 1 Feb 2019 to 31 Jul 2019.")
    ]
    before = _written()
    with pytest.raises(imports.ImportRefused):
        imports.import_people(
            csv_bytes(
                [
                    "Anna;Savchenko;JPO;JPO 2019;completed;Test Ministry;2019-02-01;2019-07-31",
                    "Anna;Savchenko;JPO;JPO 2021;completed;Test Department;2019-07-31;2019-10-31",
                ],
                header,
            ),
            "x.csv",
            office=cast.academy,
            user=cast.alice,
        )
    assert _written() == before


def test_a_row_overlapping_a_recorded_placement_is_refused_but_its_own_may_move(
    cast: Any, jpo: Any
) -> None:
    header = "given_name;family_name;programme;edition;state;host;start;end"
    imports.import_people(
        csv_bytes(
            ["Anna;Savchenko;JPO;JPO 2019;completed;Test Ministry;2019-02-01;2019-07-31"], header
        ),
        "x.csv",
        office=cast.academy,
        user=cast.alice,
    )
    plan = _plan(
        cast,
        csv_bytes(
            [
                "Anna;Savchenko;JPO;JPO 2019;completed;Test Ministry;2019-03-01;2019-08-31",
                "Anna;Savchenko;JPO;JPO 2021;completed;Test Department;2019-08-01;2019-09-30",
            ],
            header,
        ),
    )
    assert _row(plan, 2).errors == []
    assert [field for field, _message in _row(plan, 3).errors] == ["start"]


def test_an_import_failing_at_insert_time_leaves_the_database_as_before(
    cast: Any,
    jpo: Any,
    monkeypatch: Any,
) -> None:
    real = imports.person_fields
    built: list[dict[str, Any]] = []

    def one_bad_row(person: Any, office: Any) -> dict[str, Any]:
        fields = real(person, office)
        built.append(fields)
        if len(built) == 5:
            fields["class_year"] = 1900  # breaks person_class_year_plausible at INSERT
        return fields

    monkeypatch.setattr(imports, "person_fields", one_bad_row)
    before = _written()
    with pytest.raises(IntegrityError):
        imports.import_people(CLEAN, "jpo.csv", office=cast.academy, user=cast.alice)
    assert _written() == before


def test_an_import_killed_after_the_people_are_written_leaves_nothing_behind(
    cast: Any,
    jpo: Any,
    monkeypatch: Any,
) -> None:
    real = imports._create_with_history

    def crash_at_placements(model: Any, rows: Any, **audit: Any) -> list[int]:
        if model is Placement:
            raise RuntimeError("killed")  # people, citizenships and enrolments are in by now
        return real(model, rows, **audit)

    monkeypatch.setattr(imports, "_create_with_history", crash_at_placements)
    before = _written()
    with pytest.raises(RuntimeError, match="killed"):
        imports.import_people(CLEAN, "jpo.csv", office=cast.academy, user=cast.alice)
    assert _written() == before


def test_the_audit_rows_are_those_simple_history_writes(cast: Any, jpo: Any) -> None:
    imports.import_people(CLEAN, "jpo.csv", office=cast.academy, user=cast.alice)
    firuza = Person.objects.get(family_name="Nazarova")
    record = firuza.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        cast.alice,
        "import of jpo.csv",
    )
    restored = record.instance
    for name in ("given_name", "family_name_cyrl", "email", "birth_date", "class_year", "owner_id"):
        assert getattr(restored, name) == getattr(firuza, name)
    citizenship = Citizenship.history.get(person_id=firuza.pk)
    assert (citizenship.history_type, citizenship.history_user, citizenship.country_id) == (
        "+",
        cast.alice,
        "TJ",
    )
    placement = Placement.history.get(enrolment__person=firuza)
    assert (placement.history_user, placement.status) == (cast.alice, "active")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.4", "list.pdf", "file: upload a .csv or .xlsx file"),
        (b"", "list.csv", "file: the file is empty"),
        (
            "given_name\nJosé\n".encode("cp1252"),
            "list.csv",
            "file: the CSV is neither UTF-8 nor Windows Cyrillic text; save it as “CSV UTF-8”",
        ),
        (b"not a zip", "list.xlsx", "file: not a readable .xlsx workbook"),
        (b"colour;size\nred;L\n", "list.csv", "file: the header row names no column of a name"),
    ],
)
def test_an_unreadable_file_is_refused_naming_the_file(
    cast: Any, data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(imports.ImportFileError) as refused:
        _plan(cast, data, filename)
    assert str(refused.value).startswith(message)


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(cast: Any) -> None:
    plan = _plan(cast, csv_bytes(["Anna;Savchenko", ";", "Boris;Orlov"], "given_name;family_name"))
    assert [row.number for row in plan.rows] == [2, 4]


def test_the_header_lists_every_documented_column(cast: Any) -> None:
    names = [name.lower() for name in HEADER.split(";")]
    assert set(imports.COLUMN_NAMES) <= set(names)


@pytest.mark.parametrize(
    ("encoding", "family_name"),
    [
        ("cp1251", "Суюнов"),
        ("kz1048", "Жақсылықова"),
        ("utf-16", "Жақсылықова"),
        ("utf-8", "Жақсылықова"),
    ],
)
def test_a_csv_saved_by_excel_in_a_cyrillic_code_page_is_read(
    cast: Any, encoding: str, family_name: str
) -> None:
    data = f"given_name_cyrl;family_name_cyrl\nАйгерим;{family_name}\n".encode(encoding)
    plan = _plan(cast, data)
    assert _row(plan, 2).errors == []
    assert plan.people[-1].family_name_cyrl == family_name


def test_cells_an_export_protected_from_formulas_import_back_as_they_were(cast: Any) -> None:
    plan = _plan(cast, csv_bytes(["'=Ada;'-Lovelace", "'Quote;O'Neill"], "given_name;family_name"))
    assert [(p.given_name, p.family_name) for p in plan.people.values() if p.pk is None] == [
        ("=Ada", "-Lovelace"),
        ("'Quote", "O'Neill"),
    ]


@pytest.mark.parametrize(
    ("text", "alpha2"),
    [
        ("Кыргызская Республика", "KG"),
        ("Республика Казахстан", "KZ"),
        ("Қазақстан Республикасы", "KZ"),
        ("Republic of Tajikistan", "TJ"),
        ("Islamic Republic of Afghanistan", "AF"),
        ("Kyrgyz Republic", "KG"),
        ("Республика Таджикистан", "TJ"),
    ],
)
def test_official_country_names_are_recognised(cast: Any, text: str, alpha2: str) -> None:
    plan = _plan(cast, csv_bytes([f"Anna;Savchenko;{text}"], "given_name;family_name;citizenship"))
    assert _row(plan, 2).errors == []
    assert plan.people[-1].citizenships == {alpha2}


def test_a_misspelt_country_is_refused_with_the_nearest_name(cast: Any) -> None:
    plan = _plan(
        cast, csv_bytes(["Anna;Savchenko;Кыргистан"], "given_name;family_name;citizenship")
    )
    assert _row(plan, 2).errors == [
        ("citizenship", "unknown country 'Кыргистан'; did you mean 'Кыргызстан'?")
    ]


def test_a_cancelled_placement_is_kept_beside_the_current_one(cast: Any, jpo: Any) -> None:
    header = "given_name;family_name;programme;edition;state;host;start;end;status"
    rows = [
        "Anna;Savchenko;JPO;JPO 2021;active;Test Ministry;2021-03-01;2021-08-31;cancelled",
        "Anna;Savchenko;JPO;JPO 2021;active;Test Department;2021-03-01;2021-08-31;",
    ]
    imports.import_people(csv_bytes(rows, header), "x.csv", office=cast.academy, user=cast.alice)
    placements = Placement.objects.order_by("host__name_en")
    assert [(p.host.name_en, p.status) for p in placements] == [
        ("Test Department", "active"),
        ("Test Ministry", "cancelled"),
    ]
    assert {row.outcome for row in _plan(cast, csv_bytes(rows, header)).rows} == {"skip"}


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        (
            "active;Test Ministry;2021-03-01;2021-08-31;finished",
            ("status", "'finished' is not one of planned, active, completed, cancelled"),
        ),
        (
            "active;Test Ministry;2021-03-01;2021-08-31;completed",
            (
                "status",
                "a placement 'completed' does not fit an enrolment 'active' ('active' or "
                "cancelled)",
            ),
        ),
    ],
)
def test_a_placement_status_must_fit_the_enrolment(
    cast: Any, jpo: Any, cells: str, error: tuple[str, str]
) -> None:
    header = "given_name;family_name;programme;edition;state;host;start;end;status"
    plan = _plan(cast, csv_bytes([f"Anna;Savchenko;JPO;JPO 2021;{cells}"], header))
    assert _row(plan, 2).errors == [error]


def test_a_birth_date_in_the_future_is_an_error_as_in_the_form(cast: Any) -> None:
    plan = _plan(cast, csv_bytes(["Anna;Tomorrow;2999-01-01"], "given_name;family_name;birth_date"))
    assert _row(plan, 2).errors == [("birth_date", "The birth date 1 Jan 2999 is in the future.")]


def test_a_recorded_enrolment_only_moves_as_the_lifecycle_allows(cast: Any, jpo: Any) -> None:
    header = "given_name;family_name;programme;edition;state;host;start;end"
    imports.import_people(
        csv_bytes(
            ["Anna;Savchenko;JPO;JPO 2021;completed;Test Ministry;2021-03-01;2021-08-31"], header
        ),
        "x.csv",
        office=cast.academy,
        user=cast.alice,
    )
    back = _plan(cast, csv_bytes(["Anna;Savchenko;JPO;JPO 2021;applied;;;"], header))
    assert _row(back, 2).errors == [
        ("state", "the enrolment is recorded as 'completed', which can never become 'applied'")
    ]
    onward = _plan(cast, csv_bytes(["Bob;Builder;JPO;JPO 2021;applied;;;"], header))
    assert _row(onward, 2).errors == []
    imports.import_people(
        csv_bytes(["Bob;Builder;JPO;JPO 2021;applied;;;"], header),
        "y.csv",
        office=cast.academy,
        user=cast.alice,
    )
    later = _plan(
        cast,
        csv_bytes(["Bob;Builder;JPO;JPO 2021;active;Test Ministry;2021-03-01;2021-08-31"], header),
    )
    assert _row(later, 2).errors == []  # applied → … → active: what happened since
