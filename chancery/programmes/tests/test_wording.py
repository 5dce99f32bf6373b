"""The eligibility and lifecycle engines' messages, and the rules themselves, read as sentences
in the reader's language, countries and organisations named; the engines stay free of Django."""

import html
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from chancery.accounts.services import create_token
from chancery.directory.models import Country
from chancery.programmes import eligibility, lifecycle, services, wording
from chancery.programmes.tests.conftest import Jpo

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
PURE = (
    "chancery.programmes.eligibility",
    "chancery.programmes.lifecycle",
    "chancery.mun.rules",
    "chancery.draws.lottery",
    "chancery.core.messages",
)


def _name(code: str, language: str) -> str:
    with translation.override(language):
        return Country.objects.get(alpha2=code).name


def _refusal(current: str, target: str, **conditions: object) -> lifecycle.TransitionError:
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.check_transition(current, target, **conditions)  # type: ignore[arg-type]
    return refused.value


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            "Заявку с этапа «завершено» нельзя перевести на этап «заявка подана»: "
            "этап «завершено» окончательный.",
        ),
        (
            "kk",
            "«аяқталды» кезеңіндегі өтінімді «өтінім берілді» кезеңіне ауыстыру мүмкін емес: "
            "«аяқталды» — соңғы кезең.",
        ),
    ],
)
def test_a_lifecycle_refusal_is_a_sentence_in_the_readers_language(
    language: str, expected: str
) -> None:
    error = _refusal("completed", "applied")
    assert error.message.code == "final"
    with translation.override(language):
        assert wording.transition_error(error) == expected


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_lifecycle_refusal_has_no_english(language: str) -> None:
    errors = [
        _refusal("applied", "applied"),
        _refusal("applied", "placed"),
        _refusal("ineligible", "eligible"),
        _refusal("ineligible", "eligible", override=True),
        _refusal("active", "withdrawn"),
        _refusal("nonsense", "applied"),
    ]
    with translation.override(language):
        for error in errors:
            text = wording.transition_error(error)
            assert text != str(error)
            assert not LATIN_WORD.search(text.replace("nonsense", "")), text


CANDIDATE = eligibility.Candidate(
    person_id=1,
    citizenships=frozenset({"AF"}),
    class_year=2004,
    birth_date=date(1990, 5, 1),
    graduate_of=frozenset(),
)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ru", "гражданство: {af}, а не {kz} или {kg}"),
        ("kk", "азаматтығы: {af}, ал {kz} немесе {kg} емес"),
    ],
)
def test_an_eligibility_refusal_names_the_countries_in_the_readers_language(
    language: str, sentence: str
) -> None:
    rule = eligibility.validate_rule("citizenship_in", {"countries": ["KZ", "KG"]})
    decision = eligibility.evaluate([rule], CANDIDATE, host=None, start=None, agreements=[])
    (check,) = decision.failures
    assert check.message.code == "not_citizen_of"
    assert check.message.params["wanted"] == ("KZ", "KG")
    with translation.override(language):
        text = wording.reason(check.message)
        stored = wording.stored_check(wording.stored(check))
    names = {code.lower(): _name(code.upper(), language) for code in ("af", "kz", "kg")}
    assert text == stored == sentence.format(**names)
    assert not LATIN_WORD.search(text), text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_eligibility_reason_is_worded_without_english(language: str) -> None:
    start = date(2028, 9, 1)
    host = eligibility.Host(organisation_id=999_999, name="Host Org", country="KZ", lineage=())
    agreement = eligibility.AgreementFact(
        agreement_id=1,
        title="Мемора",
        party_ids=frozenset({999_999}),
        in_force_from=None,
        in_force_until=None,
        status="draft",
    )
    rules = [
        eligibility.validate_rule("citizenship_in", {"countries": ["AF"]}),
        eligibility.validate_rule("class_year_between", {"min": 2005, "max": 2030}),
        eligibility.validate_rule("age_between", {"min": 21, "max": 30}),
        eligibility.validate_rule("age_between", {"max": 40}),
        eligibility.validate_rule("host_country_is_citizenship", {}),
        eligibility.validate_rule("host_covered_by_agreement", {}),
        eligibility.Rule("no_such_kind", {}),
    ]
    decision = eligibility.evaluate(
        rules, CANDIDATE, host=host, start=start, agreements=[agreement]
    )
    with translation.override(language):
        for check in decision.checks:
            text = wording.reason(check.message).replace("Host Org", "").replace("no_such_kind", "")
            assert text and not LATIN_WORD.search(text), (check.message.code, text)


def test_every_code_of_the_engines_has_a_sentence() -> None:
    for module, tables in (
        (eligibility, (wording.REASONS, wording.RULE_ERRORS)),
        (lifecycle, (wording.TRANSITIONS,)),
    ):
        source = Path(module.__file__ or "").read_text()
        codes = set(re.findall(r'message\(\s*"(\w+)"', source))
        if module is eligibility:  # the bounds' codes are made with f"{kind}_{how}"
            codes |= {
                f"{kind}_{how}"
                for kind in ("class_year", "age")
                for how in ("under", "over", "within", "at_least", "at_most")
            }
        known = set().union(*tables)
        assert len(codes) > 5 and codes <= known, codes - known


@pytest.mark.parametrize(
    ("kind", "params", "start", "english"),
    [
        (
            "citizenship_in",
            {"countries": ["KZ", "KG"]},
            None,
            "Citizen of Kazakhstan or Kyrgyzstan",
        ),
        ("age_between", {"min": 21, "max": 30}, date(2028, 9, 1), "Age 21 to 30 on 1 Sep 2028"),
        ("age_between", {"max": 35}, None, "Age 35 or under on the start date"),
        ("class_year_between", {"min": 2005, "max": None}, None, "Class year 2005 or later"),
        ("manual", {"text": "Speaks Russian"}, None, "Speaks Russian (checked by hand)"),
    ],
)
def test_a_rule_reads_as_a_sentence(
    kind: str, params: dict[str, object], start: date | None, english: str
) -> None:
    with translation.override("en"):
        assert wording.rule_sentence(kind, params, start) == english
    for language in ("ru", "kk"):
        with translation.override(language):
            text = wording.rule_sentence(kind, params, start)
        assert "{" not in text and "'" not in text and "_" not in text
        assert not LATIN_WORD.search(text.replace("Speaks Russian", "")), text
    with translation.override("ru"):
        assert wording.rule_sentence("citizenship_in", {"countries": ["KZ", "KG"]}) == (
            f"Гражданство: {_name('KZ', 'ru')} или {_name('KG', 'ru')}"
        )


def test_the_pure_engines_do_not_import_django() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in PURE)
        + "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_api_gives_each_check_in_the_request_language_with_its_code(
    cast: Any, jpo: Jpo, language: str
) -> None:
    enrolment = services.apply(actor=cast.alice, edition=jpo.edition, person=cast.quinn_person)
    _, secret = create_token(user=cast.alice, name="tests")
    client = Client(headers={"Authorization": f"Bearer {secret}", "Accept-Language": language})
    body = client.get(f"/api/enrolments/{enrolment.pk}").json()
    failed = [check for check in body["eligibility"] if not check["passed"]]
    assert failed and all(check["code"] for check in failed)
    with translation.override(language):
        assert [check["reason"] for check in body["eligibility"]] == [
            wording.stored_check(check) for check in enrolment.eligibility
        ]
    for check in failed:
        assert not LATIN_WORD.search(check["reason"].replace("Test Academy", "")), check
    rules = client.get(f"/api/programmes/{jpo.edition.programme_id}/rules").json()
    assert rules and all(
        rule["sentence"] and not LATIN_WORD.search(rule["sentence"].replace("Test Academy", ""))
        for rule in rules
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_programme_and_edition_pages_list_the_rules_as_sentences(
    cast: Any, jpo: Jpo, language: str
) -> None:
    client = Client(headers={"Accept-Language": language})
    client.force_login(cast.alice)
    programme = jpo.edition.programme
    with translation.override(language):
        sentences = [
            wording.rule_sentence(rule.kind, rule.params)
            for rule in programme.eligibility_rules.all()
        ]
        citizens = wording.rule_sentence("citizenship_in", {"countries": ["KZ", "KG", "AF"]})
    assert citizens in sentences
    for url in (f"/programmes/{programme.pk}/", f"/programmes/editions/{jpo.edition.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        # the kind's code only in the edit form's hidden field, never as text; no raw params
        assert ">citizenship_in" not in page and "citizenship_in —" not in page, url
        assert "{&#x27;" not in page, url
        assert html.escape(citizens) in page or citizens in page, url
