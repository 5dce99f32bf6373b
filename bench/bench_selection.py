"""Benchmark: the selection ranking page of an edition with 10 000 applications, 3 reviews each.

A throw-away database (SQLite, and PostgreSQL side by side: BENCH_SELECTION_DATABASE_URL,
by default postgres://postgres@127.0.0.1:5432/chancery_bench_selection, dropped and created
again; "off" skips it) gets one edition with 10 000 eligible applications, a committee
of 12 reviewers and a rubric of 4 criteria; every application has 3 submitted reviews (30 000
reviews, 120 000 scores), written with bulk_create. The officer's ranking page is then
requested through Django's test client (the whole middleware, view, query and template path;
no network server), on the first pages, a middle page, the last page and the shortlist.
Printed: p50/p95/max latency of the page (target p95 < 200 ms) and its number of queries,
which must not grow with the number of applications.

Run ``python -m bench selection``; it runs itself in a child process per database (``python
bench/bench_selection.py --child URL``), because it sets Django up on its own database.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APPLICATIONS = 10_000
REVIEWS = 3
REVIEWERS = 12
CRITERIA = 4
REQUESTS = 200
TARGET_P95_MS = 200.0
SEED = 15


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _build() -> tuple[Any, Any]:
    from decimal import Decimal

    from django.utils import timezone

    from chancery.accounts.models import Role, RoleAssignment, User
    from chancery.directory.models import Organisation, Person
    from chancery.programmes.models import Edition, Enrolment, Programme
    from chancery.selection.models import (
        Assignment,
        Candidacy,
        Criterion,
        Panel,
        Reviewer,
        Score,
    )

    rng = random.Random(SEED)
    office = Organisation.objects.create(name_en="Bench Academy", kind="academy")
    officer = User.objects.create_user(username="bench-officer")
    RoleAssignment.objects.create(user=officer, role=Role.OFFICER, organisation=office)
    programme = Programme.objects.create(name_en="JPO", kind="internship", owner=office)
    edition = Edition.objects.create(programme=programme, name="JPO 2028", year=2028, capacity=40)
    people = Person.objects.bulk_create(
        [
            Person(owner=office, given_name=f"Given{i}", family_name=f"Family{i}")
            for i in range(APPLICATIONS)
        ],
        batch_size=2000,
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(edition=edition, person=p, state="eligible") for p in people], batch_size=2000
    )
    panel = Panel.objects.create(edition=edition)
    users = User.objects.bulk_create([User(username=f"reviewer{i}") for i in range(REVIEWERS)])
    reviewers = Reviewer.objects.bulk_create([Reviewer(panel=panel, user=u) for u in users])
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(panel=panel, name_en=f"Criterion {i}", weight=1 + i % 3, position=i)
            for i in range(CRITERIA)
        ]
    )
    candidacies = Candidacy.objects.bulk_create(
        [Candidacy(panel=panel, enrolment=e, shortlisted=rng.random() < 0.05) for e in enrolments],
        batch_size=2000,
    )
    weights = sum(c.weight for c in criteria)
    now = timezone.now()
    assignments, values = [], []
    for index, candidacy in enumerate(candidacies):
        for k in range(REVIEWS):
            scores = [rng.randint(1, 5) for _ in criteria]
            weighted = (
                Decimal(sum(s * c.weight for s, c in zip(scores, criteria, strict=True))) / weights
            )
            assignments.append(
                Assignment(
                    candidacy=candidacy,
                    reviewer=reviewers[(index + k) % REVIEWERS],
                    weighted=weighted.quantize(Decimal("0.001")),
                    submitted_at=now,
                )
            )
            values.append(scores)
    assignments = Assignment.objects.bulk_create(assignments, batch_size=2000)
    Score.objects.bulk_create(
        [
            Score(assignment=a, criterion=c, value=v)
            for a, scores in zip(assignments, values, strict=True)
            for c, v in zip(criteria, scores, strict=True)
        ],
        batch_size=5000,
    )
    return officer, edition


POSTGRES = "postgres://postgres@127.0.0.1:5432/chancery_bench_selection"


def child(database_url: str = "") -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="chancery-bench-selection-"))
    try:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        os.environ["CHANCERY_VAR_DIR"] = str(folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
        import django
        from django.core.management import call_command

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        officer, edition = _build()
        built_s = time.perf_counter() - started
        client = Client(HTTP_HOST="localhost")
        client.force_login(officer)
        url = reverse("selection:ranking", kwargs={"edition_pk": edition.pk})
        pages = APPLICATIONS // 50
        targets = [f"{url}?page={n}" for n in (1, 2, 3, pages // 2, pages)] + [
            f"{url}?shortlisted=1"
        ]
        client.get(targets[0])  # warm the caches of the first request
        times: list[float] = []
        queries = []
        for n in range(REQUESTS):
            target = targets[n % len(targets)]
            with CaptureQueriesContext(connection) as captured:
                begun = time.perf_counter()
                response = client.get(target)
                times.append((time.perf_counter() - begun) * 1000)
            if response.status_code != 200:
                raise AssertionError(f"{target} answered {response.status_code}")
            queries.append(len(captured))
        p95 = _percentile(times, 95)
        return {
            "name": "selection.ranking",
            "applications": APPLICATIONS,
            "reviews": APPLICATIONS * REVIEWS,
            "requests": REQUESTS,
            "database": connection.display_name,
            "built_s": round(built_s, 1),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(max(times), 1),
            "queries_min": min(queries),
            "queries_max": max(queries),
            "target_p95_ms": TARGET_P95_MS,
            "target_ok": p95 < TARGET_P95_MS,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(database_url: str = "") -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", database_url]
    out = subprocess.run(  # noqa: S603
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench_selection child failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run() -> dict[str, Any]:
    """Measure on SQLite, then on PostgreSQL, each in a child process (Django is set up on the
    benchmark's own database there)."""
    runs = [_measure()]
    from bench.bench_web import _postgres  # drops and creates a database named *bench*

    postgres = os.environ.get("BENCH_SELECTION_DATABASE_URL", POSTGRES)
    if postgres != "off":
        _postgres(postgres, "create")
        try:
            runs.append(_measure(postgres))
        finally:
            _postgres(postgres, "drop")
    return {
        "name": "selection.ranking",
        "runs": runs,
        "target_ok": all(r["target_ok"] for r in runs),
    }


def report(figures: dict[str, Any]) -> int:
    """Print the figures of each database side by side; 1 if a target is missed."""
    runs = figures["runs"]
    first = runs[0]
    print(
        f"{figures['name']}: {first['applications']} applications, {first['reviews']} "
        f"reviews, {first['requests']} requests of the ranking page per database "
        f"(target p95 < {TARGET_P95_MS:g} ms)"
    )
    print(f"  {'database':<12}{'built':>9}{'p50':>10}{'p95':>10}{'max':>10}  queries  verdict")
    for r in runs:
        verdict = "OK" if r["target_ok"] else "MISSED"
        print(
            f"  {r['database']:<12}{r['built_s']:>7} s{r['p50_ms']:>7} ms{r['p95_ms']:>7} ms"
            f"{r['max_ms']:>7} ms  {r['queries_min']}–{r['queries_max']:<5}  {verdict}"
        )
    return 0 if figures["target_ok"] else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        given = sys.argv[sys.argv.index("--child") + 1 :]
        print(json.dumps(child(given[0] if given else "")))
    else:
        sys.exit(report(run()))
