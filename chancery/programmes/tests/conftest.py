from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from chancery.agreements import services as agreements
from chancery.agreements.models import Agreement
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole, Country, Organisation, Person
from chancery.programmes import services
from chancery.programmes.models import Edition, Programme


@dataclass
class Jpo:
    programme: Programme
    edition: Edition
    mfa: Organisation
    department: Organisation
    agreement: Agreement
    graduate: Person
    tajik: Person
    supervisor: Person


@pytest.fixture
def jpo(cast: Any) -> Jpo:
    kz = Country.objects.get(alpha2="KZ")
    mfa = directory.create_organisation(
        actor=SYSTEM, name_en="MFA of Kazakhstan", kind="ministry", country=kz
    )
    department = directory.create_organisation(
        actor=SYSTEM, name_en="Multilateral Department", kind="department", parent=mfa
    )
    agreement = agreements.create_agreement(
        actor=SYSTEM,
        owner=cast.academy,
        kind="bilateral",
        title="JPO with the MFA",
        signed_on=date(2010, 9, 10),
        parties=[{"organisation": cast.academy}, {"organisation": mfa}],
    )
    programme = services.create_programme(
        actor=cast.alice,
        owner=cast.academy,
        kind="internship",
        name_en="JPO",
        agreements=[agreement],
    )
    for kind, params in (
        ("graduate_of", {"organisation": cast.academy.pk, "name": "Academy"}),
        ("citizenship_in", {"countries": ["KZ", "KG", "AF"]}),
        ("host_country_is_citizenship", {}),
        ("host_covered_by_agreement", {}),
    ):
        services.add_rule(actor=cast.alice, programme=programme, kind=kind, params=params)
    edition = services.create_edition(
        actor=cast.alice,
        programme=programme,
        name="JPO 2026",
        year=2026,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 11, 30),
        capacity=2,
    )

    def graduate(given: str, code: str) -> Person:
        person = directory.create_person(
            actor=SYSTEM,
            owner=cast.academy,
            given_name=given,
            family_name="Graduate",
            citizenships=[Country.objects.get(alpha2=code)],
        )
        directory.add_affiliation(
            actor=SYSTEM, person=person, organisation=cast.academy, role=AffiliationRole.ALUMNUS
        )
        return person

    supervisor = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Sam", family_name="Supervisor"
    )
    cast.sam.person = supervisor
    cast.sam.save()
    return Jpo(
        programme=programme,
        edition=edition,
        mfa=mfa,
        department=department,
        agreement=agreement,
        graduate=graduate("Aida", "KZ"),
        tajik=graduate("Sino", "TJ"),
        supervisor=supervisor,
    )
