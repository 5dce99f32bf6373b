from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chancery.allocation import matching, queries, services
from chancery.allocation.models import RoundStatus
from chancery.allocation.tests.factories import Setup, conduct_tie_break, make_setup
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.programmes import services as programmes
from chancery.programmes.models import EnrolmentState, Placement, PlacementStatus


def test_a_preview_is_stable_and_places_nobody(setup: Setup, cast: Any) -> None:
    round = services.run_round(actor=cast.alice, round=setup.round)
    assert round.status == RoundStatus.PREVIEWED
    instance, result = queries.result_of(round)
    assert matching.check_stability(instance, result) == []
    assert result.assignment == {
        str(setup.pat.pk): str(setup.department.pk),
        str(setup.quinn.pk): str(setup.ministry.pk),
        str(setup.ivan.pk): None,
        str(setup.dana.pk): str(setup.consulate.pk),
    }
    stats = queries.statistics(round)
    assert (stats.applicants, stats.placed, stats.unplaced, stats.first_choice, stats.top3) == (
        4,
        3,
        1,
        2,
        3,
    )
    assert not Placement.objects.exists()
    assert round.result["inputs"]["tie_break_draw"] == round.tie_break_draw_id
    assert round.history.first().history_user == cast.alice


def test_a_preview_without_a_conducted_tie_break_draw_is_refused_with_the_way_out(
    cast: Any,
) -> None:
    setup = make_setup(cast, draw=False)
    with pytest.raises(ValidationError) as refused:
        services.run_round(actor=cast.alice, round=setup.round)
    assert "tie_break_draw" in refused.value.message_dict
    assert "Conduct a tie-break draw first" in str(refused.value)
    draw = services.prepare_tie_break_draw(actor=cast.alice, round=setup.round)
    assert draw.kind == "order" and draw.edition_id == setup.edition.pk
    assert f"(#{setup.pat.pk})" in " ".join(draw.pool)
    with pytest.raises(ValidationError, match="not conducted yet"):
        services.run_round(actor=cast.alice, round=setup.round)


def test_an_applicant_selected_after_the_draw_needs_a_new_draw(setup: Setup, cast: Any) -> None:
    person = directory.create_person(
        actor=SYSTEM, owner=cast.academy, given_name="Late", family_name="Comer"
    )
    late = programmes.apply(actor=cast.alice, edition=setup.edition, person=person)
    programmes.select(actor=cast.alice, enrolment=late)
    with pytest.raises(ValidationError, match="does not include Late Comer"):
        services.run_round(actor=cast.alice, round=setup.round)
    conduct_tie_break(cast.alice, setup.round)
    assert services.run_round(actor=cast.alice, round=setup.round).status == "previewed"


def test_committing_places_every_assigned_applicant(setup: Setup, cast: Any) -> None:
    services.run_round(actor=cast.alice, round=setup.round)
    round = services.commit_round(actor=cast.alice, round=setup.round)
    assert round.status == RoundStatus.COMMITTED and round.committed_at is not None
    setup.pat.refresh_from_db()
    setup.ivan.refresh_from_db()
    assert setup.pat.state == EnrolmentState.PLACED
    assert setup.ivan.state == EnrolmentState.SELECTED
    placement = Placement.objects.get(enrolment=setup.pat)
    assert (placement.host, placement.department) == (cast.ministry, cast.department)
    assert placement.start == setup.edition.starts_on
    assert Placement.objects.count() == 3
    assert placement.history.first().history_user == cast.alice


def test_committing_twice_or_running_a_committed_round_is_refused(setup: Setup, cast: Any) -> None:
    services.run_round(actor=cast.alice, round=setup.round)
    services.commit_round(actor=cast.alice, round=setup.round)
    with pytest.raises(ValidationError, match="already committed"):
        services.commit_round(actor=cast.alice, round=setup.round)
    with pytest.raises(ValidationError, match="cannot run again"):
        services.run_round(actor=cast.alice, round=setup.round)
    with pytest.raises(ValidationError, match="roll it back"):
        services.set_capacity(actor=cast.alice, host=setup.ministry, capacity=3)
    assert Placement.objects.count() == 3


def test_committing_needs_a_preview(setup: Setup, cast: Any) -> None:
    with pytest.raises(ValidationError, match="Run a preview"):
        services.commit_round(actor=cast.alice, round=setup.round)


def test_a_change_after_the_preview_makes_it_stale(setup: Setup, cast: Any) -> None:
    services.run_round(actor=cast.alice, round=setup.round)
    services.set_capacity(actor=cast.alice, host=setup.ministry, capacity=2)
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.DRAFT and setup.round.result is None


def test_if_one_placement_fails_nothing_is_written(setup: Setup, cast: Any) -> None:
    services.run_round(actor=cast.alice, round=setup.round)
    programmes.withdraw(actor=cast.alice, enrolment=setup.dana, reason="Moved abroad")
    with pytest.raises(ValidationError, match="Dana Third") as refused:
        services.commit_round(actor=cast.alice, round=setup.round)
    assert "state" in refused.value.message_dict
    assert not Placement.objects.exists()
    setup.pat.refresh_from_db()
    assert setup.pat.state == EnrolmentState.SELECTED
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.PREVIEWED


def test_rolling_back_restores_the_applicants_and_cancels_the_placements(
    setup: Setup, cast: Any
) -> None:
    other = Placement.objects.count()
    services.run_round(actor=cast.alice, round=setup.round)
    services.commit_round(actor=cast.alice, round=setup.round)
    round = services.rollback_round(actor=cast.alice, round=setup.round)
    assert round.status == RoundStatus.ROLLED_BACK
    for enrolment in setup.enrolments:
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.SELECTED
    assert set(Placement.objects.values_list("status", flat=True)) == {PlacementStatus.CANCELLED}
    assert Placement.objects.count() == other + 3
    # A rolled-back round can run and commit again.
    services.run_round(actor=cast.alice, round=round)
    services.commit_round(actor=cast.alice, round=round)
    assert Placement.objects.exclude(status=PlacementStatus.CANCELLED).count() == 3


def test_a_round_is_rolled_back_only_as_a_whole(setup: Setup, cast: Any) -> None:
    services.run_round(actor=cast.alice, round=setup.round)
    services.commit_round(actor=cast.alice, round=setup.round)
    programmes.start(actor=cast.alice, enrolment=setup.pat)
    with pytest.raises(ValidationError, match="as a whole"):
        services.rollback_round(actor=cast.alice, round=setup.round)
    assert not Placement.objects.filter(status=PlacementStatus.CANCELLED).exists()
    with pytest.raises(ValidationError, match="Only a committed round"):
        services.rollback_round(
            actor=cast.alice,
            round=services.create_round(actor=cast.alice, edition=setup.edition, title="Another"),
        )


def test_the_explanation_says_what_the_applicant_got_and_why_not_better(
    setup: Setup, cast: Any
) -> None:
    round = services.run_round(actor=cast.alice, round=setup.round)
    view = queries.explanation(round, setup.pat)
    assert view.headline == "You got Test Department (your 2nd choice)."
    [reason] = view.reasons
    assert reason.kind == "full"
    assert reason.text.startswith("Test Ministry: full (1 place) with applicants of higher")
    assert "the last admitted was #1" in reason.text and "you were #2" in reason.text
    ivan = queries.explanation(round, setup.ivan)
    assert ivan.headline.startswith("You were not placed")
    assert ivan.choice is None


def test_hosts_capacities_and_preferences_are_checked(setup: Setup, cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.set_capacity(actor=cast.alice, host=setup.ministry, capacity=-1)
    assert "capacity" in refused.value.message_dict
    with pytest.raises(ValidationError, match="already takes part"):
        services.add_host(
            actor=cast.alice, round=setup.round, organisation=cast.ministry, capacity=1
        )
    with pytest.raises(ValidationError, match="once"):
        services.set_preferences(
            actor=cast.alice,
            round=setup.round,
            enrolment=setup.pat,
            hosts=[setup.ministry, setup.ministry],
        )
    with pytest.raises(ValidationError) as refused:
        services.set_capacity(
            actor=cast.alice, host=setup.ministry, capacity=1, ranking=[[999_999]]
        )
    assert "ranking" in refused.value.message_dict


def test_a_class_year_rule_orders_hosts_without_their_own_ranking(cast: Any) -> None:
    from chancery.allocation.models import PriorityRule
    from chancery.allocation.tests.factories import conduct_tie_break, selected
    from chancery.directory import services as directory
    from chancery.programmes import services as programmes

    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="By class"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="2026", year=2026, starts_on=date(2026, 9, 1)
    )
    people = {
        year: directory.create_person(
            actor=SYSTEM, owner=cast.academy, given_name=f"Class{year}", class_year=year
        )
        for year in (2014, 2019)
    }
    enrolments = {year: selected(cast, edition, person) for year, person in people.items()}
    round = services.create_round(
        actor=cast.alice, edition=edition, title="By class", priority_rule=PriorityRule.RECENT_CLASS
    )
    host = services.add_host(
        actor=cast.alice, round=round, organisation=cast.department, capacity=1
    )
    for enrolment in enrolments.values():
        services.set_preferences(actor=cast.alice, round=round, enrolment=enrolment, hosts=[host])
    conduct_tie_break(cast.alice, round)
    round = services.run_round(actor=cast.alice, round=round)
    assert round.result["assignment"][str(enrolments[2019].pk)] == str(host.pk)
    assert round.result["assignment"][str(enrolments[2014].pk)] is None


def test_a_participant_ranks_the_hosts_and_reads_the_outcome(setup: Setup, cast: Any) -> None:
    client = cast.client_for(cast.pat)
    url = f"/allocation/rounds/{setup.round.pk}/my-choices/"
    assert (
        f"/allocation/rounds/{setup.round.pk}/my-choices/"
        in client.get("/programmes/mine/").content.decode()
    )
    response = client.post(url, {"choice_1": setup.consulate.pk, "choice_2": setup.ministry.pk})
    assert response.status_code == 302
    ranked = list(
        setup.round.preferences.filter(enrolment=setup.pat)
        .order_by("rank")
        .values_list("host_id", flat=True)
    )
    assert ranked == [setup.consulate.pk, setup.ministry.pk]
    twice = client.post(url, {"choice_1": setup.consulate.pk, "choice_2": setup.consulate.pk})
    assert twice.status_code == 422
    assert "once" in twice.content.decode()
    assert cast.client_for(cast.charlie).get(url).status_code == 404


def test_the_round_page_and_the_cli_show_the_stability_check(setup: Setup, cast: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("allocate", "run", str(setup.round.pk), "--preview", stdout=out)
    assert "stability check: stable" in out.getvalue()
    page = cast.client_for(cast.alice).get(f"/allocation/rounds/{setup.round.pk}/")
    assert "✓ Stable" in page.content.decode()
