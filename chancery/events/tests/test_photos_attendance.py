"""Photos are checked by their content, edited and deleted; attendance rows and links too."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chancery.core.actors import SYSTEM
from chancery.events import services
from chancery.events.models import Attendance, Event, MediaLink, Photo
from chancery.events.tests.factories import Outreach, almaty, image_bytes


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _event(outreach: Outreach) -> Event:
    event = services.create_event(
        actor=SYSTEM,
        edition=outreach.edition,
        kind="lecture",
        title="Japan and its language",
        public=True,
        starts_at=almaty(2018, 11, 5, 10),
        ends_at=almaty(2018, 11, 5, 11),
        pairings=[outreach.pairing],
    )
    for pupil in (outreach.pupil, outreach.shy_pupil):
        services.record_attendance(actor=SYSTEM, event=event, person=pupil)
    return event


def _upload(data: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/png")


# The content of a photo


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_real_jpeg_png_or_webp_is_accepted(kind: str) -> None:
    services.check_photo_content(_upload(image_bytes(kind), "photo.jpg"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "not a JPEG, PNG or WebP image"),
        (b"Just some words, not a picture.", "not a JPEG, PNG or WebP image"),
        (image_bytes("GIF"), "is a GIF image"),
        (image_bytes("JPEG", (400, 300))[:-300], "damaged or incomplete"),
        (image_bytes("PNG", (64, 64))[:-40], "damaged or incomplete"),
        (image_bytes("PNG", (10_000, 6_000), mode="1"), "10000 × 6000 pixels"),
    ],
)
def test_a_file_that_is_no_whole_photo_is_refused_on_the_image_field(
    data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.check_photo_content(_upload(data, "holiday.jpg"))
    assert list(refused.value.message_dict) == ["image"]
    assert message in refused.value.message_dict["image"][0]


def test_the_page_names_the_photo_field_and_stores_nothing(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach)
    client = cast.client_for(outreach.liaison)
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post(f"/events/{event.pk}/photos/", {"image": _upload(fake)}, follow=True)
    assert "Photo: The file is not a JPEG, PNG or WebP image." in response.content.decode()
    assert not Photo.objects.exists()
    client.post(f"/events/{event.pk}/photos/", {"image": _upload(image_bytes("JPEG"), "class.jpg")})
    assert Photo.objects.count() == 1


# Editing and deleting photos


def test_a_caption_is_edited_under_the_consent_rule_and_audited(outreach: Outreach) -> None:
    event = _event(outreach)
    photo = services.add_photo(
        actor=SYSTEM,
        event=event,
        image=_upload(image_bytes()),
        caption="The class",
        people=[outreach.pupil],
    )
    photo = services.update_photo(
        actor=outreach.liaison, photo=photo, caption="Aruzhan Aruzhanova asks a question"
    )
    assert photo.caption == "Aruzhan Aruzhanova asks a question"
    assert list(photo.people.all()) == [outreach.pupil]
    assert photo.history.first().history_user == outreach.liaison
    with pytest.raises(ValidationError) as refused:
        services.update_photo(
            actor=outreach.liaison, photo=photo, caption="Timur Timurova at the front"
        )
    assert "caption" in refused.value.message_dict
    with pytest.raises(PermissionDenied, match="events of your pairings"):
        services.update_photo(actor=outreach.other_liaison, photo=photo, caption="Mine")
    photo.refresh_from_db()
    assert photo.caption == "Aruzhan Aruzhanova asks a question"


def test_a_deleted_photo_leaves_the_public_page_its_address_and_the_disk(
    outreach: Outreach, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = _event(outreach)
    photo = services.add_photo(
        actor=SYSTEM,
        event=event,
        image=_upload(image_bytes()),
        caption="The whole class",
        people=[outreach.pupil],
    )
    public = f"/events/editions/{outreach.edition.pk}/public/"
    assert f"/events/photos/{photo.pk}/image" in Client().get(public).content.decode()
    stored = Path(photo.image.path)
    assert stored.exists()
    assert (
        cast.client_for(outreach.other_liaison)
        .post(f"/events/photos/{photo.pk}/delete/")
        .status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for(outreach.liaison).post(
            f"/events/photos/{photo.pk}/delete/", {"confirmed": "yes"}
        )
    assert response["Location"] == f"/events/{event.pk}/"
    page = Client().get(public).content.decode()
    assert f"/events/photos/{photo.pk}/image" not in page and "The whole class" not in page
    assert Client().get(f"/events/photos/{photo.pk}/image").status_code == 404
    assert not stored.exists()
    deleted = Photo.history.filter(id=photo.pk, history_type="-").get()
    assert deleted.history_user == outreach.liaison


def test_the_photo_page_edits_the_caption_and_names_the_field_when_refused(
    outreach: Outreach, cast: Any
) -> None:
    event = _event(outreach)
    photo = services.add_photo(
        actor=SYSTEM, event=event, image=_upload(image_bytes()), caption="Before"
    )
    client = cast.client_for(outreach.coordinator)
    url = f"/events/photos/{photo.pk}/edit/"
    assert "Before" in client.get(url).content.decode()
    refused = client.post(url, {"caption": "Timur Timurova sings"})
    assert (
        refused.status_code == 422 and "no consent to photos and media" in refused.content.decode()
    )
    assert client.post(url, {"caption": "After", "people": [outreach.pupil.pk]}).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "After" and list(photo.people.all()) == [outreach.pupil]
    assert cast.client_for(outreach.other_liaison).get(url).status_code == 404
    assert cast.client_for(cast.pat).get(url).status_code == 403


# Attendance and media links


def test_a_tick_is_undone_and_a_row_taken_off_the_list(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach)
    client = cast.client_for(outreach.liaison)
    row = Attendance.objects.get(event=event, person=outreach.pupil)
    assert row.attended
    client.post(f"/events/{event.pk}/attendance/{outreach.pupil.pk}/", {"attended": "0"})
    row.refresh_from_db()
    assert not row.attended and row.checked_at is None
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f"/events/attendances/{row.pk}/delete/" in page
    assert (
        cast.client_for(outreach.other_liaison)
        .post(f"/events/attendances/{row.pk}/delete/")
        .status_code
        == 404
    )
    client.post(f"/events/attendances/{row.pk}/delete/")  # the confirmation step: nothing yet
    assert Attendance.objects.filter(pk=row.pk).exists()
    client.post(f"/events/attendances/{row.pk}/delete/", {"confirmed": "yes"})
    assert not Attendance.objects.filter(pk=row.pk).exists()
    assert (
        Attendance.history.filter(id=row.pk, history_type="-").get().history_user
        == outreach.liaison
    )
    with pytest.raises(PermissionDenied, match="events of your pairings"):
        services.delete_attendance(actor=outreach.other_liaison, attendance=event.attendances.get())


def test_a_media_link_is_deleted_by_the_events_editors_only(outreach: Outreach, cast: Any) -> None:
    event = _event(outreach)
    link = services.add_media_link(
        actor=SYSTEM, event=event, url="https://example.org/post", caption="The embassy's post"
    )
    assert (
        cast.client_for(outreach.other_liaison).post(f"/events/links/{link.pk}/delete/").status_code
        == 404
    )
    with pytest.raises(PermissionDenied, match="events of your pairings"):
        services.delete_media_link(actor=outreach.other_liaison, link=link)
    cast.client_for(outreach.coordinator).post(
        f"/events/links/{link.pk}/delete/", {"confirmed": "yes"}
    )
    assert not MediaLink.objects.exists()
    assert MediaLink.history.filter(history_type="-").get().history_user == outreach.coordinator
