"""Writes to Model UN: setting up a conference, and every action of a chair during a session.

The rules of procedure are decided by the pure engine (`chancery.mun.rules`); this module keeps
the session's state in the database and the minutes up to date.

Two chairs may work on one session at once. Every action that depends on the state it was
taken from (next speaker, timer, motions, votes opened or closed) names the session `version`
the chair saw; when another chair changed the session in between, the action is refused with
`Conflict` and nothing is written, so nobody's change is lost silently. Setting one
delegation's roll-call answer or vote does not depend on anything else and is applied as is.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chancery.allocation.queries import countries_for_edition
from chancery.core.actors import recorded_user
from chancery.core.services import save as _save
from chancery.directory.models import AffiliationRole, Organisation, Person
from chancery.events.access import is_programme_officer
from chancery.events.models import Event
from chancery.mun import live, rules, wording
from chancery.mun.access import can_chair, can_manage_conference
from chancery.mun.models import (
    AgendaItem,
    Ballot,
    BallotKind,
    CastVote,
    ChairRole,
    Committee,
    Conference,
    Delegation,
    DraftResolution,
    DraftStatus,
    EntryKind,
    MinuteEntry,
    Motion,
    MotionStatus,
    Officer,
    Presence,
    RuleProfile,
    Seat,
    Session,
    SessionStatus,
    SustainableDevelopmentGoal,
)
from chancery.mun.queries import pending_motions
from chancery.programmes.models import Edition, ProgrammeKind


class Conflict(Exception):
    """Another chair changed the session since this chair's view of it: nothing was written."""


def _refuse(error: rules.RuleError) -> ValidationError:
    return ValidationError(wording.refusal(error))


# Setting up a conference


def _texts(field: str, en: str, ru: str = "", kk: str = "") -> dict[str, str | None]:
    """A text per language for a model's constructor: the English one also in the field itself
    (whatever language is active), an empty translation as NULL (the reader then sees English;
    two committees without a Russian name do not clash on the name being unique)."""
    en = (en or "").strip()
    return {
        field: en,
        f"{field}_en": en,
        f"{field}_ru": (ru or "").strip() or None,
        f"{field}_kk": (kk or "").strip() or None,
    }


def create_conference(
    *,
    edition: Edition,
    title: str,
    day: date,
    theme: str,
    goal: SustainableDevelopmentGoal,
    venue: str = "",
    event: Event | None = None,
    title_ru: str = "",
    title_kk: str = "",
    theme_ru: str = "",
    theme_kk: str = "",
    actor: Any,
) -> Conference:
    """The conference of an outreach edition; `title` and `theme` are the English ones
    (required), *_ru and *_kk the Russian and Kazakh ones (empty: the reader sees English)."""
    if edition.programme.kind != ProgrammeKind.OUTREACH:
        raise ValidationError(
            {"edition": _("A Model UN conference belongs to an outreach edition.")}
        )
    if not is_programme_officer(actor, edition):
        raise PermissionDenied(_("Only the programme's officers set up its conference."))
    with transaction.atomic():
        conference = Conference(
            edition=edition,
            **_texts("title", title, title_ru, title_kk),
            date=day,
            **_texts("theme", theme, theme_ru, theme_kk),
            goal=goal,
            venue=venue,
            event=event,
        )
        _save(conference, actor)
    return conference


def add_committee(
    *,
    conference: Conference,
    name: str,
    profile: RuleProfile,
    abbreviation: str = "",
    agenda: list[str] | None = None,
    name_ru: str = "",
    name_kk: str = "",
    agenda_ru: list[str] | None = None,
    agenda_kk: list[str] | None = None,
    actor: Any,
) -> Committee:
    """A committee with its agenda. `name` and `agenda` are in English (the name required);
    name_ru, name_kk and the items of agenda_ru and agenda_kk are the Russian and Kazakh texts,
    the n-th item of each translating the n-th English item (empty: the reader sees English)."""
    _require_manager(actor, conference)
    agenda = agenda or []
    agenda_ru = agenda_ru or []
    agenda_kk = agenda_kk or []
    if len(agenda_ru) > len(agenda) or len(agenda_kk) > len(agenda):
        raise ValidationError(
            {
                "agenda_ru" if len(agenda_ru) > len(agenda) else "agenda_kk": _(
                    "More items than in English: give each translated item on the line of "
                    "its English item."
                )
            }
        )
    with transaction.atomic():
        committee = Committee(
            conference=conference,
            **_texts("name", name, name_ru, name_kk),
            abbreviation=abbreviation,
            profile=profile,
        )
        _save(committee, actor)
        for position, title in enumerate(agenda, start=1):
            ru = agenda_ru[position - 1] if position <= len(agenda_ru) else ""
            kk = agenda_kk[position - 1] if position <= len(agenda_kk) else ""
            item = AgendaItem(
                committee=committee, position=position, **_texts("title", title, ru, kk)
            )
            _save(item, actor)
        for delegation in conference.delegations.all():
            _save(Seat(committee=committee, delegation=delegation), actor)
    return committee


def _require_manager(actor: Any, conference: Conference) -> None:
    if not can_manage_conference(actor, conference):
        raise PermissionDenied(_("Only the programme's officers change the conference."))


def pupils_of(school_id: int, on: date) -> list[Person]:
    """The school's pupils on a day, by their current pupil affiliation."""
    people = Person.objects.filter(
        affiliations__organisation_id=school_id, affiliations__role=AffiliationRole.PUPIL
    ).distinct()
    return [
        p
        for p in people.prefetch_related("affiliations")
        if any(
            a.organisation_id == school_id and a.role == AffiliationRole.PUPIL and a.is_current(on)
            for a in p.affiliations.all()
        )
    ]


@dataclass(frozen=True)
class DelegationsCreated:
    created: int
    kept: int
    source: str


def create_delegations(*, conference: Conference, actor: Any) -> DelegationsCreated:
    """One delegation per school of the edition: the country of its paired embassy, or the
    country a committed allocation round gave it when the edition has no pairings. Seats in
    every committee; the school's current pupils become its delegates. Run again, it adds only
    what is missing."""

    _require_manager(actor, conference)
    edition = conference.edition
    pairings = list(edition.pairings.select_related("school", "embassy__country"))
    wanted: list[tuple[Any, Any, Any]] = []
    if pairings:
        source = "pairings"
        for pairing in pairings:
            if pairing.embassy.country is None:
                raise ValidationError(
                    _("The embassy %(embassy)s has no country in the directory.")
                    % {"embassy": pairing.embassy}
                )
            wanted.append((pairing.embassy.country, pairing.school, pairing))
    else:
        source = "allocation"
        assigned = countries_for_edition(edition)
        if not assigned:
            raise ValidationError(
                _(
                    "The edition has neither pairings from a draw nor a committed "
                    "allocation of countries: there is nothing to seat."
                )
            )

        schools = Organisation.objects.in_bulk(list(assigned))
        wanted = [(country, schools[school_id], None) for school_id, country in assigned.items()]
    created = kept = 0
    with transaction.atomic():
        committees = list(conference.committees.all())
        for country, school, pairing in wanted:
            delegation = conference.delegations.filter(country=country).first()
            if delegation is not None:
                kept += 1
                continue
            delegation = Delegation(
                conference=conference, country=country, school=school, pairing=pairing
            )
            _save(delegation, actor)
            created += 1
            pupils = pupils_of(school.pk, conference.date)
            for committee in committees:
                seat = Seat(committee=committee, delegation=delegation)
                _save(seat, actor)
                seat.delegates.set(pupils)
    return DelegationsCreated(created, kept, source)


def assign_officer(
    *, committee: Committee, person: Person, role: str, title: str = "", actor: Any
) -> Officer:
    _require_manager(actor, committee.conference)
    with transaction.atomic():
        officer = Officer(committee=committee, person=person, role=role, title=title)
        _save(officer, actor)
    return officer


def create_draft(
    *,
    committee: Committee,
    code: str,
    title: str,
    sponsors: list[Seat],
    signatories: list[Seat] | None = None,
    text: str = "",
    actor: Any,
) -> DraftResolution:
    if not (can_chair(actor, committee)):
        raise PermissionDenied(_("Only the committee's chairs record draft resolutions."))
    if not sponsors:
        raise ValidationError({"sponsors": _("A draft resolution needs at least one sponsor.")})
    signatories = signatories or []
    for seat in [*sponsors, *signatories]:
        if seat.committee_id != committee.pk:
            raise ValidationError(
                {"sponsors": _("Sponsors and signatories must sit in this committee.")}
            )
    if set(sponsors) & set(signatories):
        raise ValidationError({"signatories": _("A sponsor is not also a signatory.")})
    with transaction.atomic():
        draft = DraftResolution(committee=committee, code=code, title=title, text=text)
        _save(draft, actor)
        draft.sponsors.set(sponsors)
        draft.signatories.set(signatories)
    return draft


# The session: state kept in `Session.floor`


class Clock:
    """The time the services stamp on the session: now, or a replayed time (`replaying`)."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def advance(self, seconds: int) -> None:
        self.at += timedelta(seconds=seconds)


_replay: ContextVar[Clock | None] = ContextVar("mun_replay", default=None)


@contextmanager
def replaying(start: datetime) -> Iterator[Clock]:
    """Record a session that took place earlier (the demo, minutes kept on paper): every
    service stamps the replayed time, which the caller advances."""
    clock = Clock(start)
    token = _replay.set(clock)
    try:
        yield clock
    finally:
        _replay.reset(token)


def _now() -> datetime:
    clock = _replay.get()
    return clock.at if clock is not None else timezone.now()


def _note(
    session: Session,
    kind: str,
    actor: Any,
    *,
    at: datetime | None = None,
    speaker: str = "",
    seconds: int | None = None,
    text: str = "",
    motion: Motion | None = None,
    ballot: Ballot | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    # The minutes carry no separate history: an entry is written once, never changed, and
    # names its recorder itself.
    _save(
        MinuteEntry(
            session=session,
            at=at or _now(),
            kind=kind,
            speaker=speaker,
            seconds=seconds,
            text=text,
            motion=motion,
            ballot=ballot,
            data=data or {},
            recorded_by=recorded_user(actor) if getattr(actor, "is_authenticated", False) else None,
        ),
        actor,
    )


def open_session(
    *, committee: Committee, actor: Any, agenda_item: AgendaItem | None = None
) -> Session:
    if not can_chair(actor, committee):
        raise PermissionDenied(_("Only the committee's chairs open a session."))
    if agenda_item is not None and agenda_item.committee_id != committee.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this committee's agenda.")})
    profile = committee.profile.to_rules()
    with transaction.atomic():
        if committee.sessions.filter(status=SessionStatus.OPEN).exists():
            raise ValidationError(_("The committee already has a session in progress."))
        number = (committee.sessions.aggregate(n=Max("number"))["n"] or 0) + 1
        session = Session(
            committee=committee,
            number=number,
            opened_at=_now(),
            agenda_item=agenda_item or committee.agenda.first(),
            floor={
                "speaking_time": profile.default_speaking_time,
                "queue": [],
                "current": None,
                "running_since": None,
                "caucus": None,
            },
        )
        _save(session, actor)
        for seat in committee.seats.all():
            _save(Presence(session=session, seat=seat), actor)
        _note(session, EntryKind.OPENED, actor)
    return session


@contextmanager
def _changing(session_id: int, version: int | None, actor: Any) -> Iterator[Session]:
    """Lock the session, check the chair's version, let the caller change it, then bump the
    version so every open view knows to refresh."""
    with transaction.atomic():
        session = (
            Session.objects.select_for_update()
            .select_related("committee__profile", "committee__conference__edition__programme")
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            raise ValidationError(_("There is no such session."))
        if not can_chair(actor, session.committee):
            raise PermissionDenied(_("Only the committee's chairs run its session."))
        if session.status != SessionStatus.OPEN:
            raise ValidationError(_("The session is closed."))
        if version is not None and session.version != version:
            raise Conflict(
                _(
                    "Another chair changed the session while you were acting "
                    "(version %(theirs)s, you saw %(yours)s). Your action was not "
                    "applied: look at the refreshed console and do it again if it "
                    "still applies."
                )
                % {"theirs": session.version, "yours": version}
            )
        yield session
        session.version += 1
        # The chair console's hot path (bench/bench_mun.py): only what an action can change.
        _save(
            session,
            actor,
            fields=["version", "floor", "last_ballot", "agenda_item", "status", "closed_at"],
        )
        token, changed = session.projector_token, session.version
        transaction.on_commit(lambda: live.publish(token, changed))


def members(session: Session) -> list[rules.Member]:
    seats = session.committee.seats.select_related("delegation__country")
    return [seat.as_member() for seat in seats]


def roll_call(session: Session) -> dict[str, rules.Attendance]:
    return {
        f"s{seat_id}": rules.Attendance(attendance)
        for seat_id, attendance in session.presences.values_list("seat_id", "attendance")
    }


def _floor_roll_call(session: Session) -> dict[str, rules.Attendance]:
    """Who may take the floor: present delegations and the committee's guest speakers."""
    present = roll_call(session)
    for officer_id in session.committee.officers.filter(role=ChairRole.GUEST).values_list(
        "pk", flat=True
    ):
        present[f"g{officer_id}"] = rules.Attendance.PRESENT
    return present


def _speakers(session: Session) -> rules.SpeakersList:
    floor = session.floor
    current = floor.get("current")
    speech = (
        None
        if current is None
        else rules.Speech(
            current["speaker"],
            current["allotted"],
            current["used"],
            current.get("yielded_by"),
            current.get("questions", False),
        )
    )
    return rules.SpeakersList(
        speaking_time=floor["speaking_time"],
        allowed_yields=session.committee.profile.to_rules().allowed_yields,
        queue=tuple(floor["queue"]),
        current=speech,
    )


def _store(session: Session, speakers: rules.SpeakersList) -> None:
    speech = speakers.current
    session.floor = {
        **session.floor,
        "speaking_time": speakers.speaking_time,
        "queue": list(speakers.queue),
        "current": None
        if speech is None
        else {
            "speaker": speech.delegation,
            "allotted": speech.allotted,
            "used": speech.used,
            "yielded_by": speech.yielded_by,
            "questions": speech.questions,
        },
    }


def _since(floor: dict[str, Any], key: str = "running_since") -> datetime | None:
    value = floor.get(key)
    return parse_datetime(value) if value else None


def _bank(session: Session, now: datetime) -> rules.SpeakersList:
    """Count the running timer's seconds into the current speech; the timer keeps its state."""
    speakers = _speakers(session)
    started = _since(session.floor)
    if started is not None and speakers.current is not None:
        seconds = min(int((now - started).total_seconds()), speakers.current.remaining)
        speakers = speakers.elapse(max(seconds, 0))
        session.floor["running_since"] = now.isoformat()
    return speakers


def _end_speech(
    session: Session,
    speakers: rules.SpeakersList,
    actor: Any,
    now: datetime,
    how: rules.YieldKind,
    to: str | None = None,
) -> None:
    speech = speakers.current
    assert speech is not None
    _note(
        session,
        EntryKind.SPEECH,
        actor,
        at=now,
        speaker=speech.delegation,
        seconds=speech.used,
        data={"ended_by": how.value, "yielded_to": to, "yielded_by": speech.yielded_by},
    )


def _guarded(action: Any) -> Any:
    try:
        return action()
    except rules.RuleError as error:
        raise _refuse(error) from error


def set_attendance(*, session_id: int, seat_id: int, attendance: str, actor: Any) -> None:
    """A delegation's answer to the roll call (independent of other changes: no version)."""
    try:
        answer = rules.Attendance(attendance)
    except ValueError:
        raise ValidationError(
            {"attendance": _("Choose present, present and voting, or absent.")}
        ) from None
    with _changing(session_id, None, actor) as session:
        presence = session.presences.filter(seat_id=seat_id).first()
        if presence is None:
            raise ValidationError({"seat": _("This delegation has no seat in the committee.")})
        if presence.attendance != answer.value:
            presence.attendance = answer.value
            _save(presence, actor, fields=["attendance"])
            seat = Seat.objects.select_related("delegation__country").get(pk=seat_id)
            _note(
                session,
                EntryKind.ROLL_CALL,
                actor,
                speaker=seat.key,
                data={"attendance": answer.value},
            )


def add_speaker(*, session_id: int, version: int | None, speaker: str, actor: Any) -> None:
    with _changing(session_id, version, actor) as session:
        speakers = _speakers(session)
        _store(session, _guarded(lambda: speakers.add(speaker, _floor_roll_call(session))))


def remove_speaker(*, session_id: int, version: int | None, speaker: str, actor: Any) -> None:
    with _changing(session_id, version, actor) as session:
        speakers = _speakers(session)
        _store(session, _guarded(lambda: speakers.remove(speaker)))


def next_speaker(*, session_id: int, version: int | None, actor: Any) -> None:
    """Close the current speech (if any) and give the floor to the first on the list; the
    timer starts at once."""
    now = _now()
    with _changing(session_id, version, actor) as session:
        speakers = _bank(session, now)
        if speakers.current is not None:
            _end_speech(session, speakers, actor, now, rules.YieldKind.CHAIR)
            speakers = speakers.yield_to_chair()
        _store(session, _guarded(speakers.next))
        session.floor["running_since"] = now.isoformat()


def start_timer(*, session_id: int, version: int | None, actor: Any) -> None:
    with _changing(session_id, version, actor) as session:
        if session.floor.get("current") is None:
            raise ValidationError(_("Nobody holds the floor: call the next speaker first."))
        if session.floor.get("running_since") is None:
            session.floor["running_since"] = _now().isoformat()


def pause_timer(*, session_id: int, version: int | None, actor: Any) -> None:
    now = _now()
    with _changing(session_id, version, actor) as session:
        if session.floor.get("running_since") is None:
            raise ValidationError(_("The timer is not running."))
        _store(session, _bank(session, now))
        session.floor["running_since"] = None


def end_speech(*, session_id: int, version: int | None, actor: Any) -> None:
    """The speaker yields to the chair: the speech ends, remaining time is forfeited."""
    now = _now()
    with _changing(session_id, version, actor) as session:
        speakers = _bank(session, now)
        if speakers.current is None:
            raise ValidationError(_("Nobody holds the floor."))
        _end_speech(session, speakers, actor, now, rules.YieldKind.CHAIR)
        _store(session, speakers.yield_to_chair())
        session.floor["running_since"] = None


def yield_floor(*, session_id: int, version: int | None, to: str, actor: Any) -> None:
    """Yield the remaining time to another delegation (`to` a speaker key) or to questions
    (`to` = "questions")."""
    now = _now()
    with _changing(session_id, version, actor) as session:
        speakers = _bank(session, now)
        if speakers.current is None:
            raise ValidationError(_("Nobody holds the floor."))
        if to == "questions":
            _store(session, _guarded(speakers.yield_to_questions))
            return
        following = _guarded(lambda: speakers.yield_to_delegate(to, _floor_roll_call(session)))
        _end_speech(session, speakers, actor, now, rules.YieldKind.DELEGATE, to)
        _store(session, following)


def set_speaking_time(*, session_id: int, version: int | None, seconds: int, actor: Any) -> None:
    with _changing(session_id, version, actor) as session:
        if not 10 <= seconds <= 3600:
            raise ValidationError({"seconds": _("Give a speaking time of 10 to 3600 seconds.")})
        _store(session, _speakers(session).set_speaking_time(seconds))


def set_topic(*, session_id: int, version: int | None, agenda_item_id: int, actor: Any) -> None:
    with _changing(session_id, version, actor) as session:
        item = session.committee.agenda.filter(pk=agenda_item_id).first()
        if item is None:
            raise ValidationError({"agenda_item": _("Choose an item of this committee's agenda.")})
        session.agenda_item = item


# Motions and votes


def raise_motion(
    *,
    session_id: int,
    version: int | None,
    kind: str,
    proposer_id: int,
    total_seconds: int | None = None,
    speaking_seconds: int | None = None,
    topic: str = "",
    actor: Any,
) -> Motion:
    now = _now()
    with _changing(session_id, version, actor) as session:
        proposer = session.committee.seats.filter(pk=proposer_id).first()
        if proposer is None:
            raise ValidationError({"proposer": _("Choose a delegation of this committee.")})
        if roll_call(session).get(proposer.key, rules.Attendance.ABSENT) is rules.Attendance.ABSENT:
            raise ValidationError({"proposer": _("Only a present delegation raises a motion.")})
        motion = Motion(
            session=session,
            kind=kind,
            proposer=proposer,
            raised_at=now,
            total_seconds=total_seconds,
            speaking_seconds=speaking_seconds,
            topic=topic,
        )
        profile = session.committee.profile.to_rules()
        try:
            profile.motion_rule(rules.MotionKind(kind))
            motion.as_rules()
        except rules.RuleError as error:
            raise ValidationError({"kind": wording.refusal(error)}) from error
        except ValueError:
            pass  # not a kind of motion at all: the save's full_clean refuses it, naming `kind`
        _save(motion, actor)
        _note(
            session,
            EntryKind.MOTION,
            actor,
            at=now,
            speaker=proposer.key,
            motion=motion,
            text=topic,
        )
    return motion


def rule_on_motion(
    *, session_id: int, version: int | None, motion_id: int, decision: str, actor: Any
) -> None:
    """The chair grants or denies a motion decided by the chair, rules one out of order, or
    records its withdrawal."""
    now = _now()
    outcomes = {
        "grant": MotionStatus.GRANTED,
        "deny": MotionStatus.DENIED,
        "withdraw": MotionStatus.WITHDRAWN,
    }
    if decision not in outcomes:
        raise ValidationError({"decision": _("Choose grant, deny or withdraw.")})
    with _changing(session_id, version, actor) as session:
        motion = session.motions.filter(pk=motion_id, status=MotionStatus.PENDING).first()
        if motion is None:
            raise ValidationError({"motion": _("This motion is no longer pending.")})
        rule = session.committee.profile.to_rules().motion_rule(rules.MotionKind(motion.kind))
        if decision == "grant" and rule.majority is not None:
            raise ValidationError(
                {"decision": _("This motion is decided by a vote, not by the chair.")}
            )
        motion.status = outcomes[decision]
        _save(motion, actor)
        if motion.status == MotionStatus.GRANTED:
            _carry_out(session, motion, now, actor)
        _note(
            session, EntryKind.RULING, actor, at=now, motion=motion, data={"status": motion.status}
        )


def open_ballot(
    *,
    session_id: int,
    version: int | None,
    actor: Any,
    motion_id: int | None = None,
    draft_id: int | None = None,
) -> Ballot:
    now = _now()
    with _changing(session_id, version, actor) as session:
        if session.ballots.filter(closed_at__isnull=True).exists():
            raise ValidationError(_("A vote is already open: close it first."))
        if (motion_id is None) == (draft_id is None):
            raise ValidationError(_("Put either a motion or a draft resolution to the vote."))
        ballot = Ballot(session=session, opened_at=now)
        if motion_id is not None:
            motion = session.motions.filter(pk=motion_id, status=MotionStatus.PENDING).first()
            if motion is None:
                raise ValidationError({"motion": _("This motion is no longer pending.")})
            rule = session.committee.profile.to_rules().motion_rule(rules.MotionKind(motion.kind))
            if rule.majority is None:
                raise ValidationError({"motion": _("This motion is decided by the chair.")})
            first = pending_motions(session)[0]
            if first.pk != motion.pk:
                raise ValidationError(
                    {"motion": _("%(first)s has precedence and is voted first.") % {"first": first}}
                )
            motion.status = MotionStatus.VOTING
            _save(motion, actor)
            ballot.motion, ballot.kind = motion, BallotKind.PROCEDURAL
        elif draft_id is not None:  # the one given when there is no motion (checked above)
            draft = (
                session.committee.drafts.filter(pk=draft_id)
                .exclude(status__in=[DraftStatus.ADOPTED, DraftStatus.REJECTED])
                .first()
            )
            if draft is None:
                raise ValidationError({"draft": _("This draft resolution is not open for a vote.")})
            ballot.draft, ballot.kind = draft, BallotKind.SUBSTANTIVE
        _save(ballot, actor)
        _pause(session, now)
    return ballot


def _pause(session: Session, now: datetime) -> None:
    if session.floor.get("running_since") is not None:
        _store(session, _bank(session, now))
        session.floor["running_since"] = None


def cast_vote(*, session_id: int, seat_id: int, vote: str, actor: Any) -> None:
    """Record (or change) one delegation's vote in the open ballot (no version: it stands
    alone)."""
    try:
        choice = rules.Vote(vote)
    except ValueError:
        raise ValidationError({"vote": _("Vote yes, no or abstain.")}) from None
    with _changing(session_id, None, actor) as session:
        ballot = session.ballots.filter(closed_at__isnull=True).first()
        if ballot is None:
            raise ValidationError(_("No vote is open."))
        seat = (
            session.committee.seats.select_related("delegation__country").filter(pk=seat_id).first()
        )
        if seat is None:
            raise ValidationError({"seat": _("This delegation has no seat in the committee.")})
        calls = roll_call(session)
        votes = {f"s{s}": rules.Vote(v) for s, v in ballot.votes.values_list("seat_id", "vote")}
        votes[seat.key] = choice
        try:  # the engine refuses absent voters, observers on substance, forbidden abstentions
            _check_vote(session, ballot, votes, calls, seat.key)
        except rules.RuleError as error:
            raise ValidationError({"vote": wording.refusal(error)}) from error
        cast = ballot.votes.filter(seat=seat).first() or CastVote(ballot=ballot, seat=seat)
        cast.vote = choice.value
        _save(cast, actor)
        ballot.yes = sum(v is rules.Vote.YES for v in votes.values())
        ballot.no = sum(v is rules.Vote.NO for v in votes.values())
        ballot.abstain = sum(v is rules.Vote.ABSTAIN for v in votes.values())
        _save(ballot, actor)


def _check_vote(
    session: Session,
    ballot: Ballot,
    votes: dict[str, rules.Vote],
    calls: dict[str, rules.Attendance],
    key: str,
) -> None:
    """Validate one vote by tallying it alone; a missing-votes error is expected and ignored."""
    profile = session.committee.profile.to_rules()
    everyone = members(session)
    kind = rules.VoteKind(ballot.kind)
    try:
        rules.tally(
            profile,
            {key: votes[key]},
            calls,
            kind,
            everyone,
            motion=rules.MotionKind(ballot.motion.kind) if ballot.motion else None,
        )
    except rules.RuleError as error:
        if error.message.code != "missing_votes":
            raise


def close_ballot(*, session_id: int, version: int | None, actor: Any) -> Ballot:
    """Count the open vote by the committee's rules and carry out its result."""
    now = _now()
    with _changing(session_id, version, actor) as session:
        ballot = (
            session.ballots.select_related("motion", "draft").filter(closed_at__isnull=True).first()
        )
        if ballot is None:
            raise ValidationError(_("No vote is open."))
        votes = {f"s{s}": rules.Vote(v) for s, v in ballot.votes.values_list("seat_id", "vote")}
        profile = session.committee.profile.to_rules()
        outcome = _guarded(
            lambda: rules.tally(
                profile,
                votes,
                roll_call(session),
                rules.VoteKind(ballot.kind),
                members(session),
                motion=rules.MotionKind(ballot.motion.kind) if ballot.motion else None,
            )
        )
        ballot.yes, ballot.no, ballot.abstain = outcome.yes, outcome.no, outcome.abstain
        ballot.required, ballot.passed, ballot.reason = (
            outcome.required,
            outcome.passed,
            outcome.reason,
        )
        ballot.closed_at = now
        _save(ballot, actor)
        if ballot.motion is not None:
            ballot.motion.status = MotionStatus.PASSED if outcome.passed else MotionStatus.FAILED
            _save(ballot.motion, actor)
            if outcome.passed:
                _carry_out(session, ballot.motion, now, actor)
        else:
            assert ballot.draft is not None
            ballot.draft.status = DraftStatus.ADOPTED if outcome.passed else DraftStatus.REJECTED
            _save(ballot.draft, actor)
        session.last_ballot = ballot
        _note(
            session,
            EntryKind.VOTE,
            actor,
            at=now,
            ballot=ballot,
            motion=ballot.motion,
            data={"vetoed_by": list(outcome.vetoed_by)},
        )
    return ballot


def _carry_out(session: Session, motion: Motion, now: datetime, actor: Any) -> None:
    """What a passed or granted motion changes on the floor."""
    if motion.kind == "set_speaking_time" and motion.speaking_seconds:
        _store(session, _speakers(session).set_speaking_time(motion.speaking_seconds))
    elif motion.kind in ("moderated_caucus", "unmoderated_caucus"):
        _pause(session, now)
        speakers = _speakers(session)
        session.floor["caucus"] = {
            "kind": motion.kind,
            "total": motion.total_seconds,
            "speaking": motion.speaking_seconds,
            "topic": motion.topic,
            "motion": motion.pk,
            "used": 0,
            "running_since": now.isoformat(),
            "resume_speaking_time": speakers.speaking_time,
        }
        if motion.speaking_seconds:  # a moderated caucus's speakers get its own time
            _store(session, speakers.set_speaking_time(motion.speaking_seconds))
    elif motion.kind == "introduce_draft_resolution":
        draft = session.committee.drafts.filter(status=DraftStatus.DRAFT).first()
        if draft is not None:
            draft.status = DraftStatus.INTRODUCED
            _save(draft, actor)


def end_caucus(*, session_id: int, version: int | None, actor: Any) -> None:
    now = _now()
    with _changing(session_id, version, actor) as session:
        caucus = session.floor.get("caucus")
        if not caucus:
            raise ValidationError(_("No caucus is under way."))
        started = _since(caucus)
        used = caucus["used"] + (int((now - started).total_seconds()) if started else 0)
        _note(
            session,
            EntryKind.CAUCUS,
            actor,
            at=now,
            seconds=min(used, caucus["total"]),
            motion=session.motions.filter(pk=caucus.get("motion")).first(),
            text=caucus.get("topic", ""),
        )
        session.floor["caucus"] = None
        if caucus.get("resume_speaking_time"):
            _store(session, _speakers(session).set_speaking_time(caucus["resume_speaking_time"]))


def close_session(*, session_id: int, version: int | None, actor: Any) -> None:
    now = _now()
    with _changing(session_id, version, actor) as session:
        if session.ballots.filter(closed_at__isnull=True).exists():
            raise ValidationError(_("A vote is still open: close it before closing the session."))
        speakers = _bank(session, now)
        if speakers.current is not None:
            _end_speech(session, speakers, actor, now, rules.YieldKind.CHAIR)
            speakers = speakers.yield_to_chair()
        _store(session, speakers)
        session.floor["running_since"] = None
        session.status = SessionStatus.CLOSED
        session.closed_at = now
        _note(session, EntryKind.CLOSED, actor, at=now)
