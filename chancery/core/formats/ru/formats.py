"""Russian date formats: one form everywhere, «01.09.2011» and «01.09.2011 10:00».

Django's Russian DATE_FORMAT («1 сентября 2011 г.») differs from its SHORT_DATE_FORMAT; the
numeric form is the one Russian documents use and it fits any sentence, whatever the case the
sentence asks of the month. The rest (month names, input formats) comes from Django's ru.
"""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006', the form date inputs show
    "%d.%m.%y",  # '25.10.06'
    "%Y-%m-%d",  # '2006-10-25'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",  # '25.10.2006 14:30', the form date-time inputs show
    "%d.%m.%Y %H:%M:%S",  # '25.10.2006 14:30:59'
    "%d.%m.%y %H:%M",  # '25.10.06 14:30'
    "%Y-%m-%d %H:%M",  # '2006-10-25 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2006-10-25 14:30:59'
]
