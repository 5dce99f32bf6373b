"""A world for the home pages: the conftest cast, an internship edition where Pat and Quinn are
enrolled and Sam supervises, and the outreach season of the events and Model UN tests (a
coordinator, two liaisons, a chair, a Model UN final for the whole edition)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.events.models import Event, EventKind
from chancery.mun.tests.factories import Mun, make_mun
from chancery.programmes import services as programmes
from chancery.programmes.models import (
    Edition,
    Enrolment,
    EnrolmentState,
    Placement,
    PlacementStatus,
)


@dataclass
class World:
    cast: Any
    mun: Mun
    internship: Edition
    pat_enrolment: Enrolment
    quinn_enrolment: Enrolment
    pat_placement: Placement
    quinn_placement: Placement
    final: Event
    lecture: Event
    other_lecture: Event


def make_world(cast: Any, password: str) -> World:
    today = timezone.localdate()
    mun = make_mun(cast, password)
    outreach = mun.outreach
    programme = programmes.create_programme(
        actor=SYSTEM, owner=cast.academy, kind="internship", name_en="Junior Officers"
    )
    edition = programmes.create_edition(
        actor=SYSTEM, programme=programme, name="JPO 2026", year=2026
    )
    supervisor = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Sam", family_name="Supervisor"
    )
    cast.sam.person = supervisor
    cast.sam.save()
    pat = Enrolment.objects.create(
        edition=edition, person=cast.pat_person, state=EnrolmentState.ACTIVE
    )
    quinn = Enrolment.objects.create(
        edition=edition, person=cast.quinn_person, state=EnrolmentState.ACTIVE
    )
    # Pat's placement ended a month ago (evaluation overdue); Quinn's ends in a week (due).
    pat_placement = Placement.objects.create(
        enrolment=pat,
        host=cast.ministry,
        department=cast.department,
        supervisor=supervisor,
        start=today - timedelta(days=120),
        end=today - timedelta(days=30),
        status=PlacementStatus.ACTIVE,
    )
    quinn_placement = Placement.objects.create(
        enrolment=quinn,
        host=cast.ministry,
        department=cast.department,
        supervisor=supervisor,
        start=today - timedelta(days=80),
        end=today + timedelta(days=7),
        status=PlacementStatus.ACTIVE,
    )
    past = datetime.combine(today - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    coming = datetime.combine(today + timedelta(days=20), datetime.min.time(), tzinfo=UTC)
    lecture = Event.objects.create(
        edition=outreach.edition,
        kind=EventKind.LECTURE,
        title_en="Lecture at School One",
        starts_at=past,
        ends_at=past + timedelta(hours=1),
    )
    lecture.pairings.set([outreach.pairing])
    other = Event.objects.create(
        edition=outreach.edition,
        kind=EventKind.LECTURE,
        title_en="Lecture at School Two",
        starts_at=past,
        ends_at=past + timedelta(hours=1),
    )
    other.pairings.set([outreach.other_pairing])
    final = Event.objects.create(
        edition=outreach.edition,
        kind=EventKind.MODEL_UN,
        title_en="Model UN final",
        starts_at=coming,
        ends_at=coming + timedelta(hours=5),
    )
    return World(
        cast=cast,
        mun=mun,
        internship=edition,
        pat_enrolment=pat,
        quinn_enrolment=quinn,
        pat_placement=pat_placement,
        quinn_placement=quinn_placement,
        final=final,
        lecture=lecture,
        other_lecture=other,
    )


def add_backlog(world: World, n: int) -> None:
    """`n` more editions, each with an application to decide, a placement without supervisor
    and an overdue evaluation: the to-do list grows, its queries must not."""
    from chancery.directory.models import Person

    cast = world.cast
    today = timezone.localdate()
    for i in range(n):
        edition = Edition.objects.create(
            programme=world.internship.programme, name=f"Backlog {i}", year=2025
        )
        people = Person.objects.bulk_create(
            Person(
                owner=cast.academy,
                given_name=f"Given{i}{k}",
                family_name="Backlog",
                name_key=f"backlog{i}{k}",
            )
            for k in range(3)
        )
        _applied, placed, late = Enrolment.objects.bulk_create(
            [
                Enrolment(edition=edition, person=people[0], state=EnrolmentState.APPLIED),
                Enrolment(edition=edition, person=people[1], state=EnrolmentState.PLACED),
                Enrolment(edition=edition, person=people[2], state=EnrolmentState.ACTIVE),
            ]
        )
        Placement.objects.bulk_create(
            [
                Placement(enrolment=placed, host=cast.ministry, start=today, end=today),
                Placement(
                    enrolment=late,
                    host=cast.ministry,
                    supervisor=people[0],
                    start=today - timedelta(days=90),
                    end=today - timedelta(days=40),
                ),
            ]
        )
