"""A pupil without an active media consent is never named or shown on a public page."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.models import ConsentKind
from chancery.events import services
from chancery.events.models import Event, Photo
from chancery.events.tests.factories import Outreach, almaty, image_bytes

PNG = image_bytes("PNG")  # a real image: photos are checked by their content


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _event(outreach: Outreach, public: bool = True, title: str = "Poland in the EU") -> Event:
    event = services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title=title,
        public=public,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
        speakers=[outreach.diplomat],
    )
    for pupil in (outreach.pupil, outreach.shy_pupil):
        services.record_attendance(actor=SYSTEM, event=event, person=pupil)
    return event


def _photo(event: Event, caption: str, people: list[Any]) -> Photo:
    return services.add_photo(
        actor=SYSTEM,
        event=event,
        caption=caption,
        people=people,
        image=SimpleUploadedFile("class.png", PNG, "image/png"),
    )


def test_the_public_page_shows_consented_photos_and_names_only(outreach: Outreach) -> None:
    event = _event(outreach)
    _event(outreach, public=False, title="A private rehearsal")
    shown = _photo(event, "The class with the second secretary", [outreach.pupil])
    hidden = _photo(event, "Questions from the back row", [outreach.pupil, outreach.shy_pupil])
    page = Client().get(f"/events/editions/{outreach.edition.pk}/public/").content.decode()
    assert "Poland in the EU" in page and "#jasdiplomat" in page
    assert "A private rehearsal" not in page
    assert f"/events/photos/{shown.pk}/image" in page
    assert f"/events/photos/{hidden.pk}/image" not in page
    assert "Questions from the back row" not in page
    assert "Aruzhan Aruzhanova" in page
    assert "Timur" not in page
    assert "Katarzyna Nowak" in page  # an adult diplomat speaking in her official role


def _close(response: Any) -> None:
    """Close a streamed file response without ending the test's database transaction.

    Closing sends request_finished, whose close_old_connections would close the connection
    inside the test's transaction on PostgreSQL (the test client only mutes it during a
    request).
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_an_unpublished_photo_is_not_served_to_strangers(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach)
    shown = _photo(event, "", [outreach.pupil])
    hidden = _photo(event, "", [outreach.shy_pupil])
    stranger = Client()
    published = stranger.get(f"/events/photos/{shown.pk}/image")
    assert published.getvalue() == PNG
    _close(published)
    assert stranger.get(f"/events/photos/{hidden.pk}/image").status_code == 404
    insider = cast.client_for(outreach.liaison).get(f"/events/photos/{hidden.pk}/image")
    assert insider.status_code == 200
    _close(insider)


def test_a_caption_may_not_name_a_pupil_without_media_consent(outreach: Outreach) -> None:
    event = _event(outreach)
    for caption in ("Timur Timurova asks a question", "TIMUROVA Timur at the front"):
        with pytest.raises(ValidationError) as error:
            _photo(event, caption, [])
        assert "caption" in error.value.message_dict
    assert _photo(event, "Aruzhan Aruzhanova asks a question", [outreach.pupil]).pk


def test_a_withdrawn_media_consent_takes_the_photo_and_the_name_off_the_page(
    outreach: Outreach,
) -> None:
    event = _event(outreach)
    photo = _photo(event, "", [outreach.pupil])
    consent = outreach.pupil.consents.get(kind=ConsentKind.MEDIA)
    directory.withdraw_consent(actor=SYSTEM, consent=consent, on=date(2019, 1, 1))
    page = Client().get(f"/events/editions/{outreach.edition.pk}/public/").content.decode()
    assert f"/events/photos/{photo.pk}/image" not in page
    assert "Aruzhan" not in page
