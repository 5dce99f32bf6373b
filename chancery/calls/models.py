"""Calls for applications: an edition published with its form (questions and required
documents, as data), and the applications people draft and submit to it.

A submitted application becomes the edition's enrolment through programmes.services.apply.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.directory.models import Organisation
from chancery.programmes.models import Edition, Enrolment

#: File types a document may be asked in, each checked by its content (calls/content.py).
FILE_TYPES = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "jpg": "JPEG", "png": "PNG"}
#: File types a referee's letter may be in, and its size limit.
LETTER_TYPES = ["pdf", "docx", "odt"]
LETTER_MAX_MB = 5
MAX_REFEREES = 5


def _referees_help() -> str:
    # Read in the reader's language: a lazy text's % would read it once, in English, at import.
    return gettext(
        "How many referees an applicant names (0–%(max)d); each is sent a link to upload a letter."
    ) % {"max": MAX_REFEREES}


#: Addresses under /calls/ that are pages, not calls.
RESERVED_SLUGS = frozenset({"manage", "applications", "referee"})


class Call(models.Model):
    """An edition's public call for applications."""

    edition = models.OneToOneField(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="call"
    )
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("The end of the call's public address, e.g. jpo-2028."),
    )
    # Per language (translation.py): title_en (required), title_ru, title_kk; intro_*, eligible_*.
    title = models.CharField(_("title"), max_length=200, default="")
    intro = models.TextField(_("introduction"), blank=True, default="")
    eligible = models.TextField(_("who may apply"), blank=True, default="")
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Date and time in the office's time zone.")
    )
    published = models.BooleanField(_("published"), default=False)
    referees = models.PositiveSmallIntegerField(
        _("referees asked"), default=0, help_text=lazy(_referees_help, str)()
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(referees__lte=MAX_REFEREES),
                name="call_referees_bounded",
                violation_error_message=_("Ask for at most %(max)d referees.")
                % {"max": MAX_REFEREES},
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def office(self) -> Organisation:
        return self.edition.programme.owner

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is a page of its own; choose another address.")
                    % {"slug": self.slug}
                }
            )

    def is_open(self, at: object = None) -> bool:
        """Published and before its deadline."""
        return self.published and (at or timezone.now()) < self.deadline  # type: ignore[operator]


class QuestionKind(models.TextChoices):
    SHORT = "short", _("Short text")
    LONG = "long", _("Long text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    FILE = "file", _("File")


class Question(models.Model):
    """One question of a call's form."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300, default="")
    choices = models.TextField(
        _("choices"), blank=True, default="", help_text=_("For a choice: one option per line.")
    )
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class Document(models.Model):
    """A document the applicant must (or may) upload: CV, diploma, passport page…"""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=200, default="")
    file_types = models.CharField(
        _("file types"),
        max_length=100,
        default="pdf",
        help_text=_("Separated by commas, among: pdf, docx, odt, jpg, png."),
    )
    max_mb = models.PositiveSmallIntegerField(_("size limit (MB)"), default=5)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.name

    @property
    def types(self) -> list[str]:
        return [
            kind.strip().lower().lstrip(".") for kind in self.file_types.split(",") if kind.strip()
        ]

    @property
    def field_name(self) -> str:
        return f"document_{self.pk}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = [kind for kind in self.types if kind not in FILE_TYPES]
        if unknown or not self.types:
            raise ValidationError(
                {"file_types": _("Give file types among: pdf, docx, odt, jpg, png.")}
            )
        if not 1 <= self.max_mb <= int(settings.MAX_UPLOAD_MB):
            raise ValidationError(
                {
                    "max_mb": _("The size limit must be 1–%(max)d MB.")
                    % {"max": settings.MAX_UPLOAD_MB}
                }
            )


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Application(models.Model):
    """One account's application to a call: a draft until submitted."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    given_name = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    family_name = models.CharField(_("family name (Latin)"), max_length=100, blank=True)
    # What the applicant states of the facts the programme's rules read, when the office keeps
    # no record of them yet; they become the person record on submission.
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    class_year = models.PositiveSmallIntegerField(_("class year"), null=True, blank=True)
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                name="application_once",
                violation_error_message=_("You already have an application to this call."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} — {self.call}"

    @property
    def submitted(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED


def upload_path(instance: "Upload", filename: str) -> str:
    return f"calls/{instance.application.call_id}/{instance.application_id}/{filename}"


class Upload(models.Model):
    """A file of an application: a required document's, or a file question's answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="uploads")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    file = models.FileField(_("file"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=True, question__isnull=False)
                | models.Q(document__isnull=False, question__isnull=True),
                name="upload_answers_one_item",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Referee(models.Model):
    """Someone the applicant names to write a letter of reference. They receive an e-mailed
    signed link (calls.services.referee_link) to upload it without an account; the applicant
    sees only whether it arrived."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referees")
    name = models.CharField(_("referee's name"), max_length=200)
    email = models.EmailField(_("referee's e-mail"))
    requested_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    letter = models.FileField(_("letter"), upload_to="calls/letters/", max_length=300, blank=True)
    letter_kind = models.CharField(_("file type"), max_length=10, blank=True)
    letter_size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    received_at = models.DateTimeField(_("letter received at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("referee")
        verbose_name_plural = _("referees")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "application",
                name="referee_once",
                violation_error_message=_("This referee is already named."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def arrived(self) -> bool:
        return self.received_at is not None

    @property
    def download_name(self) -> str:
        """The letter's file name when downloaded."""
        return f"{_('letter')}-{self.name}.{self.letter_kind}"
