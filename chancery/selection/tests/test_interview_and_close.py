"""The interview's own scores per criterion, and closing the selection (the others told)."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chancery.core.actors import SYSTEM
from chancery.notifications.models import Notification, OutgoingMail
from chancery.programmes.models import EnrolmentState
from chancery.selection import services
from chancery.selection.models import Candidacy
from chancery.selection.tests.conftest import Committee

pytestmark = pytest.mark.django_db


def _candidacies(cast: Any, committee: Committee) -> list[Candidacy]:
    services.assign(actor=cast.alice, panel=committee.panel, per_application=1)
    return list(Candidacy.objects.filter(panel=committee.panel).order_by("enrolment_id"))


def test_an_interview_is_scored_per_criterion_and_weighted(cast: Any, committee: Committee) -> None:
    first, *_ = _candidacies(cast, committee)
    motivation, languages = committee.criteria  # weights 2 and 1
    candidacy = services.decide(
        actor=cast.alice,
        candidacy=first,
        interview_scores={motivation.pk: 5, languages.pk: 2},
        interview_comment=" Clear answers. ",
    )
    assert candidacy.interview_score == Decimal("4.00")
    assert candidacy.interview_scores == {str(motivation.pk): 5, str(languages.pk): 2}
    assert candidacy.history.first().history_user == cast.alice
    with pytest.raises(ValidationError) as missing:
        services.decide(actor=cast.alice, candidacy=first, interview_scores={motivation.pk: 5})
    assert set(missing.value.message_dict) == {f"interview_{languages.pk}"}
    with pytest.raises(ValidationError) as off_scale:
        services.decide(
            actor=cast.alice, candidacy=first, interview_scores={motivation.pk: 9, languages.pk: 1}
        )
    assert "from 1 to 5" in off_scale.value.message_dict[f"interview_{motivation.pk}"][0]
    first.refresh_from_db()
    assert first.interview_score == Decimal("4.00")


def test_the_interview_page_records_the_scores(cast: Any, committee: Committee) -> None:
    first, *_ = _candidacies(cast, committee)
    motivation, languages = committee.criteria
    client = cast.client_for(cast.alice)
    url = reverse("selection:interview", args=[committee.edition.pk, first.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {f"interview_{motivation.pk}": "4"})
    assert refused.status_code == 422
    done = client.post(
        url,
        {
            f"interview_{motivation.pk}": "4",
            f"interview_{languages.pk}": "1",
            "interview_comment": "Fine",
        },
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.interview_score == Decimal("3.00")
    assert cast.client_for(cast.charlie).get(url).status_code in (403, 404)


def test_closing_tells_those_still_under_review_and_freezes_the_decisions(
    cast: Any, committee: Committee
) -> None:
    from chancery.directory import services as directory

    first, second, *rest = _candidacies(cast, committee)
    services.select(actor=cast.alice, candidacy=first)
    directory.update_person(
        actor=SYSTEM, person=second.enrolment.person, email="second@example.org"
    )
    client = cast.client_for(cast.alice)
    decide = reverse("selection:decide", args=[committee.edition.pk])
    unconfirmed = client.post(decide, {"action": "close"}, follow=True)
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    committee.panel.refresh_from_db()
    assert committee.panel.closed_at is None
    client.post(decide, {"action": "close", "confirm": "yes"})
    committee.panel.refresh_from_db()
    assert committee.panel.closed_at is not None
    told = Candidacy.objects.filter(panel=committee.panel, not_selected_at__isnull=False)
    assert set(told) == {second, *rest}
    assert Candidacy.objects.get(pk=first.pk).not_selected_at is None
    for candidacy in told:
        assert candidacy.enrolment.state == EnrolmentState.ELIGIBLE
        assert candidacy.history.first().history_user == cast.alice
    with pytest.raises(ValidationError, match="closed"):
        services.select(actor=cast.alice, candidacy=second)
    with pytest.raises(ValidationError, match="closed"):
        services.close(actor=cast.alice, panel=committee.panel)
    (mail,) = OutgoingMail.objects.filter(kind="not_selected")
    assert mail.address == "second@example.org" and mail.subject.startswith("Not selected")
    assert "not selected" in mail.text
    assert not Notification.objects.filter(kind="selected", text__icontains="not selected")
