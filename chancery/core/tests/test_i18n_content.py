"""Content per language (django-modeltranslation): organisation and programme names, programme
descriptions, event titles; each read in the reader's language, else English, else any."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from chancery.core.actors import SYSTEM
from chancery.directory import queries as directory_queries
from chancery.directory import services as directory
from chancery.directory.models import Country, Organisation, Person
from chancery.events import services as events
from chancery.events.models import Event
from chancery.programmes import services as programmes
from chancery.programmes.models import Programme

pytestmark = pytest.mark.django_db

MFA = {
    "name_en": "Ministry of Foreign Affairs",
    "name_ru": "Министерство иностранных дел",
    "name_kk": "Сыртқы істер министрлігі",
}


def read(obj: Any, field: str, language: str) -> str:
    with translation.override(language):
        return str(getattr(obj, field))


def test_an_organisation_reads_in_the_readers_language_and_falls_back_to_english() -> None:
    full = directory.create_organisation(actor=SYSTEM, kind="ministry", **MFA)
    english_only = directory.create_organisation(
        actor=SYSTEM, kind="embassy", name_en="Embassy of Japan"
    )
    assert [read(full, "name", lang) for lang in ("en", "ru", "kk")] == list(MFA.values())
    assert str(Organisation.objects.get(pk=full.pk)) == MFA["name_en"]
    assert read(english_only, "name", "kk") == "Embassy of Japan"
    assert read(english_only, "name", "ru") == "Embassy of Japan"
    assert english_only.name_ru == "" and english_only.name_kk == ""


def test_a_description_falls_back_to_any_filled_language_when_english_is_empty(
    cast: Any,
) -> None:
    programme = programmes.create_programme(
        actor=SYSTEM,
        name_en="Jas Diplomat",
        name_kk="Жас дипломат",
        kind="outreach",
        owner=cast.academy,
        description_kk="Мектеп оқушыларына арналған бағдарлама",
    )
    assert read(programme, "name", "kk") == "Жас дипломат"
    assert read(programme, "name", "ru") == "Jas Diplomat"
    # English empty: the Kazakh description is better than nothing, in English and Russian.
    assert read(programme, "description", "en") == "Мектеп оқушыларына арналған бағдарлама"
    assert read(programme, "description", "ru") == "Мектеп оқушыларына арналған бағдарлама"
    programmes.update_programme(
        actor=SYSTEM, programme=programme, description="A programme for pupils"
    )
    programme.refresh_from_db()
    assert read(programme, "description", "en") == "A programme for pupils"
    assert read(programme, "description", "ru") == "A programme for pupils"


def test_english_is_required_and_the_error_names_the_field() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        directory.create_organisation(actor=SYSTEM, kind="ministry", name_ru="Только по-русски")
    assert "name_en" in error.value.message_dict
    assert not Organisation.objects.filter(name_ru="Только по-русски").exists()


def test_the_audit_trail_keeps_every_languages_name() -> None:
    organisation = directory.create_organisation(actor=SYSTEM, kind="ministry", **MFA)
    directory.update_organisation(
        actor=SYSTEM, organisation=organisation, name_kk="ҚР Сыртқы істер министрлігі"
    )
    rows = list(organisation.history.order_by("history_id"))
    assert [row.name_kk for row in rows] == [MFA["name_kk"], "ҚР Сыртқы істер министрлігі"]
    assert rows[-1].name_ru == MFA["name_ru"]


def test_search_finds_an_organisation_by_its_name_in_any_language() -> None:
    organisation = directory.create_organisation(actor=SYSTEM, kind="ministry", **MFA)
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            for text in ("Foreign Affairs", "иностранных", "Сыртқы"):
                found = directory_queries.organisations_list(text=text)
                assert list(found) == [organisation], (language, text)


def test_the_organisation_form_and_page_take_and_show_each_language(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        "/directory/organisations/new/", {"kind": "ministry", **MFA, "active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organisation.objects.get(name_en=MFA["name_en"])
    assert (created.name_ru, created.name_kk) == (MFA["name_ru"], MFA["name_kk"])
    page = client.get(
        f"/directory/organisations/{created.pk}/", headers={"accept-language": "kk"}
    ).content.decode()
    assert f"<h1>{MFA['name_kk']}" in page or f">{MFA['name_kk']}<" in page
    form = client.get(f"/directory/organisations/{created.pk}/edit/").content.decode()
    assert 'name="name_kk"' in form and MFA["name_kk"] in form


def test_the_api_accepts_and_returns_each_language(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        "/api/organisations", {"kind": "ministry", **MFA}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name_en"], body["name_ru"], body["name_kk"]) == tuple(MFA.values())
    in_kazakh = client.get(
        f"/api/organisations/{body['id']}", headers={"accept-language": "kk"}
    ).json()
    assert in_kazakh["name"] == MFA["name_kk"]
    response = client.post(
        "/api/programmes",
        {
            "name_en": "Internships",
            "name_ru": "Стажировки",
            "kind": "internship",
            "description": "Three months",
            "description_ru": "Три месяца",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    programme = Programme.objects.get(pk=response.json()["id"])
    assert (programme.description_en, programme.description_ru) == ("Three months", "Три месяца")
    assert response.json()["description_ru"] == "Три месяца"


def test_an_event_title_per_language(cast: Any) -> None:
    from chancery.programmes.models import Edition

    programme = programmes.create_programme(
        actor=SYSTEM, name_en="Jas Diplomat", kind="outreach", owner=cast.academy
    )
    edition = Edition.objects.create(programme=programme, name="2026", year=2026)
    zone = ZoneInfo("Asia/Almaty")
    event = events.create_event(
        actor=SYSTEM,
        edition=edition,
        kind="lecture",
        title="A lecture on diplomacy",
        title_kk="Дипломатия туралы дәріс",
        starts_at=datetime(2026, 10, 1, 15, tzinfo=zone),
        ends_at=datetime(2026, 10, 1, 16, tzinfo=zone),
    )
    event = Event.objects.get(pk=event.pk)
    assert read(event, "title", "kk") == "Дипломатия туралы дәріс"
    assert read(event, "title", "ru") == "A lecture on diplomacy"
    events.update_event(actor=SYSTEM, event=event, title_ru="Лекция о дипломатии")
    event.refresh_from_db()
    assert read(event, "title", "ru") == "Лекция о дипломатии"
    assert read(event, "title", "en") == "A lecture on diplomacy"


def test_countries_keep_their_reference_names_and_read_in_the_readers_language() -> None:
    kazakhstan = Country.objects.get(alpha2="KZ")
    assert read(kazakhstan, "name", "en") == "Kazakhstan"
    assert read(kazakhstan, "name", "ru") == "Казахстан"
    assert read(kazakhstan, "name", "kk") == "Қазақстан"
    without_kazakh = Country(alpha2="ZZ", alpha3="ZZZ", name_en="Testland", name_ru="Тестия")
    assert read(without_kazakh, "name", "kk") == "Testland"  # English first
    russian_only = Country(alpha2="ZZ", alpha3="ZZZ", name_ru="Тестия")
    assert read(russian_only, "name", "kk") == "Тестия"  # then any filled language


def test_a_persons_name_shows_in_the_script_of_the_readers_language() -> None:
    both = Person(
        given_name="Aigerim",
        family_name="Suyunova",
        given_name_cyrl="Айгерим",
        family_name_cyrl="Суюнова",
    )
    assert read(both, "name", "en") == "Aigerim Suyunova"
    assert read(both, "name", "ru") == "Айгерим Суюнова"
    assert read(both, "name", "kk") == "Айгерим Суюнова"
    latin_only = Person(given_name="John", family_name="Smith")
    assert read(latin_only, "name", "ru") == "John Smith"
    cyrillic_only = Person(given_name_cyrl="Иван", family_name_cyrl="Петров")
    assert read(cyrillic_only, "name", "en") == "Иван Петров"
    # A preferred name wins in its own script; the reader's script wins when it is known.
    preferred = Person(
        given_name="Aigerim",
        family_name="Suyunova",
        display_name="Aika S.",
        given_name_cyrl="Айгерим",
        family_name_cyrl="Суюнова",
    )
    assert read(preferred, "name", "en") == "Aika S."
    assert read(preferred, "name", "ru") == "Айгерим Суюнова"
    preferred_only = Person(display_name="Aika S.")
    assert read(preferred_only, "name", "kk") == "Aika S."
