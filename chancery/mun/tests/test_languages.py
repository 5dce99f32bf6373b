"""A conference's title, a committee's name and its agenda in English, Russian and Kazakh
(issue #16): the reader sees their language, English where a text is not translated."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chancery.mun import services
from chancery.mun.forms import CommitteeForm, ConferenceForm
from chancery.mun.models import AgendaItem, Committee, Conference, RuleProfile, Session
from chancery.mun.tests.factories import Mun

pytestmark = pytest.mark.django_db

ASSEMBLY = {"en": "General Assembly", "ru": "Генеральная Ассамблея", "kk": "Бас Ассамблея"}
ITEM = {
    "en": "Energy for every school",
    "ru": "Энергия для каждой школы",
    "kk": "Әр мектепке энергия",
}
FINAL = {"en": "Final meeting", "ru": "Финальная встреча", "kk": "Қорытынды кездесу"}


def _client(user: Any = None, language: str = "en") -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _translate(mun: Mun) -> None:
    Conference.objects.filter(pk=mun.conference.pk).update(
        title_ru=FINAL["ru"], title_kk=FINAL["kk"]
    )
    Committee.objects.filter(pk=mun.committee.pk).update(
        name_ru=ASSEMBLY["ru"], name_kk=ASSEMBLY["kk"]
    )
    AgendaItem.objects.filter(committee=mun.committee).update(
        title_ru=ITEM["ru"], title_kk=ITEM["kk"]
    )


def _session(mun: Mun) -> Session:
    session = services.open_session(committee=mun.committee, actor=mun.chair)
    services.set_attendance(
        session_id=session.pk, seat_id=mun.poland.pk, attendance="present", actor=mun.chair
    )
    session.refresh_from_db()
    return session


def _pages(mun: Mun, session: Session, language: str) -> dict[str, str]:
    chair = _client(mun.chair, language)
    anonymous = _client(language=language)
    token = session.projector_token
    return {
        "console": chair.get(reverse("mun:console", args=[session.pk])).content.decode(),
        "projector": anonymous.get(reverse("mun:projector", args=[token])).content.decode(),
        "live": anonymous.get(reverse("mun:projector_live", args=[token])).content.decode(),
        "minutes": chair.get(reverse("mun:minutes", args=[session.pk])).content.decode(),
        "conference": _client(mun.officer, language)
        .get(reverse("mun:conference", args=[mun.conference.pk]))
        .content.decode(),
    }


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_page_shows_the_readers_language(mun: Mun, language: str) -> None:
    _translate(mun)
    session = _session(mun)
    pages = _pages(mun, session, language)
    for page in ("console", "projector", "live", "minutes"):
        assert ITEM[language] in pages[page], page
        assert ITEM["en"] not in pages[page], page
    for page in ("console", "projector", "live", "minutes", "conference"):
        assert ASSEMBLY[language] in pages[page], page
        assert ASSEMBLY["en"] not in pages[page], page
    for page in ("console", "minutes", "conference"):
        assert FINAL[language] in pages[page], page
    assert ITEM[language] in pages["conference"]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_untranslated_text_reads_in_english(mun: Mun, language: str) -> None:
    session = _session(mun)
    pages = _pages(mun, session, language)
    for page in ("console", "projector", "live", "minutes"):
        assert ITEM["en"] in pages[page], page
        assert ASSEMBLY["en"] in pages[page], page
    assert FINAL["en"] in pages["conference"]


def test_the_projector_draws_each_language_from_its_own_screen(mun: Mun) -> None:
    _translate(mun)
    session = _session(mun)
    live = reverse("mun:projector_live", args=[session.projector_token])
    screens = {
        language: _client(language=language).get(live).content.decode()
        for language in ("kk", "en", "ru")
    }
    for language, screen in screens.items():
        assert ASSEMBLY[language] in screen and ITEM[language] in screen, language


def test_the_services_keep_each_language_and_english_is_required(mun: Mun) -> None:
    committee = services.add_committee(
        conference=mun.conference,
        name="Security Council",
        name_ru="Совет Безопасности",
        name_kk="Қауіпсіздік Кеңесі",
        profile=RuleProfile.objects.get(key="un4mun"),
        agenda=["Climate change and sustainable development", "Water"],
        agenda_ru=["Изменение климата и устойчивое развитие"],
        agenda_kk=["Климаттың өзгеруі және орнықты даму", "Су"],
        actor=mun.officer,
    )
    committee.refresh_from_db()
    assert (committee.name_en, committee.name_ru, committee.name_kk) == (
        "Security Council",
        "Совет Безопасности",
        "Қауіпсіздік Кеңесі",
    )
    items = list(committee.agenda.values_list("title_en", "title_ru", "title_kk"))
    assert items == [
        (
            "Climate change and sustainable development",
            "Изменение климата и устойчивое развитие",
            "Климаттың өзгеруі және орнықты даму",
        ),
        ("Water", None, "Су"),
    ]
    history = committee.history.get()
    assert (history.name_en, history.name_ru, history.name_kk) == (
        "Security Council",
        "Совет Безопасности",
        "Қауіпсіздік Кеңесі",
    )
    # Two committees without a Russian name do not clash on the name being unique.
    services.add_committee(
        conference=mun.conference,
        name="Human Rights Council",
        profile=RuleProfile.objects.get(key="un4mun"),
        actor=mun.officer,
    )
    with pytest.raises(ValidationError) as error:
        services.add_committee(
            conference=mun.conference,
            name="ECOSOC",
            profile=RuleProfile.objects.get(key="un4mun"),
            agenda=["Trade"],
            agenda_kk=["Сауда", "Артық"],
            actor=mun.officer,
        )
    assert "agenda_kk" in error.value.message_dict
    assert not ConferenceForm({"title_ru": "Финал"}, editions=Conference.objects.none()).is_valid()
    form = CommitteeForm({"name_ru": "Совет", "profile": committee.profile_id})
    assert not form.is_valid() and "name" in form.errors


def test_an_officer_names_a_conference_and_a_committee_in_three_languages(mun: Mun) -> None:
    officer = _client(mun.officer)
    created = officer.post(
        reverse("mun:conference_create"),
        {
            "edition": mun.outreach.edition.pk,
            "title": "Second final",
            "title_ru": "Второй финал",
            "title_kk": "Екінші финал",
            "day": "2019-05-01",
            "theme": "Water",
            "theme_ru": "Вода",
            "theme_kk": "Су",
            "goal": 6,
        },
    )
    assert created.status_code == 302
    conference = Conference.objects.get(title_en="Second final")
    assert (conference.title_ru, conference.title_kk) == ("Второй финал", "Екінші финал")
    assert (conference.theme_en, conference.theme_ru, conference.theme_kk) == (
        "Water",
        "Вода",
        "Су",
    )
    listed = officer.get("/api/mun/conferences").json()["items"]
    [given] = [c for c in listed if c["id"] == conference.pk]
    assert (given["theme"], given["theme_ru"], given["theme_kk"]) == ("Water", "Вода", "Су")
    added = officer.post(
        reverse("mun:add_committee", args=[conference.pk]),
        {
            "name": "General Assembly",
            "name_kk": "Бас Ассамблея",
            "profile": RuleProfile.objects.get(key="un4mun").pk,
            "agenda": "Clean water\nClean air",
            "agenda_ru": "\nЧистый воздух\n",
            "agenda_kk": "Таза су\nТаза ауа",
        },
    )
    assert added.status_code == 302
    committee = conference.committees.get()
    assert (committee.name_en, committee.name_ru, committee.name_kk) == (
        "General Assembly",
        None,
        "Бас Ассамблея",
    )
    assert list(committee.agenda.values_list("title_en", "title_ru", "title_kk")) == [
        ("Clean water", None, "Таза су"),
        ("Clean air", "Чистый воздух", "Таза ауа"),
    ]
    page = _client(mun.officer, "ru").get(reverse("mun:conference", args=[conference.pk]))
    text = page.content.decode()
    assert "Второй финал" in text and "General Assembly" in text and "Чистый воздух" in text
    assert "Вода" in text and "Water" not in text  # the theme in the reader's language


def test_the_api_gives_every_language(mun: Mun) -> None:
    _translate(mun)
    session = _session(mun)
    for language in ("en", "ru", "kk"):
        client = _client(mun.officer, language)
        listed = client.get("/api/mun/conferences").json()["items"]
        assert [(c["title"], c["title_ru"], c["title_kk"]) for c in listed] == [
            (FINAL["en"], FINAL["ru"], FINAL["kk"])
        ]
        assert (listed[0]["committees"], listed[0]["committees_ru"]) == (
            [ASSEMBLY["en"]],
            [ASSEMBLY["ru"]],
        )
        assert listed[0]["committees_kk"] == [ASSEMBLY["kk"]]
        state = client.get(f"/api/mun/sessions/{session.pk}").json()
        assert (state["committee"], state["committee_ru"], state["committee_kk"]) == (
            ASSEMBLY["en"],
            ASSEMBLY["ru"],
            ASSEMBLY["kk"],
        )
        assert (state["topic"], state["topic_ru"], state["topic_kk"]) == (
            ITEM["en"],
            ITEM["ru"],
            ITEM["kk"],
        )


def test_the_api_gives_an_empty_text_where_none_is_translated(mun: Mun) -> None:
    session = _session(mun)
    client = _client(mun.officer, "kk")
    listed = client.get("/api/mun/conferences").json()["items"]
    assert (listed[0]["title"], listed[0]["title_ru"], listed[0]["title_kk"]) == (
        FINAL["en"],
        "",
        "",
    )
    assert listed[0]["committees_ru"] == [""]
    state = client.get(f"/api/mun/sessions/{session.pk}").json()
    assert (state["committee_kk"], state["topic"], state["topic_kk"]) == ("", ITEM["en"], "")
