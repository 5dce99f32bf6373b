"""Read side of calls: what is public, what an officer manages, whose application is whose."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chancery.calls.models import Application, Call, Upload
from chancery.programmes.queries import editions_managed_by


def open_calls() -> QuerySet[Call]:
    """Published calls whose deadline has not passed, the nearest deadline first."""
    return published_calls().filter(deadline__gt=timezone.now())


def published_calls() -> QuerySet[Call]:
    return Call.objects.filter(published=True).select_related("edition__programme__owner")


def calls_managed_by(user: Any) -> QuerySet[Call]:
    """Calls of the editions the user runs as an officer of the programme's office."""
    return Call.objects.filter(edition__in=editions_managed_by(user)).select_related(
        "edition__programme__owner")


def applications_of(user: Any) -> QuerySet[Application]:
    """The user's own applications."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related("call")


def applications_read_by(user: Any) -> QuerySet[Application]:
    """The user's own, and those to the calls the user manages."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(applicant=user) | Q(call__in=calls_managed_by(user))).select_related(
        "call", "applicant")


def uploads_readable_by(user: Any) -> QuerySet[Upload]:
    """Files of the applications the user may read: the applicant's and the office's officers."""
    return Upload.objects.filter(application__in=applications_read_by(user))
