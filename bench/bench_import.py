"""Benchmark: import 100 000 people from CSV with chancery.reports.imports (target < 60 s).

A throw-away SQLite database is migrated in a temporary folder (not timed), then a generated
alumni list is imported: a dry run, the commit (parse, validate, write with audit rows, one
transaction; this is the figure judged), and a dry run of the same file again, where every row
must come out unchanged. The list is messy like the real one: Latin and Cyrillic names (some
Cyrillic only), typographic apostrophes in class years, two date formats, citizenships by code
or name, a fifth of the rows without citizenship.

Run ``python bench/bench_import.py [--rows N]``.  ``make bench`` (``python -m bench``) calls
``run()``, which returns the figures as a dict, then ``report()``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROWS = 100_000
TARGET_SECONDS = 60.0
SEED = 20240601

GIVEN = [
    ("Daniyar", "Данияр"),
    ("Aigerim", "Айгерим"),
    ("Firuza", "Фируза"),
    ("Timur", "Тимур"),
    ("Dilnoza", "Дильноза"),
    ("Rustam", "Рустам"),
    ("Asel", "Асель"),
    ("Nurlan", "Нурлан"),
    ("Madina", "Мадина"),
    ("Bakhtiyor", "Бахтиёр"),
    ("Gulnara", "Гульнара"),
    ("Yerlan", "Ерлан"),
    ("Saule", "Сауле"),
    ("Farrukh", "Фаррух"),
    ("Zarina", "Зарина"),
    ("Askar", "Аскар"),
    ("Kamila", "Камила"),
    ("Ruslan", "Руслан"),
    ("Malika", "Малика"),
    ("Arman", "Арман"),
]
FAMILY = [
    ("Suyunov", "Суюнов"),
    ("Nazarova", "Назарова"),
    ("Karimov", "Каримов"),
    ("Rakhimova", "Рахимова"),
    ("Bekov", "Беков"),
    ("Zhaksylykova", "Жаксылыкова"),
    ("Abdullaev", "Абдуллаев"),
    ("Tokayeva", "Токаева"),
    ("Ismoilov", "Исмоилов"),
    ("Omarova", "Омарова"),
    ("Sadykov", "Садыков"),
    ("Yusupova", "Юсупова"),
    ("Mukhametov", "Мухаметов"),
    ("Ergasheva", "Эргашева"),
    ("Kasymov", "Касымов"),
    ("Akhmedova", "Ахмедова"),
    ("Nurmagambetov", "Нурмагамбетов"),
    ("Rashidova", "Рашидова"),
    ("Tursunov", "Турсунов"),
    ("Alieva", "Алиева"),
]
COUNTRIES = [
    "KZ",
    "KZ",
    "KZ",
    "Kazakhstan",
    "Казахстан",
    "TJ",
    "Tajikistan",
    "UZ",
    "UZB",
    "Uzbekistan",
    "KG",
    "Кыргызстан",
    "RU",
    "Russia",
    "AFG",
    "Mongolia",
]
HEADER = (
    "given_name;family_name;given_name_cyrl;family_name_cyrl;email;birth_date;"
    "citizenship;class_year"
)


def make_csv(rows: int, seed: int = SEED) -> bytes:
    """A semicolon CSV with a BOM, as Excel saves it; every row is a distinct person."""
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(rows):
        given, given_cyrl = rng.choice(GIVEN)
        family, family_cyrl = rng.choice(FAMILY)
        script = rng.random()
        if script < 0.1:
            given = family = ""
        elif script < 0.6:
            given_cyrl = family_cyrl = ""
        born = f"{1975 + rng.randrange(30)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        if rng.random() < 0.4:
            year, month, day = born.split("-")
            born = f"{day}.{month}.{year}"
        picked = rng.random()
        if picked < 0.2:
            citizenship = ""
        elif picked < 0.3:
            citizenship = f'"{rng.choice(COUNTRIES)}; {rng.choice(COUNTRIES)}"'
        else:
            citizenship = rng.choice(COUNTRIES)
        graduated = 2000 + rng.randrange(25)
        class_year = rng.choice(
            [str(graduated), f"'{graduated % 100:02d}", f"’{graduated % 100:02d}", ""]
        )
        lines.append(
            ";".join(
                [
                    given,
                    family,
                    given_cyrl,
                    family_cyrl,
                    f"alumnus{i}@example.kz",
                    born,
                    citizenship,
                    class_year,
                ]
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _django(folder: Path) -> None:
    """Set Django up on a fresh SQLite database in `folder` and migrate it."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["CHANCERY_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if Path(connection.settings_dict["NAME"]) != folder / "bench.sqlite3":
        # Settings read before this point keep their database: never import into a real one.
        raise RuntimeError("bench_import needs a fresh process: Django was already set up")
    call_command("migrate", verbosity=0, interactive=False)


def run(rows: int = ROWS) -> dict[str, Any]:
    """Import `rows` generated people into an empty database and return the figures."""
    folder = Path(tempfile.mkdtemp(prefix="chancery-bench-"))
    try:
        _django(folder)
        from chancery.accounts.models import User
        from chancery.core.actors import SYSTEM
        from chancery.directory import services
        from chancery.directory.models import Citizenship, Person
        from chancery.reports import imports

        office = services.create_organisation(actor=SYSTEM, name_en="Bench Academy", kind="academy")
        user = User.objects.create_user(username="bench")
        data = make_csv(rows)

        started = time.perf_counter()
        plan = imports.plan_import(data, "alumni.csv", office=office)
        dry_run = time.perf_counter() - started
        if plan.error_count or len(plan.rows) != rows:
            raise AssertionError(f"the generated file should be clean: {plan.summary()}")

        started = time.perf_counter()
        imports.import_people(data, "alumni.csv", office=office, user=user)
        commit = time.perf_counter() - started
        people = Person.objects.count()
        audited = Person.history.filter(history_user=user).count()
        citizenships = Citizenship.objects.count()
        if people != rows or audited != rows:
            raise AssertionError(f"{people} people and {audited} audit rows for {rows} rows")

        started = time.perf_counter()
        again = imports.plan_import(data, "alumni.csv", office=office)
        reimport = time.perf_counter() - started
        if again.counts["skip"] != rows:
            raise AssertionError(f"re-import should skip every row: {again.summary()}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "name": "reports.import_people",
        "python": sys.version.split()[0],
        "rows": rows,
        "file_mb": round(len(data) / 1e6, 1),
        "citizenships": citizenships,
        "dry_run_s": round(dry_run, 2),
        "commit_s": round(commit, 2),
        "rows_per_s": round(rows / commit),
        "reimport_dry_run_s": round(reimport, 2),
        "target_s": TARGET_SECONDS,
        "target_ok": commit < TARGET_SECONDS,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit status 1 if the commit misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args(argv)
    return report(run(rows=args.rows))


def report(figures: dict[str, Any]) -> int:
    """Print the figures; 1 if the commit misses the target."""
    verdict = "OK" if figures["target_ok"] else "MISSED"
    print(
        f"{figures['name']} {figures['rows']} rows ({figures['file_mb']} MB CSV): commit "
        f"{figures['commit_s']:.1f} s = {figures['rows_per_s']} rows/s (dry run "
        f"{figures['dry_run_s']:.1f} s, re-import dry run {figures['reimport_dry_run_s']:.1f} s; "
        f"target < {TARGET_SECONDS:g} s) {verdict}"
    )
    return 0 if figures["target_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
