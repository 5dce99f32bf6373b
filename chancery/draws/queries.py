"""Reads of draws for pages, the API and the public record."""

from typing import Any

from django.db.models import Q, QuerySet

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.draws import lottery
from chancery.draws.models import Draw, DrawStatus


def draws_visible_to(user: Any) -> QuerySet[Draw]:
    """Published draws for everyone; drafts too for officers and viewers of the organiser."""
    published = ~Q(status=DrawStatus.DRAFT)
    if getattr(user, "is_superuser", False):
        return Draw.objects.all()
    office = organisations_where(user, Role.OFFICER, Role.VIEWER)
    return Draw.objects.filter(published | Q(owner__in=office))


def draws_managed_by(user: Any) -> QuerySet[Draw]:
    """Draws the user may change: those of offices where they are an officer."""
    if getattr(user, "is_superuser", False):
        return Draw.objects.all()
    return Draw.objects.filter(owner__in=organisations_where(user, Role.OFFICER))


def public_record(draw: Draw) -> dict[str, Any]:
    """The JSON record anyone can download and verify."""
    return dict(draw.record or {})


def verification(draw: Draw) -> list[lottery.Problem]:
    """Problems found when re-running the stored record (an empty list means verified)."""
    if draw.record is None:
        return []
    return lottery.verify_record(draw.record)
