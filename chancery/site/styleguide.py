"""/styleguide/: the design system's tokens and components, each shown as pages use it, for
the officers who build and review pages (deny by default, like every page)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chancery.accounts.access import is_officer
from chancery.agreements.models import AgreementStatus
from chancery.core.access import allow
from chancery.core.sorting import Column, sorting_of
from chancery.directory.models import Country
from chancery.draws.models import DrawStatus
from chancery.programmes.models import EnrolmentState

COLOUR_TOKENS = (
    "ink",
    "muted",
    "line",
    "field-line",
    "paper",
    "wash",
    "raised",
    "accent",
    "accent-ink",
    "accent-strong",
    "header",
    "header-ink",
    "ok",
    "ok-wash",
    "bad",
    "bad-wash",
    "warn",
    "warn-wash",
    "info",
    "info-wash",
    "focus",
)
TYPE_SCALE = ("xs", "s", "m", "l", "xl", "xxl")
SPACING = (1, 2, 3, 4, 5, 6)


class ExampleForm(forms.Form):
    """The error summary's exhibit: a form sent with two mistakes."""

    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))


# The sortable table's exhibit: a few countries, by name (in the reader's language) or code.
EXAMPLE_COLUMNS = (
    Column("name", _("Country"), ("name_*",)),
    Column("code", _("ISO alpha-3"), ("alpha3",)),
)
EXAMPLE_COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ", "MN")


def _statuses() -> list[tuple[str, list[tuple[str, str | Promise]]]]:
    """Each family of statuses a page shows, with its values and words."""
    agreements: list[tuple[str, str | Promise]] = [
        *AgreementStatus.choices[:2],
        ("ending", _("Ending soon")),
        *AgreementStatus.choices[2:],
    ]
    return [
        (str(_("Enrolments")), list(EnrolmentState.choices)),
        (str(_("Agreements")), agreements),
        (str(_("Draws")), list(DrawStatus.choices)),
    ]


@allow(is_officer)
def styleguide(request: HttpRequest) -> HttpResponse:
    sorting = sorting_of(request, EXAMPLE_COLUMNS)
    countries = sorting.apply(Country.objects.filter(alpha2__in=EXAMPLE_COUNTRIES))
    return render(
        request,
        "core/styleguide.html",
        {
            "colours": COLOUR_TOKENS,
            "type_scale": TYPE_SCALE,
            "spacing": SPACING,
            "statuses": _statuses(),
            "example_form": ExampleForm({"name": "", "email": "not an address"}),
            "sorting": sorting,
            "countries": countries,
        },
    )
