"""`chancery person export|erase ID`: a person's personal data from the command line."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts.access import authorise_command, command_user, is_officer
from chancery.directory import queries, services
from chancery.directory.models import Person


def _person(value: str) -> Person:
    if not value.isdigit() or len(value) > 18:
        raise CommandError(f"person: {value!r} is not a person number.")
    person = Person.objects.filter(pk=int(value)).first()
    if person is None:
        raise CommandError(f"person: there is no person #{value}.")
    return person


class Command(BaseCommand):
    help = (
        "Export everything recorded about a person (JSON), or erase their personal data "
        "keeping anonymised statistics."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="act as this user, with their rights on the web; recorded in the audit trail",
        )
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="print the person's data as JSON")
        export.add_argument("person")
        export.add_argument(
            "--output", "-o", default=None, help="write to this file instead of the standard output"
        )
        erase = actions.add_parser("erase", help="anonymise the person (cannot be undone)")
        erase.add_argument("person")
        erase.add_argument(
            "--confirm",
            action="store_true",
            help="required: confirms that the erasure cannot be undone",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_user(options["username"])
        person = _person(options["person"])
        # The personal-data download's and the erase page's rule.
        authorise_command(
            actor,
            is_officer,
            queries.people_editable_by,
            person.pk,
            f"{options['action']} person #{person.pk}",
        )
        if options["action"] == "export":
            text = json.dumps(
                services.export_personal_data(person=person), ensure_ascii=False, indent=2
            )
            if options["output"]:
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
                self.stdout.write(f"Written to {options['output']}.")
            else:
                self.stdout.write(text)
            return
        if not options["confirm"]:
            raise CommandError(
                f"--confirm: erasing #{person.pk} ({person}) cannot be undone; "
                "add --confirm to go ahead (export it first if needed)."
            )
        try:
            erased = services.erase_person(actor=actor, person=person)
        except ValidationError as error:
            raise CommandError("erase: " + " ".join(error.messages)) from None
        self.stdout.write(f"#{erased.pk} is erased: now {erased}.")
