"""Background jobs: start one, report its progress, record its outcome.

A long piece of work is a Django task (`django.tasks`, queued in the database by django-tasks-db
and run by `chancery db_worker`) wrapped by `job_task`, which keeps the `Job` row up to date:
running, `done` of `total` with a message, then the result (a summary, a file in
default_storage) or the error, as a sentence for the owner and never a traceback.

    @task()
    @job_task
    def export_list(job, progress, *, name, fmt): ...

    job = start_job(export_list, kind=JobKind.EXPORT, title=..., owner=user, name=..., fmt=...)

Progress is written at most every half second. Work that runs inside a transaction (an import
is all or nothing) cannot show its progress through its own connection, since nobody else sees
the transaction until it commits: on PostgreSQL the progress goes through a second connection;
SQLite has one writer at a time, so there the progress inside a transaction waits for the end.
The same `progress(done, total, message)` callable drives the command line's bar
(`TerminalProgress`).

A worker can die in the middle of a job (killed, its machine lost). While a job runs, a thread
writes the job's `heartbeat_at` every HEARTBEAT_SECONDS; `reap_dead_jobs` fails a running job
not heard from for DEAD_AFTER_SECONDS, unless its worker is a process of this machine that is
still alive (SQLite lets nobody write while an import's transaction is open, heartbeats
included). A failed job is queued again with the same arguments by `retry_job`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Q, QuerySet
from django.db.models.sql.constants import NO_RESULTS
from django.db.models.sql.subqueries import UpdateQuery
from django.tasks import Task, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from chancery.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

WRITE_EVERY_SECONDS = 0.5
HEARTBEAT_SECONDS = 5.0
DEAD_AFTER_SECONDS = 60.0
MESSAGE_LENGTH = Job._meta.get_field("message").max_length or 300


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress callable that reports nowhere."""


class JobError(Exception):
    """A failure whose message is for the job's owner (what went wrong, in a sentence).

    `result` may say more on the job's page (the rows in error of a refused import).
    """

    def __init__(self, message: str, *, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result or {}


@dataclass
class Outcome:
    """What a job leaves behind: a summary for its page, and perhaps a file in storage."""

    result: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    file_name: str = ""
    message: str = ""


# Progress


class JobProgress:
    """Writes a job's progress to its row, at most every WRITE_EVERY_SECONDS."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.last_written = 0.0
        self.pending: dict[str, Any] | None = None  # reported, not written yet
        self.last: dict[str, Any] | None = None  # the latest report, written or not
        self._side: Any = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        total = max(total, 0)
        done = min(max(done, 0), total) if total else max(done, 0)
        self.pending = self.last = {
            "done": done if total else 0,
            "total": total,
            "message": message[:MESSAGE_LENGTH],
        }
        now = time.monotonic()
        if now - self.last_written >= WRITE_EVERY_SECONDS or (total and done >= total):
            self.flush()

    def flush(self) -> None:
        if self.pending is None:
            return
        if self._write(self.pending):
            self.pending = None
            self.last_written = time.monotonic()

    def _write(self, values: dict[str, Any]) -> bool:
        values = {**values, "updated_at": timezone.now()}
        rows = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING)
        connection = connections[DEFAULT_DB_ALIAS]
        if not connection.in_atomic_block:
            rows.update(**values)
            return True
        if connection.vendor == "sqlite":
            return False  # the transaction holds SQLite's only write lock until it ends
        query = rows.query.chain(UpdateQuery)
        assert isinstance(query, UpdateQuery)
        query.add_update_values(values)
        query.get_compiler(connection=self._side_connection()).execute_sql(NO_RESULTS)
        return True

    def _side_connection(self) -> Any:
        """A second connection to the same database, in autocommit, for progress only."""
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        return self._side

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


class TerminalProgress:
    """A one-line progress bar for the command line: `\\r 42% 4200/10000 rows`.

    Drawn only when the stream is a terminal (so files and pipes get no control characters).
    """

    def __init__(
        self, stream: IO[str] | None = None, *, unit: str = "rows", enabled: bool | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        self.unit = unit
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.drawn = False
        self.last = 0.0
        self.width = 0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.drawn and now - self.last < 0.1 and not (total and done >= total):
            return
        self.last = now
        if total:
            line = f"\r{done * 100 // total:>3}% {done}/{total} {self.unit}"
        else:
            line = f"\r{done} {self.unit}" if done else "\r"
        if message:
            line += f"  {message}"
        self.stream.write(line.ljust(self.width))
        self.width = len(line)
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


# Running a job


def failure_message(error: BaseException) -> str:
    """The owner's sentence for a failure: the error's own words, or a plain notice."""
    if isinstance(error, JobError):
        return str(error)
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(
                f"{name}: {' '.join(texts)}" if name != "__all__" else " ".join(texts)
                for name, texts in error.message_dict.items()
            )
        return " ".join(error.messages)
    return _(
        "The job stopped on an unexpected error (%(kind)s). Nothing it was writing was "
        "kept; the details are in the worker's log."
    ) % {"kind": type(error).__name__}


def _finish(job_id: Any, **values: Any) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(finished_at=now, updated_at=now, **values)


# Workers and their heartbeats


def worker_name() -> str:
    """This process as a job's worker: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive_here(worker: str) -> bool:
    """Whether `worker` is a live process of this machine (False: gone, or elsewhere)."""
    host, _colon, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Heartbeat:
    """A thread that writes a running job's heartbeat_at until stopped."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        self._thread.join(timeout=HEARTBEAT_SECONDS * 2)

    def _beat(self) -> None:
        try:
            while not self._stopped.wait(HEARTBEAT_SECONDS):
                # Locked (SQLite, during the job's own transaction) or away: the next beat.
                with contextlib.suppress(DatabaseError):
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
        finally:
            connections.close_all()  # this thread's own connections


def _quiet_since(now: Any) -> Q:
    """Running jobs not heard from for DEAD_AFTER_SECONDS."""
    quiet = now - timedelta(seconds=DEAD_AFTER_SECONDS)
    return Q(heartbeat_at__lt=quiet) | Q(heartbeat_at__isnull=True, started_at__lt=quiet)


def _fail_running(job: Job, now: Any, message: Callable[[], str]) -> bool:
    """Fail a job that is still running, with `message()` in its owner's language."""
    with translation.override(getattr(job.owner, "language", "") or settings.LANGUAGE_CODE):
        error = message()
    failed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED,
        error=error,
        message="",
        finished_at=now,
        updated_at=now,
        can_retry=True,
    )
    if failed:
        _fail_task_result(job.task_id, now)
    return bool(failed)


def reap_dead_jobs(*, now: Any = None, jobs: QuerySet[Job] | None = None) -> int:
    """Fail the running jobs (of `jobs`, or all) whose worker is gone; return how many."""
    now = now or timezone.now()
    running = (Job.objects.all() if jobs is None else jobs).filter(
        _quiet_since(now), status=JobStatus.RUNNING
    )
    reaped = 0
    for job in running.select_related("owner"):
        if job.worker and _alive_here(job.worker):
            continue
        heard = timezone.localtime(job.heartbeat_at or job.started_at)

        def stopped(heard: datetime = heard) -> str:
            return _(
                "The worker running this job stopped (last heard from at %(time)s). "
                "Nothing it was writing was kept; retry the job."
            ) % {"time": heard.strftime("%Y-%m-%d %H:%M:%S")}

        if _fail_running(job, now, stopped):
            reaped += 1
            logger.warning("Job %s failed: its worker %s stopped", job.pk, job.worker or "?")
    return reaped


def fail_interrupted(*, task_ids: list[str], now: Any) -> None:
    """Fail the jobs of these queue rows: their worker lost the database while running them."""
    for job in Job.objects.filter(task_id__in=task_ids, status=JobStatus.RUNNING).select_related(
        "owner"
    ):
        _fail_running(
            job,
            now,
            lambda: _(
                "The job was interrupted: the database went away while it ran. Nothing it was "
                "writing was kept; retry the job."
            ),
        )
    for task_id in task_ids:
        _fail_task_result(task_id, now)


def _fail_task_result(task_id: str, now: Any) -> None:
    """The queue's own row of a reaped job, failed too (it would say "running" for ever)."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=now
    )


def job_task(func: Callable[..., Outcome]) -> Callable[..., dict[str, str]]:
    """Wrap `func(job, progress, **kwargs) -> Outcome` as the body of a task taking `job_id`."""

    @functools.wraps(func)
    def run(job_id: str, **kwargs: Any) -> dict[str, str]:
        job = Job.objects.select_related("owner").filter(pk=job_id).first()
        if job is None:
            raise JobError(f"There is no job {job_id}.")
        now = timezone.now()
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING,
            started_at=now,
            updated_at=now,
            heartbeat_at=now,
            worker=worker_name(),
        )
        job.status = JobStatus.RUNNING
        with Heartbeat(job.pk):
            return _run(func, job, **kwargs)

    return run


def _run(func: Callable[..., Outcome], job: Job, **kwargs: Any) -> dict[str, str]:
    """Run a job's body and record its outcome, or its failure as a sentence."""
    job_id = job.pk
    progress = JobProgress(job.pk)
    language = getattr(job.owner, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            outcome = func(job, progress, **kwargs)
    except BaseException as error:
        if not isinstance(error, JobError | ValidationError):
            logger.exception("Job %s (%s) failed", job_id, func.__name__)
        with translation.override(language):
            message = failure_message(error)
        _finish(
            job_id,
            status=JobStatus.FAILED,
            error=message,
            message="",
            result=error.result if isinstance(error, JobError) else {},
            can_retry=not isinstance(error, JobError | ValidationError),
        )
        raise
    finally:
        progress.close()
    values: dict[str, Any] = {
        "status": JobStatus.SUCCEEDED,
        "result": outcome.result,
        "file": outcome.file,
        "file_name": outcome.file_name,
    }
    if outcome.message:
        values["message"] = outcome.message[:MESSAGE_LENGTH]
    if progress.last is not None:  # the latest progress (a transaction may have held it)
        values.update(done=progress.last["done"], total=progress.last["total"])
    _finish(job_id, **values)
    return {"job": str(job_id), "status": JobStatus.SUCCEEDED.value}


def start_job(
    task: Task,
    *,
    kind: str,
    title: str,
    owner: Any,
    office: Any = None,
    retry_of: Job | None = None,
    **kwargs: Any,
) -> Job:
    """Record a job for `owner` and queue `task(job_id=..., **kwargs)`; return the job.

    With the database backend the task waits for a worker; with the immediate backend (tests,
    or TASKS set so) it has already run when this returns.
    """
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        owner=owner if getattr(owner, "is_authenticated", False) and owner.pk else None,
        office=office,
        task_path=task.module_path,
        arguments=kwargs,
        retry_of=retry_of,
    )
    result = task.enqueue(job_id=str(job.pk), **kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def retryable(job: Job) -> bool:
    """Whether a job can be queued again: it failed through no fault of its input, and its
    task is known."""
    return job.status == JobStatus.FAILED and job.can_retry and bool(job.task_path)


def retry_job(*, job: Job, actor: Any) -> Job:
    """Queue a failed job again with the same arguments, as a new job for `actor`."""
    if not retryable(job):
        raise ValidationError(_("Only a failed job can be retried."))
    task = import_string(job.task_path)
    return start_job(
        task,
        kind=job.kind,
        title=job.title,
        owner=actor,
        office=job.office,
        retry_of=job,
        **job.arguments,
    )


def reconcile(job: Job) -> Job:
    """A job the queue reports failed (the worker could not even start it), or whose worker
    died, is failed here too."""
    # Only this job is looked at: its page polls every second.
    if job.status == JobStatus.RUNNING and reap_dead_jobs(jobs=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    if job.finished or not job.task_id:
        return job
    from django.tasks import default_task_backend

    if not default_task_backend.supports_get_result:
        return job
    try:
        result = default_task_backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return job
    if result.status == TaskResultStatus.FAILED:
        message = _("The worker could not run this job; the details are in its log.")
        _finish(job.pk, status=JobStatus.FAILED, error=message, can_retry=True)
        job.refresh_from_db()
    return job


def storage_name(job: Job, filename: str) -> str:
    """Where a job keeps its files in default_storage."""
    return f"jobs/{job.pk}/{filename}"
