"""Certificates of completion: the PDF, its QR code, and the public verification page."""

import io
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import segno
from django.test import Client
from pypdf import PdfReader
from pypdf.generic import ContentStream

from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.programmes import certificates, services
from chancery.programmes.models import Certificate, Enrolment

VERIFY_URL = "https://chancery.example/verify/ABCDEFGHJKLMNPQR/"


@dataclass
class Completed:
    enrolment: Enrolment
    certificate: Certificate


@pytest.fixture
def completed(cast: Any) -> Completed:
    """Pat completed a placement at the ministry's department through the whole lifecycle."""
    programme = services.create_programme(
        actor=cast.alice,
        owner=cast.academy,
        kind="internship",
        name_en="Young Diplomats",
        name_ru="Молодые дипломаты",
        name_kk="Жас дипломаттар",
    )
    edition = services.create_edition(
        actor=cast.alice,
        programme=programme,
        name="2026",
        year=2026,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 11, 30),
    )
    directory.update_person(
        actor=SYSTEM, person=cast.pat_person, email="pat@example.org", birth_date=date(2001, 4, 17)
    )
    enrolment = services.apply(actor=cast.alice, edition=edition, person=cast.pat_person)
    services.select(actor=cast.alice, enrolment=enrolment)
    services.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=cast.ministry,
        department=cast.department,
        start=date(2026, 9, 1),
        end=date(2026, 11, 27),
    )
    services.start(actor=cast.alice, enrolment=enrolment)
    enrolment = services.complete(actor=cast.alice, enrolment=enrolment, on=date(2026, 11, 27))
    certificate = services.issue_certificate(actor=cast.alice, enrolment=enrolment)
    return Completed(enrolment, certificate)


def _pdf(completed: Completed, language: str = "en") -> bytes:
    certificate = Certificate.objects.get(pk=completed.certificate.pk)
    return certificates.render_certificate_pdf(
        certificate, language=language, verify_url=VERIFY_URL
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _drawn_qr(pdf: bytes) -> list[list[bool]]:
    """The QR modules as drawn: the filled rectangles of the QR's module height."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    rects = [
        [float(v) for v in operands]
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations
        if operator == b"re"
    ]
    size = len(segno.make(VERIFY_URL, error="m", micro=False).matrix)
    module = 96 / size
    modules = [r for r in rects if abs(r[3] - module) < 1e-3]
    left = min(r[0] for r in modules)
    top = max(r[1] for r in modules) + module
    grid = [[False] * size for _ in range(size)]
    for x, y, width, _height in modules:
        row = round((top - y) / module) - 1
        first = round((x - left) / module)
        for column in range(first, first + round(width / module)):
            grid[row][column] = True
    return grid


def test_the_pdf_is_one_landscape_page_with_every_fact(completed: Completed) -> None:
    pdf = _pdf(completed)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = _text(pdf)
    for fact in (
        "Young Diplomats",
        "Certificate of completion",
        "Pat Example",
        "Test Ministry",
        "Test Department",
        "1 Sep 2026",
        "27 Nov 2026",
        "Test Academy",
        completed.certificate.code,
        VERIFY_URL,
    ):
        assert fact in text, fact
    assert "pat@example.org" not in text


def test_a_cyrillic_name_renders_in_the_embedded_dejavu_font(
    cast: Any, completed: Completed
) -> None:
    directory.update_person(
        actor=SYSTEM, person=cast.pat_person, given_name_cyrl="Пат", family_name_cyrl="Ғалымұлы"
    )
    pdf = _pdf(completed)
    assert certificates.fonts().cyrillic, "DejaVu Sans (fonts-dejavu-core) must be installed"
    assert b"DejaVuSans" in pdf
    text = _text(pdf)
    assert "Pat Example" in text
    assert "Пат Ғалымұлы" in text


def test_the_qr_code_drawn_is_the_verify_url(completed: Completed) -> None:
    expected = [
        [bool(module) for module in row]
        for row in segno.make(VERIFY_URL, error="m", micro=False).matrix
    ]
    assert _drawn_qr(_pdf(completed)) == expected


@pytest.mark.parametrize(
    ("language", "programme", "day"),
    [
        ("ru", "Молодые дипломаты", "01.09.2026"),  # the one date form of the language
        ("kk", "Жас дипломаттар", "01.09.2026"),
    ],
)
def test_russian_and_kazakh_certificates_render(
    completed: Completed, language: str, programme: str, day: str
) -> None:
    pdf = _pdf(completed, language)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = _text(pdf)
    assert programme in text
    assert day in text
    assert completed.certificate.code in text


def test_without_the_font_helvetica_draws_an_english_certificate_and_warns(
    completed: Completed, monkeypatch: Any, caplog: Any
) -> None:
    monkeypatch.setattr(certificates, "FONT_DIRS", ())
    certificates.fonts.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="chancery.programmes.certificates"):
            pdf = _pdf(completed, "ru")
    finally:
        certificates.fonts.cache_clear()
    assert "fonts-dejavu-core" in caplog.text
    text = _text(pdf)
    assert "Certificate of completion" in text
    assert "Young Diplomats" in text


# The verification page


def test_a_valid_code_shows_only_the_public_facts(client: Client, completed: Completed) -> None:
    response = client.get(f"/verify/{completed.certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid" in page
    for fact in ("Pat Example", "Young Diplomats", "Test Ministry", "1 Sep 2026", "27 Nov 2026"):
        assert fact in page, fact
    for secret in ("pat@example.org", "2001", "April 17", "Apr. 17"):
        assert secret not in page, secret
    assert response["X-Robots-Tag"] == "noindex"


def test_a_code_is_found_whatever_its_case(client: Client, completed: Completed) -> None:
    response = client.get(f"/verify/{completed.certificate.code.lower()}/")
    assert response.status_code == 200
    assert "Pat Example" in response.content.decode()


def test_a_revoked_certificate_says_so_with_date_and_reason(
    cast: Any, client: Client, completed: Completed
) -> None:
    services.revoke_certificate(
        actor=cast.alice, certificate=completed.certificate, reason="Issued in error"
    )
    response = client.get(f"/verify/{completed.certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Revoked" in page
    assert "Issued in error" in page
    assert "Valid" not in page


def test_an_unknown_code_is_a_404_saying_so(client: Client, completed: Completed) -> None:
    response = client.get("/verify/NOSUCHCODE2345/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "No certificate has the code" in page
    assert "Pat Example" not in page


def test_the_lookup_form_redirects_to_the_code(client: Client, db: Any) -> None:
    assert client.get("/verify/").status_code == 200
    response = client.get("/verify/", {"code": " abcd-efgh "})
    assert response.status_code == 302
    assert response["Location"] == "/verify/ABCDEFGH/"
    assert client.get("/verify/", {"code": "<script>"}).status_code == 422


# Downloading the PDF


def test_the_participant_downloads_their_own_certificate(cast: Any, completed: Completed) -> None:
    response = cast.client_for(cast.pat).get(
        f"/programmes/enrolments/{completed.enrolment.pk}/certificate.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert f"http://testserver/verify/{completed.certificate.code}/" in text


def test_the_programme_office_downloads_it_in_russian(cast: Any, completed: Completed) -> None:
    response = cast.client_for(cast.alice).get(
        f"/programmes/enrolments/{completed.enrolment.pk}/certificate.pdf", {"lang": "ru"}
    )
    assert response.status_code == 200
    assert "Молодые дипломаты" in _text(response.content)


def test_others_get_a_404_and_strangers_the_login(
    cast: Any, client: Client, completed: Completed
) -> None:
    url = f"/programmes/enrolments/{completed.enrolment.pk}/certificate.pdf"
    assert cast.client_for(cast.quinn).get(url).status_code == 404
    assert cast.client_for(cast.charlie).get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_revoked_certificate_is_no_longer_downloadable(cast: Any, completed: Completed) -> None:
    services.revoke_certificate(
        actor=cast.alice, certificate=completed.certificate, reason="Issued in error"
    )
    url = f"/programmes/enrolments/{completed.enrolment.pk}/certificate.pdf"
    assert cast.client_for(cast.pat).get(url).status_code == 404


def test_a_code_on_the_page_is_escaped(client: Client, db: Any) -> None:
    response = client.get("/verify/%3Cb%3Ex/")
    assert response.status_code == 404
    assert "<B>X" not in response.content.decode()
