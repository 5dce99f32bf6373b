"""The demo's inboxes are filled by the real triggers (the services and today's reminders):
each demo role finds what concerns them, and no e-mail leaves while the demo loads."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from chancery.accounts.models import User
from chancery.notifications.models import MailStatus, Notification, OutgoingMail

EXPECTED = {
    "officer": {"agreement_ending", "commitment_behind"},
    "supervisor": {"placed", "evaluation_due"},
    "participant": {"application_received", "selected", "placed", "certificate_issued"},
    "coordinator": {"event_changed"},
    "liaison": {"event_changed"},
    "chair": {"event_changed"},
}


@pytest.mark.django_db
def test_each_demo_role_has_an_inbox_and_no_mail_is_sent() -> None:
    call_command("demo", stdout=StringIO())
    for username, kinds in EXPECTED.items():
        received = set(
            Notification.objects.filter(recipient__username=username).values_list("kind", flat=True)
        )
        assert kinds <= received, username
    assert not OutgoingMail.objects.exclude(status=MailStatus.QUEUED).exists()
    officer = User.objects.get(username="officer")
    entry = Notification.objects.filter(recipient=officer, kind="agreement_ending").get()
    assert entry.subject.startswith("Agreement ending on ")
    client = Client()
    client.force_login(officer)
    assert entry.subject in client.get("/notifications/").content.decode()
    assert client.get(entry.link).status_code == 200
