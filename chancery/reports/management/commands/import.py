"""`chancery import people FILE [--dry-run] [--office ID] [--as USERNAME] [--background]`.

In a terminal the rows' progress is drawn on standard error as they are checked.
"""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts.models import Role, User
from chancery.core.actors import SYSTEM
from chancery.core.jobs import TerminalProgress, start_job
from chancery.core.models import JobKind
from chancery.directory.models import Organisation
from chancery.directory.queries import offices_of
from chancery.programmes.queries import programmes_managed_by
from chancery.reports import imports, tasks

ERRORS_NAMED = 5


def _columns_help() -> str:
    width = max(len(name) for name, _ in imports.COLUMNS)
    lines = [f"  {name:<{width}}  {text}" for name, text in imports.COLUMNS]
    return (
        "columns (header row, English names, any case; other columns are ignored):\n"
        + "\n".join(lines)
        + "\n\nRows are matched with the office's records by e-mail, else name and birth date, "
        "else name and class year.\nEmpty cells never erase; a file with any error is refused "
        "as a whole.\nExit status: 0 when every row is fine, 1 when a row has an error."
    )


class Command(BaseCommand):
    help = "Import people (with citizenships, an affiliation and an enrolment) from CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        people = kinds.add_parser(
            "people",
            help="import a people list",
            epilog=_columns_help(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            description="Check every row, print its outcome, and (without --dry-run) write all "
            "rows in one transaction.",
        )
        people.add_argument("file", help="a .csv (UTF-8; comma or semicolon) or .xlsx file")
        people.add_argument(
            "--dry-run", action="store_true", help="print each row's outcome and write nothing"
        )
        people.add_argument(
            "--office",
            type=int,
            help="id of the office that keeps the records (needed when several "
            "offices have officers)",
        )
        people.add_argument(
            "--as",
            "--user",  # its earlier name, still understood
            dest="user",
            help="act as this user, with their rights on the web: recorded in the audit "
            "trail, limited to their offices and programmes",
        )
        people.add_argument(
            "--background",
            action="store_true",
            help="queue the import as a background job (run by `chancery "
            "db_worker`), print its id and return; `chancery jobs show ID` "
            "follows it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"file: cannot read {path}: {error.strerror}.") from None
        user = self._user(options["user"])
        office = self._office(options["office"], user)
        programmes = programmes_managed_by(user) if user else None
        if options["background"]:
            self._enqueue(data, path.name, office, user, commit=not options["dry_run"])
            return
        bar = TerminalProgress(unit="rows")
        try:
            plan = imports.plan_import(
                data, path.name, office=office, programmes=programmes, progress=bar
            )
        except imports.ImportFileError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.finish()
        self._print(plan)
        self._refuse_errors(plan)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        bar = TerminalProgress(unit="rows written")
        try:
            plan = imports.import_people(
                data,
                path.name,
                office=office,
                user=user or SYSTEM,  # without --as: an administrator's command, the system
                programmes=programmes,
                progress=bar,
            )
        except imports.ImportRefused as refused:  # the records changed since the dry run
            bar.finish()
            self._print(refused.plan)
            self._refuse_errors(refused.plan)
        finally:
            bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {office}: {plan.counts['create']} created, "
                f"{plan.counts['update']} updated, {plan.counts['skip']} unchanged."
            )
        )

    def _enqueue(
        self, data: bytes, filename: str, office: Organisation, user: User | None, *, commit: bool
    ) -> None:
        title = f"{'Import' if commit else 'Dry run'} of {filename} (command line)"
        job = start_job(
            tasks.import_people,
            kind=JobKind.IMPORT,
            title=title,
            owner=user,
            office=office,
            input_name=tasks.keep_input(data, filename),
            filename=filename,
            office_id=office.pk,
            user_id=user.pk if user else None,
            commit=commit,
        )
        self.stdout.write(str(job.pk))
        self.stderr.write(
            f"Queued as job {job.pk}: `chancery jobs show {job.pk}` follows it "
            "(a worker runs it: `chancery db_worker`)."
        )

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"user: no user {username!r}.")
        return user

    def _office(self, office_id: int | None, user: User | None) -> Organisation:
        candidates = (
            offices_of(user)
            if user
            else Organisation.objects.filter(role_assignments__role=Role.OFFICER).distinct()
        )
        if office_id is not None:
            office = Organisation.objects.filter(pk=office_id).first()
            if office is None:
                raise CommandError(f"office: no organisation #{office_id}.")
            if user is not None and not candidates.filter(pk=office_id).exists():
                raise CommandError(f"office: {user} is not an officer of {office}.")
            return office
        found = list(candidates[:2])
        if len(found) != 1:
            raise CommandError("office: give --office ID, the office that keeps the records.")
        return found[0]

    def _print(self, plan: imports.ImportPlan) -> None:
        for warning in plan.file_warnings:
            self.stdout.write(f"warning: {warning}")
        self.stdout.write(f"{'row':>6}  {'outcome':<7}  {'record':<8}  name")
        for row in plan.rows:
            self.stdout.write(f"{row.number:>6}  {row.outcome:<7}  {row.target:<8}  {row.name}")
            for field, reason in row.errors:
                self.stdout.write(f"{'':>8}error: {field}: {reason}")
            for warning in row.warnings:
                self.stdout.write(f"{'':>8}warning: {warning}")
            for change in row.changes:
                self.stdout.write(f"{'':>8}{change}")
        self.stdout.write(plan.summary())

    def _refuse_errors(self, plan: imports.ImportPlan) -> None:
        if not plan.error_count:
            return
        errors = list(plan.errors())
        named = "; ".join(
            f"row {number}, {field}: {reason}" for number, field, reason in errors[:ERRORS_NAMED]
        )
        more = f"; and {len(errors) - ERRORS_NAMED} more" if len(errors) > ERRORS_NAMED else ""
        rows = (
            "1 row has an error"
            if plan.error_count == 1
            else (f"{plan.error_count} rows have errors")
        )
        raise CommandError(f"{rows}, nothing was imported: {named}{more}.")
