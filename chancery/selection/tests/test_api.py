"""The officer's committee and decisions over JSON: the same services as the set-up and ranking
pages, for the officers of the edition's office only."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from chancery.accounts.models import Role, RoleAssignment, User
from chancery.accounts.services import create_token
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.programmes import services as programmes
from chancery.programmes.models import Edition, Enrolment, EnrolmentState
from chancery.selection.models import Assignment, Candidacy, Panel, Reviewer

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _token, secret = create_token(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return client.generic(
        method, url, "" if body is None else json.dumps(body), content_type="application/json"
    )


def _edition(cast: Any, applicants: int = 3, capacity: int | None = 1) -> Edition:
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="JPO"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="JPO 2029", year=2029, capacity=capacity
    )
    for number in range(applicants):
        person = directory.create_person(
            actor=SYSTEM, owner=cast.academy, given_name=f"Applicant{number}", family_name="Test"
        )
        Enrolment.objects.create(edition=edition, person=person, state=EnrolmentState.ELIGIBLE)
    return edition


def test_the_officer_sets_up_the_committee_assigns_and_selects(cast: Any) -> None:
    edition = _edition(cast)
    base = f"/api/selection/editions/{edition.pk}"
    officer = _api(cast.alice)
    assert officer.get(f"{base}/panel").status_code == 404  # no committee yet
    panel = _send(
        officer, "PUT", f"{base}/panel", {"scale_min": 1, "scale_max": 10, "disagreement": "3.5"}
    )
    assert panel.status_code == 200, panel.content
    assert panel.json()["scale_max"] == 10 and Decimal(panel.json()["disagreement"]) == 3.5
    reviewer = User.objects.create_user(username="reviewer1", password="x")
    seated = _send(officer, "POST", f"{base}/panel/reviewers", {"username": "reviewer1"})
    assert seated.status_code == 201, seated.content
    assert seated.json()["username"] == "reviewer1"
    assert RoleAssignment.objects.filter(
        user=reviewer, role=Role.REVIEWER, organisation=cast.academy
    ).exists()
    unknown = _send(officer, "POST", f"{base}/panel/reviewers", {"username": "nobody"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "username"]
    twice = _send(officer, "POST", f"{base}/panel/reviewers", {"username": "reviewer1"})
    assert twice.status_code == 422 and Reviewer.objects.count() == 1
    # Assigning needs the rubric first: refused naming the field.
    early = _send(officer, "POST", f"{base}/panel/assign", {"per_application": 1})
    assert early.status_code == 422
    assert early.json()["detail"][0]["loc"] == ["body", "per_application"]
    criterion = _send(
        officer,
        "POST",
        f"{base}/panel/criteria",
        {"name_en": "Motivation", "name_ru": "Мотивация", "weight": 2},
    )
    assert criterion.status_code == 201, criterion.content
    criterion_id = criterion.json()["id"]
    assigned = _send(officer, "POST", f"{base}/panel/assign", {"per_application": 1})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json() == {"assigned": 3}
    read = officer.get(f"{base}/panel").json()
    assert read["assigned"] == 3 and read["submitted"] == 0
    assert [c["name_en"] for c in read["criteria"]] == ["Motivation"]
    # The reviewer scores one through the reviews API; the officer then decides.
    review = Assignment.objects.filter(reviewer__user=reviewer).order_by("pk").first()
    scored = _send(
        _api(reviewer),
        "POST",
        f"/api/selection/reviews/{review.pk}/submit",
        {"scores": [{"criterion": criterion_id, "value": 8}]},
    )
    assert scored.status_code == 200, scored.content
    # The scale cannot change once a review is in; nor can the rubric.
    assert (
        _send(officer, "PUT", f"{base}/panel", {"scale_min": 1, "scale_max": 5}).status_code == 422
    )
    assert _send(officer, "DELETE", f"{base}/panel/criteria/{criterion_id}").status_code == 422
    enrolment = review.candidacy.enrolment_id
    shortlisted = _send(officer, "POST", f"{base}/candidacies/{enrolment}/shortlist", {})
    assert shortlisted.status_code == 200 and shortlisted.json()["shortlisted"] is True
    interviewed = _send(
        officer,
        "POST",
        f"{base}/candidacies/{enrolment}/interview",
        {"score": "7.5", "comment": " Clear "},
    )
    assert interviewed.status_code == 200, interviewed.content
    assert Decimal(interviewed.json()["interview_score"]) == Decimal("7.5")
    off_scale = _send(officer, "POST", f"{base}/candidacies/{enrolment}/interview", {"score": "11"})
    assert off_scale.status_code == 422
    assert off_scale.json()["detail"][0]["loc"] == ["body", "interview_score"]
    # Or per criterion of the rubric, as the interview page records it.
    unscored = _send(officer, "POST", f"{base}/candidacies/{enrolment}/interview", {"scores": []})
    assert unscored.status_code == 422
    assert unscored.json()["detail"][0]["loc"] == ["body", f"interview_{criterion_id}"]
    by_criterion = _send(
        officer,
        "POST",
        f"{base}/candidacies/{enrolment}/interview",
        {"scores": [{"criterion": criterion_id, "value": 6}]},
    )
    assert by_criterion.status_code == 200, by_criterion.content
    assert by_criterion.json()["interview_scores"] == {str(criterion_id): 6}
    assert Decimal(by_criterion.json()["interview_score"]) == 6
    selected = _send(officer, "POST", f"{base}/candidacies/{enrolment}/select")
    assert selected.status_code == 200, selected.content
    assert selected.json()["state"] == EnrolmentState.SELECTED
    assert Enrolment.objects.get(pk=enrolment).state == EnrolmentState.SELECTED
    # The edition has one place: a second selection is refused.
    other = Candidacy.objects.exclude(enrolment_id=enrolment).first()
    full = _send(officer, "POST", f"{base}/candidacies/{other.enrolment_id}/select")
    assert full.status_code == 422 and "full" in full.json()["detail"][0]["msg"]
    assert Enrolment.objects.get(pk=other.enrolment_id).state == EnrolmentState.ELIGIBLE
    ranking = officer.get(f"/api/selection/editions/{edition.pk}/ranking").json()
    assert ranking["items"][0]["enrolment"] == enrolment
    # Closing, confirmed, tells the two others; then every decision is final.
    unconfirmed = _send(officer, "POST", f"{base}/close", {"confirm": False})
    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["detail"][0]["loc"] == ["body", "confirm"]
    assert Panel.objects.get(edition=edition).closed_at is None
    closed = _send(officer, "POST", f"{base}/close", {"confirm": True})
    assert closed.status_code == 200, closed.content
    assert closed.json() == {"told": 2}
    assert officer.get(f"{base}/panel").json()["closed_at"] is not None
    told = _send(officer, "POST", f"{base}/candidacies/{other.enrolment_id}/shortlist", {})
    assert told.status_code == 422 and "closed" in told.json()["detail"][0]["msg"]
    assert _send(officer, "POST", f"{base}/close", {"confirm": True}).status_code == 422


def test_a_reviewer_leaves_until_they_submit_and_ties_need_a_conducted_draw(cast: Any) -> None:
    edition = _edition(cast, applicants=2)
    base = f"/api/selection/editions/{edition.pk}"
    officer = _api(cast.alice)
    _send(officer, "PUT", f"{base}/panel", {})
    User.objects.create_user(username="leaver", password="x")
    seat = _send(officer, "POST", f"{base}/panel/reviewers", {"username": "leaver"}).json()
    criterion = _send(officer, "POST", f"{base}/panel/criteria", {"name_en": "Fit"}).json()
    assert _send(officer, "POST", f"{base}/panel/assign", {}).json() == {"assigned": 2}
    assert _send(officer, "DELETE", f"{base}/panel/reviewers/{seat['id']}").status_code == 204
    assert not Reviewer.objects.exists() and not Assignment.objects.exists()
    assert _send(officer, "DELETE", f"{base}/panel/criteria/{criterion['id']}").status_code == 204
    tie = _send(officer, "POST", f"{base}/tie-break")
    assert tie.status_code == 422
    assert tie.json()["detail"][0]["loc"] == ["body", "tie_break_draw"]
    prepared = _send(officer, "POST", f"{base}/tie-break-draw")
    assert prepared.status_code == 201, prepared.content
    assert prepared.json()["draw"] > 0


def test_only_the_edition_s_officers_run_its_committee(cast: Any) -> None:
    edition = _edition(cast)
    base = f"/api/selection/editions/{edition.pk}"
    _send(_api(cast.alice), "PUT", f"{base}/panel", {})
    User.objects.create_user(username="someone", password="x")
    enrolment = edition.enrolments.first()
    writes = [
        ("PUT", f"{base}/panel", {}),
        ("POST", f"{base}/panel/reviewers", {"username": "someone"}),
        ("POST", f"{base}/panel/criteria", {"name_en": "Fit"}),
        ("POST", f"{base}/panel/assign", {}),
        ("POST", f"{base}/candidacies/{enrolment.pk}/shortlist", {}),
        ("POST", f"{base}/candidacies/{enrolment.pk}/select", None),
        ("POST", f"{base}/tie-break-draw", None),
        ("POST", f"{base}/close", {"confirm": True}),
    ]
    # Not an officer: 403; an officer of another office: 404, as for an unknown edition.
    for user, status in ((cast.pat, 403), (cast.bob, 403), (cast.charlie, 404)):
        client = _api(user)
        assert client.get(f"{base}/panel").status_code == status
        for method, url, body in writes:
            assert _send(client, method, url, body).status_code == status, (user, url)
    assert Client().get(f"{base}/panel").status_code == 401
    panel = Panel.objects.get(edition=edition)
    assert not panel.reviewers.exists() and not panel.criteria.exists()
    assert (panel.scale_min, panel.scale_max) == (1, 5)
    # An enrolment the committee does not hold (no candidacy yet) is 404 to its officer too.
    officer = _api(cast.alice)
    assert _send(officer, "POST", f"{base}/candidacies/{enrolment.pk}/select").status_code == 404
    assert _send(officer, "GET", "/api/selection/editions/999999/panel").status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).state == EnrolmentState.ELIGIBLE


def test_a_reviewer_declares_a_conflict_and_the_review_is_no_longer_theirs(
    committee: Any, cast: Any
) -> None:
    base = f"/api/selection/editions/{committee.edition.pk}"
    assert _send(
        _api(cast.alice), "POST", f"{base}/panel/assign", {"per_application": 1}
    ).json() == {"assigned": 4}
    reviewer = committee.reviewers[0]
    review = Assignment.objects.filter(reviewer__user=reviewer).first()
    client = _api(reviewer)
    declared = _send(
        client, "POST", f"/api/selection/reviews/{review.pk}/conflict", {"reason": "My cousin"}
    )
    assert declared.status_code == 204, declared.content
    assert client.get(f"/api/selection/reviews/{review.pk}").status_code == 404
    assert review.candidacy.conflicts.get().reason == "My cousin"
