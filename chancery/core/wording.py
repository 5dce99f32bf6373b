"""The engines' messages in the reader's language: one translation step for every page.

The pure engines (eligibility, lifecycle, the Model UN rules, the draw verifier) say what
happened as a :class:`chancery.core.messages.Message` (a code and its values).  Each app keeps
one table from code to a translated sentence with named placeholders (its ``wording`` module)
and calls :func:`render` with the values already turned into words (a country code into the
country's name, a seat into its delegation, a date into the language's format).  Messages are
stored as JSON with :func:`to_json` and read back with :func:`from_json`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from chancery.core.formats.days import day_text
from chancery.core.messages import Message


def either(words: Sequence[str]) -> str:
    """'A', 'A or B', 'A, B or C' in the active language."""
    words = [str(word) for word in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def both(words: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' in the active language."""
    words = [str(word) for word in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def day(value: date | str | None) -> str:
    """A date in the active language's format (ISO text is read first)."""
    return day_text(value)


def render(
    message: Message, table: Mapping[str, str | Promise], words: Mapping[str, object] | None = None
) -> str:
    """The message's sentence from the table with ``words`` (defaults: the params as text).

    A code missing from the table falls back to the English reading, so a new engine message
    is never lost; the apps' tests check that every code the engine uses is in its table."""
    sentence = table.get(message.code)
    if sentence is None:
        return message.text or message.code
    values = dict(message.params)
    values.update(words or {})
    return str(sentence) % {key: "" if value is None else value for key, value in values.items()}


def to_json(message: Message) -> dict[str, Any]:
    """A message as JSON (dates as ISO text, tuples as lists, nested messages as objects)."""

    def plain(value: object) -> object:
        if isinstance(value, Message):
            return to_json(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [plain(item) for item in value]
        return value

    return {
        "code": message.code,
        "params": {k: plain(v) for k, v in message.params.items()},
        "text": message.text,
    }


def from_json(data: Mapping[str, Any]) -> Message:
    """The message stored by :func:`to_json` (nested messages come back as messages)."""

    def back(value: object) -> object:
        if isinstance(value, dict) and "code" in value and "params" in value:
            return from_json(value)
        if isinstance(value, list):
            return tuple(back(item) for item in value)
        return value

    params = {key: back(value) for key, value in dict(data.get("params") or {}).items()}
    return Message(code=str(data.get("code", "")), params=params, text=str(data.get("text", "")))


Wording = Callable[[Message], str]
