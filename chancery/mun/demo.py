"""Demo: the outreach season's Model UN final, "Future Energy" (SDG 7), held on the eve of
Independence Day: a General Assembly of the seven paired schools, chaired by two pupils of the
physics-and-mathematics school, with a finished session replayed into the minutes."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.demo import DEMO_NOTE, Directory
from chancery.directory.models import AffiliationRole, ConsentKind
from chancery.events.models import Event, EventKind
from chancery.mun import services
from chancery.mun.models import Conference, RuleProfile, SustainableDevelopmentGoal
from chancery.programmes.models import Edition

ALMATY = ZoneInfo("Asia/Almaty")
DAY = date(2018, 12, 14)
# Who speaks in the general debate, and for how many seconds of their two minutes.
DEBATE = [("JP", 115), ("DE", 98), ("BR", 120), ("PL", 87), ("KR", 104)]


def _moderator(d: Directory, actor: Any) -> Any:
    guardian = directory.create_person(
        actor=actor, owner=d.mfa_kz, given_name="Gulnara", family_name="Sadykova", notes=DEMO_NOTE
    )
    pupil = directory.create_person(
        actor=actor,
        owner=d.mfa_kz,
        given_name="Arman",
        family_name="Sadykov",
        given_name_cyrl="Арман",
        family_name_cyrl="Садыков",
        birth_date=date(2002, 6, 3),
        guardian=guardian,
        notes=DEMO_NOTE,
    )
    for kind in (ConsentKind.DATA_PROCESSING, ConsentKind.MEDIA):
        directory.record_consent(
            actor=actor, person=pupil, kind=kind, given_by=guardian, given_on=date(2018, 10, 20)
        )
    directory.add_affiliation(
        actor=actor,
        person=pupil,
        organisation=d.chairs_school,
        role=AffiliationRole.PUPIL,
        start=date(2018, 10, 20),
    )
    return pupil


def build(d: Directory, edition: Edition, actor: Any = SYSTEM) -> Conference:
    event = Event.objects.filter(edition=edition, kind=EventKind.MODEL_UN).first()
    conference = services.create_conference(
        edition=edition,
        title="Jas Diplomat Model UN",
        title_ru="Модель ООН «Жас дипломат»",
        title_kk="«Жас дипломат» БҰҰ моделі",
        day=DAY,
        theme="Future Energy",
        theme_ru="Энергия будущего",
        theme_kk="Болашақ энергиясы",
        goal=SustainableDevelopmentGoal.objects.get(number=7),
        venue=event.venue if event else "",
        event=event,
        actor=actor,
    )
    assembly = services.add_committee(
        conference=conference,
        name="General Assembly",
        name_ru="Генеральная Ассамблея",
        name_kk="Бас Ассамблея",
        abbreviation="GA",
        profile=RuleProfile.objects.get(key="thimun"),
        actor=actor,
        agenda=["Clean and affordable energy for every school by 2030"],
        agenda_ru=["Чистая и доступная энергия для каждой школы к 2030 году"],
        agenda_kk=["2030 жылға қарай әр мектепке таза әрі қолжетімді энергия"],
    )
    services.create_delegations(conference=conference, actor=actor)
    services.assign_officer(committee=assembly, person=d.people["chair"], role="chair", actor=actor)
    services.assign_officer(
        committee=assembly, person=_moderator(d, actor), role="moderator", actor=actor
    )
    services.assign_officer(
        committee=assembly,
        person=d.people["liaison"],
        role="guest",
        title="Second Secretary, Embassy of Poland",
        actor=actor,
    )
    _replay_session(assembly, actor)
    return conference


def _replay_session(assembly: Any, actor: Any) -> None:
    seats = {
        seat.delegation.country.alpha2: seat
        for seat in assembly.seats.select_related("delegation__country")
    }
    with services.replaying(datetime(2018, 12, 14, 10, 20, tzinfo=ALMATY)) as clock:
        session = services.open_session(committee=assembly, actor=actor)
        for code, seat in seats.items():
            clock.advance(12)
            answer = "present_and_voting" if code == "TR" else "present"
            services.set_attendance(
                session_id=session.pk, seat_id=seat.pk, attendance=answer, actor=actor
            )
        for code, _seconds in DEBATE:
            services.add_speaker(
                session_id=session.pk, version=None, speaker=seats[code].key, actor=actor
            )
        services.set_speaking_time(session_id=session.pk, version=None, seconds=120, actor=actor)
        for _code, seconds in DEBATE:
            clock.advance(20)
            services.next_speaker(session_id=session.pk, version=None, actor=actor)
            clock.advance(seconds)
            services.end_speech(session_id=session.pk, version=None, actor=actor)
        clock.advance(30)
        draft = services.create_draft(
            committee=assembly,
            code="GA/1/1",
            title="Solar roofs for schools",
            sponsors=[seats["JP"], seats["DE"]],
            signatories=[seats["BR"], seats["KR"]],
            actor=actor,
        )
        motion = services.raise_motion(
            session_id=session.pk,
            version=None,
            kind="close_debate",
            proposer_id=seats["GE"].pk,
            actor=actor,
        )
        clock.advance(15)
        services.open_ballot(session_id=session.pk, version=None, motion_id=motion.pk, actor=actor)
        for code, seat in seats.items():
            clock.advance(3)
            services.cast_vote(
                session_id=session.pk,
                seat_id=seat.pk,
                vote="no" if code == "BR" else "yes",
                actor=actor,
            )
        services.close_ballot(session_id=session.pk, version=None, actor=actor)
        clock.advance(40)
        services.open_ballot(session_id=session.pk, version=None, draft_id=draft.pk, actor=actor)
        votes = {
            "JP": "yes",
            "DE": "yes",
            "BR": "yes",
            "KR": "yes",
            "PL": "yes",
            "GE": "abstain",
            "TR": "no",
        }
        for code, seat in seats.items():
            clock.advance(4)
            services.cast_vote(
                session_id=session.pk, seat_id=seat.pk, vote=votes[code], actor=actor
            )
        services.close_ballot(session_id=session.pk, version=None, actor=actor)
        clock.advance(60)
        services.close_session(session_id=session.pk, version=None, actor=actor)
