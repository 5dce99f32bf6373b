"""Forms of the event pages; they parse input (and times in the event's zone), services decide."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chancery.core.forms import field_of
from chancery.core.validators import upload_limit_text, validate_upload_size
from chancery.core.widgets import DateInput, DateTimeInput
from chancery.directory.models import ConsentKind
from chancery.events.models import DEFAULT_TIME_ZONE, EventKind

LOCAL = DateTimeInput()
DATE = DateInput()


def _zones() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones())]


class EventForm(forms.Form):
    edition: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Edition"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=200, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=200, required=False)
    starts = forms.DateTimeField(
        label=_("Starts"), widget=LOCAL, help_text=_("Local time of the time zone below.")
    )
    ends = forms.DateTimeField(label=_("Ends"), widget=LOCAL)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zones, initial=DEFAULT_TIME_ZONE)
    venue = forms.CharField(label=_("Venue (English)"), max_length=300, required=False)
    venue_ru = forms.CharField(label=_("Venue (Russian)"), max_length=300, required=False)
    venue_kk = forms.CharField(label=_("Venue (Kazakh)"), max_length=300, required=False)
    pairings: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Pairings"),
        queryset=None,
        required=False,
        help_text=_("Schools and embassies the event is for; none for the whole edition."),
    )
    organisers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Organisers"), queryset=None, required=False
    )
    speakers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Speakers"), queryset=None, required=False
    )
    public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Shown on the edition's public page and feed."),
    )
    hashtag = forms.CharField(
        label=_("Hashtag"),
        max_length=100,
        required=False,
        help_text=_("Empty: the programme's hashtag."),
    )
    description = forms.CharField(
        label=_("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_kk = forms.CharField(
        label=_("Description (Kazakh)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        editions: Any,
        pairings: Any,
        organisations: Any,
        people: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "edition", forms.ModelChoiceField).queryset = editions
        field_of(self, "pairings", forms.ModelChoiceField).queryset = pairings
        field_of(self, "organisers", forms.ModelChoiceField).queryset = organisations
        field_of(self, "speakers", forms.ModelChoiceField).queryset = people
        if not self.is_bound and editions.count() == 1:
            self.fields["edition"].initial = editions.first()

    def _in_zone(self, value: datetime, zone: str) -> datetime:
        """The wall-clock time typed, read in the chosen zone (the form read it in ours)."""
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=ZoneInfo(zone))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone") or DEFAULT_TIME_ZONE
        for name in ("starts", "ends"):
            if data.get(name):
                data[name] = self._in_zone(data[name], zone)
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("An event must end after it starts."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["starts_at"] = data.pop("starts")
        data["ends_at"] = data.pop("ends")
        return data


class PupilForm(forms.Form):
    edition: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Edition"), queryset=None)
    school: forms.ModelChoiceField = forms.ModelChoiceField(label=_("School"), queryset=None)
    given_name = forms.CharField(label=_("Pupil's given name"), max_length=100)
    family_name = forms.CharField(label=_("Pupil's family name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    guardian_given_name = forms.CharField(label=_("Guardian's given name"), max_length=100)
    guardian_family_name = forms.CharField(label=_("Guardian's family name"), max_length=100)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=40, required=False)
    consent_data = forms.BooleanField(
        label=_("The guardian consents to the processing of personal data"), required=False
    )
    consent_media = forms.BooleanField(
        label=_("The guardian consents to photos and media"),
        required=False,
        help_text=_("Without it the pupil is never named or shown on public pages."),
    )

    def __init__(self, *args: Any, editions: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "edition", forms.ModelChoiceField).queryset = editions
        field_of(self, "school", forms.ModelChoiceField).queryset = schools
        for name, queryset in (("edition", editions), ("school", schools)):
            if not self.is_bound and queryset.count() == 1:
                self.fields[name].initial = queryset.first()

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        consents = []
        if data.pop("consent_data"):
            consents.append(ConsentKind.DATA_PROCESSING)
        if data.pop("consent_media"):
            consents.append(ConsentKind.MEDIA)
        data["consents"] = consents
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("List (.csv or .xlsx)"),
        help_text=format_lazy(
            "{} {}",
            _("Columns: person_id, or given_name and family_name; attended (yes or no)."),
            upload_limit_text(),
        ),
        validators=[validate_upload_size, FileExtensionValidator(["csv", "xlsx"])],
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would be recorded"), required=False, initial=True
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=format_lazy("{} {}", _("A .jpg, .png or .webp file."), upload_limit_text()),
        # The content is checked by services.check_photo_content.
        validators=[validate_upload_size],
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    people: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("People shown"), queryset=None, required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "people", forms.ModelChoiceField).queryset = people


class PhotoEditForm(forms.Form):
    """A photo's caption and the people it shows (the image itself stays)."""

    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    people: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("People shown"), queryset=None, required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "people", forms.ModelChoiceField).queryset = people


class MediaLinkForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=500)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
