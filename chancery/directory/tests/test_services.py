from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chancery.directory import queries, services
from chancery.directory.models import (
    Affiliation,
    AffiliationRole,
    Citizenship,
    Consent,
    ConsentKind,
    Country,
    Organisation,
    Person,
)


def _pupil(cast: Any, **extra: Any) -> Person:
    return services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name="Aru",
        family_name="Pupil",
        birth_date=date(2012, 5, 1),
        **extra,
    )


def test_it_records_a_person_with_no_citizenship_as_unknown(cast: Any) -> None:
    person = services.create_person(
        actor=cast.alice, owner=cast.academy, given_name="Vassiliy", family_name="Lakhonin"
    )
    assert person.citizenships.count() == 0
    assert person in queries.people_list(Person.objects.all(), no_citizenship=True)


def test_it_refuses_a_person_without_any_name(cast: Any) -> None:
    with pytest.raises(ValidationError, match="name in at least one script"):
        services.create_person(actor=cast.alice, owner=cast.academy)
    assert not Person.objects.filter(given_name="", family_name="").exists()


def test_it_refuses_a_bad_email_naming_the_field(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_person(
            actor=cast.alice, owner=cast.academy, given_name="X", email="not an address"
        )
    assert "email" in error.value.message_dict


def test_a_failed_create_leaves_nothing_half_written(cast: Any) -> None:
    before = (Person.objects.count(), Citizenship.objects.count())
    unsaved_country = Country(alpha2="ZZ", alpha3="ZZZ", name_en="Nowhere")
    with pytest.raises(Exception):  # noqa: B017 - any failure must roll back everything
        services.create_person(
            actor=cast.alice,
            owner=cast.academy,
            given_name="Half",
            citizenships=[cast.kazakhstan, unsaved_country],
        )
    assert (Person.objects.count(), Citizenship.objects.count()) == before


def test_every_change_is_audited_with_the_actor_and_the_fields(cast: Any) -> None:
    person = services.update_person(
        actor=cast.alice,
        person=cast.pat_person,
        class_year=2015,
        citizenships=[Country.objects.get(alpha2="KG")],
    )
    latest = person.history.first()
    assert latest.history_user == cast.alice
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert [change.field for change in delta.changes] == ["class_year"]
    assert Citizenship.history.filter(
        person_id=person.pk, history_type="-", history_user=cast.alice
    ).exists()
    assert Citizenship.history.filter(
        person_id=person.pk, history_type="+", country_id="KG"
    ).exists()


def test_deletes_are_audited_too(cast: Any) -> None:
    pk = cast.quinn_person.pk
    cast.quinn.person = None
    cast.quinn.save()
    services.delete_person(actor=cast.alice, person=cast.quinn_person)
    assert Person.history.filter(id=pk, history_type="-", history_user=cast.alice).exists()


def test_a_minor_needs_a_guardian_before_any_consent(cast: Any) -> None:
    pupil = _pupil(cast)
    with pytest.raises(ValidationError, match="guardian"):
        services.record_consent(
            actor=cast.alice,
            person=pupil,
            kind=ConsentKind.DATA_PROCESSING,
            given_on=date(2024, 9, 1),
        )


def test_a_minors_consent_must_come_from_the_guardian(cast: Any) -> None:
    guardian = services.create_person(actor=cast.alice, owner=cast.academy, given_name="Mum")
    pupil = _pupil(cast, guardian=guardian)
    with pytest.raises(ValidationError, match="guardian"):
        services.record_consent(
            actor=cast.alice,
            person=pupil,
            kind=ConsentKind.MEDIA,
            given_by=pupil,
            given_on=date(2024, 9, 1),
        )
    consent = services.record_consent(
        actor=cast.alice,
        person=pupil,
        kind=ConsentKind.MEDIA,
        given_by=guardian,
        given_on=date(2024, 9, 1),
    )
    assert consent.given_by == guardian


def test_a_minor_is_registered_as_a_pupil_only_with_guardian_consent(cast: Any) -> None:
    guardian = services.create_person(actor=cast.alice, owner=cast.academy, given_name="Dad")
    pupil = _pupil(cast, guardian=guardian)
    school = services.create_organisation(actor=cast.alice, name_en="School", kind="school")
    with pytest.raises(ValidationError, match="consent"):
        services.add_affiliation(
            actor=cast.alice,
            person=pupil,
            organisation=school,
            role=AffiliationRole.PUPIL,
            start=date(2024, 9, 1),
        )
    assert not Affiliation.objects.filter(person=pupil).exists()
    services.record_consent(
        actor=cast.alice,
        person=pupil,
        kind=ConsentKind.DATA_PROCESSING,
        given_by=guardian,
        given_on=date(2024, 8, 20),
    )
    services.add_affiliation(
        actor=cast.alice,
        person=pupil,
        organisation=school,
        role=AffiliationRole.PUPIL,
        start=date(2024, 9, 1),
    )


def test_withdrawing_a_consent_ends_it_and_cannot_happen_twice(cast: Any) -> None:
    consent = services.record_consent(
        actor=cast.alice,
        person=cast.pat_person,
        kind=ConsentKind.TESTIMONIAL,
        given_on=date(2020, 1, 1),
    )
    services.withdraw_consent(actor=cast.alice, consent=consent, on=date(2021, 1, 1))
    consent.refresh_from_db()
    assert not consent.is_active(date(2021, 6, 1))
    assert consent.is_active(date(2020, 6, 1))
    with pytest.raises(ValidationError, match="already"):
        services.withdraw_consent(actor=cast.alice, consent=consent)


def test_an_affiliation_cannot_end_before_it_starts(cast: Any) -> None:
    with pytest.raises(ValidationError, match="end before"):
        services.add_affiliation(
            actor=cast.alice,
            person=cast.pat_person,
            organisation=cast.ministry,
            role=AffiliationRole.STAFF,
            start=date(2020, 1, 2),
            end=date(2020, 1, 1),
        )


def test_an_organisation_cannot_become_part_of_its_own_department(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.update_organisation(
            actor=cast.charlie, organisation=cast.ministry, parent=cast.department
        )
    assert "parent" in error.value.message_dict


def test_an_organisation_with_people_cannot_be_deleted(cast: Any) -> None:
    with pytest.raises(ValidationError, match="inactive"):
        services.delete_organisation(actor=cast.alice, organisation=cast.academy)
    assert Organisation.objects.filter(pk=cast.academy.pk).exists()


def test_likely_duplicates_match_across_scripts_with_an_email(cast: Any) -> None:
    latin = services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name="Daniyar",
        family_name="Suyunov",
        email="d.s@example.org",
    )
    cyrillic = services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name_cyrl="Данияр",
        family_name_cyrl="Суюнов",
        email="D.S@example.org",
    )
    services.create_person(
        actor=cast.alice, owner=cast.academy, given_name="Daniyar", family_name="Suyunov"
    )  # no shared birth date or e-mail
    pairs = queries.likely_duplicates(Person.objects.all())
    assert [(p.first, p.second) for p in pairs] == [(latin, cyrillic)]


def test_merging_keeps_every_linked_record(cast: Any) -> None:
    keep = services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name="Daniyar",
        family_name="Suyunov",
        citizenships=[cast.kazakhstan],
    )
    drop = services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name_cyrl="Данияр",
        family_name_cyrl="Суюнов",
        email="d@example.org",
        citizenships=[Country.objects.get(alpha2="KG")],
    )
    services.add_affiliation(
        actor=cast.alice, person=drop, organisation=cast.ministry, role=AffiliationRole.INTERN
    )
    services.record_consent(
        actor=cast.alice, person=drop, kind=ConsentKind.MEDIA, given_on=date(2020, 1, 1)
    )
    merged = services.merge_people(actor=cast.alice, keep=keep, drop=drop)
    assert not Person.objects.filter(pk=drop.pk).exists()
    assert merged.email == "d@example.org"
    assert merged.family_name_cyrl == "Суюнов"
    assert sorted(merged.citizenships.values_list("alpha2", flat=True)) == ["KG", "KZ"]
    assert merged.affiliations.filter(organisation=cast.ministry).exists()
    consent = Consent.objects.get(person=merged)
    assert consent.given_by == merged
    assert Person.history.filter(id=drop.pk, history_type="-").exists()


def test_search_finds_latin_records_from_a_cyrillic_query(cast: Any) -> None:
    person = services.create_person(
        actor=cast.alice, owner=cast.academy, given_name="Daniyar", family_name="Suyunov"
    )
    assert list(queries.search_people(Person.objects.all(), "Суюнов")) == [person]
    assert list(queries.search_people(Person.objects.all(), "suyu")) == [person]
