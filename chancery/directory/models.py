"""The directory: countries, organisations, people, citizenships, consents, affiliations."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chancery.core.formats.days import day_text

ADULT_AGE = 18


def birth_date_problem(born: date, today: date) -> str | None:
    """Why a birth date cannot be right (it is still to come), or None."""
    if born > today:
        return _("The birth date %(date)s is in the future.") % {"date": day_text(born)}
    return None


LANGUAGE_ORDER = ("en", "ru", "kk")
CYRILLIC_LANGUAGES = {"ru", "kk"}


def is_cyrillic(text: str) -> bool:
    """Whether the text is written (at least partly) in Cyrillic script."""
    return any("\u0400" <= char <= "\u04ff" for char in text)


def localized(obj: object, field: str) -> str:
    """The value of `field` in the active language, else English, else any filled language.

    The same order django-modeltranslation follows for the translated content (see
    MODELTRANSLATION_FALLBACK_LANGUAGES); used for the countries, whose names are reference data.
    """
    language = (get_language() or "en")[:2]
    for code in (language, *LANGUAGE_ORDER):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class Country(models.Model):
    """A country of ISO 3166-1, loaded from the pycountry data set by a migration."""

    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    STATE_AGENCY = "agency", _("State agency")
    ACADEMY = "academy", _("Academy")
    EMBASSY = "embassy", _("Embassy")
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    INTERNATIONAL = "international", _("International organisation")
    DEPARTMENT = "department", _("Department")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A ministry, agency, academy, embassy, school...; departments are its children."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    # One name per language: django-modeltranslation adds name_en (required), name_ru and
    # name_kk (see translation.py); `name` reads the reader's language with a fallback.
    name = models.CharField(_("name"), max_length=200, default="")
    name_en: str
    name_ru: str | None
    name_kk: str | None
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # Everyone signed in reads the directory of organisations; only the office keeping an entry
    # changes it or reads its history. An entry kept by no office (from before offices kept
    # entries, or whose office is gone) is changed by administrators (superusers) only.
    owner = models.ForeignKey(
        "self",
        verbose_name=_("record kept by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations_kept",
        help_text=_("The office that keeps this entry: only its officers change it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organisation_not_its_own_parent"
            ),
        ]
        # Named: name_en exists only once django-modeltranslation has registered the model.
        indexes = [
            models.Index(fields=["kind", "name_en"], name="directory_o_kind_d61973_idx"),
            # The lists' order: a page is read from the index, not sorted from every row.
            models.Index(fields=["name_en", "id"], name="organisation_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Organisation"]:
        """The chain of parents, nearest first."""
        chain: list[Organisation] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class OfficeHistory(HistoricalRecords):
    """A person's audit trail, also indexed by the office that kept the record and the time:
    the dashboard reads an office's latest changes from that index."""

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        meta = super().get_meta_options(model)
        meta["indexes"] = (
            models.Index(fields=("owner", "history_date"), name="person_history_by_office"),
        )
        return meta


class Person(models.Model):
    """Anyone Chancery knows: alumni, interns, diplomats, teachers, pupils, guardians."""

    given_name = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    family_name = models.CharField(_("family name (Latin)"), max_length=100, blank=True)
    given_name_cyrl = models.CharField(_("given name (Cyrillic)"), max_length=100, blank=True)
    family_name_cyrl = models.CharField(_("family name (Cyrillic)"), max_length=100, blank=True)
    display_name = models.CharField(
        _("preferred name"),
        max_length=200,
        blank=True,
        help_text=_("How the person wants to be called; left empty, the Latin name is used."),
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    class_year = models.PositiveSmallIntegerField(
        _("class year"),
        null=True,
        blank=True,
        help_text=_("Year of graduation from the academy, where relevant."),
    )
    notes = models.TextField(_("notes"), blank=True)
    citizenships = models.ManyToManyField(
        Country, through="Citizenship", related_name="citizens", verbose_name=_("citizenships")
    )
    guardian = models.ForeignKey(
        "self",
        verbose_name=_("guardian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("record kept by"),
        on_delete=models.PROTECT,
        related_name="people_kept",
        help_text=_("The office that keeps this record; its officers see and edit it."),
    )
    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = OfficeHistory(excluded_fields=["name_key"])

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The list's order: a page of 25 is read from the index, not sorted from the table.
            models.Index(fields=["family_name", "given_name", "id"], name="person_list_order"),
            # A name search reads only this index (with the office keeping the record), not
            # the table; on PostgreSQL a trigram index serves it (migration 0005).
            models.Index(fields=["name_key", "owner"], name="person_name_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(
                    given_name="",
                    family_name="",
                    given_name_cyrl="",
                    family_name_cyrl="",
                    display_name="",
                ),
                name="person_has_a_name",
                violation_error_message=_("A person needs a name in at least one script."),
            ),
            models.CheckConstraint(
                condition=~Q(guardian=models.F("id")), name="person_not_own_guardian"
            ),
            models.CheckConstraint(
                condition=Q(class_year__isnull=True)
                | Q(class_year__gte=1950, class_year__lte=2100),
                name="person_class_year_plausible",
                violation_error_message=_("Class year must be between 1950 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def latin_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def cyrillic_name(self) -> str:
        return " ".join(part for part in (self.given_name_cyrl, self.family_name_cyrl) if part)

    @property
    def name(self) -> str:
        """The name in the script of the reader's language (Cyrillic for ru and kk, else Latin).

        The preferred name is used when it is in that script, or when the person's name is not
        known in that script; otherwise the name in the reader's script wins.
        """
        cyrillic_reader = (get_language() or "en")[:2] in CYRILLIC_LANGUAGES
        preferred = self.cyrillic_name if cyrillic_reader else self.latin_name
        if self.display_name and (
            is_cyrillic(self.display_name) == cyrillic_reader or not preferred
        ):
            return self.display_name
        return preferred or self.display_name or self.latin_name or self.cyrillic_name

    def clean(self) -> None:
        super().clean()
        # An unreadable date is clean_fields' error; clean() still runs with the raw value.
        if isinstance(self.birth_date, date) and (
            problem := birth_date_problem(self.birth_date, timezone.localdate())
        ):
            raise ValidationError({"birth_date": problem})

    def age_on(self, day: date) -> int | None:
        """Age in whole years on `day`, or None when the birth date is unknown."""
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_minor(self, on: date | None = None) -> bool:
        """Under 18 on the given day (today by default); unknown birth date is not a minor."""
        age = self.age_on(on or timezone.localdate())
        return age is not None and age < ADULT_AGE


class Citizenship(models.Model):
    """One citizenship of a person; a person with none has an unknown citizenship."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizenship_set")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citizenship")
        verbose_name_plural = _("citizenships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "country"],
                name="citizenship_once_per_country",
                violation_error_message=_("This person already has this citizenship."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.country}"


class ConsentKind(models.TextChoices):
    DATA_PROCESSING = "data", _("Processing of personal data")
    MEDIA = "media", _("Photos and media")
    TESTIMONIAL = "testimonial", _("Publication of testimonial")


# What a guardian agrees to with each kind, as the consent page tells them.
CONSENT_COVERS = {
    ConsentKind.DATA_PROCESSING: _(
        "The office records the pupil's name, birth date, school and attendance, and keeps "
        "them for the programme's records and reports. Without it the pupil cannot take part."
    ),
    ConsentKind.MEDIA: _(
        "Photos and videos showing the pupil, and the pupil's name, may be published on the "
        "programme's public pages. Withdrawn, they disappear from the public pages."
    ),
    ConsentKind.TESTIMONIAL: _(
        "A testimonial the pupil writes about the programme may be published with their name."
    ),
}


class ConsentChannel(models.TextChoices):
    """How a consent was given or withdrawn."""

    OFFICE = "office", _("recorded by the office")
    LINK = "link", _("by the guardian through the consent link")


class Consent(models.Model):
    """A consent given by the person, or for a minor by the guardian; withdrawable."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    given_by = models.ForeignKey(
        Person, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="consents_given"
    )
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    given_via = models.CharField(
        _("given"), max_length=10, choices=ConsentChannel.choices, default=ConsentChannel.OFFICE
    )
    withdrawn_via = models.CharField(
        _("withdrawn"), max_length=10, blank=True, choices=ConsentChannel.choices
    )
    request = models.ForeignKey(
        "ConsentRequest",
        verbose_name=_("consent request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        help_text=_("The request whose link the guardian answered."),
    )
    link_address = models.GenericIPAddressField(
        _("answered from (address)"),
        null=True,
        blank=True,
        help_text=_("The network address the guardian's last answer through the link came from."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person}"

    def is_active(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    @staticmethod
    def audit_actor(record: Any) -> str:
        """Who made a change recorded without a user (core.audit asks): the guardian, when
        the change came through a consent link."""
        withdrawn_by_link = record.withdrawn_on and record.withdrawn_via == ConsentChannel.LINK
        given_by_link = not record.withdrawn_on and record.given_via == ConsentChannel.LINK
        if not (withdrawn_by_link or given_by_link):
            return ""
        return _(
            "%(guardian)s (guardian), through the link of consent request #%(request)s, "
            "from %(address)s"
        ) % {
            "guardian": record.given_by,
            "request": record.request_id or "—",
            "address": record.link_address or "—",
        }


CONSENT_LINK_DAYS = 30


class ConsentRequest(models.Model):
    """A request to a minor's guardian to give or withdraw consents through a link, valid
    for CONSENT_LINK_DAYS; only the hash of the link's token is kept."""

    person = models.ForeignKey(
        Person, verbose_name=_("pupil"), on_delete=models.CASCADE, related_name="consent_requests"
    )
    guardian = models.ForeignKey(
        Person,
        verbose_name=_("guardian"),
        on_delete=models.PROTECT,
        related_name="consent_requests_received",
    )
    kinds = models.JSONField(_("consents asked for"), default=list)
    language = models.CharField(_("language"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("last answered at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(guardian=models.F("person")), name="consent_request_not_to_the_pupil"
            ),
        ]

    def __str__(self) -> str:
        return _("Consent request #%(number)s for %(person)s") % {
            "number": self.pk,
            "person": self.person,
        }

    def clean(self) -> None:
        super().clean()
        unknown = [kind for kind in self.kinds or [] if kind not in ConsentKind.values]
        if not self.kinds or unknown:
            raise ValidationError(
                {
                    "kinds": _("Choose at least one consent to ask for.")
                    if not self.kinds
                    else _("Unknown consent: %(kind)s.") % {"kind": ", ".join(map(str, unknown))}
                }
            )

    def is_live(self, at: Any = None) -> bool:
        """Whether the link may still be used: neither expired nor revoked."""
        return self.revoked_at is None and (at or timezone.now()) < self.expires_at

    def kind_labels(self) -> list[str]:
        return [str(ConsentKind(kind).label) for kind in self.kinds if kind in ConsentKind.values]


class AffiliationRole(models.TextChoices):
    STUDENT = "student", _("Student")
    ALUMNUS = "alumnus", _("Alumnus")
    STAFF = "staff", _("Staff")
    DIPLOMAT = "diplomat", _("Diplomat")
    TEACHER = "teacher", _("Teacher")
    PUPIL = "pupil", _("Pupil")
    SUPERVISOR = "supervisor", _("Supervisor")
    INTERN = "intern", _("Intern")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class Affiliation(models.Model):
    """A person's role at an organisation over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=20, choices=AffiliationRole.choices)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=200, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=models.F("start")),
                name="affiliation_ends_after_start",
                violation_error_message=_("An affiliation cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.organisation}"

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)
