"""Read-side selections of the directory for pages, the API and reports."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.directory.models import (
    AffiliationRole,
    Country,
    Organisation,
    Person,
)
from chancery.directory.names import name_key


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People the user may see: officers and viewers their office's records, others their own."""
    people = Person.objects.all()
    if user.is_superuser:
        return people
    office = organisations_where(user, Role.OFFICER, Role.VIEWER)
    supervised = organisations_where(user, Role.SUPERVISOR)
    schools = organisations_where(user, Role.COORDINATOR)
    embassies = organisations_where(user, Role.LIAISON)
    visible = Q(user=user)
    if office:
        visible |= Q(owner__in=office)
    if supervised:
        visible |= Q(affiliations__organisation__in=supervised,
                     affiliations__role=AffiliationRole.INTERN)
    if schools:
        visible |= Q(affiliations__organisation__in=schools,
                     affiliations__role__in=[AffiliationRole.PUPIL, AffiliationRole.TEACHER])
    if embassies:
        visible |= Q(affiliations__organisation__in=embassies)
    if supervised or schools or embassies:
        return people.filter(pk__in=Person.objects.filter(visible).values("pk"))
    return people.filter(visible)


def people_editable_by(user: Any) -> QuerySet[Person]:
    """People whose records the user may change: those kept by an office where they are officer."""
    if user.is_superuser:
        return Person.objects.all()
    return Person.objects.filter(owner__in=organisations_where(user, Role.OFFICER))


def offices_of(user: Any) -> QuerySet[Organisation]:
    """Organisations where the user is an officer: the offices that can keep new records."""
    if user.is_superuser:
        return Organisation.objects.filter(role_assignments__role=Role.OFFICER).distinct()
    return Organisation.objects.filter(pk__in=organisations_where(user, Role.OFFICER))


def search_people(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Match every word of `text` in any script against names, plus e-mail."""
    text = text.strip()
    if not text:
        return people
    condition = Q()
    for word in name_key(text).split():
        condition &= Q(name_key__contains=word)
    if "@" in text:
        condition = Q(email__iexact=text)
    return people.filter(condition)


def people_list(people: QuerySet[Person], *, text: str = "", citizenship: str = "",
                organisation: int | None = None, no_citizenship: bool = False) -> QuerySet[Person]:
    """The people list with its filters, with what a row shows prefetched."""
    people = search_people(people, text)
    if citizenship:
        people = people.filter(citizenship_set__country_id=citizenship.upper())
    if no_citizenship:
        people = people.filter(citizenship_set__isnull=True)
    if organisation is not None:
        people = people.filter(affiliations__organisation_id=organisation)
    return people.distinct().select_related("owner").prefetch_related("citizenships")


def person_detail(people: QuerySet[Person], pk: int) -> Person:
    """One visible person with citizenships, consents and affiliations loaded."""
    return people.select_related("owner", "guardian").prefetch_related(
        "citizenship_set__country",
        "consents__given_by",
        "affiliations__organisation",
        "wards",
    ).get(pk=pk)


def organisations_list(*, text: str = "", kind: str = "", country: str = "",
                       parent: int | None = None) -> QuerySet[Organisation]:
    """Organisations matching a search, with their country and parent."""
    organisations = Organisation.objects.select_related("country", "parent")
    if text.strip():
        words = text.split()
        for word in words:
            organisations = organisations.filter(
                Q(name_en__icontains=word) | Q(name_ru__icontains=word)
                | Q(name_kk__icontains=word) | Q(short_name__icontains=word)
            )
    if kind:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country_id=country.upper())
    if parent is not None:
        organisations = organisations.filter(parent_id=parent)
    return organisations


def countries_list(text: str = "") -> QuerySet[Country]:
    """Countries whose code or name in any language matches."""
    countries = Country.objects.all()
    text = text.strip()
    if text:
        countries = countries.filter(
            Q(alpha2__iexact=text) | Q(alpha3__iexact=text) | Q(name_en__icontains=text)
            | Q(name_ru__icontains=text) | Q(name_kk__icontains=text)
        )
    return countries


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
    reasons: tuple[str, ...]


def likely_duplicates(people: QuerySet[Person]) -> list[DuplicatePair]:
    """Pairs with the same name across scripts and the same birth date or e-mail."""
    keys = (
        people.exclude(name_key="").values("name_key").annotate(n=Count("id")).filter(n__gt=1)
        .values_list("name_key", flat=True)
    )
    groups: dict[str, list[Person]] = defaultdict(list)
    for person in people.filter(name_key__in=list(keys)).order_by("id"):
        groups[person.name_key].append(person)
    pairs = []
    for group in groups.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                reasons = []
                if first.birth_date and first.birth_date == second.birth_date:
                    reasons.append(_("birth date"))
                if first.email and first.email.lower() == second.email.lower():
                    reasons.append(_("e-mail"))
                if reasons:
                    pairs.append(DuplicatePair(first, second, tuple(reasons)))
    return pairs


def directory_figures(people: QuerySet[Person]) -> dict[str, int]:
    """Counts for the dashboard."""
    return {
        "people": people.count(),
        "without_citizenship": people.filter(citizenship_set__isnull=True).count(),
        "organisations": Organisation.objects.count(),
        "countries": Country.objects.filter(citizens__isnull=False).distinct().count(),
    }
