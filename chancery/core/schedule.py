"""Periodic work, run once a period however many workers run it.

Each task has a period; `run_due` claims the current period of each task by inserting a
`ScheduledRun` row, which a unique constraint lets only one process insert: a second worker (or
a cron job on another machine) finds it taken and skips. Every `db_worker` calls `run_due`
every 30 seconds, so nothing else is needed; `chancery schedule` runs it once, for a cron job
or a Kubernetes CronJob where workers are not long-lived. A run that fails is logged and its
outcome recorded; the next period tries again.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from chancery.core import jobs
from chancery.core.models import Job, JobStatus, ScheduledRun

logger = logging.getLogger("chancery.schedule")

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    run: Callable[[datetime], str]  # the time of the run -> the outcome, in a few words


def reap(now: datetime) -> str:
    """Fail the running jobs whose worker died."""
    return f"{jobs.reap_dead_jobs(now=now)} job(s) of dead workers failed"


def clean_old_jobs(now: datetime) -> str:
    """Forget finished jobs older than JOB_RESULTS_DAYS: their rows, files and queue rows."""
    from django_tasks_db.models import DBTaskResult

    cutoff = now - timedelta(days=settings.JOB_RESULTS_DAYS)
    old = Job.objects.filter(
        status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED), finished_at__lt=cutoff
    )
    files = 0
    for name in old.exclude(file="").values_list("file", flat=True).iterator():
        if default_storage.exists(name):
            default_storage.delete(name)
            files += 1
    task_ids = [task_id for task_id in old.values_list("task_id", flat=True) if task_id]
    removed, _by_model = old.delete()
    DBTaskResult.objects.filter(
        pk__in=task_ids, status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    ).delete()
    return f"{removed} old job(s) and {files} file(s) removed"


def clean_scheduled_runs(now: datetime) -> str:
    """Keep a month of the schedule's own records."""
    removed, _by_model = ScheduledRun.objects.filter(period__lt=now - timedelta(days=31)).delete()
    return f"{removed} old record(s) of scheduled runs removed"


# Core's own tasks; each app adds its own in its AppConfig.ready() (`register`): notifications
# its mail sweeps, the site the daily reminders, so this module names no app.
TASKS: list[Periodic] = [
    Periodic("reap-dead-jobs", timedelta(minutes=1), reap),
    Periodic("clean-old-jobs", timedelta(days=1), clean_old_jobs),
    Periodic("clean-scheduled-runs", timedelta(days=1), clean_scheduled_runs),
]


def register(task: Periodic) -> None:
    """Add a periodic task to the schedule (once: a second registration of its name is ignored)."""
    if all(known.name != task.name for known in TASKS):
        TASKS.append(task)


def period_of(moment: datetime, every: timedelta) -> datetime:
    """The start of the period of length `every` that `moment` falls in (from a fixed epoch)."""
    return EPOCH + every * ((moment - EPOCH) // every)


def _claim(name: str, period: datetime) -> ScheduledRun | None:
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(name=name, period=period)
    except IntegrityError:
        return None  # another process has this period


def run_due(*, now: datetime | None = None, tasks: Sequence[Periodic] | None = None) -> list[str]:
    """Run each task whose current period nobody has claimed yet; what ran, and how it went."""
    now = now or timezone.now()
    tasks = TASKS if tasks is None else tasks
    ran = []
    for task in tasks:
        claimed = _claim(task.name, period_of(now, task.every))
        if claimed is None:
            continue
        try:
            outcome = task.run(now)
        except Exception as error:  # recorded and logged; the next period tries again
            logger.exception("Scheduled task %s failed", task.name)
            outcome = f"failed: {type(error).__name__}: {error}"
        ScheduledRun.objects.filter(pk=claimed.pk).update(
            finished_at=timezone.now(), outcome=outcome[:300]
        )
        ran.append(f"{task.name}: {outcome}")
    return ran


def describe(tasks: Sequence[Periodic] | None = None) -> list[dict[str, Any]]:
    """The tasks and their latest runs, for the command line."""
    tasks = TASKS if tasks is None else tasks
    return [
        {
            "name": t.name,
            "every": t.every,
            "latest": ScheduledRun.objects.filter(name=t.name).order_by("-period").first(),
        }
        for t in tasks
    ]
