"""The home page of every role shows that person's own things, and nobody else's."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chancery.accounts.models import Role
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.events.models import Attendance
from chancery.programmes import models as programme_models
from chancery.programmes.models import Certificate, EnrolmentState, Evaluation
from chancery.site.tests.home_world import World, make_world
from conftest import PASSWORD


@pytest.fixture
def world(cast: Any) -> World:
    return make_world(cast, PASSWORD)


def _home(world: World, user: Any) -> str:
    response = world.cast.client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_participant_sees_their_enrolment_placement_supervisor_and_next_step(
    world: World,
) -> None:
    page = _home(world, world.cast.pat)
    assert 'id="home-participant"' in page
    assert f'id="enrolment-{world.pat_enrolment.pk}"' in page
    assert "Test Department" in page and "Sam Supervisor" in page
    assert "Upload your final report" in page
    assert f"/programmes/enrolments/{world.pat_enrolment.pk}/#report" in page
    # Quinn's enrolment is not Pat's business; nor are the office's figures.
    assert f'id="enrolment-{world.quinn_enrolment.pk}"' not in page
    assert "Quinn" not in page
    assert 'id="home-officer"' not in page and "people in your records" not in page


def test_the_participants_next_step_follows_the_enrolment(world: World) -> None:
    enrolment = world.pat_enrolment
    enrolment.state = EnrolmentState.COMPLETED
    enrolment.save()
    enrolment.final_reports.create(file="reports/x.pdf")
    assert "Write your testimonial" in _home(world, world.cast.pat)
    programme_models.Testimonial.objects.create(
        enrolment=enrolment, text="It was a good year.", written_on=world.pat_placement.end
    )
    assert "Download your certificate" not in _home(world, world.cast.pat)
    Certificate.objects.create(enrolment=enrolment, issued_on=world.pat_placement.end)
    page = _home(world, world.cast.pat)
    assert "Download your certificate" in page
    assert f"/programmes/enrolments/{enrolment.pk}/certificate.pdf" in page


def test_a_supervisor_sees_their_interns_with_evaluations_due_and_overdue(world: World) -> None:
    page = _home(world, world.cast.sam)
    assert 'id="home-supervisor"' in page
    assert "Pat Example" in page and "Quinn Sample" in page
    assert "Overdue: evaluate" in page and "Due: evaluate" in page
    assert f"/programmes/enrolments/{world.pat_enrolment.pk}/#evaluation-form" in page
    Evaluation.objects.create(
        placement=world.pat_placement,
        scores={},
        comment="",
        evaluated_by=world.pat_placement.supervisor,
        evaluated_on=world.pat_placement.end,
    )
    assert "Overdue: evaluate" not in _home(world, world.cast.sam)


def test_a_supervisor_does_not_see_another_supervisors_intern(world: World) -> None:
    world.quinn_placement.supervisor = world.cast.intern
    world.quinn_placement.save()
    page = _home(world, world.cast.sam)
    assert "Pat Example" in page
    assert "Quinn Sample" not in page


def test_a_coordinator_sees_their_pairing_events_attendance_and_missing_consents(
    world: World,
) -> None:
    outreach = world.mun.outreach
    page = _home(world, outreach.coordinator)
    assert 'id="home-season"' in page
    assert "School One" in page
    # Their pairing's lecture (attendance to tick) and the whole edition's final.
    assert f"/events/{world.lecture.pk}/attendance/" in page
    assert f"/events/{world.final.pk}/" in page
    assert "Model UN final" in page
    # The other pairing's lecture is not theirs.
    assert "Lecture at School Two" not in page
    # Timur has no media consent; Aruzhan has both.
    assert f"/directory/people/{outreach.shy_pupil.pk}/" in page
    assert f"/directory/people/{outreach.pupil.pk}/" not in page
    Attendance.objects.create(event=world.lecture, person=outreach.pupil, attended=True)
    assert f"/events/{world.lecture.pk}/attendance/" not in _home(world, outreach.coordinator)


def test_a_liaison_sees_their_pairing_and_the_final_but_no_pupils_consents(world: World) -> None:
    outreach = world.mun.outreach
    page = _home(world, outreach.liaison)
    assert "Lecture at School One" in page and "Model UN final" in page
    assert "Lecture at School Two" not in page
    assert 'id="missing-consent"' not in page
    other = _home(world, outreach.other_liaison)
    assert "Lecture at School Two" in other and "Lecture at School One" not in other


def test_a_chair_sees_their_committee_and_a_way_into_the_console(world: World) -> None:
    page = _home(world, world.mun.chair)
    assert 'id="home-chair"' in page
    assert "General Assembly" in page
    assert f"/mun/committees/{world.mun.committee.pk}/sessions/" in page
    response = world.cast.client_for(world.mun.chair).post(
        f"/mun/committees/{world.mun.committee.pk}/sessions/"
    )
    assert response.status_code == 302
    console = response["Location"]
    assert console in _home(world, world.mun.chair)
    # Pat chairs nothing.
    grant_role(
        actor=SYSTEM, user=world.cast.pat, role=Role.CHAIR, organisation=world.mun.outreach.school
    )
    assert "General Assembly" not in _home(world, world.cast.pat)


def test_an_officer_sees_the_dashboard_and_a_to_do_list_with_links(world: World) -> None:
    page = _home(world, world.cast.alice)
    assert 'id="home-officer"' in page and "people in your records" in page
    assert 'id="todo-evaluation"' in page
    assert f"/programmes/editions/{world.internship.pk}/?needs=evaluation" in page
    assert "/events/pupils/missing-consent/" in page
    # The link shows the enrolments the count counts.
    listing = (
        world.cast.client_for(world.cast.alice)
        .get(f"/programmes/editions/{world.internship.pk}/?needs=evaluation")
        .content.decode()
    )
    assert "Pat Example" in listing and "Quinn Sample" not in listing


def test_another_offices_officer_sees_none_of_the_academys_to_do(world: World) -> None:
    page = _home(world, world.cast.charlie)
    assert "JPO 2026" not in page and "Pat Example" not in page


def test_a_viewer_sees_the_figures_and_no_to_do(world: World) -> None:
    page = _home(world, world.cast.bob)
    assert 'id="home-viewer"' in page and "people in your records" in page
    assert 'id="to-do"' not in page


def test_someone_with_several_roles_gets_a_section_each_the_busiest_first(world: World) -> None:
    pat = world.cast.pat
    grant_role(actor=SYSTEM, user=pat, role=Role.VIEWER, organisation=world.cast.academy)
    page = _home(world, pat)
    assert page.index('id="home-participant"') < page.index('id="home-viewer"')


def test_the_officer_home_reads_a_bounded_number_of_queries(world: World, cast: Any) -> None:
    from chancery.site.tests.home_world import add_backlog

    client = cast.client_for(cast.alice)
    client.get("/")  # warm the caches of the figures
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    add_backlog(world, 25)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    assert len(many) <= len(few) + 2, [q["sql"] for q in many.captured_queries]
    assert len(many) <= 40


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def test_a_supervisors_and_a_coordinators_home_do_not_grow_with_their_rows(
    world: World, cast: Any
) -> None:
    from datetime import timedelta

    from chancery.directory.models import Person
    from chancery.events.models import Event, EventKind
    from chancery.programmes.models import Enrolment, Placement

    supervisor, coordinator = (
        cast.client_for(cast.sam),
        cast.client_for(world.mun.outreach.coordinator),
    )
    before = _queries(supervisor), _queries(coordinator)
    people = Person.objects.bulk_create(
        Person(
            owner=cast.academy,
            given_name=f"Intern{i}",
            family_name="More",
            name_key=f"intern{i}more",
        )
        for i in range(15)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(edition=world.internship, person=p, state=EnrolmentState.ACTIVE) for p in people
    )
    Placement.objects.bulk_create(
        Placement(
            enrolment=e,
            host=cast.ministry,
            department=cast.department,
            supervisor=world.pat_placement.supervisor,
            start=world.pat_placement.start,
            end=world.pat_placement.end,
        )
        for e in enrolments
    )
    for i in range(15):
        event = Event.objects.create(
            edition=world.mun.outreach.edition,
            kind=EventKind.VISIT,
            title_en=f"Visit {i}",
            starts_at=world.lecture.starts_at + timedelta(hours=i),
            ends_at=world.lecture.ends_at + timedelta(hours=i),
        )
        event.pairings.set([world.mun.outreach.pairing])
    after = _queries(supervisor), _queries(coordinator)
    assert after == before


def _to_do_line(page: str, need: str) -> str:
    return page.split(f'id="todo-{need}"', 1)[1].split("</li>", 1)[0]


def test_a_to_do_line_names_the_latest_editions_and_counts_the_others(world: World) -> None:
    from chancery.site.tests.home_world import add_backlog

    add_backlog(world, 7)
    waiting = (
        programme_models.Enrolment.objects.filter(
            state__in=[EnrolmentState.APPLIED, EnrolmentState.ELIGIBLE],
            edition__programme__owner=world.cast.academy,
        )
        .values("edition")
        .distinct()
        .count()
    )
    assert waiting > 5
    line = _to_do_line(_home(world, world.cast.alice), "decision")
    assert line.count("?needs=decision") == 5
    assert f"and {waiting - 5} more editions" in line


@pytest.mark.django_db(transaction=True)
def test_the_to_do_counts_are_kept_only_until_an_enrolment_changes(world: World) -> None:
    from chancery.programmes import services as programmes
    from chancery.programmes.queries import office_to_do

    def decisions() -> int:
        return next(
            item.count for item in office_to_do(world.cast.alice) if item.need == "decision"
        )

    before = decisions()
    assert decisions() == before  # kept: the same count, read from the cache
    edition = programmes.create_edition(
        actor=SYSTEM,
        programme=world.internship.programme,
        name="Late call",
        year=2026,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 6, 30),
    )
    programmes.apply(actor=SYSTEM, edition=edition, person=world.cast.quinn_person)
    assert decisions() == before + 1
