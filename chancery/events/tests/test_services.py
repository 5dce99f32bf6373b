"""Events, pupils and attendance through the services: the rules hold whoever calls."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chancery.core.actors import SYSTEM
from chancery.directory.models import AffiliationRole, ConsentKind, Person
from chancery.events import services
from chancery.events.models import Attendance, Event
from chancery.events.tests.factories import Outreach, almaty


def _lecture(outreach: Outreach, actor: object, **extra: object) -> Event:
    fields: dict[str, Any] = {
        "kind": "lecture",
        "title": "Poland in the EU",
        "starts_at": almaty(2018, 11, 5, 10),
        "ends_at": almaty(2018, 11, 5, 11),
        "pairings": [outreach.pairing],
    }
    fields.update(extra)
    return services.create_event(actor=actor, edition=outreach.edition, **fields)


def test_an_event_must_end_after_it_starts(outreach: Outreach) -> None:
    with pytest.raises(ValidationError) as error:
        _lecture(outreach, SYSTEM, ends_at=almaty(2018, 11, 5, 9))
    assert "end after it starts" in str(error.value)


def test_an_unknown_kind_or_time_zone_is_refused_naming_the_field(outreach: Outreach) -> None:
    with pytest.raises(ValidationError) as error:
        _lecture(outreach, SYSTEM, kind="picnic", time_zone="Mars/Olympus")
    assert {"kind", "time_zone"} <= set(error.value.message_dict)


def test_the_hashtag_defaults_to_the_programmes(outreach: Outreach) -> None:
    assert _lecture(outreach, SYSTEM).hashtag == "#jasdiplomat"
    assert _lecture(outreach, SYSTEM, hashtag="#poland").hashtag == "#poland"


def test_a_liaison_records_events_only_for_their_own_pairing(outreach: Outreach) -> None:
    event = _lecture(outreach, outreach.liaison)
    assert list(event.pairings.all()) == [outreach.pairing]
    with pytest.raises(PermissionDenied, match="pairings of your own school or embassy"):
        _lecture(outreach, outreach.liaison, pairings=[outreach.other_pairing])
    with pytest.raises(ValidationError) as error:
        _lecture(outreach, outreach.liaison, pairings=[])
    assert "pairings" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        _lecture(outreach, outreach.other_liaison)


def test_a_coordinator_cannot_change_another_schools_event(outreach: Outreach) -> None:
    event = _lecture(outreach, outreach.other_liaison, pairings=[outreach.other_pairing])
    with pytest.raises(PermissionDenied):
        services.update_event(actor=outreach.coordinator, event=event, title="Mine now")
    own = _lecture(outreach, outreach.coordinator)
    changed = services.update_event(actor=outreach.coordinator, event=own, title="Renamed")
    assert changed.title == "Renamed"
    assert changed.history.first().history_user == outreach.coordinator


def test_an_officer_records_an_event_of_the_whole_edition(outreach: Outreach, cast: object) -> None:
    event = _lecture(outreach, cast.alice, kind="ceremony", pairings=[])  # type: ignore[attr-defined]
    assert event.pairings.count() == 0
    with pytest.raises(ValidationError):
        _lecture(outreach, cast.charlie, pairings=[])  # type: ignore[attr-defined]


def _register(outreach: Outreach, consents: list[str], **extra: object) -> object:
    fields: dict[str, Any] = {
        "edition": outreach.edition,
        "school": outreach.school,
        "given_name": "Dana",
        "family_name": "Omarova",
        "birth_date": date(2011, 2, 17),
        "guardian_given_name": "Aigul",
        "guardian_family_name": "Omarova",
        "consents": consents,
    }
    fields.update(extra)
    return services.register_pupil(actor=outreach.coordinator, **fields)


def test_a_pupil_without_the_guardians_data_consent_is_refused_and_nothing_is_kept(
    outreach: Outreach,
) -> None:
    before = Person.objects.count()
    with pytest.raises(ValidationError) as error:
        _register(outreach, [ConsentKind.MEDIA])
    assert "guardian" in error.value.message_dict
    assert Person.objects.count() == before


def test_a_pupil_with_the_guardians_consent_is_registered_at_the_school(outreach: Outreach) -> None:
    registration = _register(outreach, [ConsentKind.DATA_PROCESSING])
    pupil = registration.pupil  # type: ignore[attr-defined]
    assert pupil.guardian == registration.guardian  # type: ignore[attr-defined]
    assert pupil.affiliations.get().role == AffiliationRole.PUPIL
    assert pupil.affiliations.get().organisation == outreach.school
    assert [c.given_by for c in pupil.consents.all()] == [pupil.guardian]


def test_a_coordinator_registers_pupils_only_at_their_school(outreach: Outreach) -> None:
    with pytest.raises(PermissionDenied, match="pupils of your school"):
        _register(outreach, [ConsentKind.DATA_PROCESSING], school=outreach.other_school)


def test_attendance_is_one_row_per_person_ticked_and_unticked(outreach: Outreach) -> None:
    event = _lecture(outreach, SYSTEM)
    services.record_attendance(actor=outreach.liaison, event=event, person=outreach.pupil)
    row = services.record_attendance(
        actor=outreach.liaison, event=event, person=outreach.pupil, attended=False
    )
    assert Attendance.objects.filter(event=event).count() == 1
    assert (row.attended, row.checked_at) == (False, None)
    row = services.record_attendance(actor=outreach.liaison, event=event, person=outreach.pupil)
    assert row.attended and row.checked_at is not None


def test_only_people_of_the_events_schools_and_embassies_can_be_ticked(
    outreach: Outreach, cast: object
) -> None:
    event = _lecture(outreach, SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.record_attendance(actor=SYSTEM, event=event, person=cast.pat_person)  # type: ignore[attr-defined]
    assert "person" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=outreach.other_liaison, event=event, person=outreach.pupil)


CSV = (
    b"given_name,family_name,person_id,attended\n"
    b"Aruzhan,Aruzhanova,,yes\n"
    b",,{shy},no\n"
    b"Nobody,Known,,yes\n"
    b"Timur,Timurova,,maybe\n"
)


def test_an_attendance_import_dry_run_names_the_field_of_each_problem(outreach: Outreach) -> None:
    event = _lecture(outreach, SYSTEM)
    data = CSV.replace(b"{shy}", str(outreach.shy_pupil.pk).encode())
    result = services.import_attendance(
        actor=outreach.coordinator, event=event, data=data, filename="list.csv", dry_run=True
    )
    outcomes = [(row.number, row.outcome, row.messages) for row in result.rows]
    assert outcomes[0] == (2, "present", [])
    assert outcomes[1] == (3, "absent", [])
    assert outcomes[2][1] == "error" and outcomes[2][2][0].startswith("row 4, family_name: nobody")
    assert outcomes[3][1] == "error" and outcomes[3][2][0].startswith("row 5, attended:")
    assert not Attendance.objects.exists()
    committed = services.import_attendance(
        actor=outreach.coordinator, event=event, data=data, filename="list.csv", dry_run=False
    )
    assert committed.recorded == 0 and not Attendance.objects.exists()


def test_a_clean_attendance_import_records_every_row(outreach: Outreach) -> None:
    event = _lecture(outreach, SYSTEM)
    data = b"given_name;family_name;attended\nAruzhan;Aruzhanova;1\nTimur;Timurova;0\n"
    result = services.import_attendance(
        actor=outreach.coordinator, event=event, data=data, filename="list.csv", dry_run=False
    )
    assert result.recorded == 2
    assert {(a.person, a.attended) for a in event.attendances.all()} == {
        (outreach.pupil, True),
        (outreach.shy_pupil, False),
    }


def test_an_import_without_known_columns_is_refused(outreach: Outreach) -> None:
    event = _lecture(outreach, SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.import_attendance(
            actor=SYSTEM, event=event, data=b"name\nX\n", filename="list.csv"
        )
    assert "file" in error.value.message_dict
