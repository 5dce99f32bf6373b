from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.core.widgets import DateInput
from chancery.mun.models import ChairRole, MotionKind, RuleProfile, SustainableDevelopmentGoal
from chancery.programmes.models import Edition

#: The longest agenda item (AgendaItem.title).
AGENDA_TITLE_LENGTH = 300


class ConferenceForm(forms.Form):
    edition = forms.ModelChoiceField(Edition.objects.none(), label=_("Edition"))
    title = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=200, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=200, required=False)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    theme = forms.CharField(label=_("Theme (English)"), max_length=200)
    theme_ru = forms.CharField(label=_("Theme (Russian)"), max_length=200, required=False)
    theme_kk = forms.CharField(label=_("Theme (Kazakh)"), max_length=200, required=False)
    goal = forms.ModelChoiceField(
        SustainableDevelopmentGoal.objects.all(), label=_("Sustainable development goal")
    )

    def __init__(self, *args: object, editions: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["edition"].queryset = editions  # type: ignore[attr-defined]


def _translated_lines(text: str, limit: int) -> list[str]:
    """The lines of a translated agenda, each on the line of its English item (a blank line
    leaves that item untranslated)."""
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if any(len(line) > limit for line in lines):
        raise forms.ValidationError(
            _("Each item has at most %(limit)s characters.") % {"limit": limit}
        )
    return lines


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=200)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=200, required=False)
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=20, required=False)
    profile = forms.ModelChoiceField(RuleProfile.objects.all(), label=_("Rules of procedure"))
    agenda = forms.CharField(
        label=_("Agenda items (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )
    agenda_ru = forms.CharField(
        label=_("Agenda items (Russian)"),
        required=False,
        strip=False,  # a blank first line leaves the first item untranslated
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each item on the line of its English item."),
    )
    agenda_kk = forms.CharField(
        label=_("Agenda items (Kazakh)"),
        required=False,
        strip=False,  # a blank first line leaves the first item untranslated
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each item on the line of its English item."),
    )

    def clean_agenda_ru(self) -> list[str]:
        return _translated_lines(self.cleaned_data["agenda_ru"], AGENDA_TITLE_LENGTH)

    def clean_agenda_kk(self) -> list[str]:
        return _translated_lines(self.cleaned_data["agenda_kk"], AGENDA_TITLE_LENGTH)


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
