"""Every role opens every page about itself (its own edition, its season's events) and gets
the same 403 page elsewhere; the header shows each role only links it can follow."""

import re
from typing import Any

import pytest
from django.test import Client

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.core.models import Job, JobKind
from chancery.directory import services as directory
from chancery.programmes.models import Enrolment, EnrolmentState
from chancery.site.tests.home_world import World, make_world
from conftest import PASSWORD


@pytest.fixture
def world(cast: Any) -> World:
    world = make_world(cast, PASSWORD)
    # Pat is also a pupil-participant of the outreach season.
    Enrolment.objects.create(
        edition=world.mun.outreach.edition, person=cast.pat_person, state=EnrolmentState.ACTIVE
    )
    return world


def _cast_of_roles(world: World) -> dict[str, Any]:
    cast, outreach = world.cast, world.mun.outreach
    return {
        "officer": cast.alice,
        "viewer": cast.bob,
        "supervisor": cast.sam,
        "participant": cast.pat,
        "coordinator": outreach.coordinator,
        "liaison": outreach.liaison,
        "chair": world.mun.chair,
    }


@pytest.mark.parametrize("who", ["coordinator", "liaison", "other_liaison"])
def test_the_school_and_embassies_of_the_season_open_its_model_un_final(
    world: World, who: str
) -> None:
    user = getattr(world.mun.outreach, who)
    response = world.cast.client_for(user).get(f"/events/{world.final.pk}/")
    assert response.status_code == 200
    assert "Model UN final" in response.content.decode()


def test_a_school_outside_the_season_does_not_see_its_final(world: World) -> None:
    outsider_school = directory.create_organisation(
        actor=SYSTEM, name_en="School Nine", kind="school"
    )
    outsider = User.objects.create_user(username="outsider")
    grant_role(actor=SYSTEM, user=outsider, role=Role.COORDINATOR, organisation=outsider_school)
    client = world.cast.client_for(outsider)
    assert client.get(f"/events/{world.final.pk}/").status_code == 404
    assert client.get(f"/programmes/editions/{world.mun.outreach.edition.pk}/").status_code == 404


def test_a_coordinator_still_does_not_see_another_pairings_event(world: World) -> None:
    client = world.cast.client_for(world.mun.outreach.coordinator)
    assert client.get(f"/events/{world.other_lecture.pk}/").status_code == 404
    assert client.get(f"/events/{world.lecture.pk}/").status_code == 200


@pytest.mark.parametrize(
    "who", ["coordinator", "liaison", "chair", "participant", "officer", "viewer"]
)
def test_every_role_of_the_season_opens_its_outreach_edition(world: World, who: str) -> None:
    user = _cast_of_roles(world)[who]
    response = world.cast.client_for(user).get(
        f"/programmes/editions/{world.mun.outreach.edition.pk}/"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "JD 2018" in page and "School One" in page


@pytest.mark.parametrize("who", ["coordinator", "liaison", "chair"])
def test_the_edition_page_shows_a_school_or_embassy_no_enrolments(world: World, who: str) -> None:
    user = _cast_of_roles(world)[who]
    page = (
        world.cast.client_for(user)
        .get(f"/programmes/editions/{world.mun.outreach.edition.pk}/")
        .content.decode()
    )
    assert "Pat Example" not in page
    assert "allocation" not in page


def test_a_participant_sees_only_their_own_enrolment_on_the_edition_page(world: World) -> None:
    client = world.cast.client_for(world.cast.quinn)
    page = client.get(f"/programmes/editions/{world.internship.pk}/").content.decode()
    assert "Quinn Sample" in page and "Pat Example" not in page
    # Quinn has no part in the outreach season.
    assert client.get(f"/programmes/editions/{world.mun.outreach.edition.pk}/").status_code == 404


def test_a_supervisor_opens_the_edition_of_their_interns(world: World) -> None:
    client = world.cast.client_for(world.cast.sam)
    assert client.get(f"/programmes/editions/{world.internship.pk}/").status_code == 200
    assert client.get(f"/programmes/editions/{world.mun.outreach.edition.pk}/").status_code == 404


def test_another_offices_officer_gets_404_on_the_academys_edition(world: World) -> None:
    client = world.cast.client_for(world.cast.charlie)
    assert client.get(f"/programmes/editions/{world.internship.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("participant", "/reports/"),
        ("participant", "/events/"),
        ("supervisor", "/mun/"),
        ("chair", "/agreements/"),
        ("coordinator", "/reports/"),
        ("liaison", "/directory/people/duplicates/"),
        ("viewer", "/programmes/new/"),
    ],
)
def test_a_page_not_for_the_role_answers_the_same_403_page(
    world: World, who: str, url: str
) -> None:
    response = world.cast.client_for(_cast_of_roles(world)[who]).get(url)
    assert response.status_code == 403
    assert "Your role does not give access to this page." in response.content.decode()


def _header(page: str) -> str:
    return page[page.index('<header class="topbar">') : page.index("</header>")]


def _header_links(page: str) -> list[str]:
    """The links of the header's navigation."""
    header = _header(page)
    return re.findall(r'href="([^"]+)"', header[header.index("<nav") : header.index("</nav>")])


@pytest.mark.parametrize(
    "who",
    [
        "officer",
        "viewer",
        "supervisor",
        "participant",
        "coordinator",
        "liaison",
        "chair",
        "anonymous",
    ],
)
def test_every_header_link_of_every_role_answers_200(world: World, who: str) -> None:
    if who == "anonymous":
        client = Client()
        page = client.get("/programmes/").content.decode()
    else:
        client = world.cast.client_for(_cast_of_roles(world)[who])
        page = client.get("/").content.decode()
    links = [
        link for link in re.findall(r'href="([^"]+)"', _header(page)) if not link.startswith("#")
    ]  # the whole header: brand, menu, bell, profile
    assert _header_links(page)
    for link in links:
        if link == "/accounts/login/":
            assert who == "anonymous"
        assert client.get(link).status_code == 200, (who, link)


def test_the_header_shows_each_role_what_it_can_use(world: World) -> None:
    roles = _cast_of_roles(world)
    links = {
        who: _header_links(world.cast.client_for(user).get("/").content.decode())
        for who, user in roles.items()
    }
    assert "/events/" in links["coordinator"] and "/events/" in links["liaison"]
    assert "/events/" not in links["participant"] and "/events/" not in links["supervisor"]
    assert "/mun/" in links["chair"] and "/mun/" not in links["participant"]
    assert "/reports/" in links["officer"] and "/reports/" not in links["viewer"]
    assert "/agreements/" in links["viewer"] and "/agreements/" not in links["chair"]
    assert "/jobs/" not in links["participant"]


def test_jobs_are_in_the_header_for_whoever_has_jobs(world: World) -> None:
    pat = world.cast.pat
    Job.objects.create(kind=JobKind.values[0], title="An export", owner=pat)
    client = world.cast.client_for(pat)
    assert "/jobs/" in _header_links(client.get("/").content.decode())
    assert client.get("/jobs/").status_code == 200


def test_a_header_link_follows_the_views_own_mark(world: World) -> None:
    """The menu reads each page's access mark: a page whose rule refuses, its link is gone."""
    from chancery.site.menu import ENTRIES, may_open, page_rule

    user = world.cast.pat
    client = world.cast.client_for(user)
    for entry in ENTRIES:
        url, _rule = page_rule(entry.url_name)
        status = client.get(url).status_code
        assert may_open(user, entry.url_name) == (status == 200), (entry.url_name, status)
