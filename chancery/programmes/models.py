"""Programmes, their editions, eligibility rules, enrolments and what follows a placement.

The enrolment lifecycle is decided by lifecycle.py (pure) and the eligibility by
eligibility.py (pure); these models store the outcome and its reasons.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.agreements.models import Agreement
from chancery.directory.models import Consent, Organisation, Person


class ProgrammeKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    TRAINING = "training", _("Training course")
    OUTREACH = "outreach", _("Outreach")


class Programme(models.Model):
    """A programme an office runs, e.g. the JPO internships or Jas Diplomat."""

    # Per language (django-modeltranslation, see translation.py): name_en (required), name_ru,
    # name_kk, description_en/_ru/_kk; `name` and `description` read the reader's language.
    name = models.CharField(_("name"), max_length=200, default="")
    name_en: str
    name_ru: str | None
    name_kk: str | None
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="programmes"
    )
    default_duration_months = models.PositiveSmallIntegerField(
        _("default duration (months)"), default=3
    )
    description = models.TextField(_("description"), blank=True, default="")
    description_en: str | None
    description_ru: str | None
    description_kk: str | None
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("under agreements"), blank=True, related_name="programmes"
    )
    history = HistoricalRecords(m2m_fields=[agreements])

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class EligibilityRule(models.Model):
    """One eligibility condition of a programme, as data (see eligibility.RULE_KINDS)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    kind = models.CharField(_("rule"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    label = models.CharField(_("wording"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    from_agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("derived from agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return self.label or self.kind

    @property
    def params_json(self) -> str:
        import json

        return json.dumps(self.params, ensure_ascii=False)


class Edition(models.Model):
    """A cohort of a programme: its dates, capacity and application window."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="editions")
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    applications_open = models.DateField(_("applications open"), null=True, blank=True)
    applications_close = models.DateField(_("applications close"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="edition_name_unique",
                violation_error_message=_("This programme already has an edition of that name."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="edition_dates_ordered",
                violation_error_message=_("An edition cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(applications_open__isnull=True)
                | Q(applications_close__isnull=True)
                | Q(applications_close__gte=models.F("applications_open")),
                name="edition_window_ordered",
                violation_error_message=_("Applications cannot close before they open."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100),
                name="edition_year_plausible",
                violation_error_message=_("The year must be 1990–2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.name}"


class EnrolmentState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    SELECTED = "selected", _("Selected")
    PLACED = "placed", _("Placed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """A person's way through one edition, from application to completion or withdrawal."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    state = models.CharField(
        _("state"), max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.APPLIED
    )
    state_reason = models.TextField(_("reason"), blank=True)
    eligibility = models.JSONField(_("eligibility checks"), default=list, blank=True)
    override_reason = models.TextField(_("override of the eligibility result"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    preferred_host = models.ForeignKey(
        Organisation,
        verbose_name=_("preferred host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the applicant asks to serve; eligibility is assessed against it."),
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-edition__year", "person__family_name", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "person"],
                name="enrolment_once",
                violation_error_message=_("This person is already enrolled in this edition."),
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(state_reason=""),
                name="enrolment_withdrawal_has_reason",
                violation_error_message=_("A withdrawal needs a reason."),
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.edition}"


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Placement(models.Model):
    """Where and when a participant serves: host, department, supervisor, dates."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="placements")
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="hosted_placements",
    )
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="department_placements",
    )
    supervisor = models.ForeignKey(
        Person,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_placements",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PLANNED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="placement_dates_ordered",
                violation_error_message=_("A placement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} @ {self.department or self.host}"


class Evaluation(models.Model):
    """The supervisor's evaluation of a placement: scores 1–5 and a comment."""

    CRITERIA = (
        ("knowledge", _("Knowledge of the field")),
        ("analysis", _("Analysis and writing")),
        ("initiative", _("Initiative")),
        ("teamwork", _("Communication and teamwork")),
        ("reliability", _("Reliability")),
    )

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="evaluation")
    scores = models.JSONField(_("scores"))
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField(_("evaluated on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.placement}"


def report_path(instance: "FinalReport", filename: str) -> str:
    return f"reports/{instance.enrolment_id}/{filename}"


class FinalReport(models.Model):
    """The participant's final report, as an uploaded file."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="final_reports")
    file = models.FileField(_("file"), upload_to=report_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")

    def __str__(self) -> str:
        return self.file.name or ""

    @property
    def filename(self) -> str:
        """The file's own name, without the folder it is stored in."""
        return (self.file.name or "").rsplit("/", 1)[-1]


class Testimonial(models.Model):
    """What a participant says of the programme; public only while their consent holds."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="testimonial"
    )
    text = models.TextField(_("testimonial"))
    # The language it is written in: the programme page shows the reader's own first, each
    # marked with its language (a testimonial is written once, in one language).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent to publish"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    written_on = models.DateField(_("written on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")

    def __str__(self) -> str:
        return f"{self.enrolment.person}"


def new_certificate_code() -> str:
    """A code for the public verification URL: 16 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class Certificate(models.Model):
    """A certificate of completion, verifiable at /verify/<code>."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(
        _("verification code"),
        max_length=32,
        unique=True,
        default=new_certificate_code,
        editable=False,
    )
    issued_on = models.DateField(_("issued on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class ParticipationRole(models.TextChoices):
    SCHOOL = "school", _("School")
    EMBASSY = "embassy", _("Embassy")
    PARTNER = "partner", _("Partner")


class Participation(models.Model):
    """An organisation taking part in an outreach edition, with its contact person."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("takes part as"), max_length=20, choices=ParticipationRole.choices)
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The school's coordinator or the embassy's liaison."),
    )
    partner_role = models.CharField(_("partner's role"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name_en"]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(fields=["edition", "organisation"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Pairing(models.Model):
    """A school paired with an embassy for an outreach edition, by a conducted draw."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pairings")
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="school_pairings",
    )
    embassy = models.ForeignKey(
        Organisation,
        verbose_name=_("embassy"),
        on_delete=models.PROTECT,
        related_name="embassy_pairings",
    )
    draw = models.ForeignKey(
        "draws.Draw",
        verbose_name=_("decided by draw"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name_en"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "school"], name="pairing_one_embassy_per_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.embassy}"
