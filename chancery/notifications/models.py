"""The inbox, the outbox and each office's switches.

- `Notification`: one entry in a user's in-app inbox (the bell), read or not.
- `OutgoingMail`: one e-mail waiting to be sent, sent, or given up on. Every e-mail Chancery
  sends is a row here first (notify() and, through OutboxBackend, Django's own mail such as a
  password reset); a background task hands it to the mail server and records the outcome, so a
  mail server that is down loses nothing: the row waits and is tried again.
- `NotificationSetting`: an office switched a kind of notification off (or back on).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Organisation

ADDRESS_LENGTH = 320


class Notification(models.Model):
    """One entry in a user's inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=50)
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=1000, blank=True)
    key = models.CharField(
        _("key"),
        max_length=200,
        blank=True,
        help_text=_("Set by the sender: one notification per key and kind."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def unread(self) -> bool:
        return self.read_at is None


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """An e-mail in the outbox: everything needed to send it again, and how sending went."""

    address = models.CharField(
        _("to"),
        max_length=ADDRESS_LENGTH,
        db_index=True,
        help_text=_("The recipient this mail is for (the first of them)."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"),
        max_length=50,
        blank=True,
        help_text=_("Empty for mail sent by Django itself (password reset)."),
    )
    key = models.CharField(_("key"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    from_email = models.CharField(_("from"), max_length=500)
    to = models.JSONField(_("to"), default=list, blank=True)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    # [{"filename", "mimetype", "content": base64}]; an entry with "alternative": true is another
    # rendering of the body (not text/html, which is `html`).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # When the periodic sweep (re)queues it for delivery if nobody has taken it by then; while
    # it is being sent, when its sender is presumed dead.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The body and attachments are kept once, not in every history row.
    history = HistoricalRecords(excluded_fields=["text", "html", "attachments", "headers"])

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_mail_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "address"],
                condition=~Q(key=""),
                name="outgoing_mail_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.address}"


class NotificationSetting(models.Model):
    """Whether an office sends a kind of notification (a kind without a row is sent)."""

    office = models.ForeignKey(
        Organisation,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    kind = models.CharField(_("kind"), max_length=50)
    enabled = models.BooleanField(_("sent"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="notification_setting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.kind} {'on' if self.enabled else 'off'}"
