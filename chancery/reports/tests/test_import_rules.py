"""The import replicates the models' rules instead of calling full_clean per row (too slow at
100 000 rows). These tests prove the two agree, on a sample of good and bad values."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chancery.directory.models import Person
from chancery.directory.names import name_key
from chancery.programmes.models import Enrolment, Placement
from chancery.reports import imports
from chancery.reports.tests.conftest import CLEAN, csv_bytes

PERSON_HEADER = (
    "given_name;family_name;given_name_cyrl;family_name_cyrl;email;birth_date;class_year"
)

# Values in the canonical form both accept (ISO dates, four-digit years), good and bad.
PERSON_SAMPLES = [
    ("Anna", "Savchenko", "", "", "anna@example.kz", "2001-02-03", "2022"),
    ("", "", "Айгерим", "Жаксылыкова", "", "", ""),
    ("", "Nazarova", "", "", "", "", "1950"),
    ("Li", "", "", "", "li@example.cn", "", "2100"),
    ("", "", "", "", "nobody@example.kz", "", ""),  # no name
    ("A" * 100, "B" * 100, "", "", "", "", ""),
    ("A" * 101, "B", "", "", "", "", ""),
    ("", "", "", "Щ" * 100, "", "", ""),  # key longer than the index column
    ("—", "", "", "", "", "", ""),  # no letters: an empty key, which the model allows
    ("Anna", "Savchenko", "", "", "anna@", "", ""),
    ("Anna", "Savchenko", "", "", "anna@example", "", ""),
    ("Anna", "Savchenko", "", "", "a" * 250 + "@x.kz", "", ""),
    ("Anna", "Savchenko", "", "", "", "2001-02-30", ""),
    ("Anna", "Savchenko", "", "", "", "2001-13-01", ""),
    ("Anna", "Savchenko", "", "", "", "", "1949"),
    ("Anna", "Savchenko", "", "", "", "", "2101"),
    ("Anna", "Savchenko", "", "", "", "", "20x1"),
]


def _full_clean_accepts(model: Any) -> bool:
    try:
        model.full_clean()
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("values", PERSON_SAMPLES)
def test_the_import_accepts_a_person_exactly_when_full_clean_does(
    cast: Any, values: tuple[str, ...]
) -> None:
    given, family, given_cyrl, family_cyrl, email, birth_date, class_year = values
    person = Person(
        given_name=given,
        family_name=family,
        given_name_cyrl=given_cyrl,
        family_name_cyrl=family_cyrl,
        email=email,
        birth_date=birth_date or None,
        class_year=class_year or None,
        owner=cast.academy,
        name_key=name_key(given or given_cyrl, family or family_cyrl),
    )
    row = ";".join(values)
    plan = imports.plan_import(csv_bytes([row], PERSON_HEADER), "x.csv", office=cast.ministry)
    assert (plan.rows[0].outcome != "error") == _full_clean_accepts(person), plan.rows[0].errors


ENROLMENT_HEADER = "given_name;programme;edition;state;reason;host;start;end"
ENROLMENT_SAMPLES = [
    ("completed", "", "Test Ministry", "2019-02-01", "2019-07-31"),
    ("withdrawn", "", "", "", ""),
    ("withdrawn", "moved abroad", "", "", ""),
    ("active", "", "Test Ministry", "2019-08-01", "2019-07-31"),
    ("placed", "", "Test Ministry", "2019-07-31", "2019-07-31"),
    ("applied", "", "", "", ""),
]


@pytest.mark.parametrize("values", ENROLMENT_SAMPLES)
def test_the_import_accepts_an_enrolment_exactly_when_full_clean_does(
    cast: Any,
    jpo: Any,
    values: tuple[str, ...],
) -> None:
    state, reason, host, start, end = values
    enrolment = Enrolment(
        person=cast.pat_person, edition=jpo.edition_2019, state=state, state_reason=reason
    )
    accepted = _full_clean_accepts(enrolment)
    if host:
        placement = Placement(host=cast.ministry, start=start, end=end, status="active")
        try:
            placement.full_clean(exclude=["enrolment"])  # the enrolment is not saved yet
        except ValidationError:
            accepted = False
    row = ";".join(["Anna", "JPO", "JPO 2019", *values])
    plan = imports.plan_import(csv_bytes([row], ENROLMENT_HEADER), "x.csv", office=cast.academy)
    assert (plan.rows[0].outcome != "error") == accepted, plan.rows[0].errors


def test_every_record_a_clean_import_would_create_passes_full_clean(cast: Any, jpo: Any) -> None:
    plan = imports.plan_import(CLEAN, "jpo.csv", office=cast.academy)
    new = [person for person in plan.people.values() if person.pk is None]
    assert len(new) == 7
    for person in new:
        imports.build_person(person, cast.academy).full_clean()
