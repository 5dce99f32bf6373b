"""Every way of writing an enrolment keeps the same rules (#17).

A hypothesis state machine drives random sequences of writes through each path a user has:
the pages (the test client, signed in as an officer), the API (a bearer token), the command
line (`chancery enrolment --as`), the people import (a CSV) and allocation rounds (commit and
roll back). Whatever a path accepts or refuses, after every step:

- no person has two placements that clash (`programmes.periods.overlaps`; cancelled ones
  never clash);
- every change of an enrolment's state is one the lifecycle allows (`programmes.lifecycle`):
  one arrow for the services, and for an import (which records what happened since) a path
  of arrows; a withdrawal always has its reason;
- every audit row written names the officer who acted, and each enrolment and placement
  reads as its latest audit row says (no write went around the history).

Each example runs in a savepoint rolled back at its end, on the real database.
"""

import csv
import io
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from chancery.accounts.services import create_token
from chancery.allocation import services as allocation
from chancery.allocation.models import Round, RoundStatus
from chancery.allocation.tests.factories import conduct_tie_break
from chancery.directory import services as directory
from chancery.programmes import lifecycle, periods
from chancery.programmes import services as programmes
from chancery.programmes.models import Enrolment, EnrolmentState, Placement, PlacementStatus
from chancery.reports.imports import ImportRefused, import_people

FIRST_DAY = date(2030, 9, 1)
STARTS = [FIRST_DAY + timedelta(days=30 * k) for k in range(6)]
LENGTHS = [29, 59, 89]  # a placement of one, two or three months: neighbours clash or touch
STATES = list(EnrolmentState.values)
PATHS_WITH_ENROL = ("web", "api")
PATHS = ("web", "api", "cli")


class World:
    """The records the machine writes about: two editions of one programme, four people of
    the officer's office, three hosts, and the officer on each path."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        self.officer = cast.alice
        programme = programmes.create_programme(
            actor=self.officer,
            owner=cast.academy,
            kind="internship",
            name_en="Internships",
            default_duration_months=2,
        )
        self.programme = programme
        self.editions = [
            programmes.create_edition(
                actor=self.officer,
                programme=programme,
                name=f"Autumn {year}",
                year=year,
                starts_on=FIRST_DAY,
            )
            for year in (2030, 2031)
        ]
        extra = directory.create_person(
            actor=self.officer, owner=cast.academy, given_name="Dana", family_name="Third"
        )
        self.people = [cast.pat_person, cast.quinn_person, cast.intern, extra]
        embassy = directory.create_organisation(
            actor=self.officer, name_en="Test Consulate", kind="embassy"
        )
        self.hosts = [cast.ministry, embassy, cast.academy]
        self.web = Client()
        self.web.force_login(self.officer)
        _token, secret = create_token(user=self.officer, name="write paths")
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def historical_models() -> list[Any]:
    """The audit tables (django-simple-history's), each row naming who acted."""
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
        and any(field.name == "history_user" for field in model._meta.fields)
    ]


def check_no_clash() -> None:
    held: dict[int, list[Placement]] = {}
    for placement in Placement.objects.exclude(status=PlacementStatus.CANCELLED).select_related(
        "enrolment"
    ):
        held.setdefault(placement.enrolment.person_id, []).append(placement)
    for person, placements in held.items():
        for i, one in enumerate(placements):
            for other in placements[i + 1 :]:
                assert not periods.overlaps(one.start, one.end, other.start, other.end), (
                    f"person #{person}: {one.start}–{one.end} clashes with "
                    f"{other.start}–{other.end}"
                )


def is_import(record: Any) -> bool:
    return (record.history_change_reason or "").startswith("import of ")


def check_lifecycle() -> None:
    for enrolment in Enrolment.objects.all():
        records = list(enrolment.history.order_by("history_id"))
        assert records, f"enrolment #{enrolment.pk} has no audit row"
        for before, after in pairwise(records):
            if before.state == after.state:
                continue
            source, target = lifecycle.State(before.state), lifecycle.State(after.state)
            if is_import(after):
                allowed = lifecycle.path_to(source, target, override=True) is not None
            else:
                allowed = target in lifecycle.TRANSITIONS[source]
            assert allowed, f"enrolment #{enrolment.pk} moved {source} → {target}"
        assert records[-1].state == enrolment.state, (
            f"enrolment #{enrolment.pk} is {enrolment.state}, its history says {records[-1].state}"
        )
        if enrolment.state == EnrolmentState.WITHDRAWN:
            assert enrolment.state_reason.strip(), f"enrolment #{enrolment.pk}: no reason"


def check_placements_audited() -> None:
    for placement in Placement.objects.all():
        latest = placement.history.order_by("-history_id").first()
        assert latest is not None, f"placement #{placement.pk} has no audit row"
        assert (latest.start, latest.end, latest.status, latest.host_id) == (
            placement.start,
            placement.end,
            placement.status,
            placement.host_id,
        ), f"placement #{placement.pk} differs from its latest audit row"


class WritePaths(RuleBasedStateMachine):
    world: World  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.marks = {
            model: model.objects.order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
            or 0
            for model in historical_models()
        }
        self.refusals = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # What the paths write about

    def enrolment(self, index: int) -> Enrolment:
        enrolments = list(Enrolment.objects.order_by("pk"))
        return enrolments[index % len(enrolments)]

    def has_enrolments(self) -> bool:
        return Enrolment.objects.exists()

    def answered(self, response: Any, *accepted: int) -> None:
        assert response.status_code < 500, response.content[:500]
        if response.status_code not in accepted:
            self.refusals += 1

    # Web, API and command line

    @rule(
        path=st.sampled_from(PATHS_WITH_ENROL), person=st.integers(0, 3), edition=st.integers(0, 1)
    )
    def enrol(self, path: str, person: int, edition: int) -> None:
        who, where = self.world.people[person], self.world.editions[edition]
        if path == "web":
            response = self.world.web.post(
                f"/programmes/editions/{where.pk}/enrol/", {"person": who.pk, "motivation": ""}
            )
            self.answered(response, 302)
        else:
            response = self.world.api.post(
                "/api/enrolments",
                {"person": who.pk, "edition": where.pk},
                content_type="application/json",
            )
            self.answered(response, 201)

    @precondition(has_enrolments)
    @rule(
        path=st.sampled_from(PATHS),
        index=st.integers(0, 20),
        to=st.sampled_from(STATES),
        reason=st.sampled_from(["", "Asked to"]),
    )
    def move(self, path: str, index: int, to: str, reason: str) -> None:
        enrolment = self.enrolment(index)
        if path == "web":
            self.answered(
                self.world.web.post(
                    f"/programmes/enrolments/{enrolment.pk}/state/",
                    {"target": to, "reason": reason},
                ),
                302,
            )
        elif path == "api":
            self.answered(
                self.world.api.post(
                    f"/api/enrolments/{enrolment.pk}/transition",
                    {"target": to, "reason": reason},
                    content_type="application/json",
                ),
                200,
            )
        else:
            self.command("move", str(enrolment.pk), to, "--reason", reason)

    @precondition(has_enrolments)
    @rule(
        path=st.sampled_from(PATHS),
        index=st.integers(0, 20),
        host=st.integers(0, 2),
        start=st.sampled_from(STARTS),
        length=st.sampled_from(LENGTHS),
    )
    def place(self, path: str, index: int, host: int, start: date, length: int) -> None:
        enrolment, end = self.enrolment(index), start + timedelta(days=length)
        organisation = self.world.hosts[host]
        if path == "web":
            self.answered(
                self.world.web.post(
                    f"/programmes/enrolments/{enrolment.pk}/place/",
                    {"host": organisation.pk, "start": start.isoformat(), "end": end.isoformat()},
                ),
                302,
            )
        elif path == "api":
            self.answered(
                self.world.api.post(
                    f"/api/enrolments/{enrolment.pk}/placements",
                    {"host": organisation.pk, "start": start.isoformat(), "end": end.isoformat()},
                    content_type="application/json",
                ),
                201,
            )
        else:
            self.command(
                "place",
                str(enrolment.pk),
                str(organisation.pk),
                start.isoformat(),
                "--end",
                end.isoformat(),
            )

    def command(self, *arguments: str) -> None:
        try:
            call_command(
                "enrolment",
                "--as",
                self.world.officer.username,
                *arguments,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        except CommandError:
            self.refusals += 1

    # The people import

    @rule(
        person=st.integers(0, 3),
        edition=st.integers(0, 1),
        state=st.sampled_from(STATES),
        host=st.none() | st.integers(0, 2),
        start=st.sampled_from(STARTS),
        length=st.sampled_from(LENGTHS),
        reason=st.sampled_from(["", "Recorded"]),
    )
    def import_row(
        self,
        person: int,
        edition: int,
        state: str,
        host: int | None,
        start: date,
        length: int,
        reason: str,
    ) -> None:
        who, where = self.world.people[person], self.world.editions[edition]
        row = {
            "given_name": who.given_name,
            "family_name": who.family_name,
            "programme": str(self.world.programme.pk),
            "edition": str(where.pk),
            "state": state,
            "reason": reason,
            "host": "",
            "start": "",
            "end": "",
        }
        if host is not None:
            row.update(
                host=str(self.world.hosts[host].pk),
                start=start.isoformat(),
                end=(start + timedelta(days=length)).isoformat(),
            )
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
        try:
            import_people(
                text.getvalue().encode(),
                "people.csv",
                office=self.world.cast.academy,
                user=self.world.officer,
                programmes=[self.world.programme],
            )
        except ImportRefused:
            self.refusals += 1

    # Allocation rounds

    @rule(edition=st.integers(0, 1), capacity=st.integers(1, 2))
    def allocate(self, edition: int, capacity: int) -> None:
        officer, where = self.world.officer, self.world.editions[edition]
        try:
            round = allocation.create_round(actor=officer, edition=where, title="A round")
            hosts = [
                allocation.add_host(
                    actor=officer, round=round, organisation=organisation, capacity=capacity
                )
                for organisation in self.world.hosts[:2]
            ]
            for enrolment in where.enrolments.filter(state=EnrolmentState.SELECTED):
                allocation.set_preferences(
                    actor=officer, round=round, enrolment=enrolment, hosts=hosts
                )
            conduct_tie_break(officer, round)
            round = allocation.run_round(actor=officer, round=round)
            allocation.commit_round(actor=officer, round=round)
        except ValidationError:
            self.refusals += 1

    @precondition(lambda self: Round.objects.filter(status=RoundStatus.COMMITTED).exists())
    @rule(index=st.integers(0, 5))
    def roll_back(self, index: int) -> None:
        rounds = list(Round.objects.filter(status=RoundStatus.COMMITTED).order_by("pk"))
        try:
            allocation.rollback_round(actor=self.world.officer, round=rounds[index % len(rounds)])
        except ValidationError:
            self.refusals += 1

    # What holds after every step

    @invariant()
    def no_clashing_placements(self) -> None:
        check_no_clash()

    @invariant()
    def only_allowed_transitions(self) -> None:
        check_lifecycle()

    @invariant()
    def every_row_audited_with_its_actor(self) -> None:
        for model, mark in self.marks.items():
            strangers = model.objects.filter(history_id__gt=mark).exclude(
                history_user_id=self.world.officer.pk
            )
            assert not strangers.exists(), (
                f"{model.__name__}: {strangers.count()} audit rows name no actor or another"
            )
        check_placements_audited()


@pytest.mark.django_db
def test_every_write_path_keeps_the_rules(cast: Any) -> None:
    WritePaths.world = World(cast)
    run_state_machine_as_test(
        WritePaths,
        settings=hypothesis_settings(
            max_examples=6,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
