"""The default mailer: every e-mail Django sends goes to the outbox first.

Set as MAILERS["default"], so mail sent by Django itself or by a library (django-allauth's
password reset, `mail_admins`) is kept in `OutgoingMail` and handed to the mail server by a
background task, retried like every notification; the real server is the `delivery` mailer.
"""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


class OutboxBackend(BaseEmailBackend):
    """Stores each message in the outbox and queues its delivery when the transaction commits."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        # services send through this backend
        from chancery.notifications.services import queue_message

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            with transaction.atomic():
                queue_message(message)
            count += 1
        return count
