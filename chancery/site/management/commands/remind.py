"""`chancery remind [--on YYYY-MM-DD]`: send the day's reminders now (for cron).

The same reminders the schedule sends once a day (site/reminders.py, `send-reminders`): a
placement starting within a week, an evaluation due or overdue, a final report due, an agreement
ending within 90 days, a commitment behind. Each is sent once, by its key, so running this as
often as you like, beside the workers' schedule, sends nothing twice.
"""

from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from chancery.site.reminders import remind


class Command(BaseCommand):
    help = "Send the day's reminders (each is sent once, however often this runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", metavar="YYYY-MM-DD", help="remind as of this day instead of today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["on"]:
            try:
                day = date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"--on: {options['on']!r} is not a date (YYYY-MM-DD).") from None
            now = timezone.make_aware(datetime.combine(day, time(12)))
        self.stdout.write(remind(now))
