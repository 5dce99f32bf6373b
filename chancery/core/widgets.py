"""Date and date-time inputs that read the same whatever the browser's language.

A browser draws `<input type="date">` in its own locale (an American Chrome shows 09/01/2011
for 1 September), so a reader of a Russian page on an English browser sees a third form. These
are text inputs instead: the value is written in the page language's first input format
(en 2011-09-01, ru and kk 01.09.2011), the format is shown under the input and tied to it with
aria-describedby, and the form field parses the language's DATE_INPUT_FORMATS (ISO always
counts too, Django adds it).
"""

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import pgettext

# strftime directives of the input formats and what the reader types for each, as a hint.
_HINT_PARTS = {
    "%d": lambda: pgettext("date format hint: day", "DD"),
    "%m": lambda: pgettext("date format hint: month", "MM"),
    "%Y": lambda: pgettext("date format hint: year", "YYYY"),
    "%H": lambda: pgettext("date format hint: hours", "HH"),
    "%M": lambda: pgettext("date format hint: minutes", "MM"),
}


def format_hint(input_format: str) -> str:
    """`input_format` (e.g. '%d.%m.%Y') as the reader's letters: ДД.ММ.ГГГГ, КК.АА.ЖЖЖЖ."""
    hint = input_format
    for directive, part in _HINT_PARTS.items():
        hint = hint.replace(directive, part())
    return hint


class _TextDateInput:
    """The shared rendering of both inputs: a text input and its format under it."""

    input_type = "text"
    template_name = "core/widgets/date.html"
    format_key: str

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget = context["widget"]
        input_format = self.format or formats.get_format(self.format_key)[0]  # type: ignore[attr-defined]
        widget["format_hint"] = format_hint(input_format)
        widget["attrs"].setdefault("autocomplete", "off")
        if widget["attrs"].get("id"):
            widget["hint_id"] = f"{widget['attrs']['id']}_format"
            described = widget["attrs"].get("aria-describedby", "")
            widget["attrs"]["aria-describedby"] = f"{described} {widget['hint_id']}".strip()
        return context


class DateInput(_TextDateInput, forms.DateInput):
    format_key = "DATE_INPUT_FORMATS"


class DateTimeInput(_TextDateInput, forms.DateTimeInput):
    format_key = "DATETIME_INPUT_FORMATS"
