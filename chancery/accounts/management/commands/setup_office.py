"""`chancery setup-office`: the first step of a fresh installation, without the Django admin."""

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts import services
from chancery.directory.models import Country, OrganisationKind

PASSWORD_VARIABLE = "CHANCERY_OFFICER_PASSWORD"  # noqa: S105 - the variable's name


class Command(BaseCommand):
    help = (
        "Create the first office (the organisation that runs the programmes) and its first "
        "officer, on an installation that has none. The password is read from "
        f"--password-file, else ${PASSWORD_VARIABLE}, else asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="the office's name (in English)")
        parser.add_argument(
            "--kind",
            default=OrganisationKind.ACADEMY,
            choices=OrganisationKind.values,
            help="what the office is (default: academy)",
        )
        parser.add_argument("--country", default="", help="ISO alpha-2 code, e.g. KZ")
        parser.add_argument("--username", required=True, help="the officer's user name")
        parser.add_argument("--email", required=True, help="the officer's e-mail address")
        parser.add_argument(
            "--password-file", type=Path, help="a file whose first line is the officer's password"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        country = None
        if options["country"]:
            country = Country.objects.filter(alpha2=options["country"].upper()).first()
            if country is None:
                raise CommandError(f"--country: no country with the code {options['country']!r}.")
        password = self._password(options["password_file"])
        try:
            office, user = services.setup_office(
                name=options["name"].strip(),
                kind=options["kind"],
                country=country,
                username=options["username"].strip(),
                email=options["email"].strip(),
                password=password,
            )
        except ValidationError as error:
            raise CommandError(_sentences(error)) from None
        self.stdout.write(
            f"Office {office} (#{office.pk}) is set up; {user.username} is its "
            "officer. Sign in and invite everyone else from the people's pages."
        )

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(
                    f"--password-file: cannot read {path}: {error.strerror}."
                ) from None
            if not lines or not lines[0]:
                raise CommandError(f"--password-file: {path} is empty.")
            return lines[0]
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        if not sys.stdin.isatty():
            raise CommandError(
                f"password: give --password-file or set {PASSWORD_VARIABLE} "
                "(there is no terminal to ask on)."
            )
        first = getpass.getpass("Password for the officer: ")
        if first != getpass.getpass("The same password again: "):
            raise CommandError("password: the two passwords differ.")
        return first


def _sentences(error: ValidationError) -> str:
    """The error as "field: message" sentences, as every command reports bad input."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    field = {
        "name": "--name",
        "kind": "--kind",
        "name_en": "--name",
        "username": "--username",
        "email": "--email",
        "password": "password",
    }
    return " ".join(
        f"{field.get(key, key)}: {' '.join(texts)}" for key, texts in error.message_dict.items()
    )
