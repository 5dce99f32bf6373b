"""Forms of the directory pages; they parse input, the services decide."""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from chancery.core.forms import field_of
from chancery.core.widgets import DateInput
from chancery.directory.models import (
    Affiliation,
    Consent,
    ConsentKind,
    Country,
    Organisation,
    Person,
)
from chancery.directory.names import name_key

DATE = DateInput()
# A record's number as typed, alone ("42") or after its name ("Embassy of X (#42)").
NUMBERED = re.compile(r"^(\d{1,18})$|\(#(\d{1,18})\)$")


class RecordPicker(forms.TextInput):
    """A text field that suggests records as one types, instead of a drop-down of the
    thousands a directory holds: htmx fetches a few matches into the field's datalist."""

    template_name = "directory/widgets/record_picker.html"

    def __init__(
        self,
        *,
        url_name: str,
        attrs: dict[str, Any] | None = None,
        narrow: dict[str, str] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.narrow = narrow or {}

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        choices = f"{widget['attrs'].get('id') or name}-choices"
        url = reverse(self.url_name) + (f"?{urlencode(self.narrow)}" if self.narrow else "")
        widget["attrs"].update(
            {
                "list": choices,
                "autocomplete": "off",
                "hx-get": url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{choices}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        widget["choices_id"] = choices
        return context


def record_label(record: Organisation | Person) -> str:
    """How a picker writes a chosen record: its name (a person's birth date too, namesakes
    are many) and its number."""
    born = getattr(record, "birth_date", None)
    return f"{record}, {born.isoformat()} (#{record.pk})" if born else f"{record} (#{record.pk})"


class RecordField(forms.ModelChoiceField):
    """One record of many, typed: its number, a suggestion "Name (#number)", or a name that
    fits exactly one. Checked by the server like a choice from a list, with the same error
    when nothing fits."""

    def __init__(
        self, queryset: Any, *, url_name: str, narrow: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "help_text", _("Type a few letters of the name, then pick it from the suggestions.")
        )
        super().__init__(
            queryset=queryset, widget=RecordPicker(url_name=url_name, narrow=narrow), **kwargs
        )

    def named(self, text: str) -> Q:
        """The records whose name is exactly `text`."""
        raise NotImplementedError

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Organisation | Person):
            return record_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            assert self.queryset is not None  # a picker is made with its queryset
            found = self.queryset.filter(pk=value).first()
            return record_label(found) if found else value
        return value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        number = NUMBERED.search(text)
        if number:
            return super().to_python(number.group(1) or number.group(2))
        assert self.queryset is not None
        found = list(self.queryset.filter(self.named(text))[:2])
        if len(found) == 1:
            return found[0]
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
        )


class OrganisationField(RecordField):
    """An organisation; of some kinds only, or none of others, in its suggestions and when
    checked."""

    def __init__(
        self, *, kinds: list[str] | None = None, not_kinds: list[str] | None = None, **kwargs: Any
    ) -> None:
        organisations = Organisation.objects.all()
        narrow = {}
        if kinds:
            organisations = organisations.filter(kind__in=kinds)
            narrow["kind"] = ",".join(kinds)
        if not_kinds:
            organisations = organisations.exclude(kind__in=not_kinds)
            narrow["not_kind"] = ",".join(not_kinds)
        super().__init__(
            organisations, url_name="directory:organisation_choices", narrow=narrow, **kwargs
        )

    def named(self, text: str) -> Q:
        named = Q()
        for field in ("name_en", "name_ru", "name_kk", "short_name"):
            named |= Q(**{f"{field}__iexact": text})
        return named


class PersonField(RecordField):
    """A person among those the form sets (`queryset`, none until then); with `role`, the
    suggestions are people who hold that affiliation role."""

    def __init__(self, *, queryset: Any = None, role: str = "", **kwargs: Any) -> None:
        super().__init__(
            Person.objects.none() if queryset is None else queryset,
            url_name="directory:person_choices",
            narrow={"role": role} if role else None,
            **kwargs,
        )

    def named(self, text: str) -> Q:
        key = name_key(text)
        return Q(name_key=key) if key else Q(pk__in=[])


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name_en",
            "name_ru",
            "name_kk",
            "short_name",
            "country",
            "parent",
            "website",
            "active",
            "notes",
            "owner",
        ]
        labels = {
            "name_en": _("name (English)"),
            "name_ru": _("name (Russian)"),
            "name_kk": _("name (Kazakh)"),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, an officer's entry is kept by their first office (services); only an
        # administrator's stays with no office.
        self.fields["owner"].queryset = offices  # type: ignore[attr-defined]
        if not self.instance.pk and "owner" not in self.initial:
            self.initial["owner"] = offices.first()


class PersonForm(forms.ModelForm):
    guardian = PersonField(label=_("Guardian"), required=False)
    citizenships = forms.ModelMultipleChoiceField(
        label=_("Citizenships"),
        queryset=Country.objects.all(),
        required=False,
        help_text=_("Leave empty when the citizenship is not known."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "given_name_cyrl",
            "family_name_cyrl",
            "display_name",
            "birth_date",
            "email",
            "phone",
            "class_year",
            "guardian",
            "owner",
            "notes",
        ]
        widgets = {"birth_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, offices: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = offices
        field_of(self, "guardian", forms.ModelChoiceField).queryset = people
        if self.instance.pk:
            self.fields["citizenships"].initial = list(self.instance.citizenships.all())
            guardians = people.exclude(pk=self.instance.pk)
            field_of(self, "guardian", forms.ModelChoiceField).queryset = guardians
            del self.fields["owner"]
        elif offices.count() == 1:
            self.fields["owner"].initial = offices.first()

    def _post_clean(self) -> None:
        # The services validate the whole object; the form only parses the fields.
        pass


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["kind", "given_by", "given_on", "note"]
        widgets = {"given_on": DATE}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [person.pk] + ([person.guardian_id] if person.guardian_id else [])
        givers = Person.objects.filter(pk__in=choices)
        field_of(self, "given_by", forms.ModelChoiceField).queryset = givers
        self.fields["given_by"].initial = person.guardian_id or person.pk

    def _post_clean(self) -> None:
        pass


class ConsentRequestForm(forms.Form):
    """Ask a pupil's guardian for consents by e-mail: the recorded guardian or another person
    the office keeps, or a new guardian by name and e-mail."""

    guardian = PersonField(
        label=_("Guardian"),
        required=False,
        help_text=_("A person the office keeps; leave empty to record a new guardian below."),
    )
    guardian_given_name = forms.CharField(
        label=_("New guardian's given name"), max_length=100, required=False
    )
    guardian_family_name = forms.CharField(
        label=_("New guardian's family name"), max_length=100, required=False
    )
    guardian_email = forms.EmailField(
        label=_("Guardian's e-mail"),
        required=False,
        help_text=_("For a new guardian, or a recorded one whose address is missing."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Consents to ask for"),
        choices=ConsentKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail and the page"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, person: Person, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "guardian", forms.ModelChoiceField).queryset = people.exclude(pk=person.pk)
        self.fields["guardian"].initial = person.guardian
        missing = [
            kind
            for kind in ConsentKind.values
            if not person.consents.filter(kind=kind, withdrawn_on__isnull=True).exists()
        ]
        self.fields["kinds"].initial = missing or list(ConsentKind.values)


class SchoolConsentRequestForm(forms.Form):
    """Ask the guardians of a school's minor pupils for the consents they have not given."""

    school = OrganisationField(label=_("School"), kinds=["school"])
    kinds = forms.MultipleChoiceField(
        label=_("Consents to ask for"),
        choices=ConsentKind.choices,
        initial=[ConsentKind.DATA_PROCESSING, ConsentKind.MEDIA],
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail and the page"), choices=settings.LANGUAGES
    )


class AffiliationForm(forms.ModelForm):
    organisation = OrganisationField(label=_("Organisation"))

    class Meta:
        model = Affiliation
        fields = ["organisation", "role", "title", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def _post_clean(self) -> None:
        pass


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Keep the record of"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, pair: tuple[Person, Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = field_of(self, "keep", forms.ChoiceField)
        keep.choices = [(str(p.pk), f"{p} (#{p.pk})") for p in pair]
