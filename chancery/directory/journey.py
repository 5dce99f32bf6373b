"""A person's journey across programmes, in time order: what each app records of them.

The directory knows no app above it, so the apps that record a person's steps (programmes:
applications, placements, completions and certificates; events: the events they came to; Model
UN: the committees they sat in) register a provider here when they start (their AppConfig's
ready()). The person page asks every provider and shows the steps by date.

A provider is given the person and the reader and returns only the steps of records the reader
may see (each app applies its own visibility), each with a link when the reader may open it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chancery.directory.models import AffiliationRole, Person


@dataclass(frozen=True)
class Step:
    """One dated step: what happened (`title`), where or in which programme (`detail`)."""

    day: date
    title: str
    detail: str = ""
    url: str = ""
    kind: str = ""  # the app's word for the step, for its icon or tag


Provider = Callable[[Person, Any], Iterable[Step]]
#: The order of steps on the same day: one graduates before applying, completes before the
#: certificate is issued.
SAME_DAY_ORDER = (
    "affiliation",
    "graduated",
    "applied",
    "placed",
    "event",
    "mun",
    "completed",
    "certificate",
    "withdrawn",
)
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (once); usable as a decorator."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def journey(person: Person, reader: Any) -> list[Step]:
    """Every provider's steps for the person as the reader may see them, oldest first."""
    steps = [step for provider in _PROVIDERS for step in provider(person, reader)]
    rank = {kind: place for place, kind in enumerate(SAME_DAY_ORDER)}
    return sorted(steps, key=lambda step: (step.day, rank.get(step.kind, len(rank)), step.title))


@register
def affiliation_steps(person: Person, reader: Any) -> list[Step]:
    """The directory's own steps: graduating (an alumnus's affiliation ends), and the start of
    every other dated affiliation (the person page is shown only to readers who may see it)."""
    steps = []
    for affiliation in person.affiliations.select_related("organisation"):
        url = reverse("directory:organisation", args=[affiliation.organisation_id])
        if affiliation.role == AffiliationRole.ALUMNUS:
            if affiliation.end:
                steps.append(
                    Step(
                        affiliation.end,
                        _("Graduated from %(organisation)s")
                        % {"organisation": affiliation.organisation},
                        "",
                        url,
                        "graduated",
                    )
                )
        elif affiliation.start:
            steps.append(
                Step(
                    affiliation.start,
                    _("%(role)s at %(organisation)s")
                    % {
                        "role": affiliation.get_role_display(),
                        "organisation": affiliation.organisation,
                    },
                    affiliation.title,
                    url,
                    "affiliation",
                )
            )
    return steps
