"""Two officers changing one enrolment: the second change, based on what the first changed,
is refused with a conflict that says what changed (optimistic concurrency by version)."""

import re
import threading
from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.programmes import services
from chancery.programmes.models import Enrolment, EnrolmentState


@pytest.fixture
def enrolment(cast: Any) -> Enrolment:
    programme = services.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="Internships"
    )
    edition = services.create_edition(
        actor=cast.alice, programme=programme, name="2030", year=2030, starts_on=date(2030, 9, 1)
    )
    enrolment = services.apply(actor=cast.alice, edition=edition, person=cast.pat_person)
    assert enrolment.state == EnrolmentState.ELIGIBLE
    return enrolment


@pytest.fixture
def dora(cast: Any) -> User:
    """A second officer of the Academy's office."""
    user = User.objects.create_user(username="dora", password="x")
    grant_role(actor=SYSTEM, user=user, role=Role.OFFICER, organisation=cast.academy)
    return user


def _version_on_page(html: str, form_id: str) -> str:
    form = html.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    found = re.search(r'name="version" value="(\d+)"', form)
    assert found, form
    return found.group(1)


def test_a_change_made_from_a_stale_page_is_refused_and_says_what_changed(
    cast: Any, dora: User, enrolment: Enrolment
) -> None:
    alice, other = cast.client_for(cast.alice), cast.client_for(dora)
    url = f"/programmes/enrolments/{enrolment.pk}/"
    alice_version = _version_on_page(alice.get(url).content.decode(), "state-form")
    dora_version = _version_on_page(other.get(url).content.decode(), "state-form")
    assert alice_version == dora_version

    alice.post(f"{url}state/", {"target": "selected", "version": alice_version})
    response = other.post(
        f"{url}state/",
        {"target": "withdrawn", "reason": "Moved abroad", "version": dora_version},
        follow=True,
    )

    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.SELECTED
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "alice changed this enrolment" in shown
    assert "state: eligible → selected" in shown
    assert "Nothing was saved" in shown
    # The page now offers the current version: the same change from it goes through.
    fresh = _version_on_page(response.content.decode(), "state-form")
    assert fresh != dora_version
    other.post(f"{url}state/", {"target": "withdrawn", "reason": "Moved abroad", "version": fresh})
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.WITHDRAWN


def test_placing_from_a_stale_page_is_refused(cast: Any, dora: User, enrolment: Enrolment) -> None:
    services.select(actor=cast.alice, enrolment=enrolment)
    url = f"/programmes/enrolments/{enrolment.pk}/"
    version = _version_on_page(cast.client_for(dora).get(url).content.decode(), "place-form")
    services.withdraw(actor=cast.alice, enrolment=enrolment, reason="Declined the place")
    response = cast.client_for(dora).post(
        f"{url}place/",
        {"host": cast.ministry.pk, "start": "2030-09-01", "version": version},
        follow=True,
    )
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "state: selected → withdrawn" in shown
    assert not enrolment.placements.exists()


def test_the_api_answers_409_to_a_change_based_on_an_old_version(
    cast: Any, enrolment: Enrolment
) -> None:
    client = cast.client_for(cast.alice)
    read = client.get(f"/api/enrolments/{enrolment.pk}").json()
    listed = client.get("/api/enrolments").json()["items"]
    assert [item["version"] for item in listed] == [read["version"]]
    first = client.post(
        f"/api/enrolments/{enrolment.pk}/transition",
        {"target": "selected", "version": read["version"]},
        content_type="application/json",
    )
    assert first.status_code == 200
    assert first.json()["version"] > read["version"]

    second = client.post(
        f"/api/enrolments/{enrolment.pk}/transition",
        {"target": "withdrawn", "reason": "Moved", "version": read["version"]},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert "state: eligible → selected" in second.json()["detail"]
    placed = client.post(
        f"/api/enrolments/{enrolment.pk}/placements",
        {"host": cast.ministry.pk, "start": "2030-09-01", "version": read["version"]},
        content_type="application/json",
    )
    assert placed.status_code == 409
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.SELECTED
    # Without a version nothing is checked (scripts and the command line as before).
    third = client.post(
        f"/api/enrolments/{enrolment.pk}/transition",
        {"target": "withdrawn", "reason": "Moved"},
        content_type="application/json",
    )
    assert third.status_code == 200


def test_a_version_that_is_still_current_lets_the_change_through(
    cast: Any, enrolment: Enrolment
) -> None:
    version = services.current_version(enrolment)
    services.change_state(actor=cast.alice, enrolment=enrolment, target="selected", version=version)
    with pytest.raises(ValidationError) as refused:
        services.change_state(
            actor=cast.alice,
            enrolment=enrolment,
            target="withdrawn",
            reason="Late",
            version=version,
        )
    assert services.is_conflict(refused.value)
    assert not services.is_conflict(ValidationError({"state": "no"}))


# SQLite's in-memory test database shares one cache between threads with table locks of its
# own; the real file database serialises writers with IMMEDIATE. Skipped before the database
# is set up, so that no flush takes the migrated countries from the tests that follow.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections are tested on PostgreSQL (.ci/run)",
)
@pytest.mark.django_db(transaction=True)  # reference data: see the root conftest
def test_two_officers_changing_one_enrolment_at_once_one_wins(
    cast: Any, dora: User, enrolment: Enrolment
) -> None:
    version = services.current_version(enrolment)
    before = enrolment.history.count()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def change(actor: Any, target: str, reason: str) -> None:
        barrier.wait()
        try:
            services.change_state(
                actor=actor, enrolment=enrolment, target=target, reason=reason, version=version
            )
            outcomes[target] = "saved"
        except ValidationError as error:
            outcomes[target] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=change, args=(cast.alice, "selected", "")),
        threading.Thread(target=change, args=(dora, "withdrawn", "Moved abroad")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()).count("saved") == 1, outcomes
    winner = next(target for target, outcome in outcomes.items() if outcome == "saved")
    loser = next(target for target in outcomes if target != winner)
    assert "after you opened it" in outcomes[loser]
    assert f"state: eligible → {winner}" in outcomes[loser]
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert stored.state == winner
    assert stored.history.count() == before + 1
