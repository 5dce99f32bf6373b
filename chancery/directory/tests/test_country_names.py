"""One name per country (#16): the directory's Country rows name each country the same way
in English, Russian and Kazakh (0010_country_display_names fixes where pycountry's disagree),
and the demo's embassies and Model UN delegations read those names."""

import gettext
from io import StringIO

import pycountry
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from chancery.accounts.models import User
from chancery.directory.models import Country, Organisation, OrganisationKind
from chancery.mun.models import Conference

pytestmark = pytest.mark.django_db


def test_the_koreas_and_the_common_names_read_alike_in_three_languages() -> None:
    korea = Country.objects.get(alpha2="KR")
    assert (korea.name_en, korea.name_ru, korea.name_kk) == (
        "Republic of Korea",
        "Республика Корея",
        "Корея Республикасы",
    )
    for code, language, name in (
        ("KR", "ru", "Республика Корея"),
        ("KR", "kk", "Корея Республикасы"),
        ("TR", "en", "Türkiye"),
        ("TR", "ru", "Турция"),
        ("TR", "kk", "Түркия"),
        ("SY", "ru", "Сирия"),
        ("SY", "kk", "Сирия"),
        ("PS", "en", "Palestine"),
    ):
        with translation.override(language):
            assert Country.objects.get(alpha2=code).name == name, (code, language)
    assert not Country.objects.filter(name_en__in=["South Korea", "North Korea"]).exists()


def test_no_country_keeps_an_english_common_name_beside_an_official_translation() -> None:
    """Where pycountry gives a common English name ("Syria"), its Russian and Kazakh are the
    official name's ("Сирийская Арабская Республика"): each such country is in the table."""
    official = {
        lang: gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
        )
        for lang in ("ru", "kk")
    }
    left = []
    for entry in pycountry.countries:
        common = getattr(entry, "common_name", None)
        if not common:
            continue
        country = Country.objects.get(alpha2=entry.alpha_2)
        for lang in ("ru", "kk"):
            long, short = (official[lang].gettext(name) for name in (entry.name, common))
            # (a common name pycountry does not translate says nothing of the language)
            if (
                short not in (common, long)
                and getattr(country, f"name_{lang}") == long
                and country.name_en == common
            ):
                left.append((entry.alpha_2, lang, country.name_en, long))
    assert left == []
    assert not Country.objects.filter(name_en__contains=", State of").exists()


def test_the_demo_embassies_and_delegations_name_their_country_as_the_directory() -> None:
    call_command("demo", stdout=StringIO())
    embassies = Organisation.objects.filter(
        kind=OrganisationKind.EMBASSY, name_en__endswith=" in Kazakhstan"
    )
    assert embassies.count() == 7
    for embassy in embassies.select_related("country"):
        assert embassy.country is not None
        assert embassy.country.name_en in embassy.name_en, embassy.name_en
        assert embassy.name_ru and embassy.name_kk, embassy.name_en
    assert embassies.filter(
        name_en="Embassy of Türkiye in Kazakhstan",
        country="TR",
        name_ru="Посольство Турции в Казахстане",
    ).exists()
    assert embassies.filter(
        name_en="Embassy of the Republic of Korea in Kazakhstan",
        name_kk="Корея Республикасының Қазақстандағы елшілігі",
    ).exists()
    conference = Conference.objects.get()
    client = Client()
    client.force_login(User.objects.get(username="officer"))
    for language, korea, turkey in (
        ("en", "Republic of Korea", "Türkiye"),
        ("ru", "Республика Корея", "Турция"),
        ("kk", "Корея Республикасы", "Түркия"),
    ):
        page = client.get(
            f"/mun/{conference.pk}/", headers={"accept-language": language}
        ).content.decode()
        assert f"<td>{korea}</td>" in page and f"<td>{turkey}</td>" in page, language
        assert "South Korea" not in page and "Turkey" not in page
