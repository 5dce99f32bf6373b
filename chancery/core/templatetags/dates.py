"""`{{ value|iso_day }}`: a day kept as ISO text (a draw's published record) in the reader's
one date format, as `{{ day|date }}` shows a date: «1 Sep 2011», «01.09.2011»."""

from datetime import date

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def iso_day(value: object) -> str:
    """`value` ('2011-09-01' or a date) as DATE_FORMAT; other text is shown as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    return "" if value is None else str(value)
