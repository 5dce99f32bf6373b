"""Forms of the allocation pages; they parse, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.allocation.models import Side
from chancery.directory.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    side = forms.ChoiceField(label=_("Who proposes"), choices=Side.choices,
                             initial=Side.APPLICANTS)
    start = forms.DateField(label=_("Placements start on"), required=False, widget=DATE,
                            help_text=_("Default: the edition's start."))


class HostForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Host or department"),
                                          queryset=Organisation.objects.filter(active=True))
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=100_000)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=100_000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
