"""`chancery enrolment`: `--as` is authorised as the enrolment pages authorise."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chancery.programmes import services
from chancery.programmes.models import Enrolment, EnrolmentState, Placement


def _started(cast: Any, jpo: Any) -> Enrolment:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    enrolment = services.select(actor=cast.alice, enrolment=enrolment)
    services.place(actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1))
    return services.start(actor=cast.alice, enrolment=enrolment)


def test_it_refuses_a_viewer_moving_an_enrolment_and_writes_nothing(cast: Any, jpo: Any) -> None:
    enrolment = _started(cast, jpo)
    rows = enrolment.history.count()
    assert (
        cast.client_for(cast.bob)
        .post(f"/programmes/enrolments/{enrolment.pk}/state/", {"target": EnrolmentState.COMPLETED})
        .status_code
        == 403
    )
    with pytest.raises(
        CommandError, match=rf"^--as: bob may not move enrolment #{enrolment.pk}\.$"
    ):
        call_command(
            "enrolment", "--as", "bob", "move", str(enrolment.pk), "completed", stdout=StringIO()
        )
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ACTIVE
    assert enrolment.history.count() == rows


def test_it_refuses_an_officer_of_another_office_moving_an_enrolment(cast: Any, jpo: Any) -> None:
    enrolment = _started(cast, jpo)
    with pytest.raises(CommandError, match=r"^--as: charlie may not move enrolment"):
        call_command(
            "enrolment",
            "--as",
            "charlie",
            "move",
            str(enrolment.pk),
            "completed",
            stdout=StringIO(),
        )
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ACTIVE


def test_an_officer_moves_an_enrolment_and_the_history_names_them(cast: Any, jpo: Any) -> None:
    enrolment = _started(cast, jpo)
    out = StringIO()
    call_command("enrolment", "--as", "alice", "move", str(enrolment.pk), "completed", stdout=out)
    assert out.getvalue().splitlines()[0].endswith(": completed")
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.COMPLETED
    assert enrolment.history.latest().history_user == cast.alice


def test_it_refuses_a_viewer_placing_a_participant(cast: Any, jpo: Any) -> None:
    enrolment = services.select(
        actor=cast.alice,
        enrolment=services.apply(
            actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
        ),
    )
    with pytest.raises(
        CommandError, match=rf"^--as: bob may not place enrolment #{enrolment.pk}\.$"
    ):
        call_command(
            "enrolment",
            "--as",
            "bob",
            "place",
            str(enrolment.pk),
            str(jpo.mfa.pk),
            "2026-09-01",
            stdout=StringIO(),
        )
    assert not Placement.objects.exists()
    call_command(
        "enrolment",
        "--as",
        "alice",
        "place",
        str(enrolment.pk),
        str(jpo.mfa.pk),
        "2026-09-01",
        stdout=StringIO(),
    )
    assert Placement.objects.get().history.latest().history_user == cast.alice


def test_it_shows_an_enrolment_only_to_whom_its_page_shows_it(cast: Any, jpo: Any) -> None:
    enrolment = _started(cast, jpo)
    out = StringIO()
    call_command("enrolment", "--as", "bob", "show", str(enrolment.pk), stdout=out)
    assert ": active" in out.getvalue()
    with pytest.raises(
        CommandError, match=rf"^--as: charlie may not see enrolment #{enrolment.pk}\.$"
    ):
        call_command("enrolment", "--as", "charlie", "show", str(enrolment.pk), stdout=StringIO())


def test_it_refuses_a_disabled_account(cast: Any, jpo: Any) -> None:
    enrolment = _started(cast, jpo)
    cast.alice.is_active = False
    cast.alice.save()
    with pytest.raises(CommandError, match=r"^--as: alice may not act: the account is disabled"):
        call_command(
            "enrolment", "--as", "alice", "move", str(enrolment.pk), "completed", stdout=StringIO()
        )
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ACTIVE


def test_without_as_the_operator_moves_an_enrolment_recording_no_user(cast: Any, jpo: Any) -> None:
    enrolment = _started(cast, jpo)
    call_command("enrolment", "move", str(enrolment.pk), "completed", stdout=StringIO())
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.COMPLETED
    assert enrolment.history.latest().history_user is None
