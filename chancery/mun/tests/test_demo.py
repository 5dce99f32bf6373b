from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from chancery.mun import queries
from chancery.mun.models import Conference, EntryKind, Session


@pytest.mark.django_db
def test_the_demo_holds_the_future_energy_final_with_its_minutes() -> None:
    call_command("demo", stdout=StringIO())
    conference = Conference.objects.get()
    assert (conference.theme, conference.goal_id) == ("Future Energy", 7)
    assembly = conference.committees.get()
    assert assembly.seats.count() == 7
    assert {o.role for o in assembly.officers.all()} == {"chair", "moderator", "guest"}
    session = Session.objects.get()
    assert session.status == "closed"
    speeches = session.minutes.filter(kind=EntryKind.SPEECH)
    assert list(speeches.values_list("seconds", flat=True)) == [115, 98, 120, 87, 104]
    lines = [text for _entry, text in queries.minutes_of(session)]
    assert "Japan spoke for 1:55." in lines
    votes = session.ballots.order_by("opened_at")
    assert [(b.yes, b.no, b.abstain, b.passed) for b in votes] == [(6, 1, 0, True), (5, 1, 1, True)]
    assert session.minutes.first().at.date().isoformat() == "2018-12-14"


@pytest.mark.django_db
def test_the_demo_final_reads_in_russian_and_kazakh() -> None:
    call_command("demo", stdout=StringIO())
    conference = Conference.objects.get()
    assembly = conference.committees.get()
    item = assembly.agenda.get()
    texts = {}
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            texts[language] = (conference.title, assembly.name, item.title)
    assert texts["ru"] == (
        "Модель ООН «Жас дипломат»",
        "Генеральная Ассамблея",
        "Чистая и доступная энергия для каждой школы к 2030 году",
    )
    assert texts["kk"] == (
        "«Жас дипломат» БҰҰ моделі",
        "Бас Ассамблея",
        "2030 жылға қарай әр мектепке таза әрі қолжетімді энергия",
    )
    assert texts["en"][1] == "General Assembly"
    assert (conference.theme_en, conference.theme_ru, conference.theme_kk) == (
        "Future Energy",
        "Энергия будущего",
        "Болашақ энергиясы",
    )
    for model in (conference, assembly, item):
        for language in ("en", "ru", "kk"):
            field = "name" if model is assembly else "title"
            assert getattr(model, f"{field}_{language}"), (model, language)
