"""Background jobs: what a long piece of work (an import, an export, certificates, an allocation
run) is doing, for the person who started it.

The queue itself is django-tasks-db's table; a Job is the part people see: its owner, its
progress (done of total, and a message), and its outcome (a summary, a file in storage, or the
error). `chancery/core/jobs.py` starts jobs and reports their progress.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    CERTIFICATES = "certificates", _("Certificates")
    ALLOCATION = "allocation", _("Allocation")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One background task as its owner follows it: progress, then a result or an error."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_id = models.CharField(_("task result id"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    office = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    file = models.CharField(_("file in storage"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Who runs it and when that worker was last heard from: a job whose worker died is failed
    # (jobs.reap_dead_jobs) instead of "running" for ever.
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    # What to queue again for a retry: the task's import path and its keyword arguments. Only a
    # job that failed through no fault of its input (a dead worker, a lost database, a bug) is
    # offered a retry; a refused file would only be refused again.
    can_retry = models.BooleanField(default=False)
    task_path = models.CharField(max_length=200, blank=True)
    arguments = models.JSONField(default=dict, blank=True)
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name=_("retry of"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(total=0) | Q(done__lte=F("total")), name="job_done_within_total"
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="job_status_known"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is not known."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class ScheduledRun(models.Model):
    """One run of a periodic task for one period: the unique pair makes it fire once, however
    many workers (or cron jobs) reach the same period (chancery/core/schedule.py)."""

    name = models.CharField(_("task"), max_length=60)
    period = models.DateTimeField(_("period"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["-period", "name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="scheduled_run_once_a_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period:%Y-%m-%d %H:%M}"
