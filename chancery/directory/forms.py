"""Forms of the directory pages; they parse input, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.directory.models import (
    Affiliation,
    Consent,
    Country,
    Organisation,
    Person,
)

DATE = forms.DateInput(attrs={"type": "date"})


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["kind", "name_en", "name_ru", "name_kk", "short_name", "country", "parent",
                  "website", "active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PersonForm(forms.ModelForm):
    citizenships = forms.ModelMultipleChoiceField(
        label=_("Citizenships"), queryset=Country.objects.all(), required=False,
        help_text=_("Leave empty when the citizenship is not known."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Person
        fields = ["given_name", "family_name", "given_name_cyrl", "family_name_cyrl",
                  "display_name", "birth_date", "email", "phone", "class_year", "guardian",
                  "owner", "notes"]
        widgets = {"birth_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, offices: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = offices
        self.fields["guardian"].queryset = people
        if self.instance.pk:
            self.fields["citizenships"].initial = list(self.instance.citizenships.all())
            self.fields["guardian"].queryset = people.exclude(pk=self.instance.pk)
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
        self.fields["given_by"].queryset = Person.objects.filter(pk__in=choices)
        self.fields["given_by"].initial = person.guardian_id or person.pk

    def _post_clean(self) -> None:
        pass


class AffiliationForm(forms.ModelForm):
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
        self.fields["keep"].choices = [(str(p.pk), f"{p} (#{p.pk})") for p in pair]
