"""`chancery enrolment show|move|place`: the enrolment lifecycle from the command line."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts.access import authorise_command, command_user, is_officer
from chancery.core.access import signed_in
from chancery.directory.models import Organisation
from chancery.programmes import queries, services, wording
from chancery.programmes.models import Enrolment, EnrolmentState


def _enrolment(value: str) -> Enrolment:
    if not value.isdigit() or len(value) > 18:
        raise CommandError(f"enrolment: {value!r} is not an enrolment number.")
    enrolment = Enrolment.objects.select_related("person", "edition").filter(pk=int(value)).first()
    if enrolment is None:
        raise CommandError(f"enrolment: there is no enrolment #{value}.")
    return enrolment


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{field}: {value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Show an enrolment, move it through its lifecycle, or place the participant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="act as this user, with their rights on the web; recorded in the audit trail",
        )
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("show", help="state, eligibility and placements")
        show.add_argument("enrolment")
        move = actions.add_parser("move", help="move to another state")
        move.add_argument("enrolment")
        move.add_argument("target", choices=EnrolmentState.values)
        move.add_argument("--reason", default="", help="needed for withdrawals and overrides")
        place = actions.add_parser("place", help="place a selected participant")
        place.add_argument("enrolment")
        place.add_argument("host", type=int, help="host organisation id")
        place.add_argument("start", help="YYYY-MM-DD")
        place.add_argument("--end", default=None, help="default: the programme's duration")
        place.add_argument("--department", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_user(options["username"])
        enrolment = _enrolment(options["enrolment"])
        # The enrolment page's rule for `show`, the state and place forms' for the others.
        if options["action"] == "show":
            authorise_command(
                actor,
                signed_in,
                queries.enrolments_visible_to,
                enrolment.pk,
                f"see enrolment #{enrolment.pk}",
            )
        else:
            authorise_command(
                actor,
                is_officer,
                queries.enrolments_managed_by,
                enrolment.pk,
                f"{options['action']} enrolment #{enrolment.pk}",
            )
        try:
            if options["action"] == "move":
                enrolment = services.change_state(
                    actor=actor,
                    enrolment=enrolment,
                    target=options["target"],
                    reason=options["reason"],
                )
            elif options["action"] == "place":
                host = Organisation.objects.filter(pk=options["host"]).first()
                if host is None:
                    raise CommandError(f"host: there is no organisation #{options['host']}.")
                department = None
                if options["department"] is not None:
                    department = Organisation.objects.filter(pk=options["department"]).first()
                    if department is None:
                        raise CommandError(
                            f"department: there is no organisation #{options['department']}."
                        )
                services.place(
                    actor=actor,
                    enrolment=enrolment,
                    host=host,
                    department=department,
                    start=_date(options["start"], "start"),
                    end=_date(options["end"], "end") if options["end"] else None,
                )
                enrolment.refresh_from_db()
        except ValidationError as error:
            raise CommandError(
                " ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            ) from None
        self.stdout.write(
            f"#{enrolment.pk} {enrolment.person} — {enrolment.edition}: {enrolment.state}"
        )
        for check in enrolment.eligibility:
            mark = "..." if check.get("pending") else "ok " if check["passed"] else "NO "
            self.stdout.write(f"  {mark}{wording.stored_check(check)}")
        for placement in enrolment.placements.select_related("host"):
            self.stdout.write(
                f"  placed at {placement.host} {placement.start}–{placement.end} "
                f"({placement.status})"
            )
