"""The home page of every role: one section per role the user holds, the one with the most to
do first. Each section is what the owning apps' queries select for the user; nothing here
reads a table of its own."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chancery.accounts.access import is_officer, organisations_where, role_names
from chancery.accounts.models import Role
from chancery.agreements.queries import agreements_visible_to, coming_expiries
from chancery.core.audit import ACTIONS, AuditEntry
from chancery.core.versioned import counted
from chancery.directory import queries as directory
from chancery.directory.models import Organisation, Person
from chancery.events import queries as events
from chancery.mun.queries import chaired_committees
from chancery.programmes import queries

# The order of sections with as much to do (the reading order of a day's work).
ORDER = ("participant", "supervisor", "season", "chair", "officer", "viewer")
LISTED = 10  # rows a list on the home page shows; its count links to the whole list
AGREEMENT_NOTICE_DAYS = 90


@dataclass
class Section:
    name: str
    to_do: int
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"site/home/{self.name}.html"


def _participant(user: Any) -> Section:
    rows = [
        (enrolment, queries.next_step(enrolment), next(iter(enrolment.placements.all()), None))
        for enrolment in queries.own_enrolments(user)
    ]
    return Section("participant", sum(1 for _e, step, _p in rows if step), {"enrolments": rows})


def _supervisor(user: Any) -> Section:
    today = timezone.localdate()
    rows = [
        (placement, queries.evaluation_status(placement, today))
        for placement in queries.supervised_placements(user)
    ]
    due = sum(1 for _p, status in rows if status == "due")
    overdue = sum(1 for _p, status in rows if status == "overdue")
    return Section("supervisor", due + overdue, {"interns": rows, "due": due, "overdue": overdue})


def _season(user: Any) -> Section:
    to_tick = events.attendance_to_tick(user)
    # Consents are the school's to collect: a coordinator's pupils only.
    coordinator = bool(organisations_where(user, Role.COORDINATOR))
    pupils = events.pupils_missing_consent(events.pupils_of_interest(user, as_coordinator=True))
    ticks = to_tick.count()
    missing = pupils.count() if coordinator else 0
    shown = list(pupils.prefetch_related("consents")[:LISTED]) if missing else []
    return Section(
        "season",
        ticks + missing,
        {
            "pairings": list(queries.own_pairings(user)),
            "events": events.season_events(user),
            "to_tick": list(to_tick[:LISTED]),
            "to_tick_count": ticks,
            "missing": [(pupil, events.missing_consents(pupil)) for pupil in shown],
            "missing_count": missing,
            "coordinator": coordinator,
        },
    )


def _chair(user: Any) -> Section:
    committees = chaired_committees(user)
    return Section(
        "chair",
        sum(1 for c in committees if getattr(c, "open_sessions", 0)),
        {"committees": committees},
    )


def _figures(user: Any) -> dict[str, Any]:
    """Today's dashboard: the office's figures, agreements ending, the latest changes."""
    # The figures count over whole tables: kept in the cache until one of them changes.
    figures = directory.dashboard_figures(directory.people_visible_to(user))
    return {
        "expiring": coming_expiries(agreements_visible_to(user)),
        **queries.dashboard_enrolment_figures(queries.enrolments_visible_to(user)),
        "figures": figures,
        "duplicates": figures["duplicates"],
        "changes": recent_changes(user, limit=10),
    }


def recent_changes(user: Any, limit: int = 10) -> list[AuditEntry]:
    """The latest changes to the directory records of the user's offices (officers only)."""
    if not is_officer(user):
        return []
    people = Person.history.all()
    if not user.is_superuser:
        # A historical row keeps the record's office at the time of the change: the newest
        # rows are read by date, without visiting the history of every visible person.
        people = people.filter(owner__in=organisations_where(user, Role.OFFICER, Role.VIEWER))
    people = people.order_by("-history_date")[:limit]
    organisations = Organisation.history.order_by("-history_date")[:limit]
    rows = [
        AuditEntry(
            when=record.history_date,
            actor=str(record.history_user) if record.history_user else str(_("system")),
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            subject=f"{record.instance_type._meta.verbose_name}: {record.instance}",
            changes=(),
        )
        for queryset in (people, organisations)
        for record in queryset.select_related("history_user")
    ]
    return sorted(rows, key=lambda entry: entry.when, reverse=True)[:limit]


def _officer(user: Any) -> Section:
    context = _figures(user)
    to_do = {item.need: item for item in queries.office_to_do(user)}
    ending = [row for row in context["expiring"] if row.days_left <= AGREEMENT_NOTICE_DAYS]
    consents = counted(events.pupils_missing_consent(events.pupils_of_interest(user)))
    context.update(to_do=to_do, ending=ending, consents_missing=consents)
    count = sum(item.count for item in to_do.values()) + len(ending) + consents
    return Section("officer", count, context)


def _viewer(user: Any) -> Section:
    return Section("viewer", 0, _figures(user))


def sections(user: Any) -> list[Section]:
    """A section per role the user holds, the one with the most to do first."""
    roles = role_names(user)
    builders = []
    if Role.PARTICIPANT in roles:
        builders.append(_participant)
    if Role.SUPERVISOR in roles:
        builders.append(_supervisor)
    if Role.COORDINATOR in roles or Role.LIAISON in roles:
        builders.append(_season)
    if Role.CHAIR in roles:
        builders.append(_chair)
    if Role.OFFICER in roles:
        builders.append(_officer)
    elif Role.VIEWER in roles:
        builders.append(_viewer)
    built = [build(user) for build in builders]
    return sorted(built, key=lambda s: (-s.to_do, ORDER.index(s.name)))
