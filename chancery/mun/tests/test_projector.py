"""What the projector's live panel says: empty states as sentences, a long speakers' list cut
to what a hall can read, in the reader's language."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from chancery.mun import queries, services
from chancery.mun.tests.factories import Mun

pytestmark = pytest.mark.django_db


def _panel(mun: Mun, language: str, queue: list[tuple[str, str]] | None = None) -> str:
    session = mun.committee.sessions.filter(status="open").first() or services.open_session(
        committee=mun.committee, actor=mun.chair
    )
    state = queries.session_state(session)
    if queue is not None:
        state.queue = queue
    with translation.override(language):
        return render_to_string(
            "mun/projector.html#live",
            {"state": state, "session": session, "token": session.projector_token},
        )


@pytest.mark.parametrize(
    ("language", "nobody", "empty"),
    [
        ("en", "Nobody holds the floor.", "The list is empty."),
        ("ru", "Слово сейчас ни у кого.", "Список пуст."),
        ("kk", "Қазір ешкімде сөз жоқ.", "Тізім бос."),
    ],
)
def test_an_empty_floor_and_list_are_sentences_not_a_dash_or_a_numbered_item(
    mun: Mun, language: str, nobody: str, empty: str
) -> None:
    panel = _panel(mun, language)
    assert re.search(rf'id="screen-speaker">{re.escape(nobody)}<', panel), panel
    assert f'id="screen-speakers">{empty}<' in panel and "<ol" not in panel


@pytest.mark.parametrize(
    ("language", "more"), [("en", "and 3 more"), ("ru", "и ещё 3"), ("kk", "тағы 3")]
)
def test_a_long_speakers_list_shows_the_first_eight_and_how_many_wait(
    mun: Mun, language: str, more: str
) -> None:
    queue = [(f"g{number}", f"Guest {number}") for number in range(1, 12)]
    panel = _panel(mun, language, queue)
    assert panel.count("<li>") == 8 and "Guest 8<" in panel and "Guest 9<" not in panel
    assert more in panel
    assert 'class="more' in panel
    assert 'class="more' not in _panel(mun, language, queue[:8])
