"""Reads for Model UN pages: who sees which conference, and the live state of a session as the
console and the projector show it."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Role
from chancery.allocation.queries import countries_for_edition
from chancery.directory.journey import Step
from chancery.mun import rules, wording
from chancery.mun.models import (
    BENCH_ROLES,
    Ballot,
    ChairRole,
    Committee,
    Conference,
    EntryKind,
    MinuteEntry,
    Motion,
    MotionStatus,
    Seat,
    Session,
    SessionStatus,
)
from chancery.programmes.queries import editions_taken_part_in


def conferences_visible_to(user: Any) -> QuerySet[Conference]:
    """Officers and viewers of the office running the programme; the schools and embassies
    of the season (taking part or paired in it: the same seasons whose events they see, so the
    Model UN final's event and its conference open alike), read-only; the committees' chairs
    and guests."""

    conferences = Conference.objects.select_related("edition__programme", "goal")
    if user.is_superuser:
        return conferences
    offices = organisations_where(user, Role.OFFICER, Role.VIEWER)
    visible = Q(edition__programme__owner__in=offices) | Q(edition__in=editions_taken_part_in(user))
    person_id = getattr(user, "person_id", None)
    if person_id is not None:  # (a None would match the committees without a bench)
        visible |= Q(committees__officers__person_id=person_id)
    return conferences.filter(pk__in=Conference.objects.filter(visible).values("pk"))


def delegations_to_create(conference: Conference) -> int:
    """How many delegations `services.create_delegations` would still add: the edition's
    pairings (else its committed allocation of countries) whose country has none yet. Nought
    once every school is seated, so the page offers the action only while it adds something."""

    have = set(conference.delegations.values_list("country_id", flat=True))
    wanted = list(conference.edition.pairings.values_list("embassy__country_id", flat=True))
    if not wanted:
        wanted = [country.pk for country in countries_for_edition(conference.edition).values()]
    return sum(1 for country in wanted if country is None or country not in have)


def conferences_of(edition: Any, user: Any) -> QuerySet[Conference]:
    """The edition's Model UN conferences the user may read, with their delegations counted
    (`delegation_count`): the edition page's link to its final."""
    return (
        conferences_visible_to(user)
        .filter(edition=edition)
        .annotate(delegation_count=Count("delegations", distinct=True))
        .order_by("date", "pk")
    )


def committees_chaired_by(user: Any) -> QuerySet[Committee]:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Committee.objects.none()
    return Committee.objects.filter(
        officers__person_id=person_id, officers__role__in=BENCH_ROLES
    ).distinct()


def chaired_committees(user: Any) -> list[Committee]:
    """The committees the user sits on the bench of, with their conference and the sessions in
    progress (`open_sessions`, the latest first) loaded: the chair's home page."""
    from django.db.models import Prefetch

    sessions = Prefetch(
        "sessions",
        to_attr="open_sessions",
        queryset=Session.objects.filter(status=SessionStatus.OPEN).order_by("-pk"),
    )
    return list(
        committees_chaired_by(user)
        .select_related("conference__edition__programme")
        .prefetch_related(sessions)
        .order_by("-conference__date", "name", "pk")
    )


def speaker_names(session: Session, seats: list[Seat] | None = None) -> dict[str, str]:
    """Every key that may appear on the floor, by its display name in the active language."""
    if seats is None:
        seats = list(session.committee.seats.select_related("delegation__country"))
    names = {seat.key: str(seat.delegation.country) for seat in seats}
    for officer in session.committee.officers.filter(role=ChairRole.GUEST).select_related("person"):
        names[officer.key] = _("%(name)s (guest speaker)") % {"name": officer.person}
    return names


@dataclass(frozen=True)
class RollCallRow:
    seat: Seat
    name: str
    attendance: str
    vote: str | None


@dataclass(frozen=True)
class Clock:
    """A countdown: seconds left now, whether it is running, and when it reaches zero (epoch
    milliseconds, server time) so a page counts down on its own, however late it is shown."""

    allotted: int
    remaining: int
    running: bool
    deadline_ms: int | None = None

    @property
    def over(self) -> bool:
        return self.remaining <= 0


@dataclass(frozen=True)
class PendingMotion:
    motion: Motion
    by_vote: bool
    majority: str


@dataclass
class SessionState:
    session: Session
    version: int
    rows: list[RollCallRow]
    quorum: dict[str, rules.QuorumResult]
    queue: list[tuple[str, str]]
    speaker: str | None
    speaker_key: str | None
    yielded_by: str | None
    questions: bool
    speech: Clock | None
    caucus: dict[str, Any] | None
    caucus_clock: Clock | None
    speaking_time: int
    motions: list[PendingMotion]
    ballot: Ballot | None
    last_ballot: Ballot | None
    names: dict[str, str] = field(default_factory=dict)
    last_outcome: str = ""

    @property
    def present(self) -> list[RollCallRow]:
        return [row for row in self.rows if row.attendance != rules.Attendance.ABSENT]

    @property
    def candidates(self) -> list[tuple[str, str]]:
        """Who may be added to the speakers' list now: present and not on it yet."""
        queued = {key for key, _name in self.queue}
        guests = [(k, n) for k, n in self.names.items() if k.startswith("g")]
        return [(row.seat.key, row.name) for row in self.present if row.seat.key not in queued] + [
            g for g in guests if g[0] not in queued
        ]


def countdown(allotted: int, used: int, since: str | None, now: datetime) -> Clock:
    """The clock of `allotted` seconds of which `used` were spent before it last started
    (`since`, ISO, or None when paused), read at `now`.

    Whole seconds elapsed are counted down (0.9 s in, a 120 s clock still shows 120, as the
    page's own countdown rounds up), and the clock never shows more than its limit: a server
    whose clock is a little behind the one that started the timer (`now` before `since`)
    used to read 121 of 120."""
    started = parse_datetime(since) if since else None
    running_for = max(int((now - started).total_seconds()), 0) if started else 0
    deadline = int((started.timestamp() + allotted - used) * 1000) if started is not None else None
    left = min(max(allotted - used - running_for, 0), allotted)
    return Clock(allotted, left, started is not None, deadline)


def session_state(session: Session, *, now: datetime | None = None) -> SessionState:
    """Everything the console and the projector show, read in a handful of queries."""
    now = now or timezone.now()
    profile = session.committee.profile.to_rules()
    seats = list(session.committee.seats.select_related("delegation__country"))
    names = speaker_names(session, seats)
    attendance = dict(session.presences.values_list("seat_id", "attendance"))
    ballot = (
        session.ballots.select_related("motion", "draft").filter(closed_at__isnull=True).first()
    )
    votes = dict(ballot.votes.values_list("seat_id", "vote")) if ballot else {}
    rows = [
        RollCallRow(seat, names[seat.key], attendance.get(seat.pk, "absent"), votes.get(seat.pk))
        for seat in seats
    ]
    members = [seat.as_member() for seat in seats]
    calls = {row.seat.key: rules.Attendance(row.attendance) for row in rows}
    quorum = {
        purpose.value: rules.quorum(profile, members, calls, purpose)
        for purpose in rules.QuorumPurpose
    }
    floor = session.floor
    current = floor.get("current")
    caucus = floor.get("caucus")
    motions = []
    for motion in pending_motions(session):
        rule = profile.motion_rule(rules.MotionKind(motion.kind))
        motions.append(
            PendingMotion(motion, rule.majority is not None, wording.majority(rule.majority))
        )
    return SessionState(
        session=session,
        version=session.version,
        rows=rows,
        quorum=quorum,
        queue=[(key, names.get(key, key)) for key in floor.get("queue", [])],
        speaker=names.get(current["speaker"], current["speaker"]) if current else None,
        speaker_key=current["speaker"] if current else None,
        yielded_by=names.get(current["yielded_by"])
        if current and current.get("yielded_by")
        else None,
        questions=bool(current and current.get("questions")),
        speech=countdown(current["allotted"], current["used"], floor.get("running_since"), now)
        if current
        else None,
        caucus=caucus,
        caucus_clock=countdown(caucus["total"], caucus["used"], caucus.get("running_since"), now)
        if caucus
        else None,
        speaking_time=floor.get("speaking_time", profile.default_speaking_time),
        motions=motions,
        ballot=ballot,
        last_ballot=session.last_ballot,
        names=names,
        last_outcome=_outcome(session),
    )


def _outcome(session: Session) -> str:
    ballot = session.last_ballot
    if ballot is None:
        return ""
    entry = session.minutes.filter(ballot=ballot, kind=EntryKind.VOTE).first()
    return vote_text(ballot, entry.data.get("vetoed_by", []) if entry else [])


def pending_motions(session: Session) -> list[Motion]:
    """The pending motions in the order the profile puts them to the floor."""
    pending = list(
        session.motions.filter(status=MotionStatus.PENDING).select_related(
            "proposer__delegation__country"
        )
    )
    profile = session.committee.profile.to_rules()
    ordered = rules.order_motions(profile, [m.as_rules() for m in pending])
    remaining = list(pending)
    result = []
    for item in ordered:  # map back; identical motions keep the order they were raised in
        match = next(m for m in remaining if m.as_rules() == item)
        remaining.remove(match)
        result.append(match)
    return result


def open_session_of(committee: Committee) -> Session | None:
    return committee.sessions.filter(status="open").first()


# Minutes


def describe(entry: MinuteEntry, names: dict[str, str]) -> str:
    """One line of the minutes in the active language."""
    who = names.get(entry.speaker, entry.speaker)
    if entry.kind == EntryKind.OPENED:
        return _("The chair opened the session.")
    if entry.kind == EntryKind.CLOSED:
        return _("The chair closed the session.")
    if entry.kind == EntryKind.ROLL_CALL:
        answer = {
            "present": _("present"),
            "present_and_voting": _("present and voting"),
            "absent": _("absent"),
        }.get(entry.data.get("attendance", ""), "")
        return _("%(who)s: %(answer)s.") % {"who": who, "answer": answer}
    if entry.kind == EntryKind.SPEECH:
        text = _("%(who)s spoke for %(time)s.") % {
            "who": who,
            "time": seconds_text(entry.seconds or 0),
        }
        if entry.data.get("yielded_to"):
            text += " " + _("Yielded the remaining time to %(other)s.") % {
                "other": names.get(entry.data["yielded_to"], entry.data["yielded_to"])
            }
        return text
    if entry.kind == EntryKind.MOTION and entry.motion is not None:
        text = _("%(who)s moved: %(motion)s.") % {
            "who": who,
            "motion": entry.motion.get_kind_display(),
        }
        return f"{text} {entry.text}".strip()
    if entry.kind == EntryKind.RULING and entry.motion is not None:
        return _("%(motion)s: %(status)s.") % {
            "motion": entry.motion.get_kind_display(),
            "status": entry.motion.get_status_display(),
        }
    if entry.kind == EntryKind.VOTE and entry.ballot is not None:
        return vote_text(entry.ballot, entry.data.get("vetoed_by", []))
    if entry.kind == EntryKind.CAUCUS:
        return _("Caucus ended after %(time)s.") % {"time": seconds_text(entry.seconds or 0)}
    return entry.text


def vote_text(ballot: Ballot, vetoed_by: list[str] | None = None) -> str:
    subject = ballot.motion.get_kind_display() if ballot.motion else str(ballot.draft)
    counts = _("%(yes)s in favour, %(no)s against, %(abstain)s abstaining") % {
        "yes": ballot.yes,
        "no": ballot.no,
        "abstain": ballot.abstain,
    }
    if ballot.passed is None:
        return f"{subject}: {counts}"
    if vetoed_by:
        verdict = _("failed: vetoed by %(who)s") % {"who": ", ".join(vetoed_by)}
    elif ballot.passed:
        verdict = _("passed")
    else:
        verdict = _("failed")
    return _("%(subject)s — %(verdict)s (%(counts)s; %(required)s needed).") % {
        "subject": subject,
        "verdict": verdict,
        "counts": counts,
        "required": ballot.required,
    }


def seconds_text(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def minutes_of(session: Session) -> list[tuple[MinuteEntry, str]]:
    names = speaker_names(session)
    entries = session.minutes.select_related("motion", "ballot__motion", "ballot__draft")
    return [(entry, describe(entry, names)) for entry in entries]


def journey_steps(person: Any, reader: Any) -> list[Any]:
    """The Model UN committees the person sat in as a delegate, among the conferences the
    reader may see (directory.journey)."""
    seats = Seat.objects.filter(
        delegates=person, committee__conference__in=conferences_visible_to(reader)
    ).select_related("committee__conference", "delegation__country")
    return [
        Step(
            seat.committee.conference.date,
            _("Delegate of %(country)s in %(committee)s")
            % {"country": seat.delegation.country, "committee": seat.committee.name},
            seat.committee.conference.title,
            reverse("mun:conference", args=[seat.committee.conference_id]),
            "mun",
        )
        for seat in seats
    ]
