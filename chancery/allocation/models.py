"""Allocation rounds: hosts with capacities, applicants' ranked preferences, a stable result.

The arithmetic lives in matching.py (pure); a round stores its inputs as they were when it
ran, so that the result can be explained and re-checked from the record alone.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Country, Organisation
from chancery.programmes.models import Edition, Enrolment, Participation


class Side(models.TextChoices):
    APPLICANTS = "applicants", _("Applicants propose (best for applicants)")
    HOSTS = "hosts", _("Hosts propose (best for hosts)")


class PriorityRule(models.TextChoices):
    DRAW = "draw", _("The tie-break draw alone")
    RECENT_CLASS = "recent_class", _("Most recent class year first, then the draw")
    EARLY_CLASS = "early_class", _("Earliest class year first, then the draw")


class RoundKind(models.TextChoices):
    ENROLMENTS = "enrolments", _("Selected applicants to hosts or departments")
    COUNTRIES = "countries", _("Outreach schools to Model UN countries")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PREVIEWED = "previewed", _("Previewed")
    COMMITTED = "committed", _("Committed")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class Round(models.Model):
    """One allocation of an edition's selected applicants to hosts by their preferences."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="allocation_rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("what is allocated"),
        max_length=20,
        choices=RoundKind.choices,
        default=RoundKind.ENROLMENTS,
        help_text=_(
            "Selected applicants to hosts, or an outreach edition's schools to Model "
            "UN countries (its coordinators rank the countries)."
        ),
    )
    side = models.CharField(
        _("who proposes"), max_length=20, choices=Side.choices, default=Side.APPLICANTS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    tie_break_draw = models.ForeignKey(
        "draws.Draw",
        verbose_name=_("tie-break draw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocation_rounds",
        help_text=_(
            "An ordering draw over the applicants; it breaks ties in every host's priority."
        ),
    )
    priority_rule = models.CharField(
        _("priority of hosts without their own ranking"),
        max_length=20,
        choices=PriorityRule.choices,
        default=PriorityRule.DRAW,
    )
    start = models.DateField(
        _("placements start on"),
        null=True,
        blank=True,
        help_text=_("Default: the edition's start."),
    )
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")

    def __str__(self) -> str:
        return self.title


class RoundHost(models.Model):
    """A host (or department) taking part in a round, with its places and optional ranking.

    In a round of schools to Model UN countries the host is a country instead.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="hosts")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host or department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    capacity = models.IntegerField(_("places"))
    ranking = models.JSONField(
        _("host's ranking"),
        null=True,
        blank=True,
        help_text=_(
            "Tiers of enrolment ids (school ids in a round of countries), best first; "
            "empty: the tie-break draw's order."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name_en", "country__name_en", "id"]
        verbose_name = _("host in a round")
        verbose_name_plural = _("hosts in a round")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0),
                name="roundhost_capacity_gte_0",
                violation_error_message=_("The number of places cannot be below zero."),
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                name="roundhost_once",
                violation_error_message=_("This host already takes part in the round."),
            ),
            models.UniqueConstraint(
                fields=["round", "country"],
                name="roundhost_country_once",
                violation_error_message=_("This country already takes part in the round."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, country__isnull=True)
                | Q(organisation__isnull=True, country__isnull=False),
                name="roundhost_organisation_or_country",
                violation_error_message=_("A host is either an organisation or a country."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.country if self.country_id else self.organisation)


class Preference(models.Model):
    """An applicant's n-th choice of host in a round (1 is the first choice).

    The applicant is an enrolment, or in a round of countries a participating school.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="preferences")
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_preferences",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_preferences",
    )
    host = models.ForeignKey(RoundHost, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("rank"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["enrolment_id", "rank"]
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="preference_rank_gte_1",
                violation_error_message=_("Ranks start at 1."),
            ),
            models.UniqueConstraint(
                fields=["round", "enrolment", "rank"],
                name="preference_rank_once",
                violation_error_message=_("The applicant already has a choice of that rank."),
            ),
            models.UniqueConstraint(
                fields=["round", "enrolment", "host"],
                name="preference_host_once",
                violation_error_message=_("The applicant already ranks this host."),
            ),
            models.UniqueConstraint(
                fields=["round", "participation", "rank"],
                name="preference_school_rank_once",
                violation_error_message=_("The school already has a choice of that rank."),
            ),
            models.UniqueConstraint(
                fields=["round", "participation", "host"],
                name="preference_school_host_once",
                violation_error_message=_("The school already ranks this country."),
            ),
            models.CheckConstraint(
                condition=Q(enrolment__isnull=False, participation__isnull=True)
                | Q(enrolment__isnull=True, participation__isnull=False),
                name="preference_enrolment_or_school",
                violation_error_message=_(
                    "A choice belongs to an enrolment or to a school, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        who = self.enrolment_id or f"school {self.participation_id}"
        return f"{who}: {self.rank}. {self.host}"


class CountryAssignment(models.Model):
    """A school represents a country at an outreach edition's Model UN, from a committed round.

    Written only by committing a round of schools to countries; a roll-back deletes the
    round's assignments as a whole.
    """

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="country_assignments",
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="country_assignments",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        Round,
        verbose_name=_("allocation round"),
        on_delete=models.PROTECT,
        related_name="country_assignments",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["edition_id", "school__name_en"]
        verbose_name = _("country assignment")
        verbose_name_plural = _("country assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "school"],
                name="countryassignment_school_once",
                violation_error_message=_(
                    "This school already represents a country in this edition."
                ),
            ),
            models.UniqueConstraint(
                fields=["edition", "country"],
                name="countryassignment_country_once",
                violation_error_message=_(
                    "This country already goes to another school in this edition."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.country}"
