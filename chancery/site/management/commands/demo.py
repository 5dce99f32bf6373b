"""`chancery demo`: load the demo data into an empty database (does nothing otherwise)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from chancery.accounts import demo as accounts_demo
from chancery.calls import demo as calls_demo
from chancery.directory import demo as directory_demo
from chancery.directory.models import Organisation
from chancery.draws import demo as draws_demo
from chancery.events import demo as events_demo
from chancery.mun import demo as mun_demo
from chancery.programmes import demo as programmes_demo
from chancery.selection import demo as selection_demo
from chancery.site.reminders import remind


class Command(BaseCommand):
    help = "Load the demo data (the three source programmes) if the database holds none."

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            self.stdout.write("The database already holds data; the demo is not loaded again.")
            return
        with transaction.atomic():
            directory = directory_demo.build()
            logins = accounts_demo.build(directory)
            programmes = programmes_demo.build(directory)
            draw = draws_demo.build(directory, edition=programmes["outreach"])
            programmes_demo.pair(programmes["outreach"], draw)
            events_demo.build(directory, programmes["outreach"])
            mun_demo.build(directory, programmes["outreach"])
            logins += calls_demo.build()  # the coming JPO edition's open call, applications
            logins += selection_demo.build()  # its committee, reviewing them and others
            # Today's reminders, as the daily schedule sends them: the inboxes' latest entries
            # (the e-mails wait in the outbox for a worker).
            remind(timezone.now())
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (user / password):")
        for username, password, description in logins:
            self.stdout.write(f"  {username:<12} {password:<15} {description}")
