"""The session services against a real database: roll call, the floor, motions, votes, the
minutes, and two chairs acting at once."""

import importlib
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chancery.mun import presets, queries, rules, services
from chancery.mun.models import (
    DraftStatus,
    EntryKind,
    MotionStatus,
    RuleProfile,
    Seat,
    Session,
    SustainableDevelopmentGoal,
)
from chancery.mun.tests.factories import Mun, make_mun
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_reference_data_holds_the_goals_and_every_preset() -> None:
    assert SustainableDevelopmentGoal.objects.count() == 17
    assert SustainableDevelopmentGoal.objects.get(number=7).name_ru
    for key, profile in rules.PRESETS.items():
        assert RuleProfile.objects.get(key=key).to_rules() == profile
        council = RuleProfile.objects.get(key=f"{key}-security-council").to_rules()
        assert council == rules.security_council(profile)


def test_a_broken_profile_is_refused_naming_the_field() -> None:
    profile = RuleProfile(key="broken", **presets.stored(rules.THIMUN))
    profile.motions = [["point_of_order", None], ["point_of_order", None]]
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "motions" in error.value.message_dict


def test_council_rows_seeded_with_voting_observers_are_corrected() -> None:
    migration = importlib.import_module("chancery.mun.migrations.0003_council_members_only_vote")
    old_shape = {
        **presets.stored(rules.security_council(rules.THIMUN)),
        "observers_vote_on_procedure": True,
    }
    row = RuleProfile.objects.create(key="old-council", **old_shape)
    with pytest.raises(ValidationError):
        row.full_clean()  # the engine refuses observers voting in a council with the veto
    migration.members_only(django_apps, None)
    row.refresh_from_db()
    assert row.to_rules() == rules.security_council(rules.THIMUN)
    assert RuleProfile.objects.get(key="thimun").observers_vote_on_procedure  # kept


def test_delegations_come_from_the_pairings_with_the_pupils_as_delegates(mun: Mun) -> None:
    assert {s.delegation.country.alpha2 for s in mun.committee.seats.all()} == {"PL", "JP"}
    pupils = {p.given_name for seat in mun.committee.seats.all() for p in seat.delegates.all()}
    assert pupils == {"Aruzhan", "Timur"}
    again = services.create_delegations(conference=mun.conference, actor=mun.officer)
    assert (again.created, again.kept, again.source) == (0, 2, "pairings")


def _open(mun: Mun) -> Session:
    session = services.open_session(committee=mun.committee, actor=mun.chair)
    for seat in (mun.poland, mun.japan):
        services.set_attendance(
            session_id=session.pk, seat_id=seat.pk, attendance="present", actor=mun.chair
        )
    session.refresh_from_db()
    return session


def test_only_chairs_run_a_session(mun: Mun) -> None:
    # A refusal of who acts is a permission refusal (403 on pages and in the API), not a 422.
    with pytest.raises(PermissionDenied):
        services.open_session(committee=mun.committee, actor=mun.outreach.coordinator)
    session = _open(mun)
    with pytest.raises(PermissionDenied):
        services.add_speaker(
            session_id=session.pk, version=None, speaker=mun.poland.key, actor=mun.outreach.liaison
        )


def test_speakers_timer_and_minutes(mun: Mun) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        session = _open(mun)
        for seat in (mun.poland, mun.japan):
            services.add_speaker(
                session_id=session.pk, version=None, speaker=seat.key, actor=mun.chair
            )
        services.next_speaker(session_id=session.pk, version=None, actor=mun.chair)
        clock.shift(timedelta(seconds=40))
        session.refresh_from_db()
        state = queries.session_state(session)
        assert state.speaker == "Poland" and state.speech is not None
        assert state.speech.remaining == 300 - 40 and state.speech.running
        services.pause_timer(session_id=session.pk, version=None, actor=mun.chair)
        clock.shift(timedelta(seconds=100))  # paused: this does not count
        services.start_timer(session_id=session.pk, version=None, actor=mun.chair)
        clock.shift(timedelta(seconds=20))
        services.next_speaker(session_id=session.pk, version=None, actor=mun.chair)
    session.refresh_from_db()
    speech = session.minutes.get(kind=EntryKind.SPEECH)
    assert speech.speaker == mun.poland.key and speech.seconds == 60
    assert queries.session_state(session).speaker == "Japan"
    lines = [text for _entry, text in queries.minutes_of(session)]
    assert "Poland spoke for 1:00." in lines


def test_an_absent_delegation_cannot_take_the_floor(mun: Mun) -> None:
    session = _open(mun)
    services.set_attendance(
        session_id=session.pk, seat_id=mun.japan.pk, attendance="absent", actor=mun.chair
    )
    with pytest.raises(ValidationError, match="Japan is not present"):
        services.add_speaker(
            session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
        )


def test_a_stale_version_is_a_conflict_and_writes_nothing(mun: Mun) -> None:
    session = _open(mun)
    seen = session.version
    services.add_speaker(
        session_id=session.pk, version=seen, speaker=mun.poland.key, actor=mun.chair
    )
    with pytest.raises(services.Conflict, match="Another chair"):
        services.add_speaker(
            session_id=session.pk, version=seen, speaker=mun.japan.key, actor=mun.officer
        )
    session.refresh_from_db()
    assert session.floor["queue"] == [mun.poland.key]
    assert session.version == seen + 1


def test_a_motion_is_voted_and_its_caucus_starts(harvard: Mun) -> None:
    session = _open(harvard)
    motion = services.raise_motion(
        session_id=session.pk,
        version=None,
        kind="moderated_caucus",
        proposer_id=harvard.japan.pk,
        total_seconds=600,
        speaking_seconds=60,
        topic="Solar power in schools",
        actor=harvard.chair,
    )
    services.open_ballot(
        session_id=session.pk, version=None, motion_id=motion.pk, actor=harvard.chair
    )
    services.cast_vote(
        session_id=session.pk, seat_id=harvard.poland.pk, vote="yes", actor=harvard.chair
    )
    with pytest.raises(ValidationError, match="No vote recorded for: Japan"):
        services.close_ballot(session_id=session.pk, version=None, actor=harvard.chair)
    services.cast_vote(
        session_id=session.pk, seat_id=harvard.japan.pk, vote="yes", actor=harvard.chair
    )
    ballot = services.close_ballot(session_id=session.pk, version=None, actor=harvard.chair)
    assert ballot.passed and (ballot.yes, ballot.no) == (2, 0)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.PASSED
    session.refresh_from_db()
    assert session.floor["caucus"]["total"] == 600
    assert session.last_ballot == ballot


def test_an_observer_in_the_council_is_refused_a_procedural_vote(cast: Any) -> None:
    council = make_mun(cast, PASSWORD, profile="harvard-security-council")
    Seat.objects.filter(pk=council.japan.pk).update(status="observer")
    session = _open(council)
    motion = services.raise_motion(
        session_id=session.pk,
        version=None,
        kind="unmoderated_caucus",
        proposer_id=council.poland.pk,
        total_seconds=300,
        actor=council.chair,
    )
    services.open_ballot(
        session_id=session.pk, version=None, motion_id=motion.pk, actor=council.chair
    )
    with pytest.raises(ValidationError, match="is an observer and may not vote") as error:
        services.cast_vote(
            session_id=session.pk, seat_id=council.japan.pk, vote="yes", actor=council.chair
        )
    assert "vote" in error.value.message_dict
    services.cast_vote(
        session_id=session.pk, seat_id=council.poland.pk, vote="yes", actor=council.chair
    )
    ballot = services.close_ballot(session_id=session.pk, version=None, actor=council.chair)
    assert (ballot.yes, ballot.no, ballot.required, ballot.passed) == (1, 0, 1, True)


def test_a_tie_fails(mun: Mun) -> None:
    session = _open(mun)
    draft = services.create_draft(
        committee=mun.committee,
        code="DR 1/1",
        title="Solar roofs",
        sponsors=[mun.poland],
        actor=mun.chair,
    )
    services.open_ballot(session_id=session.pk, version=None, draft_id=draft.pk, actor=mun.chair)
    services.cast_vote(session_id=session.pk, seat_id=mun.poland.pk, vote="yes", actor=mun.chair)
    services.cast_vote(session_id=session.pk, seat_id=mun.japan.pk, vote="no", actor=mun.chair)
    ballot = services.close_ballot(session_id=session.pk, version=None, actor=mun.chair)
    assert ballot.passed is False
    draft.refresh_from_db()
    assert draft.status == DraftStatus.REJECTED


def test_motions_are_voted_in_order_of_precedence(harvard: Mun) -> None:
    session = _open(harvard)
    speaking = services.raise_motion(
        session_id=session.pk,
        version=None,
        kind="set_speaking_time",
        proposer_id=harvard.poland.pk,
        speaking_seconds=60,
        actor=harvard.chair,
    )
    services.raise_motion(
        session_id=session.pk,
        version=None,
        kind="unmoderated_caucus",
        proposer_id=harvard.japan.pk,
        total_seconds=300,
        actor=harvard.chair,
    )
    with pytest.raises(ValidationError, match="precedence"):
        services.open_ballot(
            session_id=session.pk, version=None, motion_id=speaking.pk, actor=harvard.chair
        )
    order = [m.kind for m in queries.pending_motions(session)]
    assert order == ["unmoderated_caucus", "set_speaking_time"]


def test_a_motion_out_of_order_under_the_profile_is_refused(mun: Mun) -> None:
    session = _open(mun)  # UN4MUN has no caucus motions
    with pytest.raises(ValidationError) as error:
        services.raise_motion(
            session_id=session.pk,
            version=None,
            kind="moderated_caucus",
            proposer_id=mun.poland.pk,
            total_seconds=60,
            speaking_seconds=30,
            actor=mun.chair,
        )
    assert "kind" in error.value.message_dict


def test_closing_the_session_ends_the_speech_and_locks_it(mun: Mun) -> None:
    session = _open(mun)
    services.add_speaker(
        session_id=session.pk, version=None, speaker=mun.poland.key, actor=mun.chair
    )
    services.next_speaker(session_id=session.pk, version=None, actor=mun.chair)
    services.close_session(session_id=session.pk, version=None, actor=mun.chair)
    with pytest.raises(ValidationError, match="closed"):
        services.add_speaker(
            session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
        )
    kinds = list(session.minutes.values_list("kind", flat=True))
    assert kinds[0] == EntryKind.OPENED and kinds[-1] == EntryKind.CLOSED
    assert EntryKind.SPEECH in kinds


def test_without_pairings_the_delegations_come_from_a_committed_round_of_countries(
    cast: Any,
) -> None:
    from chancery.allocation import services as allocation
    from chancery.allocation.tests.factories import make_country_round

    countries = make_country_round(cast)
    allocation.run_round(actor=cast.alice, round=countries.round)
    allocation.commit_round(actor=cast.alice, round=countries.round)
    conference = services.create_conference(
        edition=countries.edition,
        title="Final",
        day=date(2019, 4, 1),
        theme="Water",
        goal=SustainableDevelopmentGoal.objects.get(number=6),
        actor=cast.alice,
    )
    services.add_committee(
        conference=conference,
        name="General Assembly",
        profile=RuleProfile.objects.get(key="un4mun"),
        actor=cast.alice,
    )
    made = services.create_delegations(conference=conference, actor=cast.alice)
    assert (made.created, made.source) == (3, "allocation")
    seated = {
        s.delegation.country.alpha2: s.delegation.school
        for s in conference.committees.get().seats.select_related("delegation__school")
    }
    assert seated == {
        "FR": countries.schools["A"],
        "JP": countries.schools["B"],
        "BR": countries.schools["D"],
    }


def test_with_neither_pairings_nor_a_committed_round_nothing_is_seated(cast: Any) -> None:
    from chancery.allocation.tests.factories import make_country_round

    countries = make_country_round(cast)  # previewed nowhere, committed nowhere
    conference = services.create_conference(
        edition=countries.edition,
        title="Final",
        day=date(2019, 4, 1),
        theme="Water",
        goal=SustainableDevelopmentGoal.objects.get(number=6),
        actor=cast.alice,
    )
    with pytest.raises(ValidationError, match="nothing to seat"):
        services.create_delegations(conference=conference, actor=cast.alice)


def test_a_moderated_caucus_sets_its_speaking_time_and_ending_it_restores_the_lists(
    harvard: Mun,
) -> None:
    session = _open(harvard)
    motion = services.raise_motion(
        session_id=session.pk,
        version=None,
        kind="moderated_caucus",
        proposer_id=harvard.poland.pk,
        total_seconds=300,
        speaking_seconds=45,
        actor=harvard.chair,
    )
    services.rule_on_motion(
        session_id=session.pk,
        version=None,
        motion_id=motion.pk,
        decision="withdraw",
        actor=harvard.chair,
    )
    motion = services.raise_motion(
        session_id=session.pk,
        version=None,
        kind="moderated_caucus",
        proposer_id=harvard.poland.pk,
        total_seconds=300,
        speaking_seconds=45,
        actor=harvard.chair,
    )
    services.open_ballot(
        session_id=session.pk, version=None, motion_id=motion.pk, actor=harvard.chair
    )
    for seat in (harvard.poland, harvard.japan):
        services.cast_vote(session_id=session.pk, seat_id=seat.pk, vote="yes", actor=harvard.chair)
    services.close_ballot(session_id=session.pk, version=None, actor=harvard.chair)
    session.refresh_from_db()
    assert session.floor["speaking_time"] == 45
    services.end_caucus(session_id=session.pk, version=None, actor=harvard.chair)
    session.refresh_from_db()
    assert session.floor["speaking_time"] == 90 and session.floor["caucus"] is None
    assert session.minutes.filter(kind=EntryKind.CAUCUS).count() == 1


def test_a_chair_action_leaves_a_history_row_naming_the_chair(mun: Mun) -> None:
    session = _open(mun)
    services.add_speaker(
        session_id=session.pk, version=session.version, speaker=mun.poland.key, actor=mun.chair
    )
    session.refresh_from_db()
    latest = session.history.latest()
    assert latest.history_user == mun.chair
    assert (latest.version, latest.floor["queue"]) == (session.version, [mun.poland.key])


def test_roll_call_answers_and_votes_are_audited_with_the_chair(mun: Mun) -> None:
    session = _open(mun)
    presence = session.presences.get(seat=mun.poland)
    assert presence.history.latest().history_user == mun.chair
    draft = services.create_draft(
        committee=mun.committee,
        code="DR 1/1",
        title="Energy",
        sponsors=[mun.poland],
        actor=mun.chair,
    )
    ballot = services.open_ballot(
        session_id=session.pk, version=None, draft_id=draft.pk, actor=mun.chair
    )
    services.cast_vote(session_id=session.pk, seat_id=mun.poland.pk, vote="yes", actor=mun.chair)
    services.cast_vote(session_id=session.pk, seat_id=mun.poland.pk, vote="no", actor=mun.officer)
    vote = ballot.votes.get(seat=mun.poland)
    assert [(h.vote, h.history_user) for h in vote.history.order_by("history_id")] == [
        ("yes", mun.chair),
        ("no", mun.officer),
    ]
    assert ballot.history.latest().history_user == mun.officer


def test_it_refuses_a_motion_topic_longer_than_its_field_and_writes_nothing(harvard: Mun) -> None:
    session = _open(harvard)
    with pytest.raises(ValidationError) as error:
        services.raise_motion(
            session_id=session.pk,
            version=session.version,
            kind="moderated_caucus",
            proposer_id=harvard.poland.pk,
            total_seconds=300,
            speaking_seconds=30,
            topic="x" * 301,
            actor=harvard.chair,
        )
    assert "topic" in error.value.message_dict
    before = session.version
    session.refresh_from_db()
    assert session.version == before and not session.motions.exists()
