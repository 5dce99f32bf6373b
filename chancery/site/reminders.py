"""The day's reminders, sent by the schedule once a day (`send-reminders`), by `chancery remind`
and by the demo: each app's `send_reminders(on=day)`, each reminder once by its key."""

from datetime import datetime, timedelta

from django.utils import timezone

from chancery.agreements.services import send_reminders as agreement_reminders
from chancery.core.schedule import Periodic
from chancery.programmes.services import send_reminders as programme_reminders


def remind(now: datetime) -> str:
    """The day's reminders (placements, evaluations, final reports, agreements, commitments);
    each is sent once, by its key, however often this runs."""
    day = timezone.localdate(now)
    return f"{programme_reminders(on=day) + agreement_reminders(on=day)} reminder(s) sent"


TASK = Periodic("send-reminders", timedelta(days=1), remind)
