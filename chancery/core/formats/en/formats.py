"""English date formats: one unambiguous form everywhere, «1 Sep 2011» and a 24-hour clock.

Django's English defaults are American and differ between DATE_FORMAT («Sept. 1, 2011») and
SHORT_DATE_FORMAT («09/01/2011»); a reader abroad cannot tell 9 January from 1 September. Both
named formats give the same day-month-year here. Input is ISO («2011-09-01») or the displayed
form; the American «09/01/2011» is not accepted, since it reads two ways.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Kazakhstan

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2006-10-25', the form date inputs show
    "%d %b %Y",  # '25 Oct 2006', the form dates are shown in
    "%d %B %Y",  # '25 October 2006'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # '2006-10-25 14:30', the form date-time inputs show
    "%Y-%m-%d %H:%M:%S",  # '2006-10-25 14:30:59'
    "%d %b %Y, %H:%M",  # '25 Oct 2006, 14:30'
    "%d %b %Y %H:%M",  # '25 Oct 2006 14:30'
]
