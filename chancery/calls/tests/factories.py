"""A published call with a form, for the calls tests."""

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chancery.calls import services
from chancery.calls.models import Call
from chancery.programmes import services as programmes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "cv.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def make_call(officer: Any, owner: Any, *, slug: str = "jpo-2028", deadline: Any = None) -> Call:
    programme = programmes.create_programme(
        actor=officer, owner=owner, kind="internship", name_en=f"Programme {slug}"
    )
    edition = programmes.create_edition(
        actor=officer, programme=programme, name="2028", year=2028, starts_on=date(2028, 9, 1)
    )
    call = services.create_call(
        actor=officer,
        edition=edition,
        slug=slug,
        title_en="JPO 2028",
        title_ru="JPO 2028 (ru)",
        intro_en="Serve a year.",
        eligible_en="Graduates.",
        published=True,
        deadline=deadline or timezone.now() + timedelta(days=10),
    )
    services.add_question(
        actor=officer,
        call=call,
        kind="short",
        label_en="Your university",
        label_ru="Ваш университет",
    )
    services.add_question(
        actor=officer, call=call, kind="long", label_en="Motivation", word_limit=5
    )
    services.add_document(actor=officer, call=call, name_en="CV", file_types="pdf", max_mb=1)
    return call
