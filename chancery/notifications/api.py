"""The inbox, the outbox and the office's switches over JSON: what the notification pages do
(views.py), through the same queries and services."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chancery.accounts.access import is_officer
from chancery.core.access import signed_in
from chancery.core.api_support import PagePagination, authorize, get_visible
from chancery.core.schemas import Id
from chancery.notifications import kinds, queries, services
from chancery.notifications.models import Notification, OutgoingMail

router = Router(tags=["notifications"])

#: The kinds an office may switch off, as the choices of a path parameter.
SwitchableKind = StrEnum(  # type: ignore[misc]  # mypy cannot see members made at run time
    "SwitchableKind", {name: name for name in kinds.switchable()}
)


class InboxFilter(Schema):
    unread: bool = Field(False, description="Only the notifications not read yet")


class NotificationOut(Schema):
    id: int
    kind: str
    office: int | None = Field(None, alias="office_id")
    subject: str
    text: str
    link: str = Field(..., description="What it is about (a path or an absolute URL)")
    created_at: datetime
    read_at: datetime | None
    unread: bool


class UnreadOut(Schema):
    unread: int


class CountOut(Schema):
    count: int = Field(..., description="How many were changed")


class OutboxFilter(Schema):
    status: Literal["failed", "queued", "sending"] | None = Field(
        None, description="Default: every mail not sent, the failed first"
    )


class MailOut(Schema):
    id: int
    address: str
    kind: str = Field(..., description="Empty for mail Django sends itself (password reset)")
    kind_label: str
    office: int | None = Field(None, alias="office_id")
    subject: str
    status: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: OutgoingMail) -> str:
        return kinds.label(obj.kind) if obj.kind else ""


class KindSwitchOut(Schema):
    kind: str
    label: str
    description: str
    enabled: bool


class KindSwitchIn(Schema):
    enabled: bool


# The inbox: every signed-in user's own


@router.get("/notifications", response=list[NotificationOut], summary="Your inbox, newest first")
@paginate(PagePagination)
def list_notifications(request: HttpRequest, filters: Query[InboxFilter]) -> QuerySet[Notification]:
    authorize(request, signed_in)
    inbox = queries.inbox_of(request.user)
    return inbox.filter(read_at=None) if filters.unread else inbox


@router.get(
    "/notifications/unread-count",
    response=UnreadOut,
    summary="How many of your notifications are unread (the bell's count)",
)
def unread_count(request: HttpRequest) -> dict[str, int]:
    authorize(request, signed_in)
    return {"unread": queries.unread_count(request.user)}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark one of your notifications read",
)
def mark_read(request: HttpRequest, notification_id: Id) -> Notification:
    authorize(request, signed_in)
    notification = get_visible(queries.inbox_of(request.user), notification_id)
    return services.mark_read(user=request.user, notification=notification)


@router.post(
    "/notifications/read-all", response=CountOut, summary="Mark every notification of yours read"
)
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    authorize(request, signed_in)
    return {"count": services.mark_all_read(user=request.user)}


# The outbox: the officers of the sending office


@router.get(
    "/notifications/outbox",
    response=list[MailOut],
    summary="Your offices' mail not sent yet or given up on, with the reason",
)
@paginate(PagePagination)
def list_outbox(request: HttpRequest, filters: Query[OutboxFilter]) -> QuerySet[OutgoingMail]:
    authorize(request, is_officer)
    problems = queries.outbox_problems(request.user)
    return problems.filter(status=filters.status) if filters.status else problems


@router.post(
    "/notifications/outbox/{mail_id}/retry",
    response=MailOut,
    summary="Queue a failed or waiting mail to be sent again",
)
def retry_mail(request: HttpRequest, mail_id: Id) -> OutgoingMail:
    authorize(request, is_officer)
    mail = get_visible(queries.outbox_visible_to(request.user), mail_id)
    return services.retry_mail(actor=request.user, mail=mail)


@router.post(
    "/notifications/outbox/retry-failed",
    response=CountOut,
    summary="Queue again every failed mail of your offices",
)
def retry_failed(request: HttpRequest) -> dict[str, int]:
    authorize(request, is_officer)
    return {"count": services.retry_failed(actor=request.user)}


# The office's switches


def _switches(office: Any, names: list[str] | None = None) -> list[dict[str, Any]]:
    current = services.office_settings(office)
    return [
        {
            "kind": name,
            "label": str(kind.label),
            "description": str(kind.description),
            "enabled": current[name],
        }
        for name, kind in kinds.switchable().items()
        if names is None or name in names
    ]


@router.get(
    "/notifications/offices/{office_id}/kinds",
    response=list[KindSwitchOut],
    summary="Which notifications an office of yours sends",
)
def list_kinds(request: HttpRequest, office_id: Id) -> list[dict[str, Any]]:
    authorize(request, is_officer)
    office = get_visible(queries.offices_managed_by(request.user), office_id)
    return _switches(office)


@router.put(
    "/notifications/offices/{office_id}/kinds/{kind}",
    response=KindSwitchOut,
    summary="Switch a notification on or off for an office of yours (audited)",
)
def set_kind(
    request: HttpRequest, office_id: Id, kind: SwitchableKind, payload: KindSwitchIn
) -> dict[str, Any]:
    authorize(request, is_officer)
    office = get_visible(queries.offices_managed_by(request.user), office_id)
    services.set_kind_enabled(
        actor=request.user, office=office, kind=kind.value, enabled=payload.enabled
    )
    return _switches(office, [kind.value])[0]
