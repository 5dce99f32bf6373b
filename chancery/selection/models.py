"""Selection of an edition's applicants by a committee: panel, rubric, reviews, decisions.

An application is a programmes Enrolment; its place in the selection is a Candidacy. A
reviewer's reading of one application is an Assignment, whose Scores (one per criterion)
are submitted together; the submitted assignment stores its weighted score, so the ranking is
aggregated by the database. Selecting goes through programmes.services.select.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.programmes.models import Edition, Enrolment


class Panel(models.Model):
    """An edition's selection committee and the scale of its rubric; closed once the
    applicants not selected are told."""

    edition = models.OneToOneField(Edition, on_delete=models.PROTECT, related_name="panel")
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    disagreement = models.DecimalField(
        _("large disagreement from"),
        max_digits=4,
        decimal_places=2,
        default=2,
        help_text=_(
            "Flag an application when its reviewers' weighted scores differ by this much or more."
        ),
    )
    tie_break_draw = models.ForeignKey(
        "draws.Draw",
        verbose_name=_("tie-break draw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selection committee")
        verbose_name_plural = _("selection committees")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")),
                name="panel_scale_ordered",
                violation_error_message=_("The highest score must be above the lowest."),
            )
        ]

    def __str__(self) -> str:
        return str(self.edition)


class Reviewer(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="selection_seats",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user"],
                name="reviewer_once",
                violation_error_message=_("This person already sits on the committee."),
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class Criterion(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="criteria")
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="criterion_weight_positive",
                violation_error_message=_("A weight is at least 1."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language, else English."""
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class Candidacy(models.Model):
    """An application as the committee handles it: shortlist, interview, tie-break place."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="candidacies")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="candidacy")
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    interview_score = models.DecimalField(
        _("interview score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    interview_comment = models.TextField(_("interview notes"), blank=True)
    # The interview's own scores, by criterion id; interview_score is their weighted mean.
    interview_scores = models.JSONField(_("interview scores"), default=dict, blank=True)
    not_selected_at = models.DateTimeField(
        _("told not selected at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the selection closed without this application, and its applicant was told."
        ),
    )
    tie_break = models.PositiveIntegerField(
        _("place in the tie-break draw"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")

    def __str__(self) -> str:
        return str(self.enrolment)


class Conflict(models.Model):
    """A reviewer's declared conflict of interest with an application."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "reviewer"], name="conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.candidacy}"


class Assignment(models.Model):
    """One reviewer's review of one application; submitted once, with all its scores."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    comment = models.TextField(_("overall comment"), blank=True)
    weighted = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=3, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "reviewer"], name="assignment_once"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(weighted__isnull=False),
                name="assignment_submitted_has_score",
            ),
        ]
        indexes = [models.Index(fields=["candidacy", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.candidacy}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
