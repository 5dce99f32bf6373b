"""`chancery schedule [--list]`: run the periodic tasks that are due, once (for cron).

Every `db_worker` runs them already; this is for a cron job or a Kubernetes CronJob. Running it
more often than needed, or on several machines, is harmless: each period runs once.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chancery.core import schedule


class Command(BaseCommand):
    help = "Run the periodic tasks that are due (each runs once a period, however often asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="list the tasks and their latest runs instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for entry in schedule.describe():
                latest = entry["latest"]
                seen = (
                    f"{latest.period:%Y-%m-%d %H:%M} {latest.outcome or 'running'}"
                    if latest
                    else "never run"
                )
                self.stdout.write(f"{entry['name']:<22} every {entry['every']}  {seen}")
            return
        ran = schedule.run_due()
        for line in ran:
            self.stdout.write(line)
        if not ran:
            self.stdout.write("Nothing due.")
