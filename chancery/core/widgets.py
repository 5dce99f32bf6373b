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
def _hint_parts() -> dict[str, str]:
    return {
        "%d": pgettext("date format hint: day", "DD"),
        "%m": pgettext("date format hint: month", "MM"),
        "%Y": pgettext("date format hint: year", "YYYY"),
        "%H": pgettext("date format hint: hours", "HH"),
        "%M": pgettext("date format hint: minutes", "MM"),
    }


def format_hint(input_format: str) -> str:
    """`input_format` (e.g. '%d.%m.%Y') as the reader's letters: ДД.ММ.ГГГГ, КК.АА.ЖЖЖЖ."""
    hint = input_format
    for directive, part in _hint_parts().items():
        hint = hint.replace(directive, part)
    return hint


def _show_format(context: dict[str, Any], input_format: str) -> dict[str, Any]:
    """The widget's context with its format hint, tied to the input by aria-describedby."""
    widget = context["widget"]
    widget["format_hint"] = format_hint(input_format)
    widget["attrs"].setdefault("autocomplete", "off")
    if widget["attrs"].get("id"):
        widget["hint_id"] = f"{widget['attrs']['id']}_format"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = f"{described} {widget['hint_id']}".strip()
    return context


class DateInput(forms.DateInput):
    """A day typed as text in the language's input format, the format shown under it."""

    input_type = "text"
    template_name = "core/widgets/date.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        input_format = self.format or str(formats.get_format(self.format_key)[0])
        return _show_format(dict(super().get_context(name, value, attrs)), input_format)


class DateTimeInput(forms.DateTimeInput):
    """A date and time typed as text in the language's input format, the format under it."""

    input_type = "text"
    template_name = "core/widgets/date.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        input_format = self.format or str(formats.get_format(self.format_key)[0])
        return _show_format(dict(super().get_context(name, value, attrs)), input_format)
