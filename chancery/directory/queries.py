"""Read-side selections of the directory for pages, the API and reports."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.core.versioned import cached_by_version, scope_of
from chancery.directory.models import (
    AffiliationRole,
    Citizenship,
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
    person_id = getattr(user, "person_id", None)
    # Their own record, by the user's link to it (no join through the users table).
    visible = Q(pk=person_id) if person_id is not None else Q(pk__in=[])
    if office:
        visible |= Q(owner__in=office)
    if supervised:
        visible |= Q(
            affiliations__organisation__in=supervised, affiliations__role=AffiliationRole.INTERN
        )
    if schools:
        visible |= Q(
            affiliations__organisation__in=schools,
            affiliations__role__in=[AffiliationRole.PUPIL, AffiliationRole.TEACHER],
        )
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


def organisations_editable_by(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may change or delete and whose history they may read: those
    kept by an office where they are officer, and those offices' own entries. Every signed-in
    user reads the organisations themselves; entries kept by no office are superusers' only."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    offices = organisations_where(user, Role.OFFICER)
    return Organisation.objects.filter(Q(owner__in=offices) | Q(pk__in=offices))


def may_change_organisation(user: Any, organisation: Organisation) -> bool:
    """Whether the user may change `organisation` (see organisations_editable_by)."""
    if user is None or not user.is_authenticated:
        return False
    return organisations_editable_by(user).filter(pk=organisation.pk).exists()


#: SQLite's trigram index of the name keys (migration 0011), for words of three or more letters.
NAME_INDEX = "directory_person_fts"


def search_people(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Match every word of `text` in any script against names, plus e-mail.

    A word is a part of a name key (LIKE '%word%'). PostgreSQL serves it from its trigram index
    (migration 0005); on SQLite the words of three or more letters are asked of the FTS5
    trigram index first (migration 0011), which finds the same rows without reading the table.
    """
    text = text.strip()
    if not text:
        return people
    if "@" in text:
        return people.filter(email__iexact=text)
    words = name_key(text).split()
    condition = Q()
    for word in words:
        condition &= Q(name_key__contains=word)
    indexed = [word for word in words if len(word) >= 3]
    if indexed and connection.vendor == "sqlite":
        # Each word a quoted FTS5 string (its quotes doubled), passed as a parameter.
        match = " AND ".join('"' + word.replace('"', '""') + '"' for word in indexed)
        people = people.filter(
            pk__in=RawSQL(  # noqa: S611 - a constant table, a parameter
                f"SELECT rowid FROM {NAME_INDEX} WHERE {NAME_INDEX} MATCH %s",  # noqa: S608
                [match],
            )
        )
    return people.filter(condition)


def people_list(
    people: QuerySet[Person],
    *,
    text: str = "",
    citizenship: str = "",
    organisation: int | None = None,
    no_citizenship: bool = False,
) -> QuerySet[Person]:
    """The people list with its filters, with what a row shows prefetched."""
    people = search_people(people, text)
    if citizenship:
        people = people.filter(citizenship_set__country_id=citizenship.upper())
    if no_citizenship:
        people = people.filter(citizenship_set__isnull=True)
    if organisation is not None:
        people = people.filter(affiliations__organisation_id=organisation)
    if citizenship or organisation is not None:
        # Only these filters join many rows to a person; DISTINCT on the whole directory
        # would make the database sort every row to show one page.
        people = people.distinct()
    # A row shows no more than the office's id: no join to the organisations. The countries
    # are a plain list on each row (`countries`): a related manager a row costs more than the
    # row's whole rendering.
    return people.prefetch_related(
        Prefetch("citizenships", queryset=Country.objects.all(), to_attr="countries")
    )


def person_detail(people: QuerySet[Person], pk: int) -> Person:
    """One visible person with citizenships, consents and affiliations loaded."""
    return (
        people.select_related("owner", "guardian")
        .prefetch_related(
            "citizenship_set__country",
            "consents__given_by",
            "affiliations__organisation",
            "wards",
        )
        .get(pk=pk)
    )


def organisations_list(
    *,
    text: str = "",
    kind: str = "",
    country: str = "",
    parent: int | None = None,
    within: QuerySet[Organisation] | None = None,
) -> QuerySet[Organisation]:
    """Organisations (of `within`, or all) matching a search, with their country and parent."""
    organisations = (Organisation.objects.all() if within is None else within).select_related(
        "country", "parent"
    )
    if text.strip():
        words = text.split()
        for word in words:
            organisations = organisations.filter(
                Q(name_en__icontains=word)
                | Q(name_ru__icontains=word)
                | Q(name_kk__icontains=word)
                | Q(short_name__icontains=word)
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
            Q(alpha2__iexact=text)
            | Q(alpha3__iexact=text)
            | Q(name_en__icontains=text)
            | Q(name_ru__icontains=text)
            | Q(name_kk__icontains=text)
        )
    return countries


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
    reasons: tuple[str, ...]


def likely_duplicates(people: QuerySet[Person]) -> list[DuplicatePair]:
    """Pairs with the same name across scripts and the same birth date or e-mail."""
    # Only names that meet with the same birth date or e-mail, found by the database: a
    # national directory has many namesakes, and comparing each with each costs seconds.
    # One pass in name order: a name whose birth dates (or e-mails) repeat within it.
    has_email = ~Q(email="")
    keys = set(
        people.exclude(name_key="")
        .order_by()
        .values("name_key")
        .annotate(
            births=Count("birth_date"),
            distinct_births=Count("birth_date", distinct=True),
            emails=Count("id", filter=has_email),
            distinct_emails=Count(Lower("email"), distinct=True, filter=has_email),
        )
        .filter(Q(births__gt=F("distinct_births")) | Q(emails__gt=F("distinct_emails")))
        .values_list("name_key", flat=True)
    )
    groups: dict[str, list[Person]] = defaultdict(list)
    for person in people.filter(name_key__in=keys).order_by("id"):
        groups[person.name_key].append(person)
    pairs = []
    for group in groups.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                reasons = []
                if first.birth_date and first.birth_date == second.birth_date:
                    reasons.append(_("birth date"))
                if first.email and first.email.lower() == second.email.lower():
                    reasons.append(_("e-mail"))
                if reasons:
                    pairs.append(DuplicatePair(first, second, tuple(reasons)))
    return pairs


def _pairs_alike(people: QuerySet[Person], *fields: str) -> int:
    """How many pairs of people share every one of `fields`: n·(n−1)/2 summed over the groups,
    counted by the database."""
    groups = (
        people.values(*fields)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .annotate(pairs=F("n") * (F("n") - 1) / 2)
    )
    return int(groups.aggregate(total=Sum("pairs"))["total"] or 0)


def likely_duplicate_count(people: QuerySet[Person]) -> int:
    """The number of pairs `likely_duplicates` lists, without loading them.

    A pair is alike by birth date or by e-mail (or both): |birth ∪ e-mail| = |birth| +
    |e-mail| − |both|, each term a count of pairs within the groups of equal keys.
    """
    named = people.exclude(name_key="").order_by()
    born = named.filter(birth_date__isnull=False)
    mailed = named.exclude(email="").annotate(email_key=Lower("email"))
    both = born.exclude(email="").annotate(email_key=Lower("email"))
    return (
        _pairs_alike(born, "name_key", "birth_date")
        + _pairs_alike(mailed, "name_key", "email_key")
        - _pairs_alike(both, "name_key", "birth_date", "email_key")
    )


def dashboard_figures(people: QuerySet[Person]) -> dict[str, int]:
    """The directory's figures on the dashboard, with the likely duplicates to review."""

    def compute() -> dict[str, int]:
        return {**directory_figures(people), "duplicates": likely_duplicate_count(people)}

    return dict(
        cached_by_version(
            "directory", scope_of(people), (Person, Citizenship, Organisation), compute
        )
    )


def countries_with_citizens() -> QuerySet[Country]:
    """Countries someone holds the citizenship of: one index look-up a country, no DISTINCT
    over every citizenship of the directory."""
    return Country.objects.filter(Exists(Citizenship.objects.filter(country=OuterRef("pk"))))


def citizenship_countries() -> list[tuple[str, str]]:
    """(code, name) of `countries_with_citizens` in the reader's language, for the people
    list's filter; kept until citizenships change."""
    return cached_by_version(
        "citizenship countries",
        get_language(),
        (Citizenship, Country),
        lambda: [(country.alpha2, country.name) for country in countries_with_citizens()],
    )


def directory_figures(people: QuerySet[Person]) -> dict[str, int]:
    """Counts for the dashboard."""
    return {
        "people": people.count(),
        "without_citizenship": people.filter(citizenship_set__isnull=True).count(),
        "organisations": Organisation.objects.count(),
        "countries": countries_with_citizens().count(),
    }


# Who is told (chancery.notifications sends to a user's inbox and e-mail, or to a bare address)


def reachable(people: Iterable[Person | None] = (), users: Iterable[Any] = ()) -> list[Any]:
    """How to reach `users` and `people`: a person's active account, else the e-mail address on
    their record (someone without an account); each once, in order, and a person with neither
    (or whose account is disabled) left out."""
    from django.core.exceptions import ObjectDoesNotExist

    found: list[Any] = []
    seen: set[Any] = set()

    def add(target: Any, mark: Any) -> None:
        if mark not in seen:
            seen.add(mark)
            found.append(target)

    for user in users:
        if user is not None and user.is_active:
            add(user, ("user", user.pk))
    for person in people:
        if person is None:
            continue
        try:
            user = person.user
        except ObjectDoesNotExist:
            user = None
        if user is not None:
            if user.is_active:
                add(user, ("user", user.pk))
        elif person.email:
            add(person.email, ("address", person.email.lower()))
    return found


def role_holders(roles: Iterable[str], organisations: Iterable[Any]) -> list[Any]:
    """The active users holding one of `roles` at one of `organisations` (or their ids)."""
    from chancery.accounts.models import User  # upward: named in pyproject's [tool.importlinter]

    ids = [getattr(org, "pk", org) for org in organisations]
    if not ids:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=User.objects.filter(
                role_assignments__role__in=list(roles), role_assignments__organisation__in=ids
            ).values("pk"),
        ).order_by("pk")
    )


# Consent requests (the guardian's link)


def consent_requests_of(person: Person, limit: int = 10) -> list[Any]:
    """The person's latest consent requests, the live ones (pending an answer or still open
    to a change of mind) first."""
    now = timezone.now()
    requests: list[Any] = list(
        person.consent_requests.select_related("guardian", "requested_by")[:limit]
    )
    for consent_request in requests:
        consent_request.live = consent_request.is_live(now)
    return sorted(requests, key=lambda r: not r.live)


def consent_in_force(person: Person, kind: str) -> Any:
    """The person's consent of `kind` in force today, or None."""
    return next(
        (c for c in person.consents.filter(kind=kind).select_related("given_by") if c.is_active()),
        None,
    )


def editions_of_pupil(person: Person) -> list[Any]:
    """The editions of the office's programmes the pupil's school takes part in (what the
    guardian's consent is for), latest first."""
    from chancery.programmes.models import (
        Edition,  # upward: named in pyproject's [tool.importlinter]
    )

    schools = person.affiliations.filter(role=AffiliationRole.PUPIL).values("organisation")
    return list(
        Edition.objects.filter(
            participations__organisation__in=schools,
            participations__role="school",
            programme__owner=person.owner_id,
        )
        .select_related("programme")
        .distinct()[:5]
    )
