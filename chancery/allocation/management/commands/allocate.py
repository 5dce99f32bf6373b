"""`chancery allocate run ROUND --preview|--commit`: allocation rounds from the command line."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.accounts.access import authorise_command, command_user, is_officer
from chancery.allocation import queries, services
from chancery.allocation.models import Round, RoundKind, RoundStatus
from chancery.core.jobs import TerminalProgress


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Preview (compute and print the statistics) or commit an allocation round."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="act as this user, with their rights on the web; recorded in the audit trail",
        )
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="preview or commit a round")
        run.add_argument("round", help="the round's number")
        mode = run.add_mutually_exclusive_group(required=True)
        mode.add_argument(
            "--preview",
            action="store_true",
            help="compute the stable allocation and print its statistics",
        )
        mode.add_argument(
            "--commit", action="store_true", help="place the applicants of the stored preview"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_user(options["username"])
        value = options["round"]
        round = (
            Round.objects.filter(pk=int(value)).first()
            if value.isdigit() and len(value) < 19
            else None
        )
        if round is None:
            raise CommandError(f"round: there is no allocation round #{value}.")
        # The round page's run and commit buttons' rule.
        authorise_command(
            actor,
            is_officer,
            queries.rounds_managed_by,
            round.pk,
            f"{'preview' if options['preview'] else 'commit'} allocation round #{round.pk}",
        )
        bar = TerminalProgress(unit="steps")  # drawn on stderr when it is a terminal
        bar(0, 1, "computing the stable allocation" if options["preview"] else "placing")
        try:
            if options["preview"]:
                round = services.run_round(actor=actor, round=round)
            else:
                round = services.commit_round(actor=actor, round=round)
            bar(1, 1, "done")
        except ValidationError as error:
            raise CommandError(_message(error)) from None
        finally:
            bar.finish()
        stats = queries.statistics(round)
        self.stdout.write(
            f"Round #{round.pk} {round.title} ({round.get_kind_display()}): "
            f"{round.get_status_display()}"
        )
        problems = queries.stability_problems(round) or []
        self.stdout.write(
            "stability check: "
            + (
                "; ".join(problems)
                if problems
                else "stable (no blocking pair, no host over capacity, only acceptable pairs)"
            )
        )
        if stats is not None:
            self.stdout.write(
                f"applicants: {stats.applicants}\nplaced: {stats.placed}\n"
                f"unplaced: {stats.unplaced}\nplaces: {stats.seats}\n"
                f"first choice: {stats.first_choice} ({stats.share_first_choice:.0%})\n"
                f"top 3: {stats.top3} ({stats.share_top3:.0%})"
            )
        if round.kind == RoundKind.COUNTRIES and round.status == RoundStatus.COMMITTED:
            for assignment in round.country_assignments.select_related("school", "country"):
                self.stdout.write(f"{assignment.school}: {assignment.country}")
