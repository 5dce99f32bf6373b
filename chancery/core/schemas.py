"""Field types the API schemas share: bounded text, ids, codes."""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from django.conf import settings
from pydantic import AfterValidator, Field, StringConstraints

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


@dataclass(frozen=True)
class Bounded(GroupedMetadata):
    """`Annotated[str, Bounded(n)]`: a string of at most `n` characters, stripped, without NUL
    characters (metadata on `str` rather than a type made by a call, so mypy reads it)."""

    max_length: int

    def __iter__(self) -> Iterator[object]:
        yield from StringConstraints(strip_whitespace=True, max_length=self.max_length)
        yield AfterValidator(_no_nul)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: The languages Chancery speaks (settings.LANGUAGES), as a choice.
Language = StrEnum(  # type: ignore[misc]  # mypy cannot see members read from settings
    "Language", {code: code for code, _name in settings.LANGUAGES}
)
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]


#: A django-ninja `resolve_<field>` static method, declared `ClassVar[Resolver]` on a schema.
type Resolver = staticmethod[[object], str]


def text_of(attribute: str) -> Resolver:
    """A schema resolver giving a per-language text field, "" where that language is empty
    (django-modeltranslation keeps an untranslated field as NULL)."""

    def resolve(obj: object) -> str:
        return getattr(obj, attribute, None) or ""

    return staticmethod(resolve)


def unset(**constraints: Any) -> Any:
    """The default of a field of a PATCH body: not given. Its value is never read (bodies are
    dumped with `exclude_unset`), and a JSON null is still refused unless the type allows it."""
    return Field(None, **constraints)
