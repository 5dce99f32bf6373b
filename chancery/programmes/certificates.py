"""Certificates of completion: what one says, and the one-page A4 landscape PDF of it.

The PDF is drawn with reportlab in DejaVu Sans, which has the Cyrillic and Kazakh letters
(ә ғ қ ң ө ұ ү һ і); a QR code of the public verification URL sits in a corner. The fixed
phrases are Django translations, so the certificate reads in English, Russian or Kazakh.
"""

import io
from dataclasses import dataclass
from datetime import date
from functools import cache

import segno
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from chancery.core import pdf
from chancery.core.pdf import ACCENT, INK, MUTED, Fonts
from chancery.core.pdf import centred as _centred
from chancery.programmes.models import Certificate, PlacementStatus

LANGUAGES = ("en", "ru", "kk")
FONT_DIRS = pdf.FONT_DIRS  # where fonts() looks (see chancery.core.pdf)


@cache
def fonts() -> Fonts:
    """DejaVu Sans when installed, else Helvetica (Latin only) and a warning."""
    return pdf.fonts(FONT_DIRS)


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate states, in the active language; also all the verify page shows."""

    code: str
    participant: str
    participant_cyrillic: str
    programme: str
    office: str
    host: str
    department: str
    starts_on: date | None
    ends_on: date | None
    issued_on: date
    revoked_on: date | None
    revoked_reason: str


def facts_of(certificate: Certificate) -> CertificateFacts:
    """The facts of a certificate: participant, programme, last placement (or edition dates)."""
    enrolment = certificate.enrolment
    person = enrolment.person
    edition = enrolment.edition
    programme = edition.programme
    placement = (
        enrolment.placements.exclude(status=PlacementStatus.CANCELLED)
        .select_related("host", "department")
        .order_by("-start", "-id")
        .first()
    )
    participant = person.latin_name or person.display_name or person.cyrillic_name
    cyrillic = person.cyrillic_name if person.cyrillic_name != participant else ""
    return CertificateFacts(
        code=certificate.code,
        participant=participant,
        participant_cyrillic=cyrillic,
        programme=str(programme),
        office=str(programme.owner),
        host=str(placement.host) if placement else "",
        department=str(placement.department) if placement and placement.department else "",
        starts_on=placement.start if placement else edition.starts_on,
        ends_on=placement.end if placement else edition.ends_on,
        issued_on=certificate.issued_on,
        revoked_on=certificate.revoked_on,
        revoked_reason=certificate.revoked_reason,
    )


def _day(value: date) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


def period(facts: CertificateFacts) -> str:
    """The dates of the placement (or edition) as one phrase; empty when none is known."""
    if facts.starts_on and facts.ends_on:
        return _("from %(start)s to %(end)s") % {
            "start": _day(facts.starts_on),
            "end": _day(facts.ends_on),
        }
    if facts.starts_on:
        return _("from %(start)s") % {"start": _day(facts.starts_on)}
    if facts.ends_on:
        return _("until %(end)s") % {"end": _day(facts.ends_on)}
    return ""


def _qr(canvas: Canvas, data: str, x: float, y: float, side: float) -> None:
    """A QR code of `data`, `side` points square, its lower left corner at (x, y)."""
    matrix = segno.make(data, error="m", micro=False).matrix
    module = side / len(matrix)
    canvas.setFillColor(INK)
    for row_index, row in enumerate(matrix):
        top = y + side - (row_index + 1) * module
        column = 0
        while column < len(row):  # one rectangle per run of dark modules
            if not row[column]:
                column += 1
                continue
            run = column
            while run < len(row) and row[run]:
                run += 1
            canvas.rect(x + column * module, top, (run - column) * module, module, stroke=0, fill=1)
            column = run


def render_certificate_pdf(
    certificate: Certificate, *, language: str = "en", verify_url: str
) -> bytes:
    """One A4 landscape page certifying the completion, in `language` (en, ru or kk)."""
    font = fonts()
    if language not in LANGUAGES:
        language = "en"
    if not font.cyrillic:
        language = "en"
    buffer = io.BytesIO()
    width, height = landscape(A4)
    with translation.override(language):
        facts = facts_of(certificate)
        canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
        canvas.setTitle(_("Certificate of completion") + f" {facts.code}")
        canvas.setAuthor(facts.office)
        canvas.setSubject(facts.programme)

        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(3)
        canvas.rect(28, 28, width - 56, height - 56)
        canvas.setLineWidth(0.75)
        canvas.rect(36, 36, width - 72, height - 72)

        _centred(canvas, facts.office, height - 90, font.regular, 15, MUTED)
        _centred(canvas, _("Certificate of completion"), height - 145, font.bold, 34, ACCENT)
        _centred(canvas, _("This is to certify that"), height - 195, font.regular, 14)
        _centred(canvas, facts.participant, height - 235, font.bold, 28)
        line = height - 265
        if facts.participant_cyrillic and font.cyrillic:
            _centred(canvas, facts.participant_cyrillic, line, font.regular, 18)
            line -= 32
        _centred(canvas, _("has completed the programme"), line, font.regular, 14)
        _centred(canvas, facts.programme, line - 32, font.bold, 22, ACCENT)
        line -= 62
        if facts.host:
            where = (
                _("at %(host)s, %(department)s")
                % {"host": facts.host, "department": facts.department}
                if facts.department
                else _("at %(host)s") % {"host": facts.host}
            )
            _centred(canvas, where, line, font.regular, 14)
            line -= 22
        when = period(facts)
        if when:
            _centred(canvas, when, line, font.regular, 14)

        canvas.setFillColor(INK)
        canvas.setFont(font.regular, 11)
        canvas.drawString(70, 110, _("Issued on %(date)s") % {"date": _day(facts.issued_on)})
        canvas.drawString(70, 92, _("Issued by %(office)s") % {"office": facts.office})
        canvas.setFont(font.regular, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(70, 66, _("Verification code: %(code)s") % {"code": facts.code})

        side = 96
        qr_x, qr_y = width - 70 - side, 78
        _qr(canvas, verify_url, qr_x, qr_y, side)
        canvas.setFont(font.regular, 7)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - 70, 64, verify_url)
        canvas.drawRightString(width - 70, 54, _("Scan or open to verify this certificate."))

        canvas.showPage()
        canvas.save()
    return buffer.getvalue()
