"""Uploads: one size limit (MAX_UPLOAD_MB) and a type check on every upload form, and files read
back through the storage API, so another storage (S3 in production) serves them the same.
(The content of photos is checked by the events app: events/tests/test_photos_attendance.py.)"""

import ast
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils.datastructures import MultiValueDict

from chancery.agreements.forms import DocumentForm
from chancery.core.validators import check_upload_size, validate_upload_size
from chancery.directory.models import Organisation
from chancery.events.forms import ImportForm as AttendanceImportForm
from chancery.events.forms import PhotoForm
from chancery.events.models import Event, Photo
from chancery.programmes.forms import ReportUploadForm
from chancery.reports.forms import ImportForm as PeopleImportForm

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHANCERY = Path(__file__).resolve().parents[2]


def upload(name: str, size: int, head: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, head + b"x" * (size - len(head)))


def test_the_size_limit_follows_max_upload_mb(settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 2
    validate_upload_size(upload("a.csv", 2 * MB))  # exactly the limit is accepted
    with pytest.raises(ValidationError) as refused:
        validate_upload_size(upload("a.csv", 2 * MB + 1))
    assert refused.value.code == "file_too_large"
    assert refused.value.messages == ["The file is 2.0\xa0MB; files of at most 2 MB are accepted."]
    settings.MAX_UPLOAD_MB = 3
    validate_upload_size(upload("a.csv", 2 * MB + 1))


def test_a_service_refuses_a_large_file_naming_the_field(settings: Any) -> None:
    """Services that take files from the API as well as forms apply the same limit."""
    settings.MAX_UPLOAD_MB = 1
    check_upload_size(upload("report.pdf", MB))
    with pytest.raises(ValidationError) as refused:
        check_upload_size(upload("report.pdf", MB + 1), "report")
    assert refused.value.message_dict == {
        "report": ["The file is 1.0\xa0MB; files of at most 1 MB are accepted."]
    }


def _photo_form(image: SimpleUploadedFile) -> PhotoForm:
    return PhotoForm({"caption": ""}, {"image": image}, people=Organisation.objects.none())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "field", "good", "wrong_type"),
    [
        (_photo_form, "image", ("class.png", PNG), None),
        (
            lambda f: ReportUploadForm({}, MultiValueDict({"file": [f]})),
            "file",
            ("report.pdf", b"%PDF-1.7"),
            ("report.exe", b"MZ"),
        ),
        (
            lambda f: AttendanceImportForm({"dry_run": "on"}, MultiValueDict({"file": [f]})),
            "file",
            ("list.csv", b"person_id,attended\n"),
            ("list.json", b"{}"),
        ),
        (
            lambda f: PeopleImportForm({}, {"file": f}, offices=Organisation.objects.none()),
            "file",
            None,
            ("people.pdf", b"%PDF-1.7"),
        ),
        (
            lambda f: DocumentForm({"title": "Agreement"}, MultiValueDict({"file": [f]})),
            "file",
            ("signed.pdf", b"%PDF-1.7"),
            None,
        ),
    ],
)
def test_every_upload_form_limits_size_and_type(
    form: Any, field: str, good: Any, wrong_type: tuple[str, bytes] | None, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    name = good[0] if good else "people.csv"
    head = good[1] if good else b""
    too_big = form(upload(name, MB + 1, head))
    assert not too_big.is_valid()
    assert "files of at most 1 MB are accepted" in " ".join(too_big.errors[field])
    assert "1 MB at most" in str(too_big.fields[field].help_text)  # the help says the limit
    if wrong_type:
        wrong = form(SimpleUploadedFile(*wrong_type))
        assert not wrong.is_valid()
        assert field in wrong.errors
    if good:
        right = form(SimpleUploadedFile(*good))
        right.is_valid()
        assert field not in right.errors


def test_no_upload_is_read_through_a_file_system_path() -> None:
    """`.path` exists only on a local storage: S3 has none. Uploads are read with .open()."""
    offenders = []
    for source in CHANCERY.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "path"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in {"file", "image", "document", "photo"}
            ):
                offenders.append(f"{source.relative_to(CHANCERY)}:{node.lineno}")
    assert offenders == []


@pytest.mark.django_db
def test_a_photo_is_served_from_any_storage(
    client: Any, django_user_model: Any, settings: Any
) -> None:
    """With uploads in memory (no file system at all) a photo is stored and served back."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert isinstance(storages["default"], InMemoryStorage)
    call_command("demo", stdout=StringIO())
    event = Event.objects.order_by("pk").first()
    assert event is not None
    photo = Photo.objects.create(event=event, image=ContentFile(PNG, name="class.png"))
    assert default_storage.exists(photo.image.name)
    client.force_login(
        django_user_model.objects.create_superuser("root", "r@example.org", "a long passphrase 1")
    )
    response = client.get(f"/events/photos/{photo.pk}/image")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
