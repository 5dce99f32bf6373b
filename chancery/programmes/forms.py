"""Forms of the programme pages; they parse, the services decide."""

import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chancery.agreements.models import Agreement
from chancery.core.forms import field_of
from chancery.core.validators import upload_limit_text, validate_upload_size
from chancery.core.widgets import DateInput
from chancery.directory.forms import OrganisationField, PersonField
from chancery.directory.models import (
    Affiliation,
    AffiliationRole,
    OrganisationKind,
    Person,
)
from chancery.programmes.models import Edition, EnrolmentState, Evaluation, Programme
from chancery.programmes.queries import preferred_hosts

DATE = DateInput()


def version_field() -> forms.IntegerField:
    """The enrolment's version the page showed; a change made since refuses the form."""
    return forms.IntegerField(
        label=_("Version"), required=False, min_value=0, widget=forms.HiddenInput
    )


class ProgrammeForm(forms.ModelForm):
    agreements: forms.ModelMultipleChoiceField[Agreement] = forms.ModelMultipleChoiceField(
        label=_("Under agreements"), queryset=Agreement.objects.all(), required=False
    )

    class Meta:
        model = Programme
        fields = [
            "name_en",
            "name_ru",
            "name_kk",
            "kind",
            "owner",
            "default_duration_months",
            "description_en",
            "description_ru",
            "description_kk",
        ]
        labels = {
            "name_en": _("name (English)"),
            "name_ru": _("name (Russian)"),
            "name_kk": _("name (Kazakh)"),
            "description_en": _("description (English)"),
            "description_ru": _("description (Russian)"),
            "description_kk": _("description (Kazakh)"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("description_en", "description_ru", "description_kk")
        }

    def __init__(self, *args: Any, offices: Any, agreements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = offices
        field_of(self, "agreements", forms.ModelChoiceField).queryset = agreements
        if self.instance.pk:
            self.fields["agreements"].initial = list(self.instance.agreements.all())


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            "name",
            "year",
            "starts_on",
            "ends_on",
            "capacity",
            "applications_open",
            "applications_close",
        ]
        widgets = dict.fromkeys(
            ("starts_on", "ends_on", "applications_open", "applications_close"), DATE
        )

    def _post_clean(self) -> None:
        pass


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rule"))
    params = forms.CharField(
        label=_("Parameters (JSON)"),
        initial="{}",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('e.g. {"countries": ["KZ", "KG", "AF"]}'),
    )
    label = forms.CharField(label=_("Wording"), max_length=300, required=False)

    def __init__(self, *args: Any, kinds: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = list(kinds.items())

    def clean_params(self) -> dict[str, Any]:
        text = self.cleaned_data.get("params") or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s"), params={"error": error.msg}
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give an object, e.g. {}."))
        return value


class EnrolForm(forms.Form):
    # A picker: an office keeps tens of thousands of people, too many for a drop-down.
    person = PersonField(label=_("Person"))
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", forms.ModelChoiceField).queryset = people


class ApplyForm(forms.Form):
    preferred_host = forms.ModelChoiceField(
        label=_("Where would you like to serve?"),
        required=False,
        queryset=preferred_hosts(),
        help_text=_("Eligibility is checked against this host."),
    )
    motivation = forms.CharField(
        label=_("Why do you apply?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class StateForm(forms.Form):
    target = forms.ChoiceField(label=_("Move to"), choices=EnrolmentState.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a withdrawal or an override."),
    )
    version = version_field()


class PlaceForm(forms.Form):
    # Pickers: a national directory holds thousands of organisations and people.
    host = OrganisationField(label=_("Host organisation"), not_kinds=[OrganisationKind.DEPARTMENT])
    department = OrganisationField(
        label=_("Department"), required=False, kinds=[OrganisationKind.DEPARTMENT]
    )
    supervisor = PersonField(
        label=_("Supervisor"),
        required=False,
        role=AffiliationRole.SUPERVISOR,
        queryset=Person.objects.filter(
            pk__in=Affiliation.objects.filter(role=AffiliationRole.SUPERVISOR).values("person")
        ),
    )
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(
        label=_("End"),
        widget=DATE,
        required=False,
        help_text=_("Empty: the programme's default duration."),
    )
    version = version_field()


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in Evaluation.CRITERIA:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[(n, str(n)) for n in range(1, 6)],
                widget=forms.RadioSelect,
            )
        self.order_fields([key for key, _label in Evaluation.CRITERIA] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _label in Evaluation.CRITERIA}


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Final report"),
        help_text=format_lazy("{} {}", _("PDF, DOCX, ODT, DOC or TXT."), upload_limit_text()),
        validators=[
            validate_upload_size,
            FileExtensionValidator(["pdf", "docx", "odt", "doc", "txt"]),
        ],
    )


class TestimonialForm(forms.Form):
    text = forms.CharField(
        label=_("Your testimonial"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES, required=False)
    publish = forms.BooleanField(
        label=_("I agree that it is published on the programme page"), required=False
    )
