"""The verifier's findings read as translated sentences on the pages (lottery.py itself stays
one English, standard-library file for the public)."""

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from chancery.core.actors import SYSTEM
from chancery.draws import lottery, services, wording
from chancery.draws.tests.test_views import _published

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_every_finding_of_the_verifier_has_a_sentence() -> None:
    source = Path(lottery.__file__).read_text()
    codes = set(re.findall(r'Problem\(\s*"(\w+)"', source))
    assert len(codes) > 12
    assert codes <= set(wording.FINDINGS), codes - set(wording.FINDINGS)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "ru",
            "Жеребьёвка проведена {day}, до того как стало известно значение источника "
            "«Dice» (известно {known}): проводивший мог выбрать значения сам.",
        ),
        (
            "kk",
            "Жеребе {day} күні, «Dice» ({known} белгілі болды) көзінің мәні жария "
            "болғанға дейін өткізілген: оны өткізген адам мәндерді өзі таңдай алған.",
        ),
    ],
)
def test_a_draw_conducted_too_early_is_told_in_the_readers_language(
    cast: Any, language: str, sentence: str
) -> None:
    early = dict(_published(cast).record, conducted_at="2029-12-31T23:00:00+05:00")
    (found,) = lottery.verify_record(early)
    assert found.code == "conducted_early"
    with translation.override(language):
        text = wording.problem(found)
        expected = sentence.format(
            day=wording.wording.day("2029-12-31"), known=wording.wording.day("2030-01-01")
        )
    assert text == expected
    assert not LATIN_WORD.search(text.replace("Dice", "")), text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_verification_page_shows_no_english_finding(cast: Any, language: str) -> None:
    record = dict(_published(cast).record)
    del record["values"]
    record["fingerprint"] = "0" * 64
    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    page = client.post("/draws/verify/", {"record": json.dumps(record)}).content.decode()
    with translation.override(language):
        expected = [wording.problem(found) for found in lottery.verify_record(record)]
    assert len(expected) == 2
    for text in expected:
        assert not LATIN_WORD.search(re.sub(r"[0-9a-f]{64}|«[^»]*»|“[^”]*”", "", text)), text
        assert text.replace("«", "&laquo;").replace("»", "&raquo;") in page or text in page
    assert "missing field" not in page and "fingerprint mismatch" not in page


@pytest.mark.parametrize(
    ("language", "schools", "embassies"),
    [("ru", "Школы", "Посольства"), ("kk", "Мектептер", "Елшіліктер")],
)
def test_the_pairing_lists_are_named_in_the_readers_language(
    cast: Any, language: str, schools: str, embassies: str
) -> None:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="Pairing",
        kind="pair",
        left_label="Schools",
        right_label="Embassies",
        left=["S1"],
        right=["E1"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-01"}],
    )
    client = Client(headers={"Accept-Language": language})
    client.force_login(cast.alice)
    page = client.get(f"/draws/{draw.pk}/").content.decode()
    assert f"<h2>{schools}</h2>" in page and f"<h2>{embassies}</h2>" in page
    assert ">Schools<" not in page and ">Embassies<" not in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_what_an_officer_enters_is_refused_in_their_language(cast: Any, language: str) -> None:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="Pairing",
        kind="pair",
        left=["S1", "S2"],
        right=["E1", "E2"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-01"}],
    )
    draw = services.announce_draw(actor=cast.alice, draw=draw, on=date(2029, 1, 1))
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.conduct_draw(
            actor=cast.alice, draw=draw, values=["12,5"], at=datetime(2030, 1, 1, 9, tzinfo=UTC)
        )
    (text,) = refused.value.message_dict["values"]
    assert "Dice" in text and "12,5" in text
    assert not LATIN_WORD.search(text.replace("Dice", "")), text
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.create_draw(
            actor=cast.alice,
            owner=cast.academy,
            title="Pairing",
            kind="pair",
            left=["S1", " S1 "],
            right=["E1"],
            sources=[],
        )
    (text,) = refused.value.message_dict["left"]
    assert "S1" in text and not LATIN_WORD.search(text.replace("S1", "")), text


def test_a_pairing_prepared_in_russian_keeps_english_list_names_for_every_reader(cast: Any) -> None:
    from chancery.directory import services as directory
    from chancery.programmes import services as programmes

    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="outreach", name_en="Outreach"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="2030", year=2030
    )
    for name, role in (("School A", "school"), ("Embassy X", "embassy")):
        organisation = directory.create_organisation(actor=SYSTEM, name_en=name, kind=role)
        programmes.add_participation(
            actor=cast.alice, edition=edition, organisation=organisation, role=role
        )
    with translation.override("ru"):
        draw = programmes.prepare_pairing_draw(actor=cast.alice, edition=edition)
    assert (draw.left_label, draw.right_label) == ("Schools", "Embassies")
    client = Client()
    client.force_login(cast.alice)
    for language, schools, embassies in (
        ("en", "Schools", "Embassies"),
        ("ru", "Школы", "Посольства"),
        ("kk", "Мектептер", "Елшіліктер"),
    ):
        page = client.get(f"/draws/{draw.pk}/", headers={"accept-language": language})
        assert f"<h2>{schools}</h2>" in page.content.decode(), language
        assert f"<h2>{embassies}</h2>" in page.content.decode(), language


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        ("Школы", "en", "Schools"),  # a draw prepared in Russian before the names were keys
        ("Мектептер", "ru", "Школы"),
        (" embassies ", "kk", "Елшіліктер"),
        ("Lycées partenaires", "ru", "Lycées partenaires"),  # the organiser's own name, as typed
        ("", "kk", "Сол жақ тізім"),
        ("", "en", "Left list"),
    ],
)
def test_a_list_name_is_ours_in_the_readers_language_or_the_organisers_as_typed(
    stored: str, language: str, shown: str
) -> None:
    with translation.override(language):
        assert wording.list_label(stored, "left") == shown
