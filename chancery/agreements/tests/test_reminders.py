"""Officers are reminded of an agreement ending within 90 days and of a commitment behind,
once however often the reminders run (read back from a real SMTP server)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from chancery.agreements import queries, services
from chancery.agreements.models import add_months
from chancery.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mailbox(smtp: Any, settings: Any, cast: Any) -> Any:
    settings.SITE_URL = "http://testserver"
    for user, address, language in (
        (cast.alice, "alice@example.org", "kk"),
        (cast.bob, "bob@example.org", "en"),
        (cast.charlie, "charlie@example.org", "en"),
    ):
        user.email, user.language = address, language
        user.save()
    return smtp


def _agreement(cast: Any, signed: date, months: int) -> Any:
    return services.create_agreement(
        actor=cast.alice,
        owner=cast.academy,
        kind="memorandum",
        title="Volunteers memorandum",
        signed_on=signed,
        term_months=months,
        parties=[{"organisation": cast.academy}, {"organisation": cast.ministry}],
    )


def test_an_agreement_ending_within_90_days_is_told_to_its_officers_once(
    mailbox: Any, cast: Any
) -> None:
    today = timezone.localdate()
    agreement = _agreement(cast, add_months(today, -24) + timedelta(days=60), 24)
    ends = agreement.ends_on(today)
    assert ends == today + timedelta(days=59)
    assert services.send_reminders(on=today) == 1
    assert services.send_reminders(on=today) == 0
    assert services.send_reminders(on=today + timedelta(days=1)) == 0
    [message] = mailbox.to("alice@example.org")
    assert str(message["Subject"]).startswith("Келісім ")
    assert "59 күннен кейін" in mailbox.text(message)
    assert mailbox.to("bob@example.org") == [] and mailbox.to("charlie@example.org") == []
    [entry] = Notification.objects.filter(kind="agreement_ending")
    assert cast.client_for(cast.alice).get(entry.link).status_code == 200
    assert entry.link == f"/agreements/{agreement.pk}/"


def test_a_commitment_behind_is_told_once_a_month(mailbox: Any, cast: Any) -> None:
    today = timezone.localdate()
    agreement = _agreement(cast, add_months(today, -12), 24)
    commitment = services.add_commitment(
        actor=cast.alice, agreement=agreement, quota=4, description="Train four volunteers"
    )
    [shortfall] = queries.commitments_behind(today)
    assert shortfall.progress.commitment == commitment
    assert shortfall.progress.counted == 0 and shortfall.expected == 2
    assert services.send_reminders(on=today) == 1
    assert services.send_reminders(on=today) == 0
    assert services.send_reminders(on=add_months(today, 1)) == 1
    first = mailbox.to("alice@example.org")[0]
    assert "Train four volunteers" in mailbox.text(first) and "4" in mailbox.text(first)


def test_a_commitment_on_track_or_open_ended_is_not_told(mailbox: Any, cast: Any) -> None:
    today = timezone.localdate()
    fresh = _agreement(cast, today - timedelta(days=10), 24)
    services.add_commitment(actor=cast.alice, agreement=fresh, quota=4, description="Fresh")
    open_ended = services.create_agreement(
        actor=cast.alice,
        owner=cast.academy,
        kind="memorandum",
        title="Open-ended",
        signed_on=date(2015, 1, 1),
        parties=[{"organisation": cast.academy}],
    )
    services.add_commitment(actor=cast.alice, agreement=open_ended, quota=9, description="Open")
    assert queries.commitments_behind(today) == []
    assert services.send_reminders(on=today) == 0
