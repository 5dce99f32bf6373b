"""Plural forms, dates, numbers and ordinals follow the reader's language."""

from datetime import date, datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation
from django.utils.translation import ngettext, pgettext

from chancery.core.formats.ordinals import ordinal

COUNTS = (1, 2, 5, 11, 21, 22, 25)
LOCALE = Path(settings.BASE_DIR) / "locale"

# Real plural strings of the catalogue: (singular, plural, placeholder) and the word expected
# for each count of COUNTS, per language. Russian: 1 and 21 take the first form, 2 and 22 the
# second, 5, 11 and 25 the third; Kazakh nouns stay singular after a numeral.
PLURALS = {
    ("%(counter)s person", "%(counter)s people", "counter"): {
        "ru": ("человек", "человека", "человек", "человек", "человек", "человека", "человек"),
        "kk": ("адам",) * 7,
        "en": ("person", "people", "people", "people", "people", "people", "people"),
    },
    ("%(counter)s organisation", "%(counter)s organisations", "counter"): {
        "ru": (
            "организация",
            "организации",
            "организаций",
            "организаций",
            "организация",
            "организации",
            "организаций",
        ),
        "kk": ("ұйым",) * 7,
    },
    ("%(months)s month", "%(months)s months", "months"): {
        "ru": ("месяц", "месяца", "месяцев", "месяцев", "месяц", "месяца", "месяцев"),
        "kk": ("ай",) * 7,
    },
    ("%(n)s applicant", "%(n)s applicants", "n"): {
        "ru": (
            "заявитель",
            "заявителя",
            "заявителей",
            "заявителей",
            "заявитель",
            "заявителя",
            "заявителей",
        ),
        "kk": ("өтініш беруші",) * 7,
    },
}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("msgids", list(PLURALS))
def test_plural_forms_pick_the_right_word(msgids: tuple[str, str, str], language: str) -> None:
    singular, plural, name = msgids
    expected = PLURALS[msgids].get(language)
    if expected is None:
        pytest.skip("no English expectation for this string")
    with translation.override(language):
        got = [ngettext(singular, plural, n) % {name: n} for n in COUNTS]
    assert got == [f"{n} {word}" for n, word in zip(COUNTS, expected, strict=True)]


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        (
            "ru",
            "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
            "(n%100<12 || n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || "
            "(n%100>=11 && n%100<=14)? 2 : 3);",
        ),
        ("kk", "nplurals=2; plural=(n!=1);"),
    ],
)
def test_the_plural_forms_headers_match_djangos_own_catalogues(language: str, forms: str) -> None:
    # The same expression as Django's catalogue for the language, so both merge into one.
    header = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")).metadata
    assert header["Plural-Forms"] == forms
    django_po = Path(translation.__file__).parent.parent.parent / "conf" / "locale" / language
    django_header = polib.mofile(str(django_po / "LC_MESSAGES" / "django.mo")).metadata
    assert django_header["Plural-Forms"].replace(" ", "") == forms.replace(" ", "")


def test_a_russian_date_reads_10_09_2010_in_every_named_format() -> None:
    with translation.override("ru"):
        assert formats.date_format(date(2010, 9, 10)) == "10.09.2010"
        assert formats.date_format(date(2010, 9, 10), "SHORT_DATE_FORMAT") == "10.09.2010"
        rendered = Template("{{ day|date:'DATE_FORMAT' }}").render(
            Context({"day": date(2026, 3, 8)})
        )
        assert rendered == "08.03.2026"
        assert formats.date_format(date(2026, 3, 1), "YEAR_MONTH_FORMAT") == "Март 2026 г."


@pytest.mark.parametrize(
    ("month", "name"),
    [
        (1, "қаңтар"),
        (2, "ақпан"),
        (3, "наурыз"),
        (4, "сәуір"),
        (5, "мамыр"),
        (6, "маусым"),
        (7, "шілде"),
        (8, "тамыз"),
        (9, "қыркүйек"),
        (10, "қазан"),
        (11, "қараша"),
        (12, "желтоқсан"),
    ],
)
def test_a_kazakh_month_has_the_year_first_and_the_month_in_kazakh(month: int, name: str) -> None:
    with translation.override("kk"):
        assert (
            formats.date_format(date(2010, month, 10), "YEAR_MONTH_FORMAT") == f"2010 жылғы {name}"
        )
        assert formats.date_format(date(2010, month, 10)) == f"10.{month:02}.2010"
        assert pgettext("alt. month", date(2010, month, 1).strftime("%B")) == name


def test_kazakh_short_dates_times_and_numbers() -> None:
    with translation.override("kk"):
        assert formats.date_format(date(2010, 9, 10), "SHORT_DATE_FORMAT") == "10.09.2010"
        assert (
            formats.date_format(datetime(2010, 9, 10, 14, 5), "DATETIME_FORMAT")
            == "10.09.2010 14:05"
        )
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1\xa0234\xa0567,5"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_numbers_follow_the_locale() -> None:
    expected = {"en": "1,234,567.5", "ru": "1\xa0234\xa0567,5", "kk": "1\xa0234\xa0567,5"}
    for language, text in expected.items():
        with translation.override(language):
            assert formats.number_format(1234567.5, 1, force_grouping=True) == text


@pytest.mark.parametrize(
    ("n", "en", "ru", "kk"),
    [
        (1, "1st", "1-й", "1-ші"),
        (2, "2nd", "2-й", "2-ші"),
        (3, "3rd", "3-й", "3-ші"),
        (4, "4th", "4-й", "4-ші"),
        (6, "6th", "6-й", "6-шы"),
        (9, "9th", "9-й", "9-шы"),
        (10, "10th", "10-й", "10-шы"),
        (11, "11th", "11-й", "11-ші"),
        (12, "12th", "12-й", "12-ші"),
        (20, "20th", "20-й", "20-шы"),
        (21, "21st", "21-й", "21-ші"),
        (22, "22nd", "22-й", "22-ші"),
        (50, "50th", "50-й", "50-ші"),
        (100, "100th", "100-й", "100-ші"),
    ],
)
def test_the_allocation_ordinal_in_three_languages(n: int, en: str, ru: str, kk: str) -> None:
    from chancery.allocation.queries import ordinal as allocation_ordinal

    for language, expected in (("en", en), ("ru", ru), ("kk", kk)):
        with translation.override(language):
            assert ordinal(n) == expected
            assert allocation_ordinal(n) == expected


def test_the_ordinal_reads_naturally_inside_the_explanation() -> None:
    msgid = "You got %(host)s (your %(ordinal)s choice)."
    expected = {
        "en": "You got MFA (your 2nd choice).",
        "ru": "Назначено место: MFA (2-й вариант выбора).",
        "kk": "Тағайындалған орын: MFA (2-ші таңдау).",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert translation.gettext(msgid) % {"host": "MFA", "ordinal": ordinal(2)} == text


@pytest.mark.parametrize(
    ("context", "msgid", "ru", "kk"),
    [
        ("verb", "Record", "Записать", "Тіркеу"),
        ("job", "Title", "Должность", "Лауазымы"),
        ("job", "title", "должность", "лауазымы"),
        ("organisation", "Name", "Название", "Атауы"),
        ("change", "Apply", "Применить", "Қолдану"),
        ("application", "Apply", "Подать заявку", "Өтінім беру"),
        ("motion", "Withdrawn", "Отозвано", "Кері қайтарылды"),
    ],
)
def test_ambiguous_short_strings_have_a_context(context: str, msgid: str, ru: str, kk: str) -> None:
    with translation.override("ru"):
        assert pgettext(context, msgid) == ru
        assert translation.gettext(msgid) != ru
    with translation.override("kk"):
        assert pgettext(context, msgid) == kk
