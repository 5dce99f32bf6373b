"""Model UN: conferences of an outreach edition, committees with their rules of procedure as
data, delegations and seats, and the live sessions a chair runs (roll call, speakers' list,
motions, votes) with their minutes.

The rules themselves are decided by the pure engine `chancery.mun.rules`; a `RuleProfile` row
is that engine's `RuleProfile` stored as data (`to_rules()`), seeded with the presets.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Country, Organisation, Person
from chancery.events.models import Event
from chancery.mun import presets, rules
from chancery.programmes.models import Edition, Pairing


class ThresholdChoice(models.TextChoices):
    ONE_QUARTER = "one_quarter", _("at least one quarter")
    ONE_THIRD = "one_third", _("at least one third")
    HALF = "half", _("more than half")
    THREE_FIFTHS = "three_fifths", _("at least three fifths")
    TWO_THIRDS = "two_thirds", _("at least two thirds")


class MajorityChoice(models.TextChoices):
    SIMPLE = "simple", _("simple majority of those present and voting")
    TWO_THIRDS = "two_thirds", _("two thirds of those present and voting")
    SIMPLE_PRESENT = "simple_present", _("simple majority of those present")
    TWO_THIRDS_PRESENT = "two_thirds_present", _("two thirds of those present")
    NINE_OF_FIFTEEN = "nine_of_fifteen", _("three fifths of the members (nine of fifteen)")


class TieRuleChoice(models.TextChoices):
    SUBMISSION_ORDER = "submission_order", _("in the order raised")
    MOST_DISRUPTIVE = "most_disruptive", _("most disruptive first")


class MotionKind(models.TextChoices):
    POINT_OF_PERSONAL_PRIVILEGE = "point_of_personal_privilege", _("Point of personal privilege")
    POINT_OF_ORDER = "point_of_order", _("Point of order")
    APPEAL_RULING = "appeal_ruling", _("Appeal of the chair's ruling")
    POINT_OF_PARLIAMENTARY_INQUIRY = (
        "point_of_parliamentary_inquiry",
        _("Point of parliamentary inquiry"),
    )
    SUSPEND_MEETING = "suspend_meeting", _("Suspension of the meeting")
    ADJOURN_MEETING = "adjourn_meeting", _("Adjournment of the meeting")
    UNMODERATED_CAUCUS = "unmoderated_caucus", _("Unmoderated caucus")
    MODERATED_CAUCUS = "moderated_caucus", _("Moderated caucus")
    INTRODUCE_DRAFT_RESOLUTION = (
        "introduce_draft_resolution",
        _("Introduction of a draft resolution"),
    )
    INTRODUCE_AMENDMENT = "introduce_amendment", _("Introduction of an amendment")
    ADJOURN_DEBATE = "adjourn_debate", _("Adjournment of the debate")
    RESUME_DEBATE = "resume_debate", _("Resumption of the debate")
    CLOSE_DEBATE = "close_debate", _("Closure of the debate")
    EXTEND_DEBATE = "extend_debate", _("Extension of the debate")
    SET_SPEAKING_TIME = "set_speaking_time", _("Setting the speaking time")
    RECONSIDER = "reconsider", _("Reconsideration")


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals (reference data, loaded by a migration)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=150)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        """The goal's name in the active language."""
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class RuleProfile(models.Model):
    """A committee's rules of procedure as data; `to_rules()` gives the engine's profile."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    preset = models.BooleanField(
        _("preset"), default=False, help_text=_("Shipped with Chancery; copy it to change it.")
    )
    quorum_debate = models.CharField(
        _("quorum to debate"), max_length=20, choices=ThresholdChoice.choices
    )
    quorum_procedural = models.CharField(
        _("quorum for procedural votes"), max_length=20, choices=ThresholdChoice.choices
    )
    quorum_substantive = models.CharField(
        _("quorum for substantive votes"), max_length=20, choices=ThresholdChoice.choices
    )
    procedural_majority = models.CharField(
        _("majority for procedural votes"), max_length=20, choices=MajorityChoice.choices
    )
    substantive_majority = models.CharField(
        _("majority for substantive votes"), max_length=20, choices=MajorityChoice.choices
    )
    procedural_abstentions = models.BooleanField(_("abstentions allowed on procedural votes"))
    present_and_voting_may_abstain = models.BooleanField(
        _("delegations 'present and voting' may abstain")
    )
    observers_vote_on_procedure = models.BooleanField(_("observers vote on procedural matters"))
    veto = models.BooleanField(_("veto of permanent members"))
    default_speaking_time = models.PositiveIntegerField(_("default speaking time (seconds)"))
    tie_rule = models.CharField(
        _("order of motions of the same kind"), max_length=20, choices=TieRuleChoice.choices
    )
    yield_to_delegate = models.BooleanField(_("speakers may yield to another delegation"))
    yield_to_questions = models.BooleanField(_("speakers may yield to questions"))
    motions = models.JSONField(
        _("motions in order of precedence"),
        default=list,
        help_text=_("A list of [motion kind, majority key or null when the chair decides]."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("rule profile")
        verbose_name_plural = _("rule profiles")

    def __str__(self) -> str:
        return self.name

    def to_rules(self) -> rules.RuleProfile:
        """The engine's profile; RuleError when the stored data is not a valid profile."""
        return presets.rebuilt({name: getattr(self, name) for name in PROFILE_FIELDS})

    def clean(self) -> None:
        try:
            self.to_rules()
        except rules.RuleError as error:
            from chancery.mun.wording import refusal  # wording imports these models

            raise ValidationError({"motions": refusal(error)}) from error


PROFILE_FIELDS = tuple(presets.stored(rules.UN4MUN))


class Conference(models.Model):
    """The Model UN meeting that ends an outreach edition."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="conferences"
    )
    # Per language (django-modeltranslation, see translation.py): title_en (required), title_ru,
    # title_kk; `title` reads the reader's language with a fallback.
    title = models.CharField(_("title"), max_length=200)
    title_en: str
    title_ru: str | None
    title_kk: str | None
    theme_en: str  # the theme too
    theme_ru: str | None
    theme_kk: str | None
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    theme = models.CharField(_("theme"), max_length=200)
    goal = models.ForeignKey(
        SustainableDevelopmentGoal,
        verbose_name=_("sustainable development goal"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    event = models.OneToOneField(
        Event,
        verbose_name=_("calendar event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("Model UN conference")
        verbose_name_plural = _("Model UN conferences")

    def __str__(self) -> str:
        return self.title


class Committee(models.Model):
    """A body of the conference (General Assembly, Security Council...) with its rules."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="committees")
    # Per language (see translation.py): name_en (required), name_ru, name_kk.
    name = models.CharField(_("name"), max_length=200)
    name_en: str
    name_ru: str | None
    name_kk: str | None
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    profile = models.ForeignKey(
        RuleProfile,
        verbose_name=_("rules of procedure"),
        on_delete=models.PROTECT,
        related_name="committees",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="committee_name_once")
        ]

    def __str__(self) -> str:
        return self.abbreviation or self.name


class AgendaItem(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    # Per language (see translation.py): title_en (required), title_ru, title_kk.
    title = models.CharField(_("title"), max_length=300)
    title_en: str
    title_ru: str | None
    title_kk: str | None
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Delegation(models.Model):
    """A country represented at the conference, by a school (from its pairing or allocation)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegations")
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mun_delegations",
    )
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "country__name_en"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "country"], name="delegation_country_once"
            ),
            models.UniqueConstraint(
                fields=["conference", "school"],
                condition=Q(school__isnull=False),
                name="delegation_school_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.country)


class SeatStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    NON_STATE = "non_state", _("Non-state participant")


class Seat(models.Model):
    """A delegation's place in one committee: its status there and whether it holds a veto."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="seats")
    status = models.CharField(
        _("status"), max_length=20, choices=SeatStatus.choices, default=SeatStatus.MEMBER
    )
    veto = models.BooleanField(
        _("veto"), default=False, help_text=_("A permanent member of the Security Council.")
    )
    delegates = models.ManyToManyField(
        Person, verbose_name=_("delegates"), blank=True, related_name="mun_seats"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "delegation__country__name_en"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["committee", "delegation"], name="seat_once"),
            models.CheckConstraint(
                condition=Q(veto=False) | Q(status="member"),
                name="seat_veto_only_members",
                violation_error_message=_("Only a member may hold a veto."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.delegation)

    @property
    def key(self) -> str:
        """The seat's id in the rules engine and on the speakers' list."""
        return f"s{self.pk}"

    def as_member(self) -> rules.Member:
        return rules.Member(
            self.key, str(self.delegation.country), rules.MemberStatus(self.status), self.veto
        )


class ChairRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MODERATOR = "moderator", _("Moderator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    GUEST = "guest", _("Guest speaker")


class Officer(models.Model):
    """A person on the committee's bench (chair, moderator, rapporteur) or a guest speaker."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="officers")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="mun_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=ChairRole.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("E.g. the guest speaker's post.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "role", "person__family_name"]
        verbose_name = _("committee officer")
        verbose_name_plural = _("committee officers")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person", "role"], name="committee_officer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def key(self) -> str:
        """A guest speaker's id on the speakers' list."""
        return f"g{self.pk}"


BENCH_ROLES = (ChairRole.CHAIR, ChairRole.MODERATOR, ChairRole.RAPPORTEUR)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SessionStatus(models.TextChoices):
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")


class Session(models.Model):
    """One sitting of a committee: the live state the chair changes and every view shows.

    `version` grows with every change; a chair's action names the version it was based on and
    is refused when another chair changed the session in between. `floor` holds the speakers'
    list, the speech in progress and its timer, and any caucus (see `services.Floor`).
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    projector_token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    floor = models.JSONField(default=dict, editable=False)
    last_ballot = models.ForeignKey(
        "Ballot",
        verbose_name=_("last vote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="session_number_once")
        ]

    def __str__(self) -> str:
        return _("%(committee)s, session %(number)s") % {
            "committee": self.committee,
            "number": self.number,
        }


class Presence(models.Model):
    """A seat's answer to the session's roll call."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="presences")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    attendance = models.CharField(
        _("attendance"),
        max_length=20,
        choices=[(a.value, a.value) for a in rules.Attendance],
        default=rules.Attendance.ABSENT.value,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll-call answer")
        verbose_name_plural = _("roll-call answers")
        constraints = [models.UniqueConstraint(fields=["session", "seat"], name="presence_once")]

    def __str__(self) -> str:
        return f"{self.seat}: {self.attendance}"


class MotionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VOTING = "voting", _("In voting")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    GRANTED = "granted", _("Granted by the chair")
    DENIED = "denied", _("Ruled out of order")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Motion(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="motions")
    kind = models.CharField(_("motion"), max_length=40, choices=MotionKind.choices)
    proposer = models.ForeignKey(
        Seat, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    total_seconds = models.PositiveIntegerField(_("total time (seconds)"), null=True, blank=True)
    speaking_seconds = models.PositiveIntegerField(
        _("speaking time (seconds)"), null=True, blank=True
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MotionStatus.choices, default=MotionStatus.PENDING
    )
    raised_at = models.DateTimeField(_("raised"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "raised_at", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.proposer})"

    def as_rules(self) -> rules.Motion:
        return rules.Motion(
            rules.MotionKind(self.kind),
            self.proposer.key,
            self.total_seconds,
            self.speaking_seconds,
            self.topic,
        )


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INTRODUCED = "introduced", _("Introduced")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")


class DraftResolution(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="drafts")
    code = models.CharField(_("code"), max_length=20, help_text=_("E.g. DR 1/1."))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    sponsors = models.ManyToManyField(Seat, verbose_name=_("sponsors"), related_name="+")
    signatories = models.ManyToManyField(
        Seat, verbose_name=_("signatories"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    history = HistoricalRecords(m2m_fields=[sponsors, signatories])

    class Meta:
        ordering = ["committee", "code"]
        verbose_name = _("draft resolution")
        verbose_name_plural = _("draft resolutions")
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="draft_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class BallotKind(models.TextChoices):
    PROCEDURAL = "procedural", _("Procedural")
    SUBSTANTIVE = "substantive", _("Substantive")


class Ballot(models.Model):
    """A vote of the session, on a motion or a draft resolution; the outcome once closed."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(_("kind"), max_length=20, choices=BallotKind.choices)
    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots"
    )
    draft = models.ForeignKey(
        DraftResolution, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots"
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    abstain = models.PositiveSmallIntegerField(default=0)
    required = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    reason = models.CharField(_("outcome"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "opened_at", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(motion__isnull=False, draft__isnull=True)
                    | Q(motion__isnull=True, draft__isnull=False)
                ),
                name="ballot_on_motion_or_draft",
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(closed_at__isnull=True),
                name="ballot_one_open_per_session",
            ),
        ]

    def __str__(self) -> str:
        return str(self.motion or self.draft)


class CastVote(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    vote = models.CharField(
        _("vote"), max_length=10, choices=[(v.value, v.value) for v in rules.Vote]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cast vote")
        verbose_name_plural = _("cast votes")
        constraints = [models.UniqueConstraint(fields=["ballot", "seat"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.seat}: {self.vote}"


class EntryKind(models.TextChoices):
    OPENED = "opened", _("Session opened")
    ROLL_CALL = "roll_call", _("Roll call")
    SPEECH = "speech", _("Speech")
    MOTION = "motion", _("Motion raised")
    RULING = "ruling", _("Chair's ruling")
    VOTE = "vote", _("Vote")
    CAUCUS = "caucus", _("Caucus")
    DRAFT = "draft", _("Draft resolution")
    CLOSED = "closed", _("Session closed")


class MinuteEntry(models.Model):
    """One line of the session's minutes, written by the service that made the change."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="minutes")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    seconds = models.PositiveIntegerField(_("seconds"), null=True, blank=True)
    text = models.CharField(_("record"), max_length=500, blank=True)
    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "at", "pk"]
        verbose_name = _("minutes entry")
        verbose_name_plural = _("minutes entries")

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.get_kind_display()} {self.speaker} {self.text}".strip()
