import pytest
from django.core.mail import send_mail

from chancery.notifications.models import MailStatus, OutgoingMail


@pytest.mark.django_db(transaction=True)
def test_smtp_fixture(smtp):
    """Django's mail goes to the outbox, and the delivery task takes it to the SMTP server."""
    send_mail("Hello", "Body text", "office@example.org", ["pat@example.org"])
    [m] = smtp.to("pat@example.org")
    assert m["Subject"] == "Hello"
    assert smtp.text(m).strip() == "Body text"
    [row] = OutgoingMail.objects.all()
    assert (row.address, row.status, row.attempts) == ("pat@example.org", MailStatus.SENT, 1)
