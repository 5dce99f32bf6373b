from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.core.widgets import DateInput
from chancery.mun.models import ChairRole, MotionKind, RuleProfile, SustainableDevelopmentGoal
from chancery.programmes.models import Edition


class ConferenceForm(forms.Form):
    edition = forms.ModelChoiceField(Edition.objects.none(), label=_("Edition"))
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    goal = forms.ModelChoiceField(
        SustainableDevelopmentGoal.objects.all(), label=_("Sustainable development goal")
    )

    def __init__(self, *args: object, editions: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["edition"].queryset = editions  # type: ignore[attr-defined]


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=20, required=False)
    profile = forms.ModelChoiceField(RuleProfile.objects.all(), label=_("Rules of procedure"))
    agenda = forms.CharField(
        label=_("Agenda items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )


class OfficerForm(forms.Form):
    person = forms.IntegerField(label=_("Person (id)"), min_value=1)
    role = forms.ChoiceField(label=_("Role"), choices=ChairRole.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class MotionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Motion"), choices=MotionKind.choices)
    proposer = forms.IntegerField(label=_("Raised by"), min_value=1)
    total_seconds = forms.IntegerField(
        label=_("Total time (seconds)"), min_value=1, max_value=7200, required=False
    )
    speaking_seconds = forms.IntegerField(
        label=_("Speaking time (seconds)"), min_value=1, max_value=3600, required=False
    )
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)


class DraftForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=300)
    sponsors = forms.TypedMultipleChoiceField(label=_("Sponsors"), coerce=int, choices=())
    signatories = forms.TypedMultipleChoiceField(
        label=_("Signatories"), coerce=int, choices=(), required=False
    )

    def __init__(self, *args: object, seats: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sponsors"].choices = seats  # type: ignore[attr-defined]
        self.fields["signatories"].choices = seats  # type: ignore[attr-defined]
