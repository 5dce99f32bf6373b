"""Publicly verifiable draws: announced before they run, immutable after, re-runnable by anyone.

The published record (lottery.py's JSON format) is the source of truth once a draw is
announced: `record` holds it and `fingerprint` its SHA-256. The list and source columns are
the draft that an officer edits before the announcement.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Organisation


class DrawKind(models.TextChoices):
    PAIR = "pair", _("Pairing of two lists")
    SELECT = "select", _("Selection of k from a pool")
    ORDER = "order", _("Ordering of a pool")


class DrawStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    CONDUCTED = "conducted", _("Conducted")


class Algorithm(models.TextChoices):
    SHA256 = "sha256", _("SHA-256 (RFC 3797 construction)")
    RFC3797 = "rfc3797-md5", _("RFC 3797 exactly (MD5)")


class Draw(models.Model):
    """A draw and its lifecycle: draft → announced (frozen, fingerprinted) → conducted."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="draws"
    )
    title = models.CharField(_("title"), max_length=200)
    edition = models.ForeignKey(
        "programmes.Edition",
        verbose_name=_("for edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draws",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DrawKind.choices)
    algorithm = models.CharField(
        _("algorithm"), max_length=20, choices=Algorithm.choices, default=Algorithm.SHA256
    )
    pool = models.JSONField(_("pool"), default=list, blank=True)
    k = models.PositiveIntegerField(_("how many to select"), null=True, blank=True)
    left = models.JSONField(_("left list"), default=list, blank=True)
    right = models.JSONField(_("right list"), default=list, blank=True)
    left_label = models.CharField(_("left list is"), max_length=60, blank=True)
    right_label = models.CharField(_("right list is"), max_length=60, blank=True)
    sources = models.JSONField(_("entropy sources"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.DRAFT
    )
    record = models.JSONField(_("published record"), null=True, blank=True, editable=False)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True, editable=False)
    redraw_of = models.ForeignKey(
        "self",
        verbose_name=_("re-draw of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redraws",
    )
    redraw_reason = models.TextField(_("public reason for the re-draw"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    conducted_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DrawStatus.DRAFT)
                | (Q(record__isnull=False) & ~Q(fingerprint="")),
                name="draw_published_has_record",
            ),
            models.CheckConstraint(
                condition=Q(redraw_of__isnull=True) | ~Q(redraw_reason=""),
                name="draw_redraw_has_reason",
                violation_error_message=_("A re-draw needs a public reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != DrawStatus.DRAFT

    @property
    def published(self) -> dict[str, Any]:
        """The published record, which a draw has from its announcement on."""
        if self.record is None:
            raise ValueError(f"Draw {self.pk} has not been announced: it has no record.")
        return self.record

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The result of a conducted pairing draw as (left, right) tuples."""
        if self.status != DrawStatus.CONDUCTED or self.kind != DrawKind.PAIR:
            return []
        return [(left, right) for left, right in self.published["result"]]
