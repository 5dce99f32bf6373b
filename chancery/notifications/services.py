"""Tell people about things: the inbox entry, the e-mail, and the e-mail's delivery.

`notify()` writes an inbox entry for each User and puts an e-mail for each address in the outbox
(`OutgoingMail`), rendered in the recipient's language; when the caller's transaction commits,
a background task (`tasks.deliver_mail`, run by `chancery db_worker`) hands each e-mail to the
mail server configured as the `delivery` mailer. Django's own e-mail (a password reset) reaches
the same outbox through `backends.OutboxBackend`, the default mailer.

A send that fails is recorded (attempts, the error) and tried again later, each time waiting
twice as long (up to RETRY_MAX_DELAY); after settings.MAIL_MAX_ATTEMPTS, or at once when the
server refuses the message for good (a 5xx answer), the mail is failed: an officer sees it on
the outbox page and may retry it. The periodic sweep (`sweep`, core/schedule.py) requeues what
is due, so a mail survives a worker that died and a queue that was lost.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import logging
import smtplib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, make_msgid
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from chancery.core.actors import SYSTEM
from chancery.core.observability import MAILS_FAILED, MAILS_SENT
from chancery.core.services import audit_as, save
from chancery.notifications import kinds
from chancery.notifications.models import (
    MailStatus,
    Notification,
    NotificationSetting,
    OutgoingMail,
)
from chancery.notifications.queries import offices_managed_by, outbox_visible_to

if TYPE_CHECKING:
    from chancery.accounts.models import User
    from chancery.directory.models import Organisation

logger = logging.getLogger(__name__)

DELIVERY_MAILER = "delivery"
# A mail taken by a sender and not finished after this long is presumed abandoned (a dead
# worker) and queued again; a queued mail nobody took is requeued after the same time.
LEASE = timedelta(minutes=10)
RETRY_MAX_DELAY = timedelta(hours=2)
ERROR_LENGTH = 1000
OUTCOME_FIELDS = ["status", "attempts", "last_error", "next_attempt_at", "sent_at"]


# Links


def absolute_url(path: str) -> str:
    """settings.SITE_URL + path, for links in e-mails; an absolute URL is returned as it is."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


# Office switches


def kind_enabled(office: Organisation | None, kind: str) -> bool:
    """Whether `office` sends `kind` (kinds that are not switchable are always sent)."""
    if office is None or not kinds.get(kind).switchable:
        return True
    enabled = (
        NotificationSetting.objects.filter(office=office, kind=kind)
        .values_list("enabled", flat=True)
        .first()
    )
    return enabled is not False


def office_settings(office: Organisation) -> dict[str, bool]:
    """Each switchable kind -> whether the office sends it."""
    stored = dict(NotificationSetting.objects.filter(office=office).values_list("kind", "enabled"))
    return {name: stored.get(name, True) for name in kinds.switchable()}


def set_kind_enabled(
    *, actor: Any, office: Organisation, kind: str, enabled: bool
) -> NotificationSetting:
    """Switch a kind on or off for an office, audited with the actor."""

    if not kinds.get(kind).switchable:
        raise ValidationError({"kind": _("This notification cannot be switched off.")})
    if actor is None or not offices_managed_by(actor).filter(pk=office.pk).exists():
        raise PermissionDenied(_("Only officers of this office change its notifications."))
    with transaction.atomic():
        setting = NotificationSetting.objects.select_for_update().filter(
            office=office, kind=kind
        ).first() or NotificationSetting(office=office, kind=kind)
        if setting.pk is None or setting.enabled != enabled:
            setting.enabled = enabled
            save(setting, actor)
    return setting


# Rendering


def recipient_language(user: User | None, language: str = "") -> str:
    """The user's language, else `language`, else the site's; always one Chancery speaks."""
    supported = {code for code, _name in settings.LANGUAGES}
    for candidate in (getattr(user, "language", ""), language):
        if candidate in supported:
            return candidate
    return settings.LANGUAGE_CODE


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A .txt template, without HTML escaping (it is not HTML)."""
    return get_template(name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def render(
    kind: str,
    context: dict[str, Any],
    *,
    recipient: User | None,
    link: str,
    office: Organisation | None,
    language: str,
) -> tuple[str, str, str]:
    """(subject, text, html) of a kind's message, in `language`."""
    full = {
        **context,
        "recipient": recipient,
        "link": link,
        "office": office,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = " ".join(_render_text(f"notifications/{kind}/subject.txt", full).split())
        text = _render_text(f"notifications/{kind}/body.txt", full).strip() + "\n"
        html = get_template(f"notifications/{kind}/body.html").render(full)
    return subject[:300], text, html


def sender(office: Organisation | None, language: str) -> str:
    """The From of an office's mail: its name in `language` and DEFAULT_FROM_EMAIL's address."""
    if office is None:
        return settings.DEFAULT_FROM_EMAIL
    _given_name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    with translation.override(language):
        name = " ".join(str(office.name).split())
    return email.utils.formataddr((name, address or settings.DEFAULT_FROM_EMAIL))


# The outbox


def _encode(content: bytes | str) -> str:
    return base64.b64encode(content.encode() if isinstance(content, str) else content).decode()


def _attachments_of(message: EmailMessage) -> list[dict[str, Any]]:
    stored: list[dict[str, Any]] = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            filename, content, mimetype = attachment
            stored.append(
                {
                    "filename": filename or "",
                    "mimetype": mimetype or "",
                    "content": _encode(content),
                }
            )
        else:  # a whole MIME part, kept as it is
            stored.append({"mime": _encode(attachment.as_bytes())})
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype != "text/html":
            stored.append({"alternative": True, "mimetype": mimetype, "content": _encode(content)})
    return stored


def _html_of(message: EmailMessage) -> str:
    if message.content_subtype == "html":
        return str(message.body)
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return content.decode() if isinstance(content, bytes) else str(content)
    return ""


def queue_message(
    message: EmailMessage,
    *,
    kind: str = "",
    key: str = "",
    office: Organisation | None = None,
    recipient: User | None = None,
    language: str = "",
    actor: Any = None,
) -> OutgoingMail:
    """Put a Django e-mail in the outbox; it is sent by a background task once the current
    transaction commits."""
    addresses = [*message.to, *message.cc, *message.bcc]
    if not addresses:
        raise ValidationError({"to": _("An e-mail needs at least one recipient.")})
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    if not any(name.lower() == "message-id" for name in headers):
        # Fixed now, so a mail sent twice (its first try was cut off) is the same message.
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    html = _html_of(message)
    text = str(message.body) if message.content_subtype != "html" else strip_tags(html)
    mail = OutgoingMail(
        address=addresses[0][:320],
        recipient=recipient,
        office=office,
        kind=kind,
        key=key,
        language=language,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=headers,
        subject=" ".join(str(message.subject).split())[:998],
        text=text,
        html=html,
        attachments=_attachments_of(message),
        next_attempt_at=timezone.now() + LEASE,
    )
    if actor is not None:  # else the request's user, if any (simple_history's middleware)
        audit_as(mail, actor)
    mail.save()
    transaction.on_commit(functools.partial(enqueue_delivery, mail.pk))
    return mail


def enqueue_delivery(mail_id: int) -> None:
    """Ask a worker to send the mail; if the queue is out of reach, the sweep will."""
    from chancery.notifications.tasks import deliver_mail  # the task module imports this one

    try:
        deliver_mail.enqueue(mail_id=mail_id)
    except Exception:  # the row is kept: the periodic sweep queues it again
        logger.exception("Could not queue the delivery of mail %s", mail_id)


def build_message(mail: OutgoingMail) -> EmailMultiAlternatives:
    """The Django e-mail an outbox row stands for."""
    import email as email_package
    import email.policy

    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for item in mail.attachments:
        if "mime" in item:
            message.attach(
                email_package.message_from_bytes(
                    base64.b64decode(item["mime"]), policy=email.policy.default
                )
            )
            continue
        content = base64.b64decode(item["content"])
        if item.get("alternative"):
            message.attach_alternative(content.decode(), item["mimetype"])
        else:
            message.attach(item["filename"] or None, content, item["mimetype"] or None)
    return message


# Notify


def _address(recipient: User | str) -> str:
    if isinstance(recipient, str):
        address = recipient.strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {
                    "recipients": _("%(address)s is not an e-mail address.")
                    % {"address": address or '""'}
                }
            ) from None
        return address
    return (recipient.email or "").strip()


def _once(model: type[Any], **fields: Any) -> Any:
    """Create the row, or None when its key was already used (another notify got there)."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        if not fields.get("key"):
            raise
        return None


def notify(
    *,
    kind: str,
    recipients: Iterable[User | str],
    context: dict[str, Any],
    office: Organisation | None = None,
    link: str = "",
    key: str = "",
    attachments: Sequence[tuple[str, bytes, str]] = (),
    actor: User | None = None,
    language: str = "",
) -> list[Notification]:
    """Tell each recipient about something: an inbox entry for each User and an e-mail for each
    address, rendered in the recipient's language, sent later by a background task.

    A string recipient is an e-mail address without an account. Nothing is sent when `office`
    switched the kind off. With a `key`, a second call for the same kind, key and recipient does
    nothing. Inactive users are skipped. Returns the inbox entries created.
    """
    kinds.get(kind)
    if not kind_enabled(office, kind):
        return []
    url = absolute_url(link)
    site = settings.SITE_URL.rstrip("/")
    in_app = link[len(site) :] if link.startswith(site + "/") else link  # a path opens anywhere
    created: list[Notification] = []
    addresses_done: set[str] = set()
    with transaction.atomic():
        for recipient in recipients:
            user = None if isinstance(recipient, str) else recipient
            if user is not None and not user.is_active:
                continue
            address = _address(recipient)
            if (
                key
                and user is not None
                and Notification.objects.filter(kind=kind, key=key, recipient=user).exists()
            ):
                continue
            mail_wanted = (
                bool(address)
                and address.lower() not in addresses_done
                and not (
                    key
                    and OutgoingMail.objects.filter(
                        kind=kind, key=key, address__iexact=address
                    ).exists()
                )
            )
            if user is None and not mail_wanted:
                continue
            lang = recipient_language(user, language)
            subject, text, html = render(
                kind, context, recipient=user, link=url, office=office, language=lang
            )
            if user is not None:
                entry = _once(
                    Notification,
                    recipient=user,
                    kind=kind,
                    office=office,
                    subject=subject,
                    text=text.strip(),
                    link=in_app,
                    key=key,
                )
                if entry is None:
                    continue
                created.append(entry)
            if mail_wanted:
                addresses_done.add(address.lower())
                _queue_notification_mail(
                    kind=kind,
                    key=key,
                    office=office,
                    user=user,
                    address=address,
                    language=lang,
                    subject=subject,
                    text=text,
                    html=html,
                    attachments=attachments,
                    actor=actor,
                )
    return created


def _queue_notification_mail(
    *,
    kind: str,
    key: str,
    office: Organisation | None,
    user: User | None,
    address: str,
    language: str,
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, bytes, str]],
    actor: Any,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender(office, language),
        to=[address],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        with transaction.atomic():
            queue_message(
                message,
                kind=kind,
                key=key,
                office=office,
                recipient=user,
                language=language,
                actor=actor,
            )
    except IntegrityError:
        if not key:
            raise  # a key used concurrently is the only conflict expected


# Delivery


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 1, 2, 4... minutes, at most 2 h."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), RETRY_MAX_DELAY)


def _permanent(error: BaseException) -> bool:
    """The server refused the message for good (5xx): trying again would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def deliver(mail_id: int, *, now: datetime | None = None) -> str:
    """Send one queued mail through the `delivery` mailer and record how it went."""

    now = now or timezone.now()
    taken = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED).update(
        status=MailStatus.SENDING, next_attempt_at=now + LEASE
    )
    if not taken:
        return "not queued"  # sent, failed or being sent by someone else
    mail = OutgoingMail.objects.get(pk=mail_id)
    mail.attempts += 1
    try:
        build_message(mail).send(using=DELIVERY_MAILER)
    except Exception as error:
        mail.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if _permanent(error) or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            mail.status, mail.next_attempt_at = MailStatus.FAILED, None
            MAILS_FAILED.labels("failed").inc()
        else:
            mail.status = MailStatus.QUEUED
            mail.next_attempt_at = now + retry_delay(mail.attempts)
            MAILS_FAILED.labels("retry").inc()
        logger.warning(
            "Mail %s to %s not sent (attempt %d): %s",
            mail.pk,
            mail.address,
            mail.attempts,
            mail.last_error,
        )
        save(mail, SYSTEM, fields=OUTCOME_FIELDS)
        return f"{mail.status}: {mail.last_error}"
    mail.status, mail.sent_at, mail.next_attempt_at = MailStatus.SENT, timezone.now(), None
    mail.last_error = ""
    save(mail, SYSTEM, fields=OUTCOME_FIELDS)
    MAILS_SENT.inc()
    return "sent"


def sweep(now: datetime | None = None) -> str:
    """Queue again what is due: mails waiting for a retry, mails nobody took, mails whose
    sender died while sending. Run every minute by core/schedule.py."""
    now = now or timezone.now()
    stuck = OutgoingMail.objects.filter(status=MailStatus.SENDING, next_attempt_at__lte=now)
    revived = stuck.update(status=MailStatus.QUEUED, next_attempt_at=now)
    due = list(
        OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )[:1000]
    )
    OutgoingMail.objects.filter(pk__in=due).update(next_attempt_at=now + LEASE)
    for mail_id in due:
        enqueue_delivery(mail_id)
    return f"{len(due)} mail(s) queued for delivery, {revived} abandoned send(s) taken back"


def forget_sent_mail(now: datetime | None = None) -> str:
    """Delete sent mail older than MAIL_KEEP_DAYS: its body and attachments are personal data
    nobody needs once delivered (the history keeps who was sent what, and when)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAIL_KEEP_DAYS)
    removed, _by_model = OutgoingMail.objects.filter(
        status=MailStatus.SENT, sent_at__lt=cutoff
    ).delete()
    return f"{removed} sent mail(s) forgotten"


def retry_mail(*, actor: Any, mail: OutgoingMail) -> OutgoingMail:
    """Queue a failed (or waiting) mail to be sent now, audited with the actor."""

    if actor is None or not outbox_visible_to(actor).filter(pk=mail.pk).exists():
        raise PermissionDenied(_("Only officers of the sending office retry its mail."))
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
        if mail.status not in (MailStatus.FAILED, MailStatus.QUEUED):
            raise ValidationError({"status": _("Only a failed or waiting mail can be retried.")})
        mail.status, mail.next_attempt_at = MailStatus.QUEUED, timezone.now() + LEASE
        mail._change_reason = "retry"  # type: ignore[attr-defined]
        save(mail, actor, fields=["status", "next_attempt_at"])
        transaction.on_commit(functools.partial(enqueue_delivery, mail.pk))
    return mail


def retry_failed(*, actor: Any) -> int:
    """Queue again every failed mail the actor's offices sent (after a long outage); how many."""

    failed = outbox_visible_to(actor).filter(status=MailStatus.FAILED).order_by("pk")
    count = 0
    for mail in failed.iterator():
        retry_mail(actor=actor, mail=mail)
        count += 1
    return count


# The inbox


def mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (again: nothing changes)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; how many there were."""
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
