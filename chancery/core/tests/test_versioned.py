"""Counts kept until a table they read changes, and the dashboard's recent changes."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from chancery.core.actors import SYSTEM
from chancery.core.pagination import page_of
from chancery.core.versioned import counted
from chancery.directory import queries, services
from chancery.directory.models import Affiliation, AffiliationRole, Person
from chancery.site.home import recent_changes


@pytest.mark.django_db(transaction=True)
def test_a_cached_count_follows_creation_change_and_deletion(cast: Any) -> None:
    cache.clear()
    assert not connection.in_atomic_block
    people = queries.search_people(queries.people_visible_to(cast.alice), "sample")
    assert counted(people) == 1
    twin = services.create_person(
        actor=cast.alice, owner=cast.academy, given_name="Quinn", family_name="Sample"
    )
    assert counted(people) == 2
    # A change that takes a row out of the selection leaves no new row, only a history row.
    services.update_person(actor=cast.alice, person=twin, family_name="Other")
    assert counted(people) == 1
    services.delete_person(actor=cast.alice, person=cast.quinn_person)
    assert counted(people) == 0
    assert page_of(people, 1, 50).count == 0


@pytest.mark.django_db(transaction=True)
def test_a_count_over_a_table_without_audit_is_always_taken(cast: Any) -> None:
    """Deleting a row of an unaudited table leaves no trace in the fingerprint: never cached."""
    from chancery.events.models import Event

    cache.clear()
    pairings_of_events: Any = Event.pairings.through  # the Django plugin types it as Never
    through = pairings_of_events.objects.all()
    assert counted(through) == 0
    assert counted(Person.objects.filter(pk__in=[])) == 0


@pytest.mark.django_db(transaction=True)
def test_counts_through_subqueries_and_joins_follow_their_tables(cast: Any) -> None:
    """A reader's scope reaches affiliations through a subquery: an affiliation added later
    shows in the count at once."""
    cache.clear()
    supervised = queries.people_visible_to(cast.sam)
    assert counted(supervised) == 1  # the intern
    services.add_affiliation(
        actor=cast.alice,
        person=cast.pat_person,
        organisation=cast.department,
        role=AffiliationRole.INTERN,
    )
    assert counted(supervised) == 2
    per_person = Person.objects.annotate(n=Count("affiliations")).filter(n__gt=0)
    assert counted(per_person) == Affiliation.objects.values("person").distinct().count() == 2


def _people_figure(user: Any) -> int:
    """The people figure of the dashboard, read fresh for the user as a page would read it."""
    user = type(user).objects.get(pk=user.pk)
    return queries.dashboard_figures(queries.people_visible_to(user))["people"]


@pytest.mark.django_db(transaction=True)
def test_a_supervisors_dashboard_figure_follows_a_new_affiliation_at_once(cast: Any) -> None:
    """The supervisor's people are their department's interns: the dashboard's cached figure
    is keyed by the affiliations too, so a new intern counts on the next reading. (The home
    page shows the figures to officers and viewers only; the count is read as it reads it.)"""
    cache.clear()
    assert _people_figure(cast.sam) == 1
    services.add_affiliation(
        actor=cast.alice,
        person=cast.pat_person,
        organisation=cast.department,
        role=AffiliationRole.INTERN,
    )
    assert _people_figure(cast.sam) == 2


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_figure_follows_the_readers_roles(cast: Any) -> None:
    """The offices a reader's roles give are in the key: a new role counts at once."""
    from chancery.accounts.models import Role
    from chancery.accounts.services import grant_role

    cache.clear()
    assert _people_figure(cast.sam) == 1
    grant_role(actor=SYSTEM, user=cast.sam, role=Role.VIEWER, organisation=cast.academy)
    sam = type(cast.sam).objects.get(pk=cast.sam.pk)
    # Now a viewer too: the cached figure counts the office's people at once.
    assert _people_figure(sam) == queries.people_visible_to(sam).count() > 1


def test_recent_changes_show_the_offices_records_only(cast: Any) -> None:
    services.update_person(actor=cast.alice, person=cast.quinn_person, family_name="Changed")
    other = services.create_person(
        actor=cast.charlie, owner=cast.ministry, given_name="Mira", family_name="Elsewhere"
    )
    alice_sees = [entry.subject for entry in recent_changes(cast.alice, limit=50)]
    assert any("Changed" in subject for subject in alice_sees)
    assert not any("Elsewhere" in subject for subject in alice_sees)
    charlie_sees = [entry.subject for entry in recent_changes(cast.charlie, limit=50)]
    assert any(str(other) in subject for subject in charlie_sees)
    assert not any("Changed" in subject for subject in charlie_sees)
    # Newest first, and no more than asked.
    latest = recent_changes(cast.alice, limit=2)
    assert len(latest) == 2 and latest[0].when >= latest[1].when
    # Viewers and others see no audit trail on the dashboard.
    assert recent_changes(cast.bob) == recent_changes(cast.pat) == []
