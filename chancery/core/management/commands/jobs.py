"""`chancery jobs [list] [--all] | show ID [--wait] [--output FILE] | retry ID | reap`.

`list` prints the latest jobs and their state; `show` prints one job (progress, result or
error), `--wait` follows it with a progress bar until it ends, and `--output` copies the file
it wrote (an export, certificates) out of storage. `retry` queues a failed job again with the
same arguments; `reap` fails the running jobs whose worker died (every worker does it too).
"""

import time
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chancery.core.jobs import TerminalProgress, reap_dead_jobs, reconcile, retry_job
from chancery.core.models import Job, JobStatus

LISTED = 50


class Command(BaseCommand):
    help = "List background jobs and their state, or show one (and fetch its file)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action")
        listing = actions.add_parser("list", help="the latest jobs (the default)")
        listing.add_argument("--all", action="store_true", help="every job, not the latest 50")
        show = actions.add_parser("show", help="one job: progress, result or error")
        show.add_argument("job", help="the job's id (as `list` prints it)")
        show.add_argument(
            "--wait", action="store_true", help="follow the job with a progress bar until it ends"
        )
        show.add_argument("--output", help="copy the job's file (an export) to FILE")
        retry = actions.add_parser("retry", help="queue a failed job again")
        retry.add_argument("job", help="the failed job's id")
        actions.add_parser("reap", help="fail the running jobs whose worker died")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "show":
            self._show(options["job"], wait=options["wait"], output=options["output"])
        elif options.get("action") == "retry":
            job = self._job(options["job"])
            try:
                again = retry_job(job=job, actor=job.owner)
            except ValidationError as error:
                raise CommandError(f"job: {' '.join(error.messages)}") from None
            self.stdout.write(str(again.pk))
        elif options.get("action") == "reap":
            self.stdout.write(f"{reap_dead_jobs()} job(s) of dead workers failed.")
        else:
            self._list(every=options.get("all", False))

    def _list(self, *, every: bool) -> None:
        jobs = Job.objects.select_related("owner").order_by("-created_at")
        shown = list(jobs if every else jobs[:LISTED])
        if not shown:
            self.stdout.write("No jobs.")
            return
        self.stdout.write(
            f"{'id':<36}  {'status':<9}  {'progress':>14}  {'kind':<12}  "
            f"{'created':<16}  {'by':<12}  title"
        )
        for job in shown:
            job = reconcile(job)
            done = f"{job.percent}% {job.done}/{job.total}" if job.percent is not None else ""
            self.stdout.write(
                f"{job.pk!s:<36}  {job.status:<9}  {done:>14}  {job.kind:<12}  "
                f"{job.created_at:%Y-%m-%d %H:%M}  {job.owner or '-'!s:<12}  {job.title}"
            )

    def _job(self, value: str) -> Job:
        try:
            key = uuid.UUID(value)
        except ValueError:
            raise CommandError(f"job: {value!r} is not a job id.") from None
        job = Job.objects.select_related("owner").filter(pk=key).first()
        if job is None:
            raise CommandError(f"job: there is no job {value}.")
        return reconcile(job)

    def _show(self, value: str, *, wait: bool, output: str | None) -> None:
        job = self._job(value)
        if wait:
            bar = TerminalProgress(unit="")
            while not job.finished:
                bar(job.done, job.total, job.message)
                time.sleep(0.5)
                job = self._job(value)
            bar(job.done, job.total, job.message)
            bar.finish()
        self.stdout.write(f"{job.title}\nid: {job.pk}\nstatus: {job.status}")
        if job.total:
            self.stdout.write(f"progress: {job.done}/{job.total} ({job.percent}%)")
        if job.message:
            self.stdout.write(f"message: {job.message}")
        result = job.result or {}
        if result.get("summary"):
            self.stdout.write(str(result["summary"]))
        for label, figure in result.get("figures", []):
            self.stdout.write(f"  {label}: {figure}")
        for text in result.get("errors", []):
            self.stdout.write(f"  error: {text}")
        if result.get("more_errors"):
            self.stdout.write(f"  and {result['more_errors']} more errors")
        if job.file:
            self.stdout.write(f"file: {job.file_name} (in storage: {job.file})")
        if job.status == JobStatus.FAILED:
            raise CommandError(f"the job failed: {job.error}")
        if output:
            if not job.file or job.status != JobStatus.SUCCEEDED:
                raise CommandError("output: this job has no file (yet).")
            with default_storage.open(job.file, "rb") as source, Path(output).open("wb") as out:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    out.write(chunk)
            self.stdout.write(f"written to {output}")
