"""What each user may read: their own inbox, their offices' outbox and switches."""

from typing import Any

from django.db.models import QuerySet

from chancery.directory.models import Organisation
from chancery.directory.queries import offices_of
from chancery.notifications.models import MailStatus, Notification, OutgoingMail

_UNREAD_ATTRIBUTE = "_chancery_unread_notifications"


def inbox_of(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("office")
        .order_by("-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread: one query, then kept on the user
    object (which lives as long as the request)."""
    if not user.is_authenticated:
        return 0
    cached = getattr(user, _UNREAD_ATTRIBUTE, None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at=None).count()
        setattr(user, _UNREAD_ATTRIBUTE, cached)
    return cached


def forget_unread_count(user: Any) -> None:
    if hasattr(user, _UNREAD_ATTRIBUTE):
        delattr(user, _UNREAD_ATTRIBUTE)


def offices_managed_by(user: Any) -> QuerySet[Organisation]:
    """The offices whose outbox and switches the user manages (officers; superusers: all)."""
    return offices_of(user)


def outbox_visible_to(user: Any) -> QuerySet[OutgoingMail]:
    """Mail of the offices where the user is officer; superusers also see mail of no office
    (Django's own, such as password resets)."""
    if not user.is_authenticated:
        return OutgoingMail.objects.none()
    if user.is_superuser:
        return OutgoingMail.objects.all()
    return OutgoingMail.objects.filter(office__in=offices_managed_by(user))


def outbox_problems(user: Any) -> QuerySet[OutgoingMail]:
    """The mail not sent yet or given up on, the failed first."""
    return (
        outbox_visible_to(user)
        .exclude(status=MailStatus.SENT)
        .select_related("office", "recipient")
        .order_by("status", "-created_at", "-id")
    )  # failed < queued < sending
