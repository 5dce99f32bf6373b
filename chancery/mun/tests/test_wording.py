"""The Model UN engine's refusals reach the chair as translated sentences naming the
delegation's country in the chair's language, never a seat key or English."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chancery.core.messages import message
from chancery.mun import rules, services, wording
from chancery.mun.tests.factories import Mun
from chancery.mun.tests.test_services import _open

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ru", "{country} уже в списке выступающих."),
        ("kk", "{country} сөз сөйлеушілер тізімінде бар."),
    ],
)
def test_a_delegation_already_on_the_list_is_named_in_the_chairs_language(
    mun: Mun, language: str, sentence: str
) -> None:
    session = _open(mun)
    services.add_speaker(
        session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
    )
    with translation.override(language):
        country = str(mun.japan.delegation.country)
        with pytest.raises(ValidationError) as refused:
            services.add_speaker(
                session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
            )
    (text,) = refused.value.messages
    assert text == sentence.format(country=country)
    assert country not in ("Japan", "") and mun.japan.key not in text
    assert not LATIN_WORD.search(text), text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_vote_the_rules_refuse_is_worded_without_english(mun: Mun, language: str) -> None:
    error = rules.RuleError(
        message("absent_voter", "s1 is not present and may not vote", delegation=mun.poland.key)
    )
    with translation.override(language):
        text = wording.refusal(error)
        assert str(mun.poland.delegation.country) in text
    assert not LATIN_WORD.search(text), text


def test_every_refusal_of_the_engine_has_a_sentence() -> None:
    source = Path(rules.__file__).read_text()
    codes = set(re.findall(r'_refusal\(\s*"(\w+)"', source)) | {"other"}
    assert len(codes) > 40
    assert codes <= set(wording.REFUSALS), codes - set(wording.REFUSALS)


def test_the_majority_of_a_motion_is_named_in_the_readers_language(cast: Any) -> None:
    with translation.override("ru"):
        text = wording.majority(rules.UN4MUN.procedural_majority)
    assert text and not LATIN_WORD.search(text), text
