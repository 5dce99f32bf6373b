"""`chancery draw verify RECORD.json` (as lottery.py verifies) and `chancery draw export ID`."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.draws import lottery, wording
from chancery.draws.models import Draw


class Command(BaseCommand):
    help = "Verify a published draw record, or export a draw's record as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="recompute a record; exit 0 if it matches")
        verify.add_argument("record", help="path to the JSON record")
        export = actions.add_parser("export", help="print a published draw's record")
        export.add_argument("draw_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            draw = Draw.objects.filter(pk=options["draw_id"]).exclude(record=None).first()
            if draw is None:
                raise CommandError(f"draw_id: no announced draw #{options['draw_id']}.")
            self.stdout.write(json.dumps(draw.record, ensure_ascii=False, indent=2))
            return
        path = Path(options["record"])
        try:
            record = lottery.read_record(path.read_bytes())
        except OSError as error:
            raise CommandError(f"record: cannot read {path}: {error.strerror}.") from None
        except lottery.RecordReadError as error:
            raise CommandError(f"record: {path} cannot be verified: {error}.") from None
        problems = lottery.verify_record(record)
        if problems:
            for problem in problems:
                self.stderr.write(f"MISMATCH: {wording.problem(problem)}")
            sys.exit(1)
        assert isinstance(record, dict)
        self.stdout.write(
            self.style.SUCCESS(
                "OK: the record verifies (fingerprint, time of conduct, key, result)."
            )
        )
        for line in lottery.describe(record):
            self.stdout.write(line)
