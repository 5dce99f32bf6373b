"""A message of a pure engine as data: a code, its parameters and the English reading.

Pure standard-library code: no Django.  The engines (eligibility, lifecycle, Model UN rules)
say *what* happened as a :class:`Message`; the app that shows it words it in the reader's
language from ``code`` and ``params`` (its ``wording`` module), resolving names on the way (a
seat key to its country's name, a country code to the country).  ``text`` is the English
sentence for logs, the command line and tests; it is never what a page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Message", "message"]


@dataclass(frozen=True, slots=True)
class Message:
    """``code`` names the sentence; ``params`` are its values (str, int, date, tuples of them,
    or nested messages); ``text`` is the English reading."""

    code: str
    params: Mapping[str, object] = field(hash=False, compare=True)
    text: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.text or self.code


def message(code: str, english: str, /, **params: object) -> Message:
    """A message with read-only parameters."""
    return Message(code=code, params=MappingProxyType(dict(params)), text=english)
