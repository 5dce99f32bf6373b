"""What the enrolment lifecycle tells people, read back from a real SMTP server (the `smtp`
fixture): who receives each message, in which language, with a link that opens for them; the
reminders the daily schedule sends, each once however often it runs."""

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from chancery.core import schedule
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import AffiliationRole
from chancery.notifications.models import Notification
from chancery.notifications.services import set_kind_enabled
from chancery.programmes import services, wording
from chancery.programmes.models import Enrolment, Placement
from chancery.programmes.queries import EVALUATION_WINDOW
from chancery.programmes.tests.conftest import Jpo

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://testserver(/\S+)")


@pytest.fixture
def mailbox(smtp: Any, settings: Any, cast: Any, jpo: Jpo) -> Any:
    """Pat (a graduate of the Academy, Kazakh citizen) reads Russian; Sam supervises in Kazakh."""
    settings.SITE_URL = "http://testserver"
    directory.add_affiliation(
        actor=SYSTEM,
        person=cast.pat_person,
        organisation=cast.academy,
        role=AffiliationRole.ALUMNUS,
    )
    cast.pat.email, cast.pat.language = "pat@example.org", "ru"
    cast.pat.save()
    cast.sam.email, cast.sam.language = "sam@example.org", "kk"
    cast.sam.save()
    return smtp


def _subjects(mailbox: Any, address: str) -> list[str]:
    return [str(message["Subject"]) for message in mailbox.to(address)]


def _opens(cast: Any, user: Any, message: Any) -> None:
    """The message's link opens for its recipient."""
    path = LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)
    assert cast.client_for(user).get(path).status_code == 200, path


def _placed(cast: Any, jpo: Jpo, start: Any = None, end: Any = None) -> Placement:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=cast.pat_person, preferred_host=jpo.mfa
    )
    services.select(actor=cast.alice, enrolment=enrolment)
    start = start or timezone.localdate() + timedelta(days=30)
    return services.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=jpo.mfa,
        department=jpo.department,
        supervisor=jpo.supervisor,
        start=start,
        end=end,
    )


def test_an_application_is_acknowledged_and_its_eligibility_told_in_russian(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    services.apply(
        actor=cast.pat, edition=jpo.edition, person=cast.pat_person, preferred_host=jpo.mfa
    )
    received, eligible = mailbox.to("pat@example.org")
    assert received["Subject"] == "Заявка получена: JPO — JPO 2026"
    assert eligible["Subject"] == "Вы соответствуете условиям: JPO — JPO 2026"
    assert "Здравствуйте, Pat Example" in mailbox.text(received)
    assert received["From"].addresses[0].display_name == "Test Academy"
    _opens(cast, cast.pat, eligible)
    assert Notification.objects.filter(recipient=cast.pat).count() == 2


def test_an_ineligible_applicant_reads_the_reasons(mailbox: Any, cast: Any, jpo: Jpo) -> None:
    cast.quinn.email = "quinn@example.org"
    cast.quinn.save()
    enrolment = services.apply(actor=cast.alice, edition=jpo.edition, person=cast.quinn_person)
    assert enrolment.state == "ineligible"
    _received, ineligible = mailbox.to("quinn@example.org")
    assert ineligible["Subject"] == "Application not eligible: JPO — JPO 2026"
    text = mailbox.text(ineligible)
    with translation.override("en"):  # each reason as the engine's wording renders it
        failed = [
            wording.stored_check(check) for check in enrolment.eligibility if not check["passed"]
        ]
    assert failed and all(reason in text for reason in failed)
    assert all(reason in mailbox.html(ineligible) for reason in failed)
    # The officer's override makes the applicant eligible, with the officer's reason.
    services.override_eligibility(
        actor=cast.alice,
        enrolment=enrolment,
        reason="Graduated in 2019: the records were incomplete.",
    )
    override = mailbox.to("quinn@example.org")[-1]
    assert override["Subject"] == "You are eligible: JPO — JPO 2026"
    assert "Graduated in 2019: the records were incomplete." in mailbox.text(override)


def test_selection_and_placement_are_told_to_the_intern_and_the_supervisor(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    placement = _placed(cast, jpo)
    assert _subjects(mailbox, "pat@example.org")[2] == "Отобраны: JPO — JPO 2026"
    placed = mailbox.to("pat@example.org")[-1]
    start = placement.start
    assert str(placed["Subject"]).startswith("Ваша стажировка: Multilateral Department")
    text = mailbox.text(placed)
    assert "MFA of Kazakhstan" in text and "Sam Supervisor" in text and str(start.year) in text
    _opens(cast, cast.pat, placed)
    [to_supervisor] = mailbox.to("sam@example.org")
    assert str(to_supervisor["Subject"]).startswith("Жаңа тағылымдамашы: Pat Example")
    assert "Multilateral Department" in mailbox.text(to_supervisor)
    assert to_supervisor["Content-Language"] == "kk"
    _opens(cast, cast.sam, to_supervisor)


def test_the_allocation_path_sends_placed_too(mailbox: Any, cast: Any, jpo: Jpo) -> None:
    """Any caller of services.place (the API, the command line, an allocation round) sends it."""
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=cast.pat_person, preferred_host=jpo.mfa
    )
    services.change_state(actor=cast.alice, enrolment=enrolment, target="selected")
    response = cast.client_for(cast.alice).post(
        f"/api/enrolments/{enrolment.pk}/placements",
        {"host": jpo.mfa.pk, "start": "2026-09-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Notification.objects.filter(recipient=cast.pat, kind="placed").count() == 1


def test_someone_without_an_account_is_written_to_at_their_address(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    jpo.graduate.email = "aida@example.org"
    jpo.graduate.save()
    services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    assert _subjects(mailbox, "aida@example.org") == [
        "Application received: JPO — JPO 2026",
        "You are eligible: JPO — JPO 2026",
    ]
    assert "Hello Aida Graduate," in mailbox.text(mailbox.to("aida@example.org")[0])


def test_the_certificate_is_announced_with_its_verification_link(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    placement = _placed(
        cast,
        jpo,
        start=timezone.localdate() - timedelta(days=90),
        end=timezone.localdate() - timedelta(days=1),
    )
    services.start(actor=cast.alice, enrolment=placement.enrolment)
    services.complete(actor=cast.alice, enrolment=placement.enrolment)
    certificate = services.issue_certificate(actor=cast.alice, enrolment=placement.enrolment)
    services.issue_certificate(actor=cast.alice, enrolment=placement.enrolment)  # once only
    [message] = [
        m for m in mailbox.to("pat@example.org") if str(m["Subject"]).startswith("Ваш сертификат")
    ]
    assert f"http://testserver/verify/{certificate.code}/" in mailbox.text(message)
    assert cast.client_for(cast.pat).get(f"/verify/{certificate.code}/").status_code == 200


def test_a_kind_the_office_switched_off_is_not_sent(mailbox: Any, cast: Any, jpo: Jpo) -> None:
    set_kind_enabled(actor=cast.alice, office=cast.academy, kind="placed", enabled=False)
    _placed(cast, jpo)
    assert not Notification.objects.filter(kind="placed").exists()
    assert mailbox.to("sam@example.org") == []
    assert "Отобраны: JPO — JPO 2026" in _subjects(mailbox, "pat@example.org")


# Reminders


def _noon(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _run_schedule(day: Any) -> list[str]:
    reminders = tuple(task for task in schedule.TASKS if task.name == "send-reminders")
    return schedule.run_due(now=_noon(day), tasks=reminders)


def test_a_placement_starting_within_a_week_is_reminded_once(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    today = timezone.localdate()
    _placed(cast, jpo, start=today + timedelta(days=8))
    assert _run_schedule(today) == ["send-reminders: 0 reminder(s) sent"]
    assert _run_schedule(today + timedelta(days=1)) == ["send-reminders: 2 reminder(s) sent"]
    assert _run_schedule(today + timedelta(days=1)) == []  # the day's period is taken
    assert _run_schedule(today + timedelta(days=2)) == ["send-reminders: 0 reminder(s) sent"]
    [intern] = [
        m
        for m in mailbox.to("pat@example.org")
        if str(m["Subject"]).startswith("Стажировка начинается")
    ]
    assert "через 7 дней" in mailbox.text(intern)
    _placed_notice, supervisor = mailbox.to("sam@example.org")
    assert "7 күннен кейін" in mailbox.text(supervisor)
    assert supervisor["Content-Language"] == "kk"
    assert Notification.objects.filter(kind="placement_starting").count() == 2


def test_an_evaluation_is_reminded_when_due_and_when_overdue(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    today = timezone.localdate()
    placement = _placed(cast, jpo, start=today - timedelta(days=60), end=today - timedelta(days=1))
    services.start(actor=cast.alice, enrolment=placement.enrolment)
    due = today
    deadline = placement.end + EVALUATION_WINDOW
    for day in (
        due,
        due,
        deadline + timedelta(days=7),
        deadline + timedelta(days=8),
        deadline + timedelta(days=14),
        deadline + timedelta(days=40),
    ):
        services.send_reminders(on=day)
    kinds = list(
        Notification.objects.filter(recipient=cast.sam).order_by("pk").values_list("kind", "key")
    )
    assert [kind for kind, _key in kinds if kind != "placed"] == [
        "evaluation_due",
        "evaluation_overdue",
        "evaluation_overdue",
    ]
    # The participant is asked for the final report once.
    assert Notification.objects.filter(recipient=cast.pat, kind="final_report_due").count() == 1
    report = [
        m
        for m in mailbox.to("pat@example.org")
        if str(m["Subject"]).startswith("Срок сдачи итогового отчёта")
    ]
    assert len(report) == 1
    _opens(cast, cast.pat, report[0])
    overdue = [m for m in mailbox.to("sam@example.org") if "Pat Example" in str(m["Subject"])][-1]
    _opens(cast, cast.sam, overdue)
    # An evaluation recorded stops the reminders.
    services.evaluate(
        actor=cast.sam,
        placement=placement,
        evaluator=jpo.supervisor,
        scores=dict.fromkeys(("knowledge", "analysis", "initiative", "teamwork", "reliability"), 4),
    )
    assert services.send_reminders(on=deadline + timedelta(days=14)) == 0


def test_old_placements_are_not_reminded(mailbox: Any, cast: Any, jpo: Jpo) -> None:
    """A placement of years ago (the demo's, an import's) gets no reminder at all."""
    today = timezone.localdate()
    placement = _placed(
        cast, jpo, start=today - timedelta(days=400), end=today - timedelta(days=300)
    )
    services.start(actor=cast.alice, enrolment=placement.enrolment)
    assert services.send_reminders(on=today) == 0
    assert Enrolment.objects.get(pk=placement.enrolment_id).state == "active"


def test_erasing_a_person_erases_their_inbox_and_their_name_in_others(
    mailbox: Any, cast: Any, jpo: Jpo
) -> None:
    from chancery.directory.services import erase_person
    from chancery.notifications.models import OutgoingMail

    placement = _placed(cast, jpo)
    services.withdraw(actor=cast.alice, enrolment=placement.enrolment, reason="Moved abroad")
    assert Notification.objects.filter(recipient=cast.pat).exists()
    assert Notification.objects.filter(recipient=cast.sam, subject__contains="Pat Example")
    erase_person(actor=cast.alice, person=cast.pat_person)
    assert not Notification.objects.filter(recipient=cast.pat).exists()
    assert not OutgoingMail.objects.filter(address="pat@example.org").exists()
    assert not OutgoingMail.history.filter(address="pat@example.org").exists()
    [to_supervisor] = Notification.objects.filter(recipient=cast.sam)
    assert "Pat Example" not in to_supervisor.subject + to_supervisor.text
    assert f"#{cast.pat_person.pk}" in to_supervisor.subject
    for mail in OutgoingMail.objects.all():
        assert "Pat Example" not in mail.subject + mail.text + mail.html


def test_chancery_remind_sends_the_days_reminders_once(mailbox: Any, cast: Any, jpo: Jpo) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    start = timezone.localdate() + timedelta(days=20)
    _placed(cast, jpo, start=start)
    day = (start - timedelta(days=3)).isoformat()
    for expected in ("2 reminder(s) sent", "0 reminder(s) sent"):
        out = StringIO()
        call_command("remind", "--on", day, stdout=out)
        assert out.getvalue().strip() == expected
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", "--on", "tomorrow")
