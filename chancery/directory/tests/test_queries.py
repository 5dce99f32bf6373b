"""Reads that must stay cheap on a national directory: the duplicate count, the cached
dashboard figures, the organisation picker of the affiliation form, the name search index."""

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from chancery.core.actors import SYSTEM
from chancery.directory import queries, services
from chancery.directory.models import Affiliation, AffiliationRole, Organisation, Person


def _person(cast: Any, given: str, family: str, **fields: Any) -> Person:
    return services.create_person(
        actor=cast.alice, owner=cast.academy, given_name=given, family_name=family, **fields
    )


def test_the_duplicate_count_is_the_number_of_pairs_listed(cast: Any) -> None:
    born = date(2001, 5, 6)
    # Three namesakes born the same day: three pairs; one of them shares the e-mail too.
    _person(cast, "Aida", "Nurova", birth_date=born, email="aida@example.org")
    _person(cast, "Aida", "Nurova", birth_date=born, email="AIDA@example.org")
    _person(cast, "Aida", "Nurova", birth_date=born)
    # The same e-mail (in another case) and different birth dates: one pair.
    _person(cast, "Ruslan", "Sadykov", birth_date=date(1990, 1, 1), email="r.s@example.org")
    _person(cast, "Ruslan", "Sadykov", birth_date=date(1991, 1, 1), email="R.S@example.org")
    # Namesakes with nothing else in common, and unknown birth dates: no pair.
    _person(cast, "Timur", "Ospanov", birth_date=date(1980, 1, 1))
    _person(cast, "Timur", "Ospanov", birth_date=date(1981, 1, 1))
    _person(cast, "Timur", "Ospanov")
    _person(cast, "Timur", "Ospanov")
    people = Person.objects.all()
    listed = queries.likely_duplicates(people)
    assert len(listed) == 4
    assert queries.likely_duplicate_count(people) == 4
    # The reader's scope counts too: another office keeps none of them.
    other = queries.people_visible_to(cast.charlie)
    assert queries.likely_duplicate_count(other) == len(queries.likely_duplicates(other)) == 0


def test_dashboard_figures_are_counted_again_after_a_write(cast: Any) -> None:
    # Inside a test's transaction nothing is cached: each read counts.
    people = queries.people_visible_to(cast.alice)
    before = queries.dashboard_figures(people)
    _person(cast, "Aida", "Nurova", birth_date=date(2001, 5, 6))
    _person(cast, "Aida", "Nurova", birth_date=date(2001, 5, 6))
    after = queries.dashboard_figures(people)
    assert after["people"] == before["people"] + 2
    assert after["duplicates"] == before["duplicates"] + 1


@pytest.mark.django_db(transaction=True)
def test_cached_figures_follow_every_kind_of_write(cast: Any) -> None:
    """Outside a transaction the figures are cached, and each write shows on the next read."""
    cache.clear()
    assert not connection.in_atomic_block
    people = queries.people_visible_to(cast.alice)
    first = queries.dashboard_figures(people)
    assert queries.dashboard_figures(people) == first  # from the cache, the same
    twin = _person(cast, "Quinn", "Sample", birth_date=None)
    created = queries.dashboard_figures(people)
    assert created["people"] == first["people"] + 1
    # A change (no new row): the birth dates now meet, one likely duplicate more.
    services.update_person(actor=cast.alice, person=cast.quinn_person, birth_date=date(2000, 1, 1))
    services.update_person(actor=cast.alice, person=twin, birth_date=date(2000, 1, 1))
    changed = queries.dashboard_figures(people)
    assert changed["duplicates"] == created["duplicates"] + 1
    # A deletion.
    services.delete_person(actor=cast.alice, person=twin)
    deleted = queries.dashboard_figures(people)
    assert deleted["people"] == first["people"]
    assert deleted["duplicates"] == first["duplicates"]
    # Another reader's scope is its own entry.
    assert queries.dashboard_figures(queries.people_visible_to(cast.charlie))["people"] == 0


def test_the_person_page_offers_no_list_of_every_organisation(cast: Any) -> None:
    for i in range(30):
        services.create_organisation(actor=SYSTEM, name_en=f"Embassy number {i}", kind="embassy")
    client = cast.client_for(cast.alice)
    page = client.get(f"/directory/people/{cast.pat_person.pk}/").content.decode()
    # The page builds no form: its sections fetch their fields when opened.
    assert 'name="organisation"' not in page
    fields_url = f"/directory/people/{cast.pat_person.pk}/affiliations/"
    assert f'hx-get="{fields_url}"' in page
    fields = client.get(fields_url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="organisation"' in fields and "<html" not in fields
    assert "Embassy number 7" not in fields
    assert 'hx-get="/directory/organisations/choices/"' in fields


def test_the_consent_fields_offer_the_person_and_their_guardian(cast: Any) -> None:
    guardian = _person(cast, "Gulnara", "Parentova")
    ward = _person(cast, "Dana", "Wardova", birth_date=date(2012, 3, 4), guardian=guardian)
    client = cast.client_for(cast.alice)
    page = client.get(f"/directory/people/{ward.pk}/").content.decode()
    assert 'name="given_by"' not in page
    fields = client.get(f"/directory/people/{ward.pk}/consents/").content.decode()
    assert 'name="given_by"' in fields and 'name="kind"' in fields
    assert f'<option value="{guardian.pk}" selected>' in fields
    assert f'<option value="{ward.pk}">' in fields
    # Only those who may edit the record get the fields: not a viewer (403), not another
    # office (404, as for a record that does not exist).
    fields_url = f"/directory/people/{ward.pk}/consents/"
    assert cast.client_for(cast.bob).get(fields_url).status_code == 403
    assert cast.client_for(cast.charlie).get(fields_url).status_code == 404


def test_the_organisation_picker_suggests_a_few_matches(cast: Any) -> None:
    for i in range(30):
        services.create_organisation(actor=SYSTEM, name_en=f"Embassy number {i}", kind="embassy")
    client = cast.client_for(cast.alice)
    body = client.get(
        "/directory/organisations/choices/", {"organisation": "number 1"}
    ).content.decode()
    assert body.count("<option") == 12  # 1, 10 to 19 and 21: every word matches
    number_one = Organisation.objects.get(name_en="Embassy number 1")
    assert f'value="Embassy number 1 (#{number_one.pk})"' in body
    by_number = client.get("/directory/organisations/choices/", {"q": str(number_one.pk)})
    assert by_number.content.decode().count("<option") == 1
    assert client.get("/directory/organisations/choices/", {"q": ""}).content.strip() == b""


@pytest.mark.parametrize("typed", ["{name} (#{pk})", "{pk}", "  {name}  ", "test ministry"])
def test_an_affiliation_names_its_organisation_as_typed(cast: Any, typed: str) -> None:
    client = cast.client_for(cast.alice)
    text = typed.format(name=cast.ministry.name_en, pk=cast.ministry.pk)
    page = client.post(
        f"/directory/people/{cast.pat_person.pk}/affiliations/",
        {"organisation": text, "role": "staff"},
        follow=True,
    ).content.decode()
    assert "Affiliation added." in page
    assert Affiliation.objects.filter(person=cast.pat_person, organisation=cast.ministry).exists()


@pytest.mark.parametrize("typed", ["No such body", "999999", "Test (#999999)", "Test"])
def test_an_unknown_organisation_is_refused_by_the_field(cast: Any, typed: str) -> None:
    client = cast.client_for(cast.alice)
    before = Affiliation.objects.count()
    page = client.post(
        f"/directory/people/{cast.pat_person.pk}/affiliations/",
        {"organisation": typed, "role": "staff"},
        follow=True,
    ).content.decode()
    assert "Organisation: Select a valid choice." in page
    assert Affiliation.objects.count() == before


@pytest.mark.django_db
def test_the_name_search_has_its_indexes() -> None:
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Person._meta.db_table)
    assert "person_name_search" in indexes
    assert "person_list_order" in indexes
    if connection.vendor == "postgresql":
        assert "person_name_key_trgm" in indexes


def test_the_person_form_offers_no_list_of_every_person(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    page = client.get("/directory/people/new/").content.decode()
    assert 'name="guardian"' in page
    assert 'hx-get="/directory/people/choices/"' in page
    assert "Internov" not in page  # the people the officer sees are not listed
    edit = client.get(f"/directory/people/{cast.intern.pk}/edit/").content.decode()
    assert "Quinn" not in edit


def test_the_guardian_is_picked_among_the_people_the_officer_sees(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    body = client.get("/directory/people/choices/", {"guardian": "sampl"}).content.decode()
    assert f'value="Quinn Sample (#{cast.quinn_person.pk})"' in body
    # Another office's officer is offered nobody of the Academy's.
    other = cast.client_for(cast.charlie)
    assert b"<option" not in other.get("/directory/people/choices/", {"q": "quinn"}).content
    assert cast.client_for(cast.pat).get("/directory/people/choices/").status_code == 403

    response = client.post(
        "/directory/people/new/",
        {
            "given_name": "Aru",
            "family_name": "Sample",
            "owner": cast.academy.pk,
            "guardian": f"Quinn Sample (#{cast.quinn_person.pk})",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(given_name="Aru").guardian == cast.quinn_person
    # One the officer may not see is refused like an unknown choice.
    hidden = services.create_person(
        actor=SYSTEM, owner=cast.ministry, given_name="Hidden", family_name="Person"
    )
    refused = client.post(
        "/directory/people/new/",
        {
            "given_name": "Bek",
            "family_name": "Sample",
            "owner": cast.academy.pk,
            "guardian": str(hidden.pk),
        },
    )
    assert refused.status_code == 422
    assert "Select a valid choice." in refused.content.decode()
    assert not Person.objects.filter(given_name="Bek").exists()


def test_a_picker_suggests_only_the_kinds_and_roles_its_field_takes(cast: Any) -> None:
    """The placement form's pickers: hosts that are not departments, departments, supervisors."""
    client = cast.client_for(cast.alice)

    def suggested(**params: str) -> str:
        return client.get("/directory/organisations/choices/", params).content.decode()

    assert "Test Department" in suggested(host="test")
    assert "Test Department" not in suggested(host="test", not_kind="department")
    assert "Test Ministry" in suggested(host="test", not_kind="department")
    only = suggested(department="test", kind="department")
    assert "Test Department" in only and "Test Ministry" not in only
    services.add_affiliation(
        actor=SYSTEM,
        person=cast.quinn_person,
        organisation=cast.department,
        role=AffiliationRole.SUPERVISOR,
    )
    people = client.get("/directory/people/choices/", {"supervisor": "a", "role": "supervisor"})
    assert "Quinn" in people.content.decode() and "Pat" not in people.content.decode()
    # The form checks the same: a person who supervises nobody is refused.
    from chancery.programmes.forms import PlaceForm

    form = PlaceForm(
        {
            "host": cast.ministry.pk,
            "supervisor": cast.pat_person.pk,
            "department": cast.ministry.pk,
            "start": "2030-01-01",
            "version": 0,
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"supervisor", "department"}
    assert 'hx-get="/directory/organisations/choices/?kind=department"' in str(form["department"])


def test_the_name_index_follows_every_write_and_finds_parts_of_names(cast: Any) -> None:
    """On SQLite the words of three letters or more are asked of the FTS5 trigram index, which
    triggers keep in step with inserts, renames and deletions; shorter words read the table."""
    from django.db import connection

    from chancery.directory import services
    from chancery.directory.models import Person
    from chancery.directory.queries import search_people

    every = Person.objects.all()
    person = services.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Aigerim", family_name="Zhaksylykova"
    )
    query = search_people(every, "zhaks")
    if connection.vendor == "sqlite":
        assert "directory_person_fts" in str(query.query)
    assert list(query) == [person]
    assert list(search_people(every, "Жаксылыкова")) == [person]  # another script, one key
    assert list(search_people(every, "ai zhak")) == [person]  # a two-letter word, too
    services.update_person(actor=SYSTEM, person=person, family_name="Bekova")
    assert list(search_people(every, "zhaks")) == []
    assert list(search_people(every, "bekov")) == [person]
    services.delete_person(actor=SYSTEM, person=person)
    assert list(search_people(every, "bekov")) == []
