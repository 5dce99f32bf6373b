"""An agreement's title and its signatories' titles per language (#16): the pages and the API
read the reader's language, English where that language is empty; the forms and the API write
each; the export keeps its English title column."""

import csv
import io
from datetime import date
from typing import Any

import pytest

from chancery.agreements import services
from chancery.agreements.models import Agreement, Party
from chancery.directory.models import Person

TITLES = {
    "title": "Memorandum of cooperation",
    "title_ru": "Меморандум о сотрудничестве",
    "title_kk": "Өзара ынтымақтастық туралы меморандум",
}
SIGNATORY = {
    "signatory_title": "Ambassador Extraordinary and Plenipotentiary",
    "signatory_title_ru": "Чрезвычайный и Полномочный Посол",
    "signatory_title_kk": "Төтенше және Өкілетті Елші",
}


def _signatory(cast: Any) -> Person:
    return Person.objects.get(pk=cast.intern.pk)


def _agreement(cast: Any, titles: dict[str, Any], signatory: dict[str, Any]) -> Agreement:
    return services.create_agreement(
        actor=cast.alice,
        owner=cast.academy,
        kind="memorandum",
        signed_on=date(2020, 1, 15),
        parties=[{"organisation": cast.ministry, "signatory": _signatory(cast), **signatory}],
        **titles,
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_pages_show_the_readers_language(cast: Any, language: str) -> None:
    agreement = _agreement(cast, TITLES, SIGNATORY)
    client = cast.client_for(cast.alice)
    detail = client.get(
        f"/agreements/{agreement.pk}/", headers={"accept-language": language}
    ).content.decode()
    assert TITLES[f"title_{language}"] in detail
    assert SIGNATORY[f"signatory_title_{language}"] in detail
    assert TITLES["title"] not in detail and SIGNATORY["signatory_title"] not in detail
    listed = client.get("/agreements/", headers={"accept-language": language}).content.decode()
    assert TITLES[f"title_{language}"] in listed and TITLES["title"] not in listed


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_pages_fall_back_to_english(cast: Any, language: str) -> None:
    agreement = _agreement(
        cast, {"title": TITLES["title"]}, {"signatory_title": SIGNATORY["signatory_title"]}
    )
    client = cast.client_for(cast.alice)
    detail = client.get(
        f"/agreements/{agreement.pk}/", headers={"accept-language": language}
    ).content.decode()
    assert TITLES["title"] in detail and SIGNATORY["signatory_title"] in detail
    listed = client.get("/agreements/", headers={"accept-language": language}).content.decode()
    assert TITLES["title"] in listed


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_api_takes_and_gives_each_language(cast: Any, language: str) -> None:
    client = cast.client_for(cast.alice)
    party = {"organisation": cast.ministry.pk, "signatory": cast.intern.pk, **SIGNATORY}
    created = client.post(
        "/api/agreements",
        {**TITLES, "kind": "memorandum", "signed_on": "2020-01-15", "parties": [party]},
        content_type="application/json",
        headers={"accept-language": language},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {name: body[name] for name in TITLES} == TITLES
    assert {name: body["parties"][0][name] for name in SIGNATORY} == SIGNATORY
    agreement = Agreement.objects.get(pk=body["id"])
    assert agreement.title_en == TITLES["title"]
    assert agreement.parties.get().signatory_title_en == SIGNATORY["signatory_title"]
    again = client.get(
        f"/api/agreements/{body['id']}", headers={"accept-language": language}
    ).json()
    assert {name: again[name] for name in TITLES} == TITLES


def test_the_list_sorts_by_the_title_of_the_readers_language(cast: Any) -> None:
    # English order: Alpha, Beta; Russian order: «Альфа» (Beta), «Бета» (Alpha).
    for english, russian in (("Alpha", "Бета"), ("Beta", "Альфа"), ("Gamma", "")):
        _agreement(cast, {"title": english, "title_ru": russian}, {})
    client = cast.client_for(cast.alice)

    def order(language: str) -> list[str]:
        page = client.get("/agreements/", {"sort": "title"}, headers={"accept-language": language})
        return [str(a.title_en) for a in page.context["agreements"]]

    assert order("en") == ["Alpha", "Beta", "Gamma"]
    # Gamma has no Russian title: it sorts by its English one (Latin letters before Cyrillic).
    assert order("ru") == ["Gamma", "Beta", "Alpha"]


def test_the_api_gives_empty_texts_for_a_language_not_written(cast: Any) -> None:
    agreement = _agreement(
        cast, {"title": TITLES["title"]}, {"signatory_title": SIGNATORY["signatory_title"]}
    )
    body = cast.client_for(cast.alice).get(f"/api/agreements/{agreement.pk}").json()
    assert (body["title"], body["title_ru"], body["title_kk"]) == (TITLES["title"], "", "")
    party = body["parties"][0]
    assert party["signatory_title"] == SIGNATORY["signatory_title"]
    assert party["signatory_title_ru"] == party["signatory_title_kk"] == ""


def test_the_forms_write_each_language_whatever_the_readers(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    form = {"kind": "memorandum", "owner": cast.academy.pk, "renewal": "none"}
    created = client.post("/agreements/new/", {**form, **TITLES}, headers={"accept-language": "kk"})
    assert created.status_code == 302, created.content.decode()[:2000]
    agreement = Agreement.objects.get(title_en=TITLES["title"])
    assert (agreement.title_ru, agreement.title_kk) == (TITLES["title_ru"], TITLES["title_kk"])
    edit = client.get(f"/agreements/{agreement.pk}/edit/", headers={"accept-language": "ru"})
    assert edit.context["form"].initial["title"] == TITLES["title"]
    assert edit.context["form"].initial["title_kk"] == TITLES["title_kk"]
    assert "Название на казахском" in edit.content.decode()
    added = client.post(
        f"/agreements/{agreement.pk}/parties/",
        {"organisation": cast.ministry.pk, "signatory": cast.intern.pk, **SIGNATORY},
        headers={"accept-language": "ru"},
    )
    assert added.status_code == 302
    party = Party.objects.get(agreement=agreement)
    assert (party.signatory_title_en, party.signatory_title_ru, party.signatory_title_kk) == (
        tuple(SIGNATORY.values())
    )
    page = client.get(f"/agreements/{agreement.pk}/", headers={"accept-language": "ru"})
    assert "Должность подписанта на казахском" in page.content.decode()


def test_the_export_keeps_the_english_title(cast: Any) -> None:
    _agreement(cast, TITLES, SIGNATORY)
    response = cast.client_for(cast.alice).get(
        "/reports/export/agreements.csv", headers={"accept-language": "ru"}
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [row["title"] for row in rows] == [TITLES["title"]]
    assert "title_ru" not in rows[0]


def test_the_demo_gives_every_agreement_and_signatory_a_russian_and_a_kazakh_title(
    db: object,
) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", stdout=StringIO())
    assert Agreement.objects.exists()
    for agreement in Agreement.objects.all():
        assert agreement.title_ru and agreement.title_kk, agreement.title_en
        assert agreement.title_en not in (agreement.title_ru, agreement.title_kk)
    for party in Party.objects.exclude(signatory_title_en=""):
        assert party.signatory_title_ru and party.signatory_title_kk, party.signatory_title_en


SUMMARIES = {
    "summary": "Signed in Astana.",
    "summary_ru": "Подписано в Астане.",
    "summary_kk": "Астанада қол қойылды.",
}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_summary_is_kept_per_language_on_every_path(cast: Any, language: str) -> None:
    client = cast.client_for(cast.alice)
    form = {"kind": "memorandum", "owner": cast.academy.pk, "renewal": "none"}
    created = client.post(
        "/agreements/new/", {**form, **TITLES, **SUMMARIES}, headers={"accept-language": language}
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    agreement = Agreement.objects.get(title_en=TITLES["title"])
    assert (agreement.summary_en, agreement.summary_ru, agreement.summary_kk) == tuple(
        SUMMARIES.values()
    )
    detail = client.get(f"/agreements/{agreement.pk}/", headers={"accept-language": language})
    assert SUMMARIES[f"summary_{language}"] in detail.content.decode()
    assert SUMMARIES["summary"] not in detail.content.decode()
    edit = client.get(f"/agreements/{agreement.pk}/edit/", headers={"accept-language": language})
    assert edit.context["form"].initial["summary"] == SUMMARIES["summary"]
    body = client.get(f"/api/agreements/{agreement.pk}").json()
    assert (body["summary"], body["summary_ru"], body["summary_kk"]) == tuple(SUMMARIES.values())
