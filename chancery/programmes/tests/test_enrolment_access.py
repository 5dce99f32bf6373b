"""Who may apply, enrol or evaluate through the API and the pages: the same rules for both."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.programmes import services
from chancery.programmes.models import Enrolment, Evaluation


@pytest.fixture
def editions(cast: Any, jpo: Any) -> dict[str, Any]:
    today = timezone.localdate()
    services.update_edition(
        actor=SYSTEM,
        edition=jpo.edition,
        applications_open=today - timedelta(days=1),
        applications_close=today + timedelta(days=30),
    )
    closed = services.create_edition(
        actor=SYSTEM,
        programme=jpo.programme,
        name="JPO 2020",
        year=2020,
        starts_on=date(2020, 9, 1),
        applications_open=date(2020, 1, 1),
        applications_close=date(2020, 3, 1),
    )
    return {"open": jpo.edition, "closed": closed}


def _user_with_person(username: str, role: str, organisation: Any) -> User:
    person = directory.create_person(
        actor=SYSTEM, owner=organisation, given_name=username.title(), family_name="Holder"
    )
    user = User.objects.create_user(username=username, person=person)
    grant_role(actor=SYSTEM, user=user, role=role, organisation=organisation)
    return user


def test_a_participant_applies_to_an_open_edition_through_the_api(cast: Any, editions: Any) -> None:
    response = cast.client_for(cast.pat).post(
        "/api/enrolments", {"edition": editions["open"].pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Enrolment.objects.filter(person=cast.pat_person, edition=editions["open"]).exists()


def test_it_refuses_an_application_to_a_closed_edition_as_the_page_does(
    cast: Any, editions: Any
) -> None:
    client = cast.client_for(cast.pat)
    closed = editions["closed"].pk
    page = client.post(f"/programmes/editions/{closed}/apply/", {"motivation": "Please"})
    api = client.post("/api/enrolments", {"edition": closed}, content_type="application/json")
    assert page.status_code == 404
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body", "edition"]
    assert not Enrolment.objects.filter(edition=editions["closed"]).exists()


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.SUPERVISOR, Role.CHAIR, Role.LIAISON, Role.VIEWER]
)
def test_it_refuses_an_application_from_someone_who_is_not_a_participant(
    cast: Any, editions: Any, role: str
) -> None:
    user = _user_with_person("holder", role, cast.academy)
    client = cast.client_for(user)
    page = client.post(
        f"/programmes/editions/{editions['open'].pk}/apply/", {"motivation": "Please"}
    )
    api = client.post(
        "/api/enrolments", {"edition": editions["open"].pk}, content_type="application/json"
    )
    assert page.status_code == 403
    assert api.status_code == 403
    assert not Enrolment.objects.filter(person=user.person).exists()


def test_an_officer_of_another_office_cannot_enrol_into_the_academys_edition(
    cast: Any, editions: Any
) -> None:
    theirs = directory.create_person(
        actor=SYSTEM, owner=cast.ministry, given_name="Mira", family_name="Ministry"
    )
    response = cast.client_for(cast.charlie).post(
        "/api/enrolments",
        {"edition": editions["open"].pk, "person": theirs.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "edition"]
    assert not Enrolment.objects.filter(person=theirs).exists()


def test_the_academys_officer_enrols_a_person_of_the_office(cast: Any, editions: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/api/enrolments",
        {"edition": editions["closed"].pk, "person": cast.quinn_person.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_a_participant_applies_for_themselves_through_the_page(cast: Any, editions: Any) -> None:
    page = cast.client_for(cast.pat).post(
        f"/programmes/editions/{editions['open'].pk}/apply/", {"motivation": "Please"}
    )
    assert page.status_code == 302
    assert Enrolment.objects.filter(person=cast.pat_person, edition=editions["open"]).exists()


def test_a_participant_without_a_person_record_has_no_edition_to_apply_to(
    cast: Any, editions: Any
) -> None:
    user = User.objects.create_user(username="nobody_yet")
    grant_role(actor=SYSTEM, user=user, role=Role.PARTICIPANT, organisation=cast.academy)
    page = cast.client_for(user).post(
        f"/programmes/editions/{editions['open'].pk}/apply/", {"motivation": "Please"}
    )
    assert page.status_code == 404
    assert not Enrolment.objects.filter(edition=editions["open"]).exists()


def _supervised_placement(cast: Any, jpo: Any) -> Any:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    services.select(actor=cast.alice, enrolment=enrolment)
    return services.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=jpo.mfa,
        department=jpo.department,
        supervisor=jpo.supervisor,
        start=date(2026, 9, 1),
    )


def test_the_supervisor_evaluates_a_placement_through_the_page(cast: Any, jpo: Any) -> None:
    placement = _supervised_placement(cast, jpo)
    scores = {key: "4" for key, _label in Evaluation.CRITERIA}
    page = cast.client_for(cast.sam).post(
        f"/programmes/placements/{placement.pk}/evaluate/", {**scores, "comment": "Thorough"}
    )
    assert page.status_code == 302
    evaluation = Evaluation.objects.get(placement=placement)
    assert evaluation.evaluated_by == jpo.supervisor
    assert evaluation.scores == dict.fromkeys(scores, 4)


def test_a_supervisor_without_a_person_record_evaluates_nothing(cast: Any, jpo: Any) -> None:
    placement = _supervised_placement(cast, jpo)
    user = User.objects.create_user(username="nobody_yet")
    grant_role(actor=SYSTEM, user=user, role=Role.SUPERVISOR, organisation=jpo.department)
    scores = {key: "4" for key, _label in Evaluation.CRITERIA}
    page = cast.client_for(user).post(f"/programmes/placements/{placement.pk}/evaluate/", scores)
    assert page.status_code == 404
    assert not Evaluation.objects.exists()
