"""Periodic tasks: once a period, however many workers or cron jobs ask."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from chancery.core import schedule
from chancery.core.models import Job, JobKind, JobStatus, ScheduledRun
from chancery.core.tests.test_jobs import ROOT, _file_database, reference_data  # noqa: F401


def test_a_period_runs_once_however_often_it_is_asked(db: Any) -> None:
    calls: list[Any] = []

    def count(now: Any) -> str:
        calls.append(now)
        return "ok"

    tasks = (schedule.Periodic("count", timedelta(hours=1), count),)
    now = timezone.now().replace(minute=10)
    assert schedule.run_due(now=now, tasks=tasks) == ["count: ok"]
    assert schedule.run_due(now=now + timedelta(minutes=40), tasks=tasks) == []
    assert schedule.run_due(now=now + timedelta(hours=1), tasks=tasks) == ["count: ok"]
    assert len(calls) == 2
    assert ScheduledRun.objects.filter(name="count").count() == 2


def test_a_failing_task_is_recorded_and_the_others_still_run(db: Any) -> None:
    def broken(now: Any) -> str:
        raise RuntimeError("disk full")

    tasks = (
        schedule.Periodic("broken", timedelta(minutes=1), broken),
        schedule.Periodic("fine", timedelta(minutes=1), lambda now: "ok"),
    )
    assert schedule.run_due(tasks=tasks) == ["broken: failed: RuntimeError: disk full", "fine: ok"]
    assert ScheduledRun.objects.get(name="broken").finished_at is not None


def test_old_finished_jobs_are_forgotten_with_their_files(
    db: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    now = timezone.now()
    old = Job.objects.create(
        kind=JobKind.EXPORT,
        title="old",
        status=JobStatus.SUCCEEDED,
        finished_at=now - timedelta(days=settings.JOB_RESULTS_DAYS + 1),
        file=default_storage.save("jobs/old/x.csv", ContentFile(b"x")),
    )
    recent = Job.objects.create(
        kind=JobKind.EXPORT,
        title="recent",
        status=JobStatus.SUCCEEDED,
        finished_at=now - timedelta(days=1),
    )
    running = Job.objects.create(kind=JobKind.EXPORT, title="running", status=JobStatus.RUNNING)
    assert schedule.clean_old_jobs(now) == "1 old job(s) and 1 file(s) removed"
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not default_storage.exists(old.file)


def test_three_cron_jobs_at_once_run_each_task_once(
    reference_data: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": _file_database(tmp_path),
        "CHANCERY_VAR_DIR": str(tmp_path / "var"),
    }
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "chancery", "schedule"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    printed = [run.communicate(timeout=180) for run in runs]
    assert all(run.returncode == 0 for run in runs), printed
    lines = [line for out, _err in printed for line in out.splitlines()]
    for task in schedule.TASKS:
        assert sum(line.startswith(f"{task.name}:") for line in lines) == 1, lines
    listed = subprocess.run(
        [sys.executable, "-m", "chancery", "schedule", "--list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "reap-dead-jobs" in listed.stdout and "never run" not in listed.stdout


@pytest.mark.parametrize("every", [timedelta(minutes=1), timedelta(days=1)])
def test_the_period_of_a_moment_starts_at_or_before_it(every: timedelta) -> None:
    moment = timezone.now()
    start = schedule.period_of(moment, every)
    assert start <= moment < start + every
