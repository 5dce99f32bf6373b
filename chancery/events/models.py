"""Outreach events of an edition: lectures, visits, concerts..., who attended, media, photos.

Times are stored in UTC; `time_zone` is the zone the event is entered and shown in (Asia/Almaty
by default, which moved from UTC+6 to UTC+5 on 1 March 2024: zoneinfo knows both).
"""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Organisation, Person
from chancery.programmes.models import Edition, Pairing

DEFAULT_TIME_ZONE = "Asia/Almaty"
PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Not a known time zone: %(zone)s."), params={"zone": value})


class EventKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    VISIT = "visit", _("Visit to a mission")
    CONCERT = "concert", _("Concert")
    PRESENTATION = "presentation", _("Presentation")
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    ROUNDTABLE = "roundtable", _("Roundtable")
    MODEL_UN = "model_un", _("Model UN meeting")
    CEREMONY = "ceremony", _("Ceremony")
    OTHER = "other", _("Other")


class Event(models.Model):
    """One event of an outreach edition, for some of its pairings (or for all, when none)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    # Per language (django-modeltranslation, see translation.py): title_en (required), title_ru,
    # title_kk, and description_en/_ru/_kk, venue_en/_ru/_kk; `title`, `description` and
    # `venue` read the reader's language with a fallback.
    title = models.CharField(_("title"), max_length=200, default="")
    title_en: str
    title_ru: str | None
    title_kk: str | None
    description = models.TextField(_("description"), blank=True)
    description_en: str | None
    description_ru: str | None
    description_kk: str | None
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    venue_en: str | None
    venue_ru: str | None
    venue_kk: str | None
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    pairings = models.ManyToManyField(
        Pairing, verbose_name=_("pairings"), blank=True, related_name="events"
    )
    speakers = models.ManyToManyField(
        Person, verbose_name=_("speakers"), blank=True, related_name="talks"
    )
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the edition's public page and feed.")
    )
    hashtag = models.CharField(_("hashtag"), max_length=100, blank=True)
    history = HistoricalRecords(m2m_fields=[organisers, pairings, speakers])

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["edition", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)

    def local(self, moment: datetime) -> datetime:
        """A stored time as a naive wall-clock time of the event's zone (templates keep it)."""
        return timezone.make_naive(moment, self.zone)

    @property
    def starts_local(self) -> datetime:
        return self.local(self.starts_at)

    @property
    def ends_local(self) -> datetime:
        return self.local(self.ends_at)


class Attendance(models.Model):
    """A person invited to an event, and whether they came (ticked at the door)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    attended = models.BooleanField(_("attended"), default=False)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__family_name", "person__given_name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="attendance_once",
                violation_error_message=_("This person is already on the event's list."),
            ),
        ]
        # The edition report counts who came to each event without reading the rows.
        indexes = [
            models.Index(fields=["event", "attended", "person"], name="attendance_event_attended")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class MediaLink(models.Model):
    """A link to coverage of the event: an article, a video, a post."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="media_links")
    url = models.URLField(_("address"), max_length=500)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("media link")
        verbose_name_plural = _("media links")

    def __str__(self) -> str:
        return self.caption or self.url


def photo_path(instance: "Photo", filename: str) -> str:
    return f"events/{instance.event_id}/{filename}"


class Photo(models.Model):
    """A photo of an event and the people it shows (public only when all of them consent)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("image"),
        upload_to=photo_path,
        max_length=300,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
        help_text=_("A .jpg, .png or .webp file."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("people shown"), blank=True, related_name="photos"
    )
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""
