"""`chancery db_worker`: django-tasks-db's worker, made to outlive the database and its peers.

The upstream worker stops for good on any database error but a lock, and a job it was running
stays "running". This one logs one line when the database goes away, waits (1 s, doubling up to
30 s) and takes up its loop again when it is back, first failing the jobs it was running when
the connection broke. A thread runs the periodic tasks that are due (`schedule.run_due`: the
reaping of jobs whose worker died elsewhere, clean-ups) every SCHEDULE_EVERY_SECONDS; each runs
once a period however many workers run. Options are the upstream command's.
"""

import contextlib
import logging
import threading
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from chancery.core import jobs, schedule
from chancery.core.checks import secret_key_problem

logger = logging.getLogger("chancery.worker")

SCHEDULE_EVERY_SECONDS = 30.0
BACKOFF_MAX_SECONDS = 30.0


def _scheduler(stopped: threading.Event) -> None:
    """The periodic tasks (chancery/core/schedule.py), the reaping of dead jobs among them."""
    try:
        while not stopped.wait(SCHEDULE_EVERY_SECONDS):
            with contextlib.suppress(DatabaseError):
                schedule.run_due()
    finally:
        connections.close_all()


class ResilientWorker(upstream.Worker):
    """The upstream worker's loop, taken up again after a database outage."""

    def run(self) -> None:
        stopped = threading.Event()
        threading.Thread(target=_scheduler, args=(stopped,), name="schedule", daemon=True).start()
        backoff, away_since = 1.0, None
        try:
            while self.running:
                try:
                    if away_since is not None:
                        self._fail_interrupted()
                        logger.warning(
                            "Database reachable again after %.0f s; worker %s goes on",
                            time.monotonic() - away_since,
                            self.worker_id,
                        )
                        away_since, backoff = None, 1.0
                    super().run()
                    return  # --batch or --max-tasks: done
                except (OperationalError, InterfaceError) as error:
                    self.running_task = False
                    connections.close_all()
                    self.startup_delay = False
                    if isinstance(error, OperationalError) and is_locked_database_exception(error):
                        time.sleep(0.5)  # a writer holds SQLite: it will let go
                        continue
                    if away_since is None:
                        away_since = time.monotonic()
                        logger.error(
                            "Database unreachable (%s); worker %s waits for it",
                            str(error).strip().splitlines()[0]
                            if str(error)
                            else type(error).__name__,
                            self.worker_id,
                        )
                    time.sleep(backoff)
                    backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)
        finally:
            stopped.set()

    def _fail_interrupted(self) -> None:
        """Jobs this process was running when the database went away ran no further."""
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        ids = [
            str(result.pk)
            for result in running.only("id", "worker_ids")
            if self.worker_id in result.worker_ids
        ]
        jobs.fail_interrupted(task_ids=ids, now=timezone.now())


class Command(upstream.Command):
    help = "Run the background jobs; survives a database outage and reaps dead workers' jobs."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = secret_key_problem()
        if problem:
            raise CommandError(problem)
        # The upstream command builds its module's `Worker`: ours takes its place for this run.
        original = upstream.Worker
        upstream.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original  # type: ignore[misc]
