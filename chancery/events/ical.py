"""iCalendar feeds: an edition's public events, and one person's events behind a secret link.

Times are written in the event's own zone (with its VTIMEZONE), so a calendar shows them right
on either side of Asia/Almaty's move from UTC+6 to UTC+5 on 1 March 2024.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from chancery.directory.models import Person
from chancery.events.models import Event

_SALT = "chancery.events.person-feed"
PRODID = "-//Chancery//Outreach events//EN"


def person_token(person: Person) -> str:
    """The secret part of a person's feed address (a signature of their id)."""
    return signing.dumps(person.pk, salt=_SALT, compress=True)


def person_from_token(token: str) -> Person | None:
    try:
        pk = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def feed(events: Iterable[Event], *, name: str, host: str = "chancery") -> bytes:
    """The events as an iCalendar file."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        entry = VEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", event.starts_at.astimezone(event.zone))
        entry.add("dtend", event.ends_at.astimezone(event.zone))
        entry.add("summary", event.title)
        description = " ".join(part for part in (event.description, event.hashtag) if part)
        if description:
            entry.add("description", description)
        if event.venue:
            entry.add("location", event.venue)
        entry.add("categories", [event.get_kind_display()])
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_file(event: Event) -> bytes:
    """One event as an iCalendar file (for an e-mail), with the UID the feeds give it."""
    host = urlsplit(settings.SITE_URL).hostname or "chancery"
    return feed([event], name=str(event), host=host)
