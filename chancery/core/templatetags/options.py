"""`{% options choices selected %}`: the <option> elements of a filter's <select>.

Built in one pass in Python: a list of two hundred countries costs a template loop several
milliseconds a page, and the list pages are the busiest of all.
"""

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def options(choices: Iterable[tuple[Any, Any]], selected: Any = "") -> SafeString:
    """`<option value="…">label</option>` for each (value, label), the selected one marked."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(
        "".join(  # every value and label is escaped
            f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )
