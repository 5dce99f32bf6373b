"""Reads of events: who sees which, what is public, the calendar and the edition's report."""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.core.versioned import cached_by_version
from chancery.directory import services as directory
from chancery.directory.journey import Step
from chancery.directory.models import (
    ADULT_AGE,
    Affiliation,
    AffiliationRole,
    ConsentKind,
    Organisation,
    Person,
)
from chancery.directory.queries import reachable, role_holders
from chancery.events.models import DEFAULT_TIME_ZONE, Attendance, Event, EventKind, Photo
from chancery.programmes.models import Edition, Pairing
from chancery.programmes.queries import editions_taken_part_in

# The tables an edition's report counts: it is kept until one of them changes.
REPORT_TABLES = (Event, Attendance, Pairing, Edition, Affiliation, Organisation, Person)

# Visibility


def events_visible_to(user: Any) -> QuerySet[Event]:
    """Officers and viewers of the office running the programme: all its events; coordinators:
    their school's pairings' events; liaisons: their embassy's; both also the events of the
    whole edition in the seasons they take part in; nobody else any."""
    events = Event.objects.select_related("edition__programme")
    if getattr(user, "is_superuser", False):
        return events
    office = organisations_where(user, Role.OFFICER, Role.VIEWER)
    schools = organisations_where(user, Role.COORDINATOR)
    embassies = organisations_where(user, Role.LIAISON)
    visible = Q(edition__programme__owner__in=office)
    if not schools and not embassies:
        # No join through the pairings (many to an event): a plain filter plans far better.
        return events.filter(visible)
    visible |= Q(pairings__school__in=schools) | Q(pairings__embassy__in=embassies)
    # The whole-edition events (no pairing: the launch, the Model UN final) of their seasons.
    visible |= Q(pairings__isnull=True, edition__in=editions_taken_part_in(user))
    return events.filter(pk__in=Event.objects.filter(visible).values("pk"))


def editions_for_events(user: Any) -> QuerySet[Edition]:
    """Outreach editions the user may record events in (or at least see)."""
    editions = Edition.objects.filter(programme__kind="outreach").select_related("programme")
    if getattr(user, "is_superuser", False):
        return editions
    office = organisations_where(user, Role.OFFICER, Role.VIEWER)
    mine = organisations_where(user, Role.COORDINATOR, Role.LIAISON)
    return editions.filter(
        Q(programme__owner__in=office) | Q(participations__organisation__in=mine)
    ).distinct()


def pairings_visible_to(user: Any) -> QuerySet[Pairing]:
    pairings = Pairing.objects.select_related("school", "embassy", "edition")
    if getattr(user, "is_superuser", False):
        return pairings
    office = organisations_where(user, Role.OFFICER, Role.VIEWER)
    return pairings.filter(
        Q(edition__programme__owner__in=office)
        | Q(school__in=organisations_where(user, Role.COORDINATOR))
        | Q(embassy__in=organisations_where(user, Role.LIAISON))
    )


def event_list(
    events: QuerySet[Event],
    *,
    edition: int | None = None,
    kind: str = "",
    pairing: int | None = None,
) -> QuerySet[Event]:
    """The list page with its filters, and what a row shows loaded."""
    # One query for the pairings with their school and embassy, not one per relation.
    pairings = Prefetch("pairings", queryset=Pairing.objects.select_related("school", "embassy"))
    return events_filtered(events, edition=edition, kind=kind, pairing=pairing).prefetch_related(
        pairings
    )


def events_filtered(
    events: QuerySet[Event],
    *,
    edition: int | None = None,
    kind: str = "",
    pairing: int | None = None,
) -> QuerySet[Event]:
    """Events of an edition, of a kind, of a pairing, in the order they take place."""
    if edition:
        events = events.filter(edition_id=edition)
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    if pairing:
        events = events.filter(pairings=pairing)
    return events.order_by("starts_at", "id")


# Privacy: who may be named or shown in public


def _media_consented(people: list[Person], on: date) -> set[int]:
    return {p.pk for p in people if directory.has_consent(p, ConsentKind.MEDIA, on)}


def is_publishable_photo(photo: Photo, on: date | None = None) -> bool:
    """A photo is published only when its event is public and everyone shown consents."""
    on = on or timezone.localdate()
    people = list(photo.people.prefetch_related("consents"))
    return photo.event.public and len(_media_consented(people, on)) == len(people)


def public_events(edition: Edition) -> QuerySet[Event]:
    return (
        edition.events.filter(public=True)
        .prefetch_related("pairings__school", "pairings__embassy", "organisers")
        .order_by("starts_at", "id")
    )


@dataclass
class PublicEvent:
    event: Event
    photos: list[Photo]
    speakers: list[Person]


def public_page(edition: Edition, on: date | None = None) -> list[PublicEvent]:
    """The public events with only what may be published: photos whose people all consent
    to media, and speakers who may be named (a pupil only with a media consent; nobody who
    is a minor without one)."""
    on = on or timezone.localdate()
    result = []
    events = public_events(edition).prefetch_related(
        Prefetch("photos", queryset=Photo.objects.prefetch_related("people__consents")),
        Prefetch("speakers", queryset=Person.objects.prefetch_related("consents", "affiliations")),
    )
    for event in events:
        photos = []
        for photo in event.photos.all():
            people = list(photo.people.all())
            if len(_media_consented(people, on)) == len(people):
                photos.append(photo)
        speakers = [p for p in event.speakers.all() if may_be_named(p, on)]
        result.append(PublicEvent(event=event, photos=photos, speakers=speakers))
    return result


def may_be_named(person: Person, on: date) -> bool:
    """Named in public: anyone with a media consent; without one, only an adult who is not a
    pupil (a diplomat speaking in their official role)."""
    if directory.has_consent(person, ConsentKind.MEDIA, on):
        return True
    is_pupil = any(a.role == AffiliationRole.PUPIL for a in person.affiliations.all())
    return not is_pupil and not person.is_minor(on)


def public_attendees(edition: Edition, on: date | None = None) -> list[Person]:
    """People who took part in the edition's public events and may be named in public."""
    on = on or timezone.localdate()
    people = (
        Person.objects.filter(
            attendances__event__edition=edition,
            attendances__event__public=True,
            attendances__attended=True,
        )
        .distinct()
        .prefetch_related("consents", "affiliations")
    )
    return [person for person in people if may_be_named(person, on)]


# Calendar


@dataclass
class Day:
    day: date
    in_month: bool
    events: list[Event] = field(default_factory=list)


def month_grid(events: QuerySet[Event], year: int, month: int) -> list[list[Day]]:
    """Weeks (Monday first) of the month; each day lists the events starting on it, by the
    event's own time zone."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    window_start = timezone.make_aware(
        datetime.combine(first - timedelta(days=1), datetime.min.time())
    )
    window_end = timezone.make_aware(
        datetime.combine(last + timedelta(days=2), datetime.min.time())
    )
    by_day: dict[date, list[Event]] = {}
    for event in events.filter(starts_at__gte=window_start, starts_at__lt=window_end):
        by_day.setdefault(event.starts_local.date(), []).append(event)
    return [
        [Day(day=d, in_month=d.month == month, events=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


# What an outreach edition has (its page)


@dataclass(frozen=True)
class SeasonSummary:
    """An outreach edition's facts: its pupils take part through their schools and the
    events they come to, never through enrolments."""

    schools: int
    embassies: int
    partners: int
    pairings: int
    events: int
    events_held: int
    pupils: int  # distinct pupils ticked present at one of its events at least


def season_summary(edition: Edition, now: datetime | None = None) -> SeasonSummary:
    roles = dict(
        edition.participations.order_by()
        .values("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    events = edition.events.order_by()
    came = Attendance.objects.filter(event__edition=edition, attended=True).values("person_id")
    pupils = (
        Affiliation.objects.filter(person_id__in=came, role=AffiliationRole.PUPIL)
        .order_by()
        .values("person_id")
        .distinct()
        .count()
    )
    return SeasonSummary(
        schools=roles.get("school", 0),
        embassies=roles.get("embassy", 0),
        partners=roles.get("partner", 0),
        pairings=edition.pairings.count(),
        events=events.count(),
        events_held=events.filter(starts_at__lte=now or timezone.now()).count(),
        pupils=pupils,
    )


# Report


@dataclass
class PairingSummary:
    label: str
    events: int = 0
    attended: int = 0


@dataclass
class EditionReport:
    edition: Edition
    events: int
    by_kind: list[tuple[str, int]]
    by_pairing: list[tuple[str, int]]
    invited: int
    attended: int
    pupils_reached: int
    diplomats_reached: int
    timeline: list[tuple[str, int]]
    by_school: list[PairingSummary]
    by_embassy: list[PairingSummary]


def edition_report(edition: Edition, per: str = "month") -> EditionReport:
    """Counts of the edition's events and attendance; per "month" or "week" for the timeline.

    Counted by the database (a national edition lists tens of thousands of people), so the
    number of queries and the rows read into Python do not grow with the attendance; then
    kept until a table it reads changes (a past edition's report is read far more often
    than its attendance is ticked).
    """

    return cached_by_version(
        "edition report",
        (edition.pk, per, get_language()),
        REPORT_TABLES,
        lambda: _edition_report(edition, per),
    )


def _edition_report(edition: Edition, per: str) -> EditionReport:
    events = list(
        edition.events.order_by("starts_at", "id").values_list(
            "pk", "kind", "starts_at", "time_zone"
        )
    )
    # mypy does not see the link models of a translated model (type: ignores below)
    event_pairings = list(
        Event.pairings.through.objects.filter(  # type: ignore[attr-defined]
            event__edition=edition
        ).values_list("event_id", "pairing_id")
    )
    pairing_objects = Pairing.objects.select_related("school", "embassy").in_bulk(
        {pairing_id for _event, pairing_id in event_pairings}
    )
    listed = Attendance.objects.filter(event__edition=edition).order_by()
    present = listed.filter(attended=True)
    present_at = dict(
        present.values("event").annotate(n=Count("id")).order_by().values_list("event", "n")
    )
    kinds = Counter(kind for _pk, kind, _starts, _zone in events)
    label = {pk: str(pairing) for pk, pairing in pairing_objects.items()}
    org_label = {
        org.pk: str(org)
        for pairing in pairing_objects.values()
        for org in (pairing.school, pairing.embassy)
    }
    pairings = Counter(label[p] for _event, p in event_pairings)
    timeline: Counter[str] = Counter()
    for _pk, _kind, starts, zone in events:
        local = timezone.localtime(starts, ZoneInfo(zone or DEFAULT_TIME_ZONE)).date()
        if per == "week":
            year, week, _weekday = local.isocalendar()
            timeline[f"{year}-W{week:02d}"] += 1
        else:
            timeline[local.strftime("%Y-%m")] += 1

    def reached(role: str) -> int:
        # Each person once: those present (and, for diplomats, speaking) who have the role.
        people = Q(person_id__in=present.values("person_id"))
        if role == AffiliationRole.DIPLOMAT:
            speakers = Event.speakers.through.objects  # type: ignore[attr-defined]
            people |= Q(person_id__in=speakers.filter(event__edition=edition).values("person_id"))
        return (
            Affiliation.objects.filter(people, role=role)
            .order_by()
            .values("person_id")
            .distinct()
            .count()
        )

    schools: dict[int, PairingSummary] = {}
    embassies: dict[int, PairingSummary] = {}
    for event_id, pairing_id in event_pairings:
        pairing = pairing_objects[pairing_id]
        for store, org in ((schools, pairing.school), (embassies, pairing.embassy)):
            row = store.setdefault(org.pk, PairingSummary(label=org_label[org.pk]))
            row.events += 1
            row.attended += present_at.get(event_id, 0)
    labels = dict(EventKind.choices)
    return EditionReport(
        edition=edition,
        events=len(events),
        by_kind=[(str(labels[k]), n) for k, n in kinds.most_common()],
        by_pairing=sorted(pairings.items()),
        invited=listed.count(),
        attended=sum(present_at.values()),
        pupils_reached=reached(AffiliationRole.PUPIL),
        diplomats_reached=reached(AffiliationRole.DIPLOMAT),
        timeline=sorted(timeline.items()),
        by_school=sorted(schools.values(), key=lambda r: r.label),
        by_embassy=sorted(embassies.values(), key=lambda r: r.label),
    )


def report_rows(report: EditionReport) -> list[tuple[str, str, int]]:
    """The report as (section, item, value) rows for CSV and XLSX."""
    rows: list[tuple[str, str, int]] = [
        ("total", "events", report.events),
        ("total", "invited", report.invited),
        ("total", "attended", report.attended),
        ("total", "pupils reached", report.pupils_reached),
        ("total", "diplomats reached", report.diplomats_reached),
    ]
    rows += [("by kind", label, n) for label, n in report.by_kind]
    rows += [("by pairing", label, n) for label, n in report.by_pairing]
    rows += [("timeline", label, n) for label, n in report.timeline]
    for section, summaries in (("school", report.by_school), ("embassy", report.by_embassy)):
        for row in summaries:
            rows.append((f"{section}: events", row.label, row.events))
            rows.append((f"{section}: attended", row.label, row.attended))
    return rows


def events_of_person(person: Person) -> QuerySet[Event]:
    """Events a person is listed at or speaks at: their personal calendar."""
    return Event.objects.filter(Q(attendances__person=person) | Q(speakers=person)).distinct()


# What coordinators and liaisons have to do (the home pages)


def season_events(user: Any, on: date | None = None) -> list[Event]:
    """The events of the seasons the user's school or embassy takes part in that they may see
    (their pairings' and the whole edition's, such as the Model UN final), from a week ago on,
    with pairings loaded."""
    day = on or timezone.localdate()
    since = timezone.make_aware(datetime.combine(day - timedelta(days=7), datetime.min.time()))
    pairings = Prefetch("pairings", queryset=Pairing.objects.select_related("school", "embassy"))
    return list(
        events_visible_to(user)
        .filter(edition__in=editions_taken_part_in(user), starts_at__gte=since)
        .prefetch_related(pairings)
        .order_by("starts_at", "id")
    )


def attendance_to_tick(user: Any, now: datetime | None = None) -> QuerySet[Event]:
    """Events of the user's own pairings that have begun and on which nobody is ticked present
    yet: the attendance the coordinator or liaison still has to record."""
    moment = now or timezone.now()
    schools = organisations_where(user, Role.COORDINATOR)
    embassies = organisations_where(user, Role.LIAISON)
    if not schools and not embassies:
        return Event.objects.none()
    own = Event.objects.filter(
        Q(pairings__school__in=schools) | Q(pairings__embassy__in=embassies)
    ).values("pk")
    return (
        Event.objects.filter(pk__in=own, starts_at__lte=moment)
        .exclude(pk__in=Attendance.objects.filter(attended=True).values("event_id"))
        .select_related("edition__programme")
        .order_by("-starts_at", "-id")
    )


# Consents a minor pupil still lacks

MINOR_CONSENTS = (ConsentKind.DATA_PROCESSING, ConsentKind.MEDIA)


def pupils_of_interest(user: Any, *, as_coordinator: bool = False) -> QuerySet[Person]:
    """The pupils whose consents the user follows: a coordinator their schools', an officer
    those of the schools taking part in their office's editions (everyone's for a superuser);
    `as_coordinator`: only their schools'."""
    pupils = Affiliation.objects.filter(role=AffiliationRole.PUPIL)
    schools = Q(organisation__in=organisations_where(user, Role.COORDINATOR))
    if as_coordinator:
        pupils = pupils.filter(schools)
    elif not getattr(user, "is_superuser", False):
        office = organisations_where(user, Role.OFFICER)
        pupils = pupils.filter(
            schools | Q(organisation__participations__edition__programme__owner__in=office)
        )
    return Person.objects.filter(pk__in=pupils.values("person_id"))


def pupils_missing_consent(people: QuerySet[Person], on: date | None = None) -> QuerySet[Person]:
    """The minors among `people` without an active guardian's consent to the processing of
    their data or to photos and media (`missing_consents` names which), by name."""
    day = on or timezone.localdate()
    active = Q(consents__given_on__lte=day) & (
        Q(consents__withdrawn_on__isnull=True) | Q(consents__withdrawn_on__gt=day)
    )
    consented = [
        Q(pk__in=Person.objects.filter(active, consents__kind=kind).values("pk"))
        for kind in MINOR_CONSENTS
    ]
    return (
        people.filter(birth_date__gt=_years_before(day, ADULT_AGE))
        .exclude(consented[0] & consented[1])
        .order_by("family_name", "given_name", "pk")
    )


def missing_consents(person: Person, on: date | None = None) -> list[str]:
    """The names of the consents a pupil lacks (prefetch `consents` for a list)."""
    day = on or timezone.localdate()
    labels = dict(ConsentKind.choices)
    return [
        str(labels[kind]) for kind in MINOR_CONSENTS if not directory.has_consent(person, kind, day)
    ]


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# Who is told of an event (services.create_event and update_event)


def people_to_tell(event: Event) -> list[Any]:
    """Who hears of the event when it is created or changed: the coordinators of its pairings'
    schools and the liaisons of their embassies (every pairing of the edition, for an event of
    the whole edition), the contact persons the edition names for those schools and embassies,
    and the coordinators, liaisons and chairs of its organisers; accounts, else addresses."""

    pairings = list(event.pairings.all()) or list(event.edition.pairings.all())
    schools = {pairing.school_id for pairing in pairings}
    embassies = {pairing.embassy_id for pairing in pairings}
    organisers = set(event.organisers.values_list("pk", flat=True))
    users = [
        *role_holders([Role.COORDINATOR], schools),
        *role_holders([Role.LIAISON], embassies),
        *role_holders([Role.COORDINATOR, Role.LIAISON, Role.CHAIR], organisers),
    ]
    contacts = [
        participation.contact
        for participation in event.edition.participations.filter(
            organisation__in=schools | embassies, contact__isnull=False
        )
        .select_related("contact")
        .order_by("pk")
    ]
    return reachable(contacts, users)


def journey_steps(person: Any, reader: Any) -> list[Any]:
    """The events the person came to, among those the reader may see (directory.journey)."""
    came = (
        events_visible_to(reader)
        .filter(attendances__person=person, attendances__attended=True)
        .select_related("edition__programme")
        .distinct()
    )
    return [
        Step(
            event.local(event.starts_at).date(),
            _("Took part in %(event)s") % {"event": event.title},
            f"{event.edition.programme} — {event.edition.name}",
            reverse("events:detail", args=[event.pk]),
            "event",
        )
        for event in came
    ]
