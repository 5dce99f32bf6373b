"""The benchmark data set (`chancery bench-data`) at a tiny scale: counts, proportions, realism."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from chancery.directory.models import (
    Affiliation,
    Citizenship,
    Consent,
    Organisation,
    Person,
)
from chancery.directory.services import _refresh_name_key
from chancery.draws.lottery import verify_record
from chancery.draws.models import Draw
from chancery.events.models import Attendance, Event
from chancery.programmes.models import Edition, Enrolment, Pairing, Placement, Programme
from chancery.site import benchdata

SCALE = 0.01


@pytest.fixture
def built(db: Any) -> str:
    out = StringIO()
    call_command("bench_data", scale=SCALE, final_year=2025, stdout=out)
    return out.getvalue()


def test_counts_follow_the_scale(built: str) -> None:
    want = benchdata.targets(SCALE)
    assert want == {
        "people": 1000,
        "organisations": 50,
        "enrolments": 3000,
        "events": 500,
        "attendances": 10000,
    }
    assert Person.objects.count() == want["people"]
    assert Organisation.objects.count() == want["organisations"]
    assert Enrolment.objects.count() == want["enrolments"]
    assert Event.objects.count() == want["events"]
    assert Attendance.objects.count() == want["attendances"]
    assert "events.Attendance" in built and "10000" in built


def test_proportions_of_people_and_organisations(built: str) -> None:
    kinds = dict(Organisation.objects.values_list("kind").annotate(n=Count("id")).order_by())
    assert kinds["school"] > kinds["embassy"] >= 2
    assert {"ministry", "department", "university", "academy"} <= set(kinds)
    assert not Organisation.objects.filter(kind="department", parent__isnull=True).exists()
    assert not Organisation.objects.filter(kind="embassy", country__isnull=True).exists()
    roles = dict(Affiliation.objects.values_list("role").annotate(n=Count("id")).order_by())
    students = roles.get("student", 0) + roles.get("alumnus", 0)
    assert 500 <= students <= 600  # 55 % of 1000
    assert 250 <= roles["pupil"] <= 350  # 30 %
    assert roles["diplomat"] == 50 and roles["teacher"] == 30
    # Most people have one citizenship, some none, a few two.
    without = Person.objects.filter(citizenship_set__isnull=True).count()
    assert 50 <= without <= 250
    assert Citizenship.objects.values("person").annotate(n=Count("id")).filter(n=2).exists()
    # Minors' consents come from their guardian.
    minors = Person.objects.filter(guardian__isnull=False)
    assert minors.exists()
    assert (
        not Consent.objects.filter(person__in=minors)
        .exclude(given_by=F("person__guardian"))
        .exists()
    )


def test_names_are_realistic_and_keyed_as_the_model_does(built: str) -> None:
    people = list(Person.objects.all())
    cyrillic_only = [p for p in people if not p.given_name and p.given_name_cyrl]
    both = [p for p in people if p.given_name and p.given_name_cyrl]
    latin_only = [p for p in people if p.given_name and not p.given_name_cyrl]
    assert len(cyrillic_only) > 50 and len(both) > 300 and len(latin_only) > 200
    for person in people:
        stored = person.name_key
        _refresh_name_key(person)
        assert person.name_key == stored, person
    # Some people are recorded twice: the directory's duplicate finder sees them.
    from chancery.directory.queries import likely_duplicates

    assert likely_duplicates(Person.objects.all())


def test_editions_span_twenty_years_and_pairings_come_from_draws(built: str) -> None:
    assert Programme.objects.count() == 6
    for programme in Programme.objects.all():
        years = sorted(programme.editions.values_list("year", flat=True))
        assert years == list(range(2006, 2026))
    outreach = Edition.objects.filter(programme__kind="outreach")
    assert not Event.objects.exclude(edition__in=outreach).exists()
    assert not Enrolment.objects.filter(edition__in=outreach).exists()
    draws = Draw.objects.filter(status="conducted", kind="pair")
    assert draws.count() == outreach.count() == 40
    assert verify_record(draws.first().record) == []
    assert not Pairing.objects.exclude(draw__in=draws).exists()
    # Attendance comes from the paired school and embassy, mostly.
    event = (
        Event.objects.filter(pairings__isnull=False)
        .annotate(n=Count("attendances"))
        .filter(n__gte=5)
        .first()
    )
    pairing = event.pairings.get()
    local = (
        event.attendances.filter(
            person__affiliations__organisation__in=[pairing.school_id, pairing.embassy_id]
        )
        .distinct()
        .count()
    )
    assert local >= 3
    # Completed internships have placements at a ministry or its departments.
    assert Placement.objects.filter(enrolment__state="completed").exists()
    assert not Placement.objects.exclude(host__kind="ministry").exists()


def test_refuses_a_database_with_data_unless_forced(db: Any) -> None:
    call_command("bench_data", scale=0.001, final_year=2025, stdout=StringIO())
    first = list(
        Person.objects.order_by("id").values_list(
            "given_name", "family_name_cyrl", "email", "birth_date"
        )
    )
    with pytest.raises(CommandError, match="already holds data"):
        call_command("bench_data", scale=0.001, stdout=StringIO())
    call_command("bench_data", scale=0.001, final_year=2025, force=True, stdout=StringIO())
    # The same seed gives the same people again.
    again = list(
        Person.objects.order_by("id").values_list(
            "given_name", "family_name_cyrl", "email", "birth_date"
        )
    )[len(first) :]
    assert again == first


def test_chancery_entry_point_accepts_the_hyphenated_name(monkeypatch: Any, capsys: Any) -> None:
    import sys

    from chancery.__main__ import main

    monkeypatch.setattr(sys, "argv", ["chancery", "bench-data", "--help"])
    with pytest.raises(SystemExit):
        main()
    assert "no audit-history rows" in capsys.readouterr().out
