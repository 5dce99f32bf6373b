"""`chancery export LIST --format csv|xlsx [--output FILE] [--user USERNAME]`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts.models import User
from chancery.reports import exports


class _Everything:
    """The command line is trusted like a superuser, unless --user says whose view to take."""

    is_superuser = True
    is_authenticated = True
    person_id = None


class Command(BaseCommand):
    help = "Export a list (people, enrolments, placements, agreements) as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("list", choices=sorted(exports.LISTS))
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--user", help="export only what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        user: Any = _Everything()
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"user: no user {options['user']!r}.")
        chunks = exports.export(options["list"], options["format"], user)
        if options["output"]:
            with Path(options["output"]).open("wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            return
        binary = getattr(self.stdout._out, "buffer", None)
        if binary is not None and self.stdout._out is sys.stdout:
            for chunk in chunks:
                binary.write(chunk)
            binary.flush()
        elif options["format"] == "csv":
            for chunk in chunks:
                self.stdout.write(chunk.decode(), ending="")
        else:
            raise CommandError("output: an XLSX file needs --output FILE or a redirected stdout.")
