"""Background jobs: imports, exports, certificates and allocation runs with progress.

Most tests run the jobs with Django's immediate backend: the same task functions, the same
Job rows and pages, only run at once in the test's process. One test runs a real
`chancery db_worker` process against the database backend (django-tasks-db).
"""

import importlib
import io
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.allocation import views as allocation_views
from chancery.allocation.models import RoundStatus
from chancery.allocation.tests.factories import make_setup
from chancery.core import jobs
from chancery.core.actors import SYSTEM
from chancery.core.models import Job, JobKind, JobStatus
from chancery.directory.models import Person
from chancery.programmes import services as programmes
from chancery.programmes.models import Certificate
from chancery.reports import tasks as report_tasks
from chancery.reports import views as report_views
from chancery.reports.tests.conftest import CLEAN, MESSY, jpo  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[3]
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
JOB_URL = re.compile(r"^/jobs/([0-9a-f-]{36})/$")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The countries a data migration loads; an earlier transactional test flushed them."""
    from django.apps import apps

    from chancery.directory.models import Country

    if not Country.objects.exists():
        importlib.import_module("chancery.directory.migrations.0002_load_countries").load_countries(
            apps, None
        )


@pytest.fixture
def immediate(settings: Any) -> None:
    """Jobs run as soon as they are queued, in this process (Django's immediate backend)."""
    settings.TASKS = IMMEDIATE


def _job_of(response: Any) -> Job:
    assert response.status_code == 302, response.status_code
    match = JOB_URL.match(response["Location"])
    assert match, response["Location"]
    return Job.objects.get(pk=match.group(1))


def _upload(client: Client, data: bytes, office: Any) -> Any:
    return client.post(
        "/reports/import/",
        {
            "file": SimpleUploadedFile("alumni.csv", data, content_type="text/csv"),
            "office": office.pk,
        },
    )


# Imports


@pytest.mark.usefixtures("jpo")
def test_a_big_file_is_checked_then_imported_by_background_jobs(
    cast: Any, immediate: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(report_views, "BACKGROUND_BYTES", 100)
    client = cast.client_for(cast.alice)
    dry_run = _job_of(_upload(client, CLEAN, cast.academy))
    assert (dry_run.kind, dry_run.status, dry_run.owner, dry_run.office) == (
        JobKind.IMPORT,
        JobStatus.SUCCEEDED,
        cast.alice,
        cast.academy,
    )
    assert (dry_run.done, dry_run.total) == (9, 9)
    assert Person.objects.count() == 3  # a dry run writes nothing
    page = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "Dry run: nothing was written." in page
    assert 'id="job-action"' in page and "Import these rows" in page
    token = dry_run.result["action"]["fields"]["token"]

    commit = _job_of(client.post("/reports/import/commit/", {"token": token}))
    assert commit.status == JobStatus.SUCCEEDED, commit.error
    assert Person.objects.count() > 3
    page = client.get(f"/jobs/{commit.pk}/").content.decode()
    assert "is imported into the records of Test Academy" in page
    assert not default_storage.listdir("jobs/inputs")[1]  # the job's copy is gone


@pytest.mark.usefixtures("jpo")
def test_a_file_with_errors_gets_no_commit_button_and_names_the_rows(
    cast: Any, immediate: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(report_views, "BACKGROUND_BYTES", 100)
    client = cast.client_for(cast.alice)
    job = _job_of(_upload(client, MESSY, cast.academy))
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == JobStatus.SUCCEEDED
    assert "row 7, citizenship" in page
    assert 'id="job-action"' not in page


@pytest.mark.usefixtures("jpo")
def test_a_refused_import_fails_with_the_reason_and_writes_nothing(
    cast: Any, immediate: None
) -> None:
    job = jobs.start_job(
        report_tasks.import_people,
        kind=JobKind.IMPORT,
        title="Import",
        owner=cast.alice,
        office=cast.academy,
        input_name=report_tasks.keep_input(MESSY, "alumni.csv"),
        filename="alumni.csv",
        office_id=cast.academy.pk,
        user_id=cast.alice.pk,
        commit=True,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "1 row has an error; nothing was imported."
    assert Person.objects.count() == 3
    page = cast.client_for(cast.alice).get(f"/jobs/{job.pk}/").content.decode()
    assert 'role="alert"' in page and "nothing was imported" in page
    assert "row 7, citizenship" in page
    assert "Traceback" not in page
    assert not jobs.retryable(job) and "/retry/" not in page  # the same file fails the same way


def test_an_unexpected_error_is_reported_as_a_sentence_not_a_traceback(
    cast: Any, immediate: None
) -> None:
    job = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=987654,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The job stopped on an unexpected error (DoesNotExist).")
    page = cast.client_for(cast.alice).get(f"/jobs/{job.pk}/").content.decode()
    assert "unexpected error (DoesNotExist)" in page and "Traceback" not in page
    assert jobs.retryable(job) and f"/jobs/{job.pk}/retry/" in page


# Exports, files and who sees them


def test_an_export_job_writes_the_file_to_storage_for_its_owner_only(
    cast: Any, immediate: None
) -> None:
    other_officer = User.objects.create_user(username="olga", password="x" * 20)
    grant_role(actor=SYSTEM, user=other_officer, role=Role.OFFICER, organisation=cast.academy)
    alice = cast.client_for(cast.alice)
    job = _job_of(alice.post("/reports/export/people.csv"))
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (3, 3)
    assert default_storage.exists(job.file) and job.file.startswith(f"jobs/{job.pk}/")
    response = alice.get(f"/jobs/{job.pk}/file")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert body.splitlines()[0].startswith("id,given_name,family_name")
    assert "Example" in body and len(body.splitlines()) == 4
    page = alice.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-file"' in page and "3 rows exported" in page

    for user in (cast.charlie, cast.bob, cast.pat, other_officer):
        client = cast.client_for(user)
        assert client.get(f"/jobs/{job.pk}/").status_code == 404, user
        assert client.get(f"/jobs/{job.pk}/file").status_code == 404, user
        assert str(job.pk) not in client.get("/jobs/").content.decode()
    anonymous = Client().get(f"/jobs/{job.pk}/file")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


@pytest.mark.usefixtures("jpo")
def test_an_import_job_is_seen_by_the_offices_officers_but_not_by_others(
    cast: Any, immediate: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(report_views, "BACKGROUND_BYTES", 100)
    other_officer = User.objects.create_user(username="olga", password="x" * 20)
    grant_role(actor=SYSTEM, user=other_officer, role=Role.OFFICER, organisation=cast.academy)
    job = _job_of(_upload(cast.client_for(cast.alice), CLEAN, cast.academy))
    colleague = cast.client_for(other_officer).get(f"/jobs/{job.pk}/").content.decode()
    assert "Dry run: nothing was written." in colleague
    assert 'id="job-action"' not in colleague  # the commit is the owner's
    for user in (cast.charlie, cast.bob, cast.pat, cast.sam):
        assert cast.client_for(user).get(f"/jobs/{job.pk}/").status_code == 404, user


# The page follows a queued job


def test_the_page_of_a_waiting_job_polls_every_second_and_survives_a_reload(cast: Any) -> None:
    job = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=cast.alice.pk,
    )
    assert job.status == JobStatus.QUEUED and job.task_id  # in the database queue
    client = cast.client_for(cast.alice)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting for a worker" in page
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done=42, total=100, message="Writing the rows"
    )
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="job"')
    assert 'value="42"' in partial and "42%" in partial and "Writing the rows" in partial
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=100)
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial and "100%" in partial


def test_a_job_the_queue_could_not_run_is_shown_failed(cast: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    job = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=cast.alice.pk,
    )
    DBTaskResult.objects.filter(id=job.task_id).update(status="FAILED")
    page = cast.client_for(cast.alice).get(f"/jobs/{job.pk}/").content.decode()
    assert "The worker could not run this job" in page
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


# Certificates and allocation


def test_every_certificate_of_an_edition_is_issued_and_zipped(cast: Any, immediate: None) -> None:
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="Young Diplomats"
    )
    edition = programmes.create_edition(
        actor=cast.alice,
        programme=programme,
        name="2026",
        year=2026,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 11, 30),
    )
    enrolment = programmes.apply(actor=cast.alice, edition=edition, person=cast.pat_person)
    programmes.select(actor=cast.alice, enrolment=enrolment)
    programmes.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=cast.ministry,
        department=cast.department,
        start=date(2026, 9, 1),
        end=date(2026, 11, 27),
    )
    programmes.start(actor=cast.alice, enrolment=enrolment)
    programmes.complete(actor=cast.alice, enrolment=enrolment, on=date(2026, 11, 27))
    client = cast.client_for(cast.alice)
    assert (
        "Issue and download every certificate"
        in client.get(f"/programmes/editions/{edition.pk}/").content.decode()
    )
    job = _job_of(client.post(f"/programmes/editions/{edition.pk}/certificates/"))
    assert job.status == JobStatus.SUCCEEDED, job.error
    certificate = Certificate.objects.get(enrolment=enrolment)
    response = client.get(f"/jobs/{job.pk}/file")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [name] = archive.namelist()
    assert name.endswith(f"{certificate.code}.pdf")
    assert archive.read(name).startswith(b"%PDF")
    assert job.result["figures"][1][1] == 1  # issued now
    assert (
        cast.client_for(cast.charlie)
        .post(f"/programmes/editions/{edition.pk}/certificates/")
        .status_code
        == 404
    )


def test_an_edition_nobody_completed_fails_with_the_reason(cast: Any, immediate: None) -> None:
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="Empty"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="2030", year=2030
    )
    job = _job_of(
        cast.client_for(cast.alice).post(f"/programmes/editions/{edition.pk}/certificates/")
    )
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Nobody has completed this edition yet")


def test_a_big_allocation_round_is_previewed_by_a_background_job(
    cast: Any, immediate: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(allocation_views, "BACKGROUND_PREFERENCES", 0)
    setup = make_setup(cast)
    client = cast.client_for(cast.alice)
    job = _job_of(client.post(f"/allocation/rounds/{setup.round.pk}/run/"))
    assert job.status == JobStatus.SUCCEEDED, job.error
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.PREVIEWED
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "The preview is ready and stable" in page
    assert f"/allocation/rounds/{setup.round.pk}/" in page


# Progress


def test_progress_inside_a_transaction_is_seen_at_once_on_postgresql(
    reference_data: None, cast: Any
) -> None:
    job = Job.objects.create(kind=JobKind.IMPORT, title="t", status=JobStatus.RUNNING)
    progress = jobs.JobProgress(job.pk)
    try:
        with transaction.atomic():
            progress(5, 10, "halfway")
            seen = Job.objects.get(pk=job.pk)
            if connection.vendor == "postgresql":  # written through a second connection
                assert (seen.done, seen.total, seen.message) == (5, 10, "halfway")
            else:  # SQLite's one writer is this transaction: held back until it ends
                assert seen.done == 0 and progress.pending == {
                    "done": 5,
                    "total": 10,
                    "message": "halfway",
                }
    finally:
        progress.close()


@pytest.mark.usefixtures("jpo")
def test_an_import_checked_outside_its_transaction_is_checked_again_if_records_changed(
    reference_data: None, cast: Any
) -> None:
    """Rows are checked before the transaction (so the progress shows); a change meanwhile
    makes the transaction check them again rather than write a stale plan."""
    from chancery.directory import services as directory
    from chancery.reports import imports

    seen: list[tuple[int, int]] = []

    def meanwhile(done: int, total: int) -> None:
        if not seen:  # another officer records Rustam while the rows are being checked
            directory.create_person(
                actor=cast.alice,
                owner=cast.academy,
                given_name="Rustam",
                family_name="Karimov",
                email="rustam@example.tj",
            )
        seen.append((done, total))

    plan = imports.import_people(
        CLEAN, "alumni.csv", office=cast.academy, user=cast.alice, progress=meanwhile
    )
    assert plan.committed and seen[-1] == (9, 9)
    assert Person.objects.filter(email__iexact="rustam@example.tj").count() == 1
    assert seen.count((0, 9)) == 2  # checked twice: before, then inside the transaction


def test_the_terminal_bar_draws_percent_done_and_total_only_on_a_terminal() -> None:
    out = StringIO()
    bar = jobs.TerminalProgress(out, unit="rows", enabled=True)
    bar(4200, 10000)
    bar(10000, 10000)
    bar.finish()
    assert "\r 42% 4200/10000 rows" in out.getvalue()
    assert out.getvalue().endswith("100% 10000/10000 rows\n")
    quiet = StringIO()
    jobs.TerminalProgress(quiet)(1, 2)  # a StringIO is no terminal
    assert quiet.getvalue() == ""


# Command line


@pytest.mark.usefixtures("jpo")
def test_the_import_command_queues_a_background_job_and_jobs_lists_it(
    cast: Any, tmp_path: Path
) -> None:
    path = tmp_path / "alumni.csv"
    path.write_bytes(CLEAN)
    out = StringIO()
    call_command(
        "import",
        "people",
        str(path),
        "--office",
        str(cast.academy.pk),
        "--as",
        "alice",
        "--background",
        stdout=out,
        stderr=StringIO(),
    )
    job = Job.objects.get(pk=out.getvalue().strip())
    assert (job.status, job.owner, job.office) == (JobStatus.QUEUED, cast.alice, cast.academy)
    assert Person.objects.count() == 3  # queued, not run
    listing = StringIO()
    call_command("jobs", stdout=listing)
    assert str(job.pk) in listing.getvalue() and "queued" in listing.getvalue()
    with pytest.raises(CommandError, match="no job"):
        call_command("jobs", "show", "00000000-0000-0000-0000-000000000000", stdout=StringIO())


# A real worker process against the database queue


def _worker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chancery", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )


@pytest.fixture
def worker_env(tmp_path: Path, media: Path) -> Iterator[dict[str, str]]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    yield {
        "SECRET_KEY": "tests-only-" + "k" * 60,
        **clean,
        "CHANCERY_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(media),
    }


def test_a_real_worker_runs_queued_jobs_from_the_database(
    reference_data: None, cast: Any, worker_env: dict[str, str], media: Path, tmp_path: Path
) -> None:
    """`chancery db_worker` in its own process runs a queued export and a failing job."""
    good = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=cast.alice.pk,
    )
    bad = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=987654,
    )
    assert good.status == bad.status == JobStatus.QUEUED
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":  # the worker uses this test's (committed) database
        url = (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    else:  # SQLite's test database is in this process's memory: the worker gets a copy
        copy = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        url = f"sqlite:///{copy}"
    env = {**worker_env, "DATABASE_URL": url}
    worker = _worker(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v0")
    assert worker.returncode == 0, worker.stdout + worker.stderr

    shown = _worker(env, "jobs", "show", str(good.pk), "--output", str(media / "out.csv"))
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "status: succeeded" in shown.stdout and "progress: 3/3 (100%)" in shown.stdout
    lines = (media / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("id,given_name,family_name") and len(lines) == 4
    failed = _worker(env, "jobs", "show", str(bad.pk))
    assert failed.returncode == 1
    assert "status: failed" in failed.stdout
    assert "unexpected error (DoesNotExist)" in failed.stderr
    listing = _worker(env, "jobs")
    assert f"{good.pk}  succeeded" in listing.stdout and f"{bad.pk}  failed" in listing.stdout


# Dead workers, retries and database outages


def _running(cast: Any, *, worker: str, heard: Any) -> Job:
    job = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=cast.alice.pk,
    )
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=heard, heartbeat_at=heard, worker=worker
    )
    return job


def test_a_running_job_whose_worker_died_is_failed_with_a_sentence(cast: Any) -> None:
    from django.utils import timezone

    now = timezone.now()
    long_ago = now - timedelta(seconds=jobs.DEAD_AFTER_SECONDS + 5)
    gone = _running(cast, worker="another-host:4242", heard=long_ago)
    alive_here = _running(cast, worker=jobs.worker_name(), heard=long_ago)
    recent = _running(cast, worker="another-host:4343", heard=now)
    cast.alice.language = "ru"
    cast.alice.save()
    assert jobs.reap_dead_jobs(now=now) == 1
    gone.refresh_from_db()
    assert (gone.status, gone.finished_at, gone.can_retry) == (JobStatus.FAILED, now, True)
    assert gone.error.startswith("Обработчик, выполнявший это задание, остановился")
    assert {Job.objects.get(pk=j.pk).status for j in (alive_here, recent)} == {JobStatus.RUNNING}
    assert jobs.reap_dead_jobs(now=now) == 0


@pytest.mark.usefixtures("immediate")
def test_a_failed_job_is_retried_with_its_arguments_by_its_owner(cast: Any) -> None:
    failed = jobs.start_job(
        report_tasks.export_list,
        kind=JobKind.EXPORT,
        title="Export",
        owner=cast.alice,
        name="people",
        fmt="csv",
        user_id=cast.alice.pk,
    )
    Job.objects.filter(pk=failed.pk).update(
        status=JobStatus.FAILED, error="worker died", can_retry=True
    )
    page = cast.client_for(cast.alice).get(f"/jobs/{failed.pk}/").content.decode()
    assert f'action="/jobs/{failed.pk}/retry/"' in page
    assert cast.client_for(cast.bob).post(f"/jobs/{failed.pk}/retry/").status_code == 404
    again = _job_of(cast.client_for(cast.alice).post(f"/jobs/{failed.pk}/retry/"))
    assert (again.status, again.retry_of_id, again.owner) == (
        JobStatus.SUCCEEDED,
        failed.pk,
        cast.alice,
    )
    assert again.arguments == {"name": "people", "fmt": "csv", "user_id": cast.alice.pk}
    assert default_storage.exists(again.file)
    refused = cast.client_for(cast.alice).post(f"/jobs/{again.pk}/retry/")
    assert refused.status_code == 302 and Job.objects.count() == 2


def _file_database(tmp_path: Path) -> str:
    """This test's committed database, for a worker in another process."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    copy = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def _wait_for(condition: Any, seconds: float, what: str) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def test_a_worker_killed_mid_job_leaves_it_failed_and_a_retry_completes_it(
    reference_data: None, cast: Any, worker_env: dict[str, str], tmp_path: Path
) -> None:
    import signal

    from chancery.core.tests import slow_tasks

    marker = tmp_path / "started"
    job = jobs.start_job(
        slow_tasks.wait_the_first_time,
        kind=JobKind.EXPORT,
        title="Slow",
        owner=cast.alice,
        marker=str(marker),
    )
    env = {**worker_env, "DATABASE_URL": _file_database(tmp_path)}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chancery",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "-v0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(marker.exists, 120, "the job to start")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert "status: running" in _worker(env, "jobs", "show", str(job.pk)).stdout
    reaped = _worker(
        env,
        "shell",
        "--no-imports",
        "-c",
        (
            "from datetime import timedelta; from django.utils import timezone; "
            "from chancery.core.jobs import reap_dead_jobs; "
            "print(reap_dead_jobs(now=timezone.now() + timedelta(minutes=2)))"
        ),
    )
    assert reaped.stdout.strip() == "1", reaped.stdout + reaped.stderr
    failed = _worker(env, "jobs", "show", str(job.pk))
    assert "status: failed" in failed.stdout
    assert "The worker running this job stopped" in failed.stderr
    retried = _worker(env, "jobs", "retry", str(job.pk))
    assert retried.returncode == 0, retried.stderr
    batch = _worker(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v0")
    assert batch.returncode == 0, batch.stdout + batch.stderr
    done = _worker(env, "jobs", "show", retried.stdout.strip())
    assert "status: succeeded" in done.stdout and "message: finished" in done.stdout


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the outage is staged on the SQLite file (test_faults does it for PostgreSQL servers)",
)
def test_the_worker_outlives_a_lost_database_and_runs_the_next_job(
    reference_data: None, cast: Any, worker_env: dict[str, str], tmp_path: Path
) -> None:
    import time

    url = _file_database(tmp_path)
    database = Path(url.removeprefix("sqlite:///"))
    env = {**worker_env, "DATABASE_URL": url}
    log = tmp_path / "worker.log"
    with log.open("w") as errors:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "chancery",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "-v0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        time.sleep(3)
        database.rename(tmp_path / "away.sqlite3")
        database.mkdir()  # where the file was: no database can be opened there
        _wait_for(lambda: "Database unreachable" in log.read_text(), 60, "the worker to notice")
        time.sleep(2)
        database.rmdir()
        (tmp_path / "away.sqlite3").rename(database)
        queued = _worker(
            env,
            "shell",
            "--no-imports",
            "-c",
            (
                "from chancery.core.jobs import start_job; from chancery.core.models import JobKind;"
                " from chancery.reports.tasks import export_list;"
                " from chancery.accounts.models import User; u = User.objects.get(username='alice');"
                " print(start_job(export_list, kind=JobKind.EXPORT, title='After', owner=u,"
                " name='people', fmt='csv', user_id=u.pk).pk)"
            ),
        )
        assert queued.returncode == 0, queued.stderr
        job_id = queued.stdout.strip().splitlines()[-1]
        _wait_for(
            lambda: "status: succeeded" in _worker(env, "jobs", "show", job_id).stdout,
            90,
            "the job after the outage",
        )
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    text = log.read_text()
    assert text.count("Database unreachable") == 1, text
    assert "Database reachable again" in text
    assert "Traceback" not in text
