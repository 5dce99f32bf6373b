"""Rounds of countries: an outreach edition's schools get Model UN countries by preference."""

import io
import json
from io import StringIO
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.allocation import matching, queries, services
from chancery.allocation.models import CountryAssignment, Preference, RoundStatus
from chancery.allocation.tests.factories import (
    CountryRound,
    Setup,
    conduct_tie_break,
    make_country_round,
)
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import Country
from chancery.events.tests.factories import make_outreach
from chancery.programmes import services as programmes

# Services


def _codes(countries: CountryRound) -> dict[str, str | None]:
    result = countries.round.result or {}
    by_host = {str(host.pk): code for code, host in countries.hosts.items()}
    return {
        letter: by_host.get(result["assignment"][str(school.pk)] or "")
        for letter, school in countries.schools.items()
    }


def test_a_preview_gives_schools_countries_stably_and_records_nothing(
    countries: CountryRound, cast: Any
) -> None:
    services.run_round(actor=cast.alice, round=countries.round)
    countries.round.refresh_from_db()
    assert countries.round.status == RoundStatus.PREVIEWED
    assert _codes(countries) == {"A": "FR", "B": "JP", "C": None, "D": "BR"}
    instance, result = queries.result_of(countries.round)
    assert matching.check_stability(instance, result) == []
    stats = queries.statistics(countries.round)
    assert (stats.applicants, stats.placed, stats.first_choice, stats.unplaced) == (4, 3, 2, 1)
    assert queries.stability_problems(countries.round) == []
    assert not CountryAssignment.objects.exists()


def test_committing_records_each_school_country_and_rolling_back_removes_them(
    countries: CountryRound, cast: Any
) -> None:
    services.run_round(actor=cast.alice, round=countries.round)
    round = services.commit_round(actor=cast.alice, round=countries.round)
    assert round.status == RoundStatus.COMMITTED
    found = queries.countries_for_edition(countries.edition)
    assert {school: country.alpha2 for school, country in found.items()} == {
        countries.schools["A"].pk: "FR",
        countries.schools["B"].pk: "JP",
        countries.schools["D"].pk: "BR",
    }
    assignment = CountryAssignment.objects.get(school=countries.schools["B"])
    assert assignment.round == round and assignment.history.first().history_user == cast.alice
    services.rollback_round(actor=cast.alice, round=round)
    assert queries.countries_for_edition(countries.edition) == {}
    assert CountryAssignment.history.filter(history_type="-").count() == 3
    # A rolled-back round runs and commits again.
    services.run_round(actor=cast.alice, round=round)
    services.commit_round(actor=cast.alice, round=round)
    assert len(queries.countries_for_edition(countries.edition)) == 3


def test_a_second_round_cannot_give_a_school_or_country_twice_and_writes_nothing(
    countries: CountryRound, cast: Any
) -> None:
    services.run_round(actor=cast.alice, round=countries.round)
    services.commit_round(actor=cast.alice, round=countries.round)
    second = services.create_round(
        actor=cast.alice, edition=countries.edition, kind="countries", title="Again"
    )
    korea = services.add_country(
        actor=cast.alice, round=second, country=Country.objects.get(alpha2="KR")
    )
    japan = services.add_country(
        actor=cast.alice, round=second, country=Country.objects.get(alpha2="JP")
    )
    services.set_school_preferences(
        actor=cast.alice, round=second, school=countries.schools["C"], hosts=[japan]
    )
    services.set_school_preferences(
        actor=cast.alice, round=second, school=countries.schools["A"], hosts=[korea]
    )
    conduct_tie_break(cast.alice, second)
    services.run_round(actor=cast.alice, round=second)
    with pytest.raises(ValidationError) as refused:
        services.commit_round(actor=cast.alice, round=second)
    text = str(refused.value)
    assert (
        "School A: This school already represents a country" in text
        or "School C: This country already goes to another school" in text
    )
    assert not CountryAssignment.objects.filter(round=second).exists()
    second.refresh_from_db()
    assert second.status == RoundStatus.PREVIEWED


def test_a_round_of_countries_needs_an_outreach_edition_not_paired_by_draw(
    setup: Setup, cast: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_round(
            actor=cast.alice, edition=setup.edition, kind="countries", title="Countries"
        )
    assert "Only an outreach edition" in refused.value.message_dict["kind"][0]
    outreach = make_outreach(cast, "unused-pass")
    with pytest.raises(ValidationError, match="paired with embassies by draw"):
        services.create_round(
            actor=cast.alice, edition=outreach.edition, kind="countries", title="Countries"
        )


def test_hosts_and_choices_must_fit_the_kind_of_round(
    countries: CountryRound, setup: Setup, cast: Any
) -> None:
    round = countries.round
    with pytest.raises(ValidationError, match="add a country"):
        services.add_host(actor=cast.alice, round=round, organisation=cast.ministry, capacity=1)
    with pytest.raises(ValidationError, match="Countries are hosts only"):
        services.add_country(
            actor=cast.alice, round=setup.round, country=Country.objects.get(alpha2="KR")
        )
    with pytest.raises(ValidationError, match="already takes part"):
        services.add_country(
            actor=cast.alice, round=round, country=Country.objects.get(alpha2="JP")
        )
    with pytest.raises(ValidationError, match="number of places"):
        services.add_country(
            actor=cast.alice, round=round, country=Country.objects.get(alpha2="KR"), capacity=-1
        )
    assert countries.hosts["FR"].capacity == 1
    with pytest.raises(ValidationError, match="no school of this edition"):
        services.set_capacity(
            actor=cast.alice, host=countries.hosts["FR"], capacity=1, ranking=[[setup.pat.pk]]
        )
    stranger = directory.create_organisation(actor=SYSTEM, name_en="Elsewhere", kind="school")
    with pytest.raises(ValidationError, match="does not take part"):
        services.set_school_preferences(
            actor=cast.alice, round=round, school=stranger, hosts=[countries.hosts["FR"]]
        )
    with pytest.raises(ValidationError, match="Choose among the round's countries"):
        services.set_school_preferences(
            actor=cast.alice, round=round, school=countries.schools["A"], hosts=[setup.ministry]
        )
    with pytest.raises(ValidationError, match="chosen once"):
        services.set_school_preferences(
            actor=cast.alice,
            round=round,
            school=countries.schools["A"],
            hosts=[countries.hosts["FR"], countries.hosts["FR"]],
        )
    with pytest.raises(ValidationError, match="schools choose"):
        services.set_preferences(actor=cast.alice, round=round, enrolment=setup.pat, hosts=[])
    with pytest.raises(ValidationError, match="tie-break draw alone"):
        services.create_round(
            actor=cast.alice,
            edition=countries.edition,
            kind="countries",
            title="By class",
            priority_rule="recent_class",
        )


def test_the_tie_break_draw_orders_the_schools_and_a_new_school_needs_a_new_draw(
    countries: CountryRound, cast: Any
) -> None:
    draw = countries.round.tie_break_draw
    assert f"School A (#{countries.schools['A'].pk})" in draw.pool
    late = directory.create_organisation(actor=SYSTEM, name_en="Late School", kind="school")
    programmes.add_participation(
        actor=SYSTEM, edition=countries.edition, organisation=late, role="school"
    )
    with pytest.raises(ValidationError, match="does not include Late School"):
        services.run_round(actor=cast.alice, round=countries.round)


def test_a_school_reads_why_it_got_its_country(countries: CountryRound, cast: Any) -> None:
    round = services.run_round(actor=cast.alice, round=countries.round)
    a = queries.school_explanation(round, countries.schools["A"])
    assert a.headline == "School A represents France (its 2nd choice)."
    assert a.reasons[0].kind == "full" and a.reasons[0].text.startswith("Japan: full (1 place)")
    c = queries.school_explanation(round, countries.schools["C"])
    assert c.headline == "School C got no country: none of its choices could admit it."
    stranger = directory.create_organisation(actor=SYSTEM, name_en="Elsewhere", kind="school")
    assert queries.school_explanation(round, stranger) is None


def test_an_enrolment_never_reads_a_school_explanation_by_a_matching_number(
    countries: CountryRound, setup: Setup, cast: Any
) -> None:
    round = services.run_round(actor=cast.alice, round=countries.round)
    # Pretend an enrolment's number equals school A's: the round of countries ignores it.
    setup.pat.pk = countries.schools["A"].pk
    assert queries.explanation(round, setup.pat) is None
    assert queries.school_explanation(setup.round, countries.schools["A"]) is None


# Import


def _csv(*lines: str) -> bytes:
    return ("\n".join(["applicant,host,rank,capacity", *lines]) + "\n").encode()


def test_an_import_of_school_choices_reports_each_bad_row(
    countries: CountryRound, cast: Any
) -> None:
    a = countries.schools["A"]
    data = _csv(
        "School A,FR,1,", f"#{a.pk},ZZ,2,", "school a,jpn,1,", ",Brazil,,-1", "No Such School,JP,1,"
    )
    before = list(Preference.objects.values_list("pk", flat=True))
    result = services.import_preferences(
        actor=cast.alice, round=countries.round, data=data, filename="countries.csv", dry_run=False
    )
    assert result.written is False and result.error_count == 4
    messages = result.messages
    assert any(m.startswith("row 3, host: unknown country 'ZZ'") for m in messages)
    assert any(m.startswith("row 4, rank: duplicate rank 1") for m in messages)
    assert any(m.startswith("row 5, capacity: capacity below zero") for m in messages)
    assert any(m.startswith("row 6, applicant: unknown school 'No Such School'") for m in messages)
    assert list(Preference.objects.values_list("pk", flat=True)) == before


def test_an_xlsx_import_sets_school_choices_and_country_places(
    countries: CountryRound, cast: Any
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["applicant", "host", "rank", "capacity"])
    sheet.append(["School C", "br", 1, None])
    sheet.append([str(countries.schools["C"].pk), "France", 2, None])
    sheet.append([None, "BRA", None, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.import_preferences(
        actor=cast.alice,
        round=countries.round,
        data=buffer.getvalue(),
        filename="c.xlsx",
        dry_run=False,
    )
    assert result.written and result.error_count == 0
    chosen = Preference.objects.filter(participation__organisation=countries.schools["C"])
    assert [p.host.country_id for p in chosen.order_by("rank")] == ["BR", "FR"]
    countries.hosts["BR"].refresh_from_db()
    assert countries.hosts["BR"].capacity == 2


# Pages


def test_a_coordinator_ranks_the_countries_for_their_school_only(
    countries: CountryRound, cast: Any
) -> None:
    client = cast.client_for(countries.coordinator)
    round = countries.round
    a, b = countries.schools["A"], countries.schools["B"]
    assert (
        client.get(f"/allocation/rounds/{round.pk}/my-choices/")["Location"]
        == f"/allocation/rounds/{round.pk}/schools/{a.pk}/choices/"
    )
    listing = client.get("/allocation/schools/").content.decode()
    assert "Model UN countries" in listing and "School A" in listing
    url = f"/allocation/rounds/{round.pk}/schools/{a.pk}/choices/"
    page = client.get(url).content.decode()
    assert "Brazil" in page and "Japan" in page
    response = client.post(
        url, {"choice_1": countries.hosts["BR"].pk, "choice_2": countries.hosts["JP"].pk}
    )
    assert response.status_code == 302
    assert [
        p.host.country_id
        for p in Preference.objects.filter(participation__organisation=a).order_by("rank")
    ] == ["BR", "JP"]
    bad = client.post(
        url, {"choice_1": countries.hosts["BR"].pk, "choice_2": countries.hosts["BR"].pk}
    )
    assert bad.status_code == 422 and "Each country can be chosen once" in bad.content.decode()
    other = f"/allocation/rounds/{round.pk}/schools/{b.pk}/choices/"
    assert client.get(other).status_code == 404
    assert cast.client_for(cast.pat).get(url).status_code == 404
    assert cast.client_for(cast.charlie).get(url).status_code == 404
    assert cast.client_for(cast.alice).get(other).status_code == 200
    assert client.get(f"/allocation/rounds/{round.pk}/").status_code == 403


def test_a_coordinator_reads_the_school_explanation_once_committed(
    countries: CountryRound, cast: Any
) -> None:
    round = countries.round
    url = f"/allocation/rounds/{round.pk}/schools/{countries.schools['A'].pk}/explanation/"
    coordinator = cast.client_for(countries.coordinator)
    services.run_round(actor=cast.alice, round=round)
    assert coordinator.get(url).status_code == 404
    officer_page = (
        cast.client_for(cast.alice).get(f"/allocation/rounds/{round.pk}/").content.decode()
    )
    assert "School A (#" in officer_page and url in officer_page and "France" in officer_page
    services.commit_round(actor=cast.alice, round=round)
    page = coordinator.get(url).content.decode()
    assert "School A represents France (its 2nd choice)." in page
    assert "Japan: full" in page
    b = f"/allocation/rounds/{round.pk}/schools/{countries.schools['B'].pk}/explanation/"
    assert coordinator.get(b).status_code == 404
    assert cast.client_for(cast.charlie).get(url).status_code == 404
    closed = coordinator.get(
        f"/allocation/rounds/{round.pk}/schools/{countries.schools['A'].pk}/choices/"
    )
    assert "This round is closed" in closed.content.decode()


def test_an_officer_opens_a_round_of_countries_and_adds_a_country(cast: Any) -> None:
    countries = make_country_round(cast, draw=False, choices=False)
    client = cast.client_for(cast.alice)
    response = client.post(
        f"/allocation/editions/{countries.edition.pk}/",
        {"title": "Second try", "kind": "countries", "side": "applicants"},
    )
    round = countries.edition.allocation_rounds.get(title="Second try")
    assert response["Location"] == f"/allocation/rounds/{round.pk}/"
    page = client.get(f"/allocation/rounds/{round.pk}/").content.decode()
    assert "Outreach schools to Model UN countries" in page and "Add a country" in page
    client.post(f"/allocation/rounds/{round.pk}/hosts/", {"country": "KR", "capacity": 1})
    assert round.hosts.get().country_id == "KR"
    response = client.post(
        f"/allocation/rounds/{round.pk}/hosts/", {"country": "KR", "capacity": 1}, follow=True
    )
    assert "This country already takes part" in response.content.decode()
    import_page = client.get(f"/allocation/rounds/{round.pk}/import/").content.decode()
    assert "ISO code" in import_page


# API


def test_the_api_ranks_runs_commits_and_lists_country_assignments(
    countries: CountryRound, cast: Any
) -> None:
    coordinator = cast.client_for(countries.coordinator)
    a, c = countries.schools["A"], countries.schools["C"]
    base = f"/api/rounds/{countries.round.pk}"
    put = coordinator.put(
        f"{base}/schools/{a.pk}/choices",
        json.dumps({"countries": ["fr", "BR"]}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json() == {"school": a.pk, "countries": ["FR", "BR"]}
    alice = cast.client_for(cast.alice)
    got = alice.get(base).json()
    assert got["kind"] == "countries"
    assert {host["country"] for host in got["hosts"]} == {"JP", "FR", "BR"}
    assert alice.post(f"{base}/run").json()["statistics"]["placed"] == 3
    assert alice.post(f"{base}/commit").json()["status"] == "committed"
    listed = alice.get(f"/api/editions/{countries.edition.pk}/country-assignments").json()
    assert {(row["school"], row["country"]) for row in listed} == {
        (a.pk, "FR"),
        (countries.schools["B"].pk, "JP"),
        (countries.schools["D"].pk, "BR"),
    }
    explained = coordinator.get(f"{base}/schools/{a.pk}/explanation").json()
    assert explained["school"] == a.pk and explained["host"] == "France"
    assert explained["choice"] == 1
    assert alice.get(f"{base}/schools/{c.pk}/explanation").json()["host"] is None
    assert alice.post(f"{base}/rollback").json()["status"] == "rolled_back"
    assert alice.get(f"/api/editions/{countries.edition.pk}/country-assignments").json() == []


def test_the_api_refuses_bad_school_choices_with_4xx(countries: CountryRound, cast: Any) -> None:
    base = f"/api/rounds/{countries.round.pk}"
    a, b = countries.schools["A"], countries.schools["B"]
    coordinator = cast.client_for(countries.coordinator)
    unknown = coordinator.put(
        f"{base}/schools/{a.pk}/choices",
        json.dumps({"countries": ["KR"]}),
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "countries"]
    twice = coordinator.put(
        f"{base}/schools/{a.pk}/choices",
        json.dumps({"countries": ["FR", "FR"]}),
        content_type="application/json",
    )
    assert twice.status_code == 422 and twice.json()["detail"][0]["loc"] == ["body", "hosts"]
    assert (
        coordinator.put(
            f"{base}/schools/{b.pk}/choices",
            json.dumps({"countries": []}),
            content_type="application/json",
        ).status_code
        == 404
    )
    assert coordinator.get(f"{base}/schools/{a.pk}/explanation").status_code == 404
    assert (
        coordinator.get(f"/api/editions/{countries.edition.pk}/country-assignments").status_code
        == 403
    )
    assert (
        cast.client_for(cast.charlie)
        .get(f"/api/editions/{countries.edition.pk}/country-assignments")
        .status_code
        == 404
    )
    bad = cast.client_for(cast.alice).post(
        "/api/rounds",
        json.dumps(
            {
                "edition": countries.edition.pk,
                "title": "X",
                "kind": "countries",
                "priority_rule": "early_class",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "priority_rule"]


# Command line


def test_the_command_previews_and_commits_a_round_of_countries(
    countries: CountryRound, cast: Any
) -> None:
    out = StringIO()
    call_command("allocate", "run", str(countries.round.pk), "--preview", stdout=out)
    assert "Outreach schools to Model UN countries" in out.getvalue()
    assert "placed: 3" in out.getvalue() and not CountryAssignment.objects.exists()
    out = StringIO()
    call_command(
        "allocate", "--as", "alice", "run", str(countries.round.pk), "--commit", stdout=out
    )
    assert "School A: France" in out.getvalue()
    assert CountryAssignment.objects.count() == 3


def test_a_coordinator_role_elsewhere_gives_no_access(countries: CountryRound, cast: Any) -> None:
    # A coordinator of a school outside the edition sees no round of countries.
    elsewhere = directory.create_organisation(actor=SYSTEM, name_en="Far School", kind="school")
    user = User.objects.create_user(username="far")
    grant_role(actor=SYSTEM, user=user, role=Role.COORDINATOR, organisation=elsewhere)
    client = cast.client_for(user)
    assert "None of your schools" in client.get("/allocation/schools/").content.decode()
    assert client.get(f"/allocation/rounds/{countries.round.pk}/my-choices/").status_code == 404
