"""Forms of the allocation pages; they parse, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chancery.allocation.models import PriorityRule, RoundKind, Side
from chancery.core.widgets import DateInput
from chancery.directory.models import Country, Organisation

DATE = DateInput()


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("What is allocated"),
        choices=RoundKind.choices,
        initial=RoundKind.ENROLMENTS,
        required=False,
    )
    side = forms.ChoiceField(label=_("Who proposes"), choices=Side.choices, initial=Side.APPLICANTS)
    start = forms.DateField(
        label=_("Placements start on"),
        required=False,
        widget=DATE,
        help_text=_("Default: the edition's start."),
    )
    priority_rule = forms.ChoiceField(
        label=_("Priority of hosts without their own ranking"),
        choices=PriorityRule.choices,
        initial=PriorityRule.DRAW,
        required=False,
    )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or RoundKind.ENROLMENTS

    def clean_priority_rule(self) -> str:
        return self.cleaned_data.get("priority_rule") or PriorityRule.DRAW


class ChoicesForm(forms.Form):
    """An applicant's ranked choices: one select per rank, best first."""

    def __init__(
        self, *args: Any, hosts: Any, ranks: int, initial_hosts: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        chosen = list(initial_hosts)
        for rank in range(1, ranks + 1):
            self.fields[f"choice_{rank}"] = forms.ModelChoiceField(
                label=_("Choice %(rank)s") % {"rank": rank},
                queryset=hosts,
                required=False,
                initial=chosen[rank - 1] if rank <= len(chosen) else None,
            )

    def hosts(self) -> list[Any]:
        picked = [self.cleaned_data[name] for name in self.fields]
        return [host for host in picked if host is not None]


class HostForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Host or department"), queryset=Organisation.objects.filter(active=True)
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=100_000)


class CountryHostForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    capacity = forms.IntegerField(
        label=_("Schools"),
        min_value=0,
        max_value=100_000,
        initial=1,
        help_text=_("Usually one school per country."),
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=100_000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
