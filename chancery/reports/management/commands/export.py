"""`chancery export LIST --format csv|xlsx [--output FILE] [--as USERNAME]`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts.models import User
from chancery.core.actors import SYSTEM
from chancery.core.jobs import TerminalProgress, start_job
from chancery.core.models import JobKind
from chancery.reports import exports, tasks
from chancery.reports.tasks import counted_rows


class Command(BaseCommand):
    help = "Export a list (people, enrolments, placements, agreements) as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("list", choices=sorted(exports.LISTS))
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--as",
            "--user",  # its earlier name, still understood
            dest="user",
            help="act as this user: export only what they may see on the web",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the export as a background job (run by `chancery "
            "db_worker`) and print its id; `chancery jobs show ID --output "
            "FILE` fetches the file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user: Any = SYSTEM
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"user: no user {options['user']!r}.")
        if options["background"]:
            job = start_job(
                tasks.export_list,
                kind=JobKind.EXPORT,
                title=f"Export of {options['list']} ({options['format'].upper()}, command line)",
                owner=user if user.pk else None,
                name=options["list"],
                fmt=options["format"],
                user_id=user.pk,
            )
            self.stdout.write(str(job.pk))
            self.stderr.write(
                f"Queued as job {job.pk}: `chancery jobs show {job.pk} --output "
                "FILE` fetches the file when a worker (`chancery db_worker`) has "
                "written it."
            )
            return
        if options["output"]:
            chosen = exports.LISTS[options["list"]]
            rows = chosen.rows_for(user)
            bar = TerminalProgress(unit="rows")
            total = rows.count()
            with Path(options["output"]).open("wb") as handle:
                for chunk in exports.render(
                    counted_rows(rows, total, bar), chosen.columns, options["format"]
                ):
                    handle.write(chunk)
            bar.finish()
            return
        chunks = exports.export(options["list"], options["format"], user)
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
