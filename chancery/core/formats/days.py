"""A day in the reader's one date form («1 Sep 2011», «01.09.2011»), also from ISO text.

Records kept as text (a draw's published record, its sources' `known_on`) hold days as ISO
'2011-09-01'; a page or a message shows them as DATE_FORMAT, like any date.
"""

from datetime import date

from django.utils import formats


def day_text(value: date | str | None) -> str:
    """`value` ('2011-09-01' or a date) as DATE_FORMAT; other text is returned as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    return str(formats.date_format(day, "DATE_FORMAT"))
