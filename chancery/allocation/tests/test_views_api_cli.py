import json
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from chancery.allocation import services
from chancery.allocation.models import Round, RoundStatus
from chancery.allocation.tests.factories import Setup, make_setup
from chancery.programmes.models import Placement

# Pages


def test_an_officer_previews_and_commits_a_round_on_its_page(setup: Setup, cast: Any) -> None:
    client = cast.client_for(cast.alice)
    page = client.get(f"/allocation/rounds/{setup.round.pk}/").content.decode()
    assert "Run preview" in page and "Test Consulate" in page
    client.post(f"/allocation/rounds/{setup.round.pk}/run/")
    page = client.get(f"/allocation/rounds/{setup.round.pk}/").content.decode()
    assert "Previewed" in page and 'id="assignments"' in page
    client.post(f"/allocation/rounds/{setup.round.pk}/commit/")
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.COMMITTED
    client.post(f"/allocation/rounds/{setup.round.pk}/rollback/", {"confirmed": "yes"})
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.ROLLED_BACK


def test_running_without_a_draw_shows_the_reason_and_a_way_to_prepare_one(cast: Any) -> None:
    setup = make_setup(cast, draw=False)
    client = cast.client_for(cast.alice)
    response = client.post(f"/allocation/rounds/{setup.round.pk}/run/", follow=True)
    assert "Conduct a tie-break draw first" in response.content.decode()
    response = client.post(f"/allocation/rounds/{setup.round.pk}/tie-break/")
    setup.round.refresh_from_db()
    assert response["Location"] == f"/draws/{setup.round.tie_break_draw_id}/edit/"


def test_an_officer_creates_a_round_and_adds_a_host(cast: Any, setup: Setup) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        f"/allocation/editions/{setup.edition.pk}/", {"title": "Spring", "side": "hosts"}
    )
    spring = Round.objects.get(title="Spring")
    assert response["Location"] == f"/allocation/rounds/{spring.pk}/"
    client.post(
        f"/allocation/rounds/{spring.pk}/hosts/", {"organisation": cast.ministry.pk, "capacity": 2}
    )
    assert spring.hosts.get().capacity == 2
    host = spring.hosts.get()
    client.post(f"/allocation/rounds/{spring.pk}/hosts/{host.pk}/", {"capacity": 4})
    host.refresh_from_db()
    assert host.capacity == 4


def test_the_import_page_shows_the_dry_run_per_row(setup: Setup, cast: Any) -> None:
    client = cast.client_for(cast.alice)
    upload = SimpleUploadedFile("c.csv", b"applicant,host,rank\n1,Nowhere,1\n")
    response = client.post(
        f"/allocation/rounds/{setup.round.pk}/import/", {"file": upload, "dry_run": ""}
    )
    assert response.status_code == 422
    assert "row 2, host: unknown host" in response.content.decode()


def test_participants_read_only_their_own_explanation_once_committed(
    setup: Setup, cast: Any
) -> None:
    url = f"/allocation/rounds/{setup.round.pk}/explanations/{setup.pat.pk}/"
    pat = cast.client_for(cast.pat)
    services.run_round(actor=cast.alice, round=setup.round)
    assert pat.get(url).status_code == 404  # a preview is not theirs to read yet
    services.commit_round(actor=cast.alice, round=setup.round)
    page = pat.get(url).content.decode()
    assert "You got Test Department (your 2nd choice)." in page
    assert "Test Ministry: full" in page
    quinn = f"/allocation/rounds/{setup.round.pk}/explanations/{setup.quinn.pk}/"
    assert pat.get(quinn).status_code == 404
    assert cast.client_for(cast.alice).get(quinn).status_code == 200
    assert cast.client_for(cast.charlie).get(url).status_code == 404
    assert cast.client_for(cast.pat).get(f"/allocation/rounds/{setup.round.pk}/").status_code == 403


# API


def test_the_api_creates_runs_commits_explains_and_rolls_back(setup: Setup, cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        "/api/rounds",
        json.dumps(
            {
                "edition": setup.edition.pk,
                "title": "By API",
                "tie_break_draw": setup.round.tie_break_draw_id,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    listed = client.get(f"/api/rounds?edition={setup.edition.pk}").json()
    assert listed["count"] == 2
    base = f"/api/rounds/{setup.round.pk}"
    run = client.post(f"{base}/run")
    assert run.status_code == 200
    assert run.json()["statistics"]["placed"] == 3
    assert client.post(f"{base}/commit").json()["status"] == "committed"
    explained = client.get(f"{base}/explanations/{setup.pat.pk}").json()
    assert explained["choice"] == 2 and explained["reasons"][0]["reason"] == "full"
    assert client.post(f"{base}/rollback").json()["status"] == "rolled_back"


def test_the_api_refuses_with_4xx(setup: Setup, cast: Any) -> None:
    base = f"/api/rounds/{setup.round.pk}"
    assert cast.client_for(cast.pat).post(f"{base}/run").status_code == 403
    assert cast.client_for(cast.charlie).post(f"{base}/run").status_code == 404
    alice = cast.client_for(cast.alice)
    commit = alice.post(f"{base}/commit")
    assert commit.status_code == 422
    assert commit.json()["detail"][0]["loc"] == ["body", "status"]
    bad = alice.post(
        "/api/rounds",
        json.dumps({"edition": 999_999, "title": "X"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "edition"]
    assert alice.get(f"{base}/explanations/{setup.pat.pk}").status_code == 404
    assert cast.client_for(cast.quinn).get(f"{base}/explanations/{setup.pat.pk}").status_code == 404


# Command line


def test_the_command_previews_then_commits(setup: Setup, cast: Any) -> None:
    out = StringIO()
    call_command("allocate", "--as", "alice", "run", str(setup.round.pk), "--preview", stdout=out)
    assert "placed: 3" in out.getvalue() and "first choice: 2 (50%)" in out.getvalue()
    assert not Placement.objects.exists()
    call_command("allocate", "run", str(setup.round.pk), "--commit", stdout=StringIO())
    assert Placement.objects.count() == 3


def test_the_command_refuses_a_viewer_as_the_round_page_does(setup: Setup, cast: Any) -> None:
    assert (
        cast.client_for(cast.bob).post(f"/allocation/rounds/{setup.round.pk}/run/").status_code
        == 403
    )
    rows = setup.round.history.count()
    for mode in ("preview", "commit"):
        with pytest.raises(
            CommandError,
            match=(rf"^--as: bob may not {mode} allocation round #{setup.round.pk}\.$"),
        ):
            call_command(
                "allocate",
                "--as",
                "bob",
                "run",
                str(setup.round.pk),
                f"--{mode}",
                stdout=StringIO(),
            )
    with pytest.raises(CommandError, match=r"^--as: charlie may not preview allocation round"):
        call_command(
            "allocate",
            "--as",
            "charlie",
            "run",
            str(setup.round.pk),
            "--preview",
            stdout=StringIO(),
        )
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.DRAFT and setup.round.result is None
    assert setup.round.history.count() == rows
    call_command(
        "allocate", "--as", "alice", "run", str(setup.round.pk), "--preview", stdout=StringIO()
    )
    assert setup.round.history.latest().history_user == cast.alice


def test_the_command_names_the_field_when_it_refuses(cast: Any) -> None:
    setup = make_setup(cast, draw=False)
    with pytest.raises(CommandError, match=r"^tie_break_draw: Conduct"):
        call_command("allocate", "run", str(setup.round.pk), "--preview")
    with pytest.raises(CommandError, match=r"^round: there is no allocation round"):
        call_command("allocate", "run", "12345678", "--commit")
    with pytest.raises(CommandError, match=r"^status: Run a preview"):
        call_command("allocate", "run", str(setup.round.pk), "--commit")
