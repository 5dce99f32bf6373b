"""The background task that sends one e-mail of the outbox (`chancery db_worker` runs it)."""

from django.tasks import task

from chancery.notifications import services


@task()
def deliver_mail(*, mail_id: int) -> str:
    """Hand one queued mail to the mail server; failures are recorded and retried later."""
    return services.deliver(mail_id)
