"""Kazakh date and number formats; Django ships Kazakh month names but no kk/formats.py.

One date form everywhere, «10.09.2010» and «10.09.2010 14:05»: the numeric form fits any
sentence, where «2010 жылғы 10 қыркүйек» would need the case ending the sentence asks for
(«…қыркүйекке дейін»), which a format cannot add. Months by name are left to the month
headings, year first and in lower case: «2010 жылғы қыркүйек». "E" is the month name Django
translates with the context "alt. month"; the Kazakh catalogue gives it in lower case (listed
below so makemessages keeps those entries). Cyrillic letters are not format characters, so
«жылғы» needs no escaping. Numbers: «1 234 567,5».
"""

from django.utils.translation import pgettext_lazy

DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "Y жылғы E"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006', the form date inputs show
    "%d.%m.%y",  # '25.10.06'
    "%Y-%m-%d",  # '2006-10-25'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",  # '25.10.2006 14:30', the form date-time inputs show
    "%d.%m.%Y %H:%M:%S",  # '25.10.2006 14:30:59'
    "%d.%m.%y %H:%M",  # '25.10.06 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2006-10-25 14:30:59'
    "%Y-%m-%d %H:%M",  # '2006-10-25 14:30'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3

# The month names "E" shows, in the context Django uses; our catalogue translates them.
MONTHS_IN_DATES = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
