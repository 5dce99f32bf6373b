"""The selection: assignment, reviews seen only by their reviewer, the ranking and decisions."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chancery.accounts.models import Role, RoleAssignment
from chancery.draws.models import Draw
from chancery.programmes.models import EnrolmentState
from chancery.selection import queries, services
from chancery.selection.models import Assignment, Candidacy


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submit(assignment: Assignment, committee: Any, motivation: int, languages: int) -> None:
    motivation_c, languages_c = committee.criteria
    services.submit_review(
        actor=assignment.reviewer.user,
        assignment=assignment,
        scores={motivation_c.pk: (motivation, ""), languages_c.pk: (languages, "")},
    )


def test_reviewers_get_the_reviewer_role(committee: Any, cast: Any) -> None:
    assert RoleAssignment.objects.filter(
        user=committee.reviewers[0], role=Role.REVIEWER, organisation=cast.academy
    ).exists()


def test_assignment_is_balanced_and_skips_conflicts(committee: Any, cast: Any) -> None:
    assert services.assign(actor=cast.alice, panel=committee.panel, per_application=2) == 8
    loads = [Assignment.objects.filter(reviewer__user=u).count() for u in committee.reviewers]
    assert max(loads) - min(loads) <= 1
    first = Assignment.objects.filter(candidacy__enrolment=committee.enrolments[0]).first()
    services.declare_conflict(actor=first.reviewer.user, assignment=first, reason="My cousin")
    assert not Assignment.objects.filter(pk=first.pk).exists()
    # A new application is assigned without the conflicted reviewer.
    Assignment.objects.filter(candidacy__enrolment=committee.enrolments[0]).delete()
    services.assign(actor=cast.alice, panel=committee.panel, per_application=2)
    again = Assignment.objects.filter(candidacy__enrolment=committee.enrolments[0])
    assert first.reviewer_id not in set(again.values_list("reviewer_id", flat=True))
    assert again.count() == 2


def test_too_many_per_application_is_refused(committee: Any, cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assign(actor=cast.alice, panel=committee.panel, per_application=4)
    assert "per_application" in caught.value.message_dict


@pytest.mark.parametrize("per_application", [0, -1])
def test_fewer_than_one_per_application_is_refused(
    committee: Any, cast: Any, per_application: int
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assign(actor=cast.alice, panel=committee.panel, per_application=per_application)
    assert "per_application" in caught.value.message_dict
    assert not Assignment.objects.exists()


def test_the_setup_page_refuses_zero_per_application(cast: Any, committee: Any) -> None:
    url = reverse("selection:setup", args=[committee.edition.pk])
    response = _client(cast.alice).post(
        url, {"action": "assign", "per_application": "0"}, follow=True
    )
    assert response.status_code == 200
    assert "at least one reviewer" in response.content.decode()
    assert not Assignment.objects.exists()


def test_every_reviewer_mode(committee: Any, cast: Any) -> None:
    assert services.assign(actor=cast.alice, panel=committee.panel, per_application=None) == 12


def test_a_reviewer_sees_only_their_reviews(committee: Any, cast: Any) -> None:
    services.assign(actor=cast.alice, panel=committee.panel, per_application=1)
    mine = Assignment.objects.filter(reviewer__user=committee.reviewers[0])
    theirs = Assignment.objects.exclude(reviewer__user=committee.reviewers[0]).first()
    client = _client(committee.reviewers[0])
    page = client.get(reverse("selection:my_reviews")).content.decode()
    for assignment in mine:
        assert reverse("selection:review", args=[assignment.pk]) in page
    assert reverse("selection:review", args=[theirs.pk]) not in page
    assert client.get(reverse("selection:review", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("selection:review", args=[theirs.pk]), {"action": "conflict", "reason": "x"}
        ).status_code
        == 404
    )
    # Nor may they open the officer's pages, nor a participant the reviews.
    assert client.get(reverse("selection:ranking", args=[committee.edition.pk])).status_code == 403
    assert _client(cast.pat).get(reverse("selection:my_reviews")).status_code == 403


def test_others_scores_show_only_after_ones_own(committee: Any, cast: Any) -> None:
    services.assign(actor=cast.alice, panel=committee.panel, per_application=None)
    enrolment = committee.enrolments[0]
    first, second = Assignment.objects.filter(candidacy__enrolment=enrolment)[:2]
    _submit(first, committee, 5, 4)
    client = _client(second.reviewer.user)
    url = reverse("selection:review", args=[second.pk])
    page = client.get(url).content.decode()
    assert "rev" + str(committee.reviewers.index(first.reviewer.user)) + " —" not in page
    assert 'id="others"' not in page
    bad = client.post(
        url, {f"score_{committee.criteria[0].pk}": "9", f"score_{committee.criteria[1].pk}": "3"}
    )
    assert bad.status_code == 422
    assert "Motivation" in bad.content.decode()
    response = client.post(
        url,
        {f"score_{committee.criteria[0].pk}": "3", f"score_{committee.criteria[1].pk}": "3"},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="others"' in page
    assert str(first.reviewer) in page
    second.refresh_from_db()
    assert second.weighted == Decimal("3.000")
    assert second.history.first().history_user == second.reviewer.user


def test_ranking_aggregates_flags_and_selects(
    committee: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    services.assign(actor=cast.alice, panel=committee.panel, per_application=2)
    a, b, c, d = committee.enrolments
    for assignment in Assignment.objects.filter(candidacy__enrolment=a):
        _submit(assignment, committee, 5, 5)
    low, high = Assignment.objects.filter(candidacy__enrolment=b)
    _submit(low, committee, 1, 1)
    _submit(high, committee, 5, 5)
    _submit(Assignment.objects.filter(candidacy__enrolment=c).first(), committee, 5, 2)
    rows: list[Any] = queries.with_records(list(queries.ranking(committee.panel)))
    assert [row.enrolment_id for row in rows] == [a.pk, c.pk, b.pk, d.pk]
    assert rows[0].score == Decimal("5") and rows[1].score == Decimal("4")
    assert queries.is_disagreement(rows[2], committee.panel)
    assert not queries.is_disagreement(rows[0], committee.panel)
    assert (rows[1].submitted, rows[1].assigned) == (1, 2)
    client = _client(cast.alice)
    url = reverse("selection:ranking", args=[committee.edition.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "large disagreement" in page
    assert "No tie-break draw is used" in page
    decide = reverse("selection:decide", args=[committee.edition.pk])
    candidacies = {cand.enrolment_id: cand for cand in Candidacy.objects.all()}
    client.post(decide, {"action": "shortlist", "candidacy": candidacies[a.pk].pk})
    client.post(
        decide,
        {
            "action": "interview",
            "candidacy": candidacies[a.pk].pk,
            "interview_score": "4.5",
            "interview_comment": "Clear",
        },
    )
    bad = client.post(
        decide,
        {"action": "interview", "candidacy": candidacies[a.pk].pk, "interview_score": "many"},
        follow=True,
    )
    assert "Interview score" in bad.content.decode()
    candidacy = Candidacy.objects.get(pk=candidacies[a.pk].pk)
    assert candidacy.shortlisted and candidacy.interview_score == Decimal("4.5")
    assert candidacy.history.first().history_user == cast.alice
    for enrolment in (a, c):
        client.post(decide, {"action": "select", "candidacy": candidacies[enrolment.pk].pk})
    full = client.post(decide, {"action": "select", "candidacy": candidacies[b.pk].pk}, follow=True)
    assert "full" in full.content.decode()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == EnrolmentState.SELECTED and b.state == EnrolmentState.ELIGIBLE
    assert a.history.first().history_user == cast.alice
    csv = client.get(url + "?format=csv").getvalue().decode("utf-8-sig")
    assert csv.splitlines()[1].startswith(f"1,{a.pk},")
    assert client.get(url + "?format=xlsx").status_code == 200
    assert client.get(url + "?format=pdf").status_code == 400


def test_ties_are_broken_by_the_ordering_draw(committee: Any, cast: Any) -> None:
    services.assign(actor=cast.alice, panel=committee.panel, per_application=1)
    for assignment in Assignment.objects.all():
        _submit(assignment, committee, 3, 3)
    enrolments = list(reversed(committee.enrolments))
    draw = Draw.objects.create(
        owner=cast.academy,
        title="Ties",
        edition=committee.edition,
        kind="order",
        status="conducted",
        fingerprint="f" * 64,
        record={"result": [f"Someone (#{e.pk})" for e in enrolments]},
    )
    client = _client(cast.alice)
    client.post(reverse("selection:decide", args=[committee.edition.pk]), {"action": "tie_break"})
    assert [row["enrolment_id"] for row in queries.ranking(committee.panel)] == [
        e.pk for e in enrolments
    ]
    page = client.get(reverse("selection:ranking", args=[committee.edition.pk])).content
    assert f"draw #{draw.pk}".encode() in page


def test_another_office_cannot_reach_the_committee(committee: Any, cast: Any) -> None:
    client = _client(cast.charlie)
    for name in ("setup", "ranking"):
        assert (
            client.get(reverse(f"selection:{name}", args=[committee.edition.pk])).status_code == 404
        )
    assert (
        client.post(
            reverse("selection:decide", args=[committee.edition.pk]), {"action": "tie_break"}
        ).status_code
        == 404
    )


def test_setup_page_builds_the_committee(cast: Any, committee: Any) -> None:
    client = _client(cast.alice)
    url = reverse("selection:setup", args=[committee.edition.pk])
    client.post(url, {"action": "reviewer", "username": "pat"})
    assert committee.panel.reviewers.filter(user=cast.pat).exists()
    response = client.post(url, {"action": "reviewer", "username": "nobody"}, follow=True)
    assert "No account is called nobody" in response.content.decode()
    client.post(url, {"action": "criterion", "name_en": "Writing", "weight": "3"})
    assert committee.panel.criteria.filter(name_en="Writing", weight=3).exists()
    client.post(url, {"action": "assign", "per_application": "2"})
    assert Assignment.objects.count() == 8
    assert "8 reviews assigned" in client.get(url).content.decode()


def test_the_api_serves_reviews_scores_and_the_ranking(committee: Any, cast: Any) -> None:
    services.assign(actor=cast.alice, panel=committee.panel, per_application=None)
    reviewer = committee.reviewers[0]
    client = _client(reviewer)
    listed = client.get("/api/selection/reviews").json()
    assert listed["count"] == 4
    review = listed["items"][0]["id"]
    theirs = Assignment.objects.exclude(reviewer__user=reviewer).first()
    assert client.get(f"/api/selection/reviews/{theirs.pk}").status_code == 404
    assert client.get(f"/api/selection/reviews/{review}/others").json() == []
    motivation, languages = committee.criteria
    bad = client.post(
        f"/api/selection/reviews/{review}/submit",
        {"scores": [{"criterion": motivation.pk, "value": 7}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    done = client.post(
        f"/api/selection/reviews/{review}/submit",
        {
            "scores": [
                {"criterion": motivation.pk, "value": 4, "comment": "Good"},
                {"criterion": languages.pk, "value": 1},
            ]
        },
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert float(done.json()["weighted"]) == 3.0
    assert client.get(f"/api/selection/editions/{committee.edition.pk}/ranking").status_code == 403
    officer = _client(cast.alice)
    ranking = officer.get(f"/api/selection/editions/{committee.edition.pk}/ranking").json()
    assert ranking["count"] == 4
    assert ranking["items"][0]["submitted"] == 1 and ranking["items"][0]["rank"] == 1
    assert (
        _client(cast.charlie)
        .get(f"/api/selection/editions/{committee.edition.pk}/ranking")
        .status_code
        == 404
    )


def test_the_index_lists_only_the_officers_editions(committee: Any, cast: Any) -> None:
    url = reverse("selection:index")
    assert "JPO 2028" in _client(cast.alice).get(url).content.decode()
    assert "JPO 2028" not in _client(cast.charlie).get(url).content.decode()
    assert _client(committee.reviewers[0]).get(url).status_code == 403
