"""Fixtures of the directory's tests."""

from datetime import date
from typing import Any

import pytest

from chancery.agreements import services as agreements
from chancery.core.actors import SYSTEM
from chancery.directory.models import Person
from chancery.programmes import services as programmes


@pytest.fixture
def held_person(cast: Any) -> Person:
    """Pat, with two enrolments and a signature on an agreement: records that must stay."""
    agreement = agreements.create_agreement(
        actor=SYSTEM,
        owner=cast.academy,
        kind="bilateral",
        title="Agreement",
        signed_on=date(2020, 1, 1),
        parties=[{"organisation": cast.ministry, "signatory": cast.pat_person}],
    )
    programme = programmes.create_programme(
        actor=SYSTEM,
        owner=cast.academy,
        kind="internship",
        name_en="Programme",
        agreements=[agreement],
    )
    for year in (2026, 2027):
        edition = programmes.create_edition(
            actor=SYSTEM, programme=programme, name=str(year), year=year, starts_on=date(year, 9, 1)
        )
        programmes.apply(actor=SYSTEM, edition=edition, person=cast.pat_person)
    person: Person = cast.pat_person
    return person
