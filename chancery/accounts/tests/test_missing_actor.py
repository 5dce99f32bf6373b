"""A missing actor is refused, never granted; the system acts only when it is named (#17)."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from chancery.accounts.access import is_officer, is_officer_of, kept_by_offices_of, reads_office
from chancery.accounts.models import Role
from chancery.core import services as core
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import Organisation
from chancery.events import services as events
from chancery.events.access import can_manage, is_programme_officer, own_pairings
from chancery.events.tests.factories import Outreach, make_outreach
from chancery.mun import services as mun
from chancery.mun.access import can_chair
from chancery.mun.models import RuleProfile, SustainableDevelopmentGoal

PASSWORD = "correct horse battery staple"


@pytest.fixture
def outreach(cast: Any) -> Outreach:
    return make_outreach(cast, PASSWORD)


def test_no_actor_holds_no_role_and_acts_for_no_office(cast: Any) -> None:
    assert not is_officer(None) and not reads_office(None)
    assert not is_officer_of(None, cast.academy.pk)
    assert not kept_by_offices_of(
        None, Organisation.objects.all(), Role.OFFICER, office="pk"
    ).exists()


def test_the_system_acts_for_every_office_and_an_officer_for_their_own(cast: Any) -> None:
    assert is_officer(SYSTEM) and is_officer_of(SYSTEM, cast.ministry.pk)
    assert is_officer_of(cast.alice, cast.academy.pk)
    assert not is_officer_of(cast.alice, cast.ministry.pk)
    assert not is_officer_of(cast.bob, cast.academy.pk)  # a viewer


def test_the_programme_checks_refuse_a_forgotten_actor(outreach: Outreach) -> None:
    assert not is_programme_officer(None, outreach.edition)
    assert not own_pairings(None, outreach.edition).exists()
    assert is_programme_officer(SYSTEM, outreach.edition)
    event = events.create_event(
        actor=outreach.coordinator,
        edition=outreach.edition,
        kind="lecture",
        title="A lecture",
        starts_at=datetime(2018, 11, 5, 5, tzinfo=UTC),
        ends_at=datetime(2018, 11, 5, 6, tzinfo=UTC),
        pairings=[outreach.pairing],
    )
    assert can_manage(outreach.coordinator, event) and can_manage(SYSTEM, event)
    assert not can_manage(None, event)
    with pytest.raises(PermissionDenied):
        events.update_event(actor=None, event=event, title_en="Renamed")


def test_an_organisation_is_not_written_without_an_actor(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        directory.create_organisation(actor=None, name_en="Nobody's", kind="school")
    with pytest.raises(PermissionDenied):
        directory.update_organisation(actor=None, organisation=cast.ministry, name_en="Renamed")
    made = directory.create_organisation(actor=SYSTEM, name_en="The system's", kind="school")
    # The system is recorded as no user: the history reads "system".
    assert made.history.get().history_user is None
    cast.ministry.refresh_from_db()
    assert cast.ministry.name_en == "Test Ministry"


def test_a_conference_is_not_set_up_without_an_actor(outreach: Outreach) -> None:
    goal = SustainableDevelopmentGoal.objects.first()
    arguments: dict[str, Any] = {
        "edition": outreach.edition,
        "title": "MUN",
        "day": date(2018, 11, 3),
        "theme": "Water",
        "goal": goal,
    }
    with pytest.raises(PermissionDenied):
        mun.create_conference(actor=None, **arguments)
    with pytest.raises(PermissionDenied):  # a permission refusal, not a validation error
        mun.create_conference(actor=outreach.coordinator, **arguments)
    conference = mun.create_conference(actor=SYSTEM, **arguments)
    committee = mun.add_committee(
        conference=conference,
        name="General Assembly",
        profile=RuleProfile.objects.first(),
        actor=SYSTEM,
    )
    assert not can_chair(None, committee) and can_chair(SYSTEM, committee)


def test_a_write_that_names_nobody_is_refused_and_leaves_no_row(cast: Any) -> None:
    organisation = Organisation(name_en="Nobody's Academy", kind="academy")
    with pytest.raises(PermissionDenied):
        core.save(organisation, None)
    assert not Organisation.objects.filter(name_en="Nobody's Academy").exists()
    with pytest.raises(PermissionDenied):
        core.delete(cast.academy, None)
    assert Organisation.objects.filter(pk=cast.academy.pk).exists()
    core.save(organisation, SYSTEM)  # the system is named: written, audited as no user
    assert organisation.history.get().history_user is None
