"""`chancery bench-data --scale N`: build the synthetic benchmark data set (see site/benchdata)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.site import benchdata


class Command(BaseCommand):
    help = (
        "Build a synthetic national-scale data set for benchmarks: at --scale 1, 100 000 people, "
        "5 000 organisations, 20 years of editions of six programmes, 300 000 enrolments, "
        "50 000 events and 1 000 000 attendance records (--scale 0.01 for a small one). Rows are "
        "written in bulk, so no audit-history rows are recorded for them (the pairing draws "
        "excepted). Refuses a database that already holds people, organisations or programmes "
        "unless --force is given, which adds the data set next to them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 for the national scale; fractions for smaller sets.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=benchdata.SEED,
            help="Random seed; the same seed and year give the same data.",
        )
        parser.add_argument(
            "--final-year",
            type=int,
            default=None,
            help="Year of the last of the 20 editions (default: this year).",
        )
        parser.add_argument("--batch-size", type=int, default=benchdata.BATCH)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the data set even though the database holds data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 20:
            raise CommandError("--scale must be more than 0 and at most 20.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        held = benchdata.database_holds_data()
        if held and not options["force"]:
            found = ", ".join(f"{n} {name}" for name, n in held.items())
            raise CommandError(
                f"This database already holds data ({found}). bench-data is meant for an empty "
                "database: point DATABASE_URL at a new one and run `chancery migrate`, or pass "
                "--force to add the synthetic data next to what is there."
            )
        want = benchdata.targets(scale)
        self.stdout.write(
            f"Building the benchmark data set at scale {scale:g}: {want['people']} people, "
            f"{want['organisations']} organisations, {want['enrolments']} enrolments, "
            f"{want['events']} events, {want['attendances']} attendance records."
        )
        counts = benchdata.build(
            scale,
            seed=options["seed"],
            final_year=options["final_year"],
            batch_size=options["batch_size"],
            log=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS("Benchmark data set built:"))
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:<32} {n:>9}")
