"""Agreements between organisations: parties, dates, scope, commitments and documents.

An agreement's status on a day is derived from its dates (draft until signed and in force,
in force, expired, terminated); nothing types it in. A commitment's progress is counted from
real enrolments (queries.commitment_progress), never entered by hand.
"""

import calendar
from datetime import MAXYEAR, date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Country, Organisation, Person


class AgreementKind(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral agreement")
    MEMORANDUM = "memorandum", _("Memorandum")
    INTER_AGENCY = "inter_agency", _("Inter-agency agreement")


class Renewal(models.TextChoices):
    NONE = "none", _("Not renewed")
    AUTOMATIC = "automatic", _("Renewed automatically for the same term")
    BY_AGREEMENT = "by_agreement", _("Renewed by a new decision of the parties")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


MAX_TERM_MONTHS = 1200  # a century: longer terms are typing errors, and dates end at 9999
MAX_SCOPE_ITEMS = 50  # an agreement lists its priorities, not a catalogue


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (and to the calendar's)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > MAXYEAR:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Agreement(models.Model):
    """A signed (or draft) agreement that programmes operate under."""

    # Per language (django-modeltranslation, see translation.py): title_en (required), title_ru,
    # title_kk; `title` reads the reader's language with a fallback.
    title = models.CharField(_("title"), max_length=300, default="")
    title_en: str
    title_ru: str | None
    title_kk: str | None
    summary_en: str  # the summary too (not required)
    summary_ru: str | None
    summary_kk: str | None
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("followed by"),
        on_delete=models.PROTECT,
        related_name="agreements_followed",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_from = models.DateField(
        _("in force from"), null=True, blank=True, help_text=_("Empty: from the signing date.")
    )
    term_months = models.PositiveIntegerField(
        _("term (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: open-ended."),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)],
    )
    renewal = models.CharField(
        _("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.NONE
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True) | Q(signed_on__isnull=False),
                name="agreement_in_force_only_when_signed",
                violation_error_message=_("An agreement comes into force only once signed."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(signed_on__isnull=False),
                name="agreement_terminated_only_when_signed",
                violation_error_message=_("Only a signed agreement can be terminated."),
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True)
                | Q(term_months__gte=1, term_months__lte=MAX_TERM_MONTHS),
                name="agreement_term_positive",
                violation_error_message=_("The term is between one month and a century."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def starts_on(self) -> date | None:
        return self.in_force_from or self.signed_on

    def ends_on(self, on: date | None = None) -> date | None:
        """Last day in force of the term running on `on` (None: open-ended)."""
        start = self.starts_on
        if start is None or self.term_months is None:
            return None
        day = on or timezone.localdate()
        end = add_months(start, self.term_months)  # the first day after the term
        if self.renewal == Renewal.AUTOMATIC:
            terms = 1
            while end <= day and end < date.max:
                terms += 1
                end = add_months(start, self.term_months * terms)
        return end if end == date.max else end - timedelta(days=1)

    def status_on(self, on: date | None = None) -> str:
        """Draft, in force, expired or terminated on a day (today by default)."""
        day = on or timezone.localdate()
        start = self.starts_on
        if start is None or day < start:
            return AgreementStatus.DRAFT
        if self.terminated_on is not None and self.terminated_on <= day:
            return AgreementStatus.TERMINATED
        end = self.ends_on(day)
        if end is not None and day > end:
            return AgreementStatus.EXPIRED
        return AgreementStatus.IN_FORCE

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(AgreementStatus(self.status).label)


class Party(models.Model):
    """An organisation that signed, with the person who signed for it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    signatory = models.ForeignKey(
        Person,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    # Per language (see translation.py): signatory_title_en, _ru, _kk.
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    signatory_title_en: str | None
    signatory_title_ru: str | None
    signatory_title_kk: str | None
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_once_per_agreement"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ScopeItem(models.Model):
    """One of the agreement's priorities, e.g. exchange of experts."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scope_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("priority"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")

    def __str__(self) -> str:
        return self.text


class CountedStates(models.TextChoices):
    COMPLETED = "completed", _("completed enrolments")
    STARTED = "started", _("placed, active or completed enrolments")


class Commitment(models.Model):
    """A measurable promise, e.g. train two diplomats of Tajikistan, counted from enrolments."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(_("description"), max_length=300)
    quota = models.PositiveIntegerField(_("quota"))
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("counted in programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    citizenship = models.ForeignKey(
        Country,
        verbose_name=_("participants' citizenship"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    counts = models.CharField(
        _("counts"), max_length=20, choices=CountedStates.choices, default=CountedStates.COMPLETED
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="commitment_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.description


def document_path(instance: "Document", filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{filename}"


class Document(models.Model):
    """A scan or file of the agreement or an annex."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
