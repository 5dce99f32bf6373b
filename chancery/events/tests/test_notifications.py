"""An event created or changed is told to its school's coordinator and its embassy's liaison,
each in their language, with the event's .ics attached (read back from a real SMTP server)."""

import re
from typing import Any

import pytest
from icalendar import Calendar

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.events import services
from chancery.events.models import Event
from chancery.events.tests.factories import Outreach, almaty
from chancery.notifications.models import Notification
from chancery.notifications.services import set_kind_enabled
from chancery.programmes import services as programmes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mailbox(smtp: Any, settings: Any, outreach: Outreach) -> Any:
    settings.SITE_URL = "http://testserver"
    for user, address, language in (
        (outreach.coordinator, "coordinator@example.org", "ru"),
        (outreach.liaison, "liaison@example.org", "kk"),
        (outreach.other_liaison, "other@example.org", "en"),
    ):
        user.email, user.language = address, language
        user.save()
    return smtp


def _lecture(outreach: Outreach, actor: Any, **extra: Any) -> Event:
    fields: dict[str, Any] = {
        "kind": "lecture",
        "title": "Poland in the EU",
        "venue": "School One, hall 2",
        "starts_at": almaty(2026, 11, 5, 10),
        "ends_at": almaty(2026, 11, 5, 11, 30),
        "pairings": [outreach.pairing],
    }
    fields.update(extra)
    return services.create_event(actor=actor, edition=outreach.edition, **fields)


def _calendar(message: Any) -> Any:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename().endswith(".ics")
    [entry] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    return entry


def test_a_new_event_is_told_to_its_school_and_embassy_with_the_ics(
    mailbox: Any, cast: Any, outreach: Outreach
) -> None:
    event = _lecture(outreach, cast.alice)
    [to_coordinator] = mailbox.to("coordinator@example.org")
    [to_liaison] = mailbox.to("liaison@example.org")
    assert mailbox.to("other@example.org") == []  # the other pairing's embassy
    assert to_coordinator["Subject"] == "Новое мероприятие: Poland in the EU, 05.11.2026"
    assert str(to_liaison["Subject"]).startswith("Жаңа іс-шара: Poland in the EU")
    text = mailbox.text(to_coordinator)
    assert "School One, hall 2" in text and "10:00" in text and "Asia/Almaty" in text
    entry = _calendar(to_coordinator)
    assert str(entry["summary"]) == "Poland in the EU"
    assert entry.decoded("dtstart") == almaty(2026, 11, 5, 10)
    assert str(entry["uid"]) == f"event-{event.pk}@testserver"
    path = re.search(r"http://testserver(/\S+)", text).group(1)
    assert path == f"/events/{event.pk}/"
    assert cast.client_for(outreach.coordinator).get(path).status_code == 200
    assert cast.client_for(outreach.liaison).get(path).status_code == 200


def test_a_change_sends_the_new_time_and_a_change_of_nothing_told_sends_nothing(
    mailbox: Any, cast: Any, outreach: Outreach
) -> None:
    event = _lecture(outreach, outreach.coordinator)
    services.update_event(actor=cast.alice, event=event, public=True, hashtag="#poland")
    assert len(mailbox.to("liaison@example.org")) == 1  # the creation only
    services.update_event(
        actor=outreach.coordinator,
        event=event,
        starts_at=almaty(2026, 11, 6, 14),
        ends_at=almaty(2026, 11, 6, 15),
    )
    _created, changed = mailbox.to("liaison@example.org")
    assert str(changed["Subject"]).startswith("Іс-шара өзгертілді: Poland in the EU")
    assert _calendar(changed).decoded("dtstart") == almaty(2026, 11, 6, 14)
    [_created, changed_ru] = mailbox.to("coordinator@example.org")
    assert "изменено: начало, окончание" in mailbox.text(changed_ru)


def test_an_event_of_the_whole_edition_is_told_to_every_pairing_and_its_organisers(
    mailbox: Any, cast: Any, outreach: Outreach
) -> None:
    chairs = directory.create_organisation(actor=SYSTEM, name_en="Chairs' School", kind="school")
    programmes.add_participation(
        actor=SYSTEM, edition=outreach.edition, organisation=chairs, role="partner"
    )
    chair = User.objects.create_user(username="chair", email="chair@example.org")
    grant_role(actor=SYSTEM, user=chair, role=Role.CHAIR, organisation=chairs)
    services.create_event(
        actor=cast.alice,
        edition=outreach.edition,
        kind="model_un",
        title="Model UN final",
        starts_at=almaty(2026, 12, 14, 10),
        ends_at=almaty(2026, 12, 14, 16),
        organisers=[chairs],
    )
    for address in (
        "coordinator@example.org",
        "liaison@example.org",
        "other@example.org",
        "chair@example.org",
    ):
        assert len(mailbox.to(address)) == 1, address
    assert "the whole edition" in mailbox.text(mailbox.to("other@example.org")[0])


def test_an_office_that_switched_event_notices_off_sends_none(
    mailbox: Any, cast: Any, outreach: Outreach
) -> None:
    set_kind_enabled(actor=cast.alice, office=cast.academy, kind="event_changed", enabled=False)
    _lecture(outreach, cast.alice)
    assert mailbox.messages == []
    assert not Notification.objects.exists()
