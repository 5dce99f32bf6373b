"""`{{ value|iso_day }}`: a day kept as ISO text (a draw's published record) in the reader's
one date form, as `{{ day|date }}` shows a date: «1 Sep 2011», «01.09.2011»."""

from django import template

from chancery.core.formats.days import day_text

register = template.Library()
register.filter("iso_day", day_text)
