"""Field types the API schemas share: bounded text, ids, codes."""

from enum import StrEnum
from typing import Annotated

from django.conf import settings
from pydantic import AfterValidator, Field, StringConstraints

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def Text(max_length: int) -> type[str]:
    """A string of at most `max_length` characters, stripped, without NUL characters."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        AfterValidator(_no_nul),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: The languages Chancery speaks (settings.LANGUAGES), as a choice.
Language = StrEnum("Language", {code: code for code, _name in settings.LANGUAGES})
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]


def text_of(attribute: str) -> staticmethod:  # type: ignore[type-arg]
    """A schema resolver giving a per-language text field, "" where that language is empty
    (django-modeltranslation keeps an untranslated field as NULL)."""

    def resolve(obj: object) -> str:
        return getattr(obj, attribute, None) or ""

    return staticmethod(resolve)
