"""Who may follow which background job (core/jobs.py runs them): the one who started it, and
the officers of the office it was started for; its file only the one who started it."""

from typing import Any

from django.db.models import Q, QuerySet

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.core.models import Job, JobStatus


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """The jobs a user started, and those of the offices where the user is an officer."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(Q(owner=user) | Q(office__in=organisations_where(user, Role.OFFICER)))


def file_visible_to(user: Any, job: Job) -> bool:
    """A job's file (an export, certificates) is served to the one who started the job."""
    return (
        bool(job.file)
        and job.status == JobStatus.SUCCEEDED
        and ((job.owner_id is not None and job.owner_id == user.pk) or bool(user.is_superuser))
    )
