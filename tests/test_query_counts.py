"""The number of SQL queries of a list page does not grow with the rows it shows (no N+1).

Each case renders its page (or API list) with a few rows, adds many more, renders it again and
compares the query counts. Rows are written in bulk: this is about reading them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chancery.accounts.models import ApiToken
from chancery.accounts.services import create_token
from chancery.agreements.models import Agreement, Party
from chancery.allocation.models import Round
from chancery.directory.models import (
    Affiliation,
    Citizenship,
    Consent,
    Organisation,
    Person,
)
from chancery.directory.names import name_key
from chancery.draws.models import Draw
from chancery.events.models import Attendance, Event
from chancery.programmes.models import Edition, Enrolment, Pairing, Placement, Programme

FEW, MANY = 2, 30
serial = count(1)


@dataclass
class World:
    cast: Any
    programme: Programme
    edition: Edition
    outreach: Edition
    pairing: Pairing
    event: Event


def _people(world: World, n: int) -> list[Person]:
    cast = world.cast
    people = []
    for _ in range(n):
        i = next(serial)
        given, family = f"Given{i}", f"Family{i}"
        people.append(
            Person(
                given_name=given,
                family_name=family,
                owner=cast.academy,
                given_name_cyrl="Данияр",
                family_name_cyrl="Суюнов",
                birth_date=date(2000, 1, 1) + timedelta(days=i),
                name_key=name_key(given, family),
            )
        )
    people = Person.objects.bulk_create(people)
    Citizenship.objects.bulk_create(Citizenship(person=p, country=cast.kazakhstan) for p in people)
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organisation=cast.department, role="intern") for p in people
    )
    Consent.objects.bulk_create(
        Consent(person=p, given_by=p, kind="data", given_on=date(2024, 1, 1)) for p in people
    )
    return people


def add_people(world: World, n: int) -> None:
    _people(world, n)


def add_organisations(world: World, n: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            kind="department",
            name_en=f"Department {next(serial)}",
            parent=world.cast.ministry,
            country=world.cast.kazakhstan,
        )
        for _ in range(n)
    )


def add_programmes(world: World, n: int) -> None:
    Programme.objects.bulk_create(
        Programme(name_en=f"Programme {next(serial)}", kind="training", owner=world.cast.academy)
        for _ in range(n)
    )


def add_editions(world: World, n: int) -> None:
    Edition.objects.bulk_create(
        Edition(programme=world.programme, name=f"Edition {next(serial)}", year=2020)
        for _ in range(n)
    )


def add_enrolments(world: World, n: int) -> None:
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            edition=world.edition, person=person, state="active", preferred_host=world.cast.ministry
        )
        for person in _people(world, n)
    )
    Placement.objects.bulk_create(
        Placement(
            enrolment=e,
            host=world.cast.ministry,
            department=world.cast.department,
            supervisor=world.cast.intern,
            start=date(2024, 9, 1),
            end=date(2024, 11, 30),
        )
        for e in enrolments
    )


def add_events(world: World, n: int) -> None:
    start = datetime(2024, 10, 1, 6, tzinfo=UTC)
    events = Event.objects.bulk_create(
        Event(
            edition=world.outreach,
            kind="lecture",
            title=f"Lecture {next(serial)}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            public=True,
        )
        for _ in range(n)
    )
    speaker = world.cast.pat_person
    for event in events:
        event.pairings.add(world.pairing)
        event.organisers.add(world.cast.academy)
        event.speakers.add(speaker)
    people = _people(world, 3)
    Attendance.objects.bulk_create(
        Attendance(event=event, person=person, attended=True)
        for event in events
        for person in people
    )


def add_attendance(world: World, n: int) -> None:
    Attendance.objects.bulk_create(
        Attendance(event=world.event, person=person, attended=True) for person in _people(world, n)
    )


def add_agreements(world: World, n: int) -> None:
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Agreement {next(serial)}",
            kind="bilateral",
            owner=world.cast.academy,
            signed_on=date(2020, 1, 1),
            in_force_from=date(2020, 1, 1),
            term_months=60,
        )
        for _ in range(n)
    )
    Party.objects.bulk_create(
        Party(agreement=a, organisation=org)
        for a in agreements
        for org in (world.cast.academy, world.cast.ministry)
    )


def add_draws(world: World, n: int) -> None:
    Draw.objects.bulk_create(
        Draw(
            owner=world.cast.academy,
            title=f"Draw {next(serial)}",
            kind="select",
            pool=["a", "b", "c"],
            k=1,
            edition=world.edition,
        )
        for _ in range(n)
    )


def add_rounds(world: World, n: int) -> None:
    Round.objects.bulk_create(
        Round(edition=world.edition, title=f"Round {next(serial)}") for _ in range(n)
    )


@pytest.fixture
def world(cast: Any) -> World:
    programme = Programme.objects.create(
        name_en="Internships", kind="internship", owner=cast.academy
    )
    edition = Edition.objects.create(
        programme=programme,
        name="Internships 2024",
        year=2024,
        starts_on=date(2024, 9, 1),
        ends_on=date(2024, 11, 30),
    )
    outreach_programme = Programme.objects.create(
        name_en="Outreach", kind="outreach", owner=cast.academy
    )
    outreach = Edition.objects.create(programme=outreach_programme, name="Outreach 2024", year=2024)
    school = Organisation.objects.create(kind="school", name_en="School 1")
    embassy = Organisation.objects.create(
        kind="embassy", name_en="Embassy 1", country=cast.kazakhstan
    )
    draw = Draw.objects.create(
        owner=cast.academy,
        title="Pairing",
        kind="pair",
        edition=outreach,
        status="conducted",
        record={},
        fingerprint="0" * 64,
    )
    pairing = Pairing.objects.create(edition=outreach, school=school, embassy=embassy, draw=draw)
    start = datetime(2024, 10, 1, 6, tzinfo=UTC)
    event = Event.objects.create(
        edition=outreach,
        kind="lecture",
        title="The lecture",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    return World(
        cast=cast,
        programme=programme,
        edition=edition,
        outreach=outreach,
        pairing=pairing,
        event=event,
    )


def _pages(world: World) -> dict[str, tuple[str, Callable[[World, int], None]]]:
    return {
        "people": ("/directory/people/", add_people),
        "people search": ("/directory/people/?q=Суюнов", add_people),
        "organisations": ("/directory/organisations/", add_organisations),
        "programmes": ("/programmes/", add_programmes),
        "editions of a programme": (f"/programmes/{world.programme.pk}/", add_editions),
        "enrolments of an edition": (f"/programmes/editions/{world.edition.pk}/", add_enrolments),
        "events": ("/events/", add_events),
        "events of an edition": (f"/events/?edition={world.outreach.pk}", add_events),
        "attendance list": (f"/events/{world.event.pk}/attendance/", add_attendance),
        "edition report": (f"/events/editions/{world.outreach.pk}/report/", add_events),
        "agreements": ("/agreements/", add_agreements),
        "draws": ("/draws/", add_draws),
        "allocation rounds": (f"/allocation/editions/{world.edition.pk}/", add_rounds),
        "api people": ("/api/people?page_size=50", add_people),
        "api organisations": ("/api/organisations?page_size=50", add_organisations),
        "api affiliations": ("/api/affiliations?page_size=50", add_people),
        "api programmes": ("/api/programmes?page_size=50", add_programmes),
        "api editions": ("/api/editions?page_size=50", add_editions),
        "api enrolments": ("/api/enrolments?page_size=50", add_enrolments),
        "api events": ("/api/events?page_size=50", add_events),
        "api agreements": ("/api/agreements?page_size=50", add_agreements),
        "api draws": ("/api/draws?page_size=50", add_draws),
        "api rounds": (f"/api/rounds?edition={world.edition.pk}&page_size=50", add_rounds),
        "inbox": ("/notifications/", add_notifications),
        "outbox": ("/notifications/outbox/", add_outgoing_mail),
    }


def add_notifications(world: World, n: int) -> None:
    from chancery.notifications.models import Notification

    Notification.objects.bulk_create(
        Notification(
            recipient=world.cast.alice,
            kind="message",
            office=world.cast.academy,
            subject=f"News {next(serial)}",
            text="Text",
            link="/",
        )
        for _ in range(n)
    )


def add_outgoing_mail(world: World, n: int) -> None:
    from chancery.notifications.models import MailStatus, OutgoingMail

    OutgoingMail.objects.bulk_create(
        OutgoingMail(
            address=f"p{next(serial)}@example.org",
            to=["p@example.org"],
            recipient=world.cast.pat,
            office=world.cast.academy,
            kind="message",
            from_email="office@example.org",
            subject="Mail",
            status=MailStatus.FAILED,
            attempts=12,
            last_error="Refused",
        )
        for _ in range(n)
    )


PAGES = [
    "people",
    "people search",
    "organisations",
    "programmes",
    "editions of a programme",
    "enrolments of an edition",
    "events",
    "events of an edition",
    "attendance list",
    "edition report",
    "agreements",
    "draws",
    "allocation rounds",
    "api people",
    "api organisations",
    "api affiliations",
    "api programmes",
    "api editions",
    "api enrolments",
    "api events",
    "api agreements",
    "api draws",
    "api rounds",
    "inbox",
    "outbox",
]


def _queries(client: Client, url: str, headers: dict[str, str]) -> tuple[int, int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response.status_code, len(captured), response.content


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_rows(world: World, page: str) -> None:
    url, add = _pages(world)[page]
    client = world.cast.client_for(world.cast.alice)
    headers: dict[str, str] = {}
    if url.startswith("/api/"):
        _token, secret = create_token(user=world.cast.alice, name="counts")
        headers = {"Authorization": f"Bearer {secret}"}
        client = Client()
    add(world, FEW)
    client.get(url, headers=headers)  # first request: sessions, caches, token last-used
    status, few, _body = _queries(client, url, headers)
    assert status == 200
    add(world, MANY)
    status, many, body = _queries(client, url, headers)
    assert status == 200
    assert few == many, f"{page}: {few} queries with {FEW} rows, {many} with {FEW + MANY}"
    assert ApiToken.objects.exists() or not headers
    assert body  # the page rendered the rows it counted
