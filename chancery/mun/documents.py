"""The Model UN's printed documents: a session's minutes (CSV and PDF), the certificates of
the delegates and the chairs, and the placards with the countries' names.

Plain functions the views call; each renders in one language (en, ru or kk) under
`translation.override`. The PDFs share the fonts and helpers of `chancery.core.pdf` (DejaVu
Sans, so Russian and Kazakh names print); without the font they fall back to English.
"""

import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from chancery.core.pdf import ACCENT, INK, MUTED, centred, fonts, name_in_script
from chancery.events.models import DEFAULT_TIME_ZONE
from chancery.mun import queries
from chancery.mun.models import (
    BENCH_ROLES,
    Ballot,
    ChairRole,
    Committee,
    Conference,
    EntryKind,
    MinuteEntry,
    Officer,
    Seat,
    SeatStatus,
    Session,
)
from chancery.reports import exports

LANGUAGES = ("en", "ru", "kk")
RULE = colors.Color(0.82, 0.85, 0.88)
SHADE = colors.Color(0.94, 0.95, 0.97)


def _language(language: str) -> str:
    """The language to render in: English when unknown or when no Cyrillic font is installed."""
    if language not in LANGUAGES or not fonts().cyrillic:
        return "en"
    return language


def zone_of(conference: Conference) -> ZoneInfo:
    """The conference's local time zone: its calendar event's, else the events' default."""
    event = conference.event if conference.event_id else None
    return event.zone if event is not None else ZoneInfo(DEFAULT_TIME_ZONE)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return timezone.localtime(moment, zone)


def _day(value: Any) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


# Minutes as CSV


def minutes_csv(session: Session, language: str = "en") -> str:
    """One row per minutes entry, with a header row: local time, kind, speaker, seconds and
    the record as `queries.minutes_of` describes it. Cells a spreadsheet would run as formulas
    are neutralised by the exports' writer; the text starts with a byte-order mark so that
    spreadsheet programs read it as UTF-8."""
    with translation.override(_language(language)):
        zone = zone_of(session.committee.conference)
        names = queries.speaker_names(session)

        def speaker(row: tuple[MinuteEntry, str]) -> str:
            return names.get(row[0].speaker, row[0].speaker)

        columns: list[exports.Column] = [
            (
                _("time (%(zone)s)") % {"zone": zone.key},
                lambda row: _local(row[0].at, zone).strftime("%Y-%m-%d %H:%M:%S"),
            ),
            (_("kind"), lambda row: row[0].get_kind_display()),
            (_("speaker"), speaker),
            (_("seconds"), lambda row: row[0].seconds),
            (_("record"), lambda row: row[1]),
        ]
        return b"".join(exports.render(queries.minutes_of(session), columns, "csv")).decode()


# Minutes as PDF


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle


def _styles() -> _Styles:
    font = fonts()
    body = ParagraphStyle("body", fontName=font.regular, fontSize=10, leading=13, textColor=INK)
    return _Styles(
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=font.bold,
            fontSize=18,
            leading=22,
            textColor=ACCENT,
            spaceAfter=4,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=font.bold,
            fontSize=13,
            leading=16,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=5,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=11.5, textColor=MUTED),
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        head_cell=ParagraphStyle(
            "head_cell", parent=body, fontName=font.bold, fontSize=9, leading=11.5
        ),
    )


def _table(
    header: list[str],
    rows: Iterable[list[Any]],
    widths: list[float],
    styles: _Styles,
    numeric: Iterable[int] = (),
) -> Table:
    """A table repeating its header on every page; text cells wrap."""

    def cell(value: Any, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape("" if value is None else str(value)), style)

    right = ParagraphStyle("right", parent=styles.cell, alignment=2)
    right_head = ParagraphStyle("right_head", parent=styles.head_cell, alignment=2)
    numeric = set(numeric)
    data = [
        [
            cell(text, right_head if i in numeric else styles.head_cell)
            for i, text in enumerate(header)
        ]
    ]
    data += [
        [cell(value, right if i in numeric else styles.cell) for i, value in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _attendance_text(value: str) -> str:
    return {
        "present": _("present"),
        "present_and_voting": _("present and voting"),
        "absent": _("absent"),
    }.get(value, value)


@dataclass(frozen=True)
class SpeechTotal:
    name: str
    speeches: int
    seconds: int


def speech_totals(entries: Iterable[MinuteEntry], names: dict[str, str]) -> list[SpeechTotal]:
    """Speeches per speaker (delegation or guest) with the total time, by name."""
    counts: dict[str, int] = defaultdict(int)
    seconds: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.kind == EntryKind.SPEECH:
            counts[entry.speaker] += 1
            seconds[entry.speaker] += entry.seconds or 0
    totals = [SpeechTotal(names.get(key, key), counts[key], seconds[key]) for key in counts]
    return sorted(totals, key=lambda total: total.name.casefold())


def _outcome(ballot: Ballot, vetoed_by: list[str]) -> str:
    if ballot.passed is None:
        return _("not counted")
    if vetoed_by:
        return _("failed: vetoed by %(who)s") % {"who": ", ".join(vetoed_by)}
    return _("passed") if ballot.passed else _("failed")


def _ballot_subject(ballot: Ballot) -> str:
    if ballot.motion is not None:
        return ballot.motion.get_kind_display()
    return str(ballot.draft)


def _heading_lines(session: Session) -> list[str]:
    committee = session.committee
    conference = committee.conference
    zone = zone_of(conference)
    lines = [
        _("Committee: %(committee)s") % {"committee": committee.name},
        _("Session %(number)s, %(date)s")
        % {"number": session.number, "date": _day(_local(session.opened_at, zone).date())},
    ]
    opened = _local(session.opened_at, zone).strftime("%H:%M")
    if session.closed_at:
        lines.append(
            _("Opened at %(opened)s, closed at %(closed)s (%(zone)s)")
            % {
                "opened": opened,
                "closed": _local(session.closed_at, zone).strftime("%H:%M"),
                "zone": zone.key,
            }
        )
    else:
        lines.append(
            _("Opened at %(opened)s (%(zone)s), still in session")
            % {"opened": opened, "zone": zone.key}
        )
    if session.agenda_item is not None:
        lines.append(_("Topic: %(topic)s") % {"topic": session.agenda_item.title})
    lines.append(
        _("Theme: %(theme)s (SDG %(number)s: %(goal)s)")
        % {
            "theme": conference.theme,
            "number": conference.goal.number,
            "goal": conference.goal.name,
        }
    )
    lines.append(_("Rules of procedure: %(profile)s") % {"profile": committee.profile.name})
    bench = [
        f"{officer.person.name} ({officer.get_role_display()})"
        for officer in committee.officers.filter(role__in=BENCH_ROLES).select_related("person")
    ]
    if bench:
        lines.append(_("Bench: %(names)s") % {"names": ", ".join(bench)})
    return lines


def minutes_pdf(session: Session, language: str = "en") -> bytes:
    """The minutes of a session as an A4 PDF: heading, roll call, the chronological record,
    and a summary of speeches, motions and votes."""
    font = fonts()
    with translation.override(_language(language)):
        session = Session.objects.select_related(
            "committee__conference__goal",
            "committee__conference__event",
            "committee__profile",
            "agenda_item",
        ).get(pk=session.pk)
        committee = session.committee
        conference = committee.conference
        zone = zone_of(conference)
        styles = _styles()
        names = queries.speaker_names(session)
        minutes = queries.minutes_of(session)
        width = A4[0] - 36 * mm
        story: list[Flowable] = [
            Paragraph(escape(_("Minutes")), styles.small),
            Paragraph(escape(conference.title), styles.title),
            *[Paragraph(escape(line), styles.body) for line in _heading_lines(session)],
        ]

        attendance = dict(session.presences.values_list("seat_id", "attendance"))
        seats = list(committee.seats.select_related("delegation__country"))
        seats.sort(key=lambda seat: str(seat.delegation.country).casefold())
        present = [seat for seat in seats if attendance.get(seat.pk, "absent") != "absent"]
        story += [
            Paragraph(escape(_("Roll call")), styles.heading),
            Paragraph(
                escape(
                    _("%(present)s of %(total)s delegations present.")
                    % {"present": len(present), "total": len(seats)}
                ),
                styles.body,
            ),
            Spacer(0, 4),
            _table(
                [_("Delegation"), _("Status"), _("Attendance")],
                [
                    [
                        str(seat.delegation.country),
                        seat.get_status_display(),
                        _attendance_text(attendance.get(seat.pk, "absent")),
                    ]
                    for seat in seats
                ],
                [width * 0.5, width * 0.25, width * 0.25],
                styles,
            ),
        ]

        story += [
            Paragraph(escape(_("Record of the session")), styles.heading),
            _table(
                [_("Time"), _("Kind"), _("What happened")],
                [
                    [_local(entry.at, zone).strftime("%H:%M:%S"), entry.get_kind_display(), text]
                    for entry, text in minutes
                ],
                [width * 0.12, width * 0.2, width * 0.68],
                styles,
            )
            if minutes
            else Paragraph(escape(_("Nothing was recorded.")), styles.body),
        ]

        story.append(Paragraph(escape(_("Summary")), styles.heading))
        totals = speech_totals((entry for entry, _text in minutes), names)
        story.append(Paragraph(escape(_("Speeches")), styles.head_cell))
        story.append(
            _table(
                [_("Speaker"), _("Speeches"), _("Total speaking time")],
                [
                    [total.name, total.speeches, queries.seconds_text(total.seconds)]
                    for total in totals
                ]
                + [
                    [
                        _("Total"),
                        sum(t.speeches for t in totals),
                        queries.seconds_text(sum(t.seconds for t in totals)),
                    ]
                ],
                [width * 0.5, width * 0.2, width * 0.3],
                styles,
                numeric=(1, 2),
            )
        )

        motions = list(session.motions.select_related("proposer__delegation__country"))
        story += [Spacer(0, 8), Paragraph(escape(_("Motions")), styles.head_cell)]
        story.append(
            _table(
                [_("Motion"), _("Raised by"), _("Outcome")],
                [
                    [
                        " — ".join(
                            part for part in (motion.get_kind_display(), motion.topic) if part
                        ),
                        str(motion.proposer.delegation.country),
                        motion.get_status_display(),
                    ]
                    for motion in motions
                ],
                [width * 0.5, width * 0.25, width * 0.25],
                styles,
            )
            if motions
            else Paragraph(escape(_("No motions were raised.")), styles.body)
        )

        vetoes = {
            entry.ballot_id: entry.data.get("vetoed_by", [])
            for entry, _text in minutes
            if entry.kind == EntryKind.VOTE
        }
        ballots = list(session.ballots.select_related("motion", "draft"))
        story += [Spacer(0, 8), Paragraph(escape(_("Votes")), styles.head_cell)]
        story.append(
            _table(
                [
                    _("Vote on"),
                    _("In favour"),
                    _("Against"),
                    _("Abstaining"),
                    _("Needed"),
                    _("Outcome"),
                ],
                [
                    [
                        _ballot_subject(ballot),
                        ballot.yes,
                        ballot.no,
                        ballot.abstain,
                        "" if ballot.required is None else ballot.required,
                        capfirst(_outcome(ballot, vetoes.get(ballot.pk, []))),
                    ]
                    for ballot in ballots
                ],
                [
                    width * 0.29,
                    width * 0.12,
                    width * 0.11,
                    width * 0.14,
                    width * 0.11,
                    width * 0.23,
                ],
                styles,
                numeric=(1, 2, 3, 4),
            )
            if ballots
            else Paragraph(escape(_("No votes were taken.")), styles.body)
        )

        footer = _("%(conference)s — %(committee)s, session %(number)s") % {
            "conference": conference.title,
            "committee": committee.name,
            "number": session.number,
        }
        page_label = _("page %(number)s")

        def decorate(canvas: Canvas, document: Any) -> None:
            canvas.saveState()
            canvas.setFont(font.regular, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(18 * mm, 10 * mm, footer)
            canvas.drawRightString(
                A4[0] - 18 * mm, 10 * mm, page_label % {"number": canvas.getPageNumber()}
            )
            canvas.restoreState()

        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=_("Minutes: %(session)s") % {"session": footer},
            author=str(conference.edition.programme.owner),
            subject=conference.title,
            pageCompression=1,
        )
        document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


# Certificates


@dataclass(frozen=True)
class CertificatePage:
    """One certificate: who, and the sentence saying what they did."""

    name: str
    statement: str


def _frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(28, 28, width - 56, height - 56)
    canvas.setLineWidth(0.75)
    canvas.rect(36, 36, width - 72, height - 72)


def certificate_pages(conference: Conference, language: str) -> list[CertificatePage]:
    """Every delegate of every committee, then the committees' chairs, moderators and
    rapporteurs, in the active language."""
    when = _day(conference.date)
    facts = {
        "conference": conference.title,
        "date": when,
        "theme": conference.theme,
        "number": conference.goal.number,
    }
    pages: list[CertificatePage] = []
    committees = list(conference.committees.order_by("name"))
    for committee in committees:
        seats = committee.seats.select_related("delegation__country").prefetch_related("delegates")
        for seat in sorted(seats, key=lambda s: str(s.delegation.country).casefold()):
            delegates = sorted(
                seat.delegates.all(), key=lambda p: name_in_script(p, language).casefold()
            )
            for person in delegates:
                pages.append(
                    CertificatePage(
                        name_in_script(person, language),
                        _(
                            "took part as the delegate of %(country)s in the %(committee)s of "
                            "%(conference)s, %(date)s, on %(theme)s (SDG %(number)s)"
                        )
                        % {
                            **facts,
                            "country": seat.delegation.country,
                            "committee": committee.name,
                        },
                    )
                )
    statements: dict[str, Callable[[Committee], str]] = {
        ChairRole.CHAIR: lambda committee: (
            _(
                "chaired the %(committee)s of %(conference)s, %(date)s, on %(theme)s "
                "(SDG %(number)s)"
            )
            % {**facts, "committee": committee.name}
        ),
        ChairRole.MODERATOR: lambda committee: (
            _(
                "moderated the %(committee)s of %(conference)s, %(date)s, on %(theme)s "
                "(SDG %(number)s)"
            )
            % {**facts, "committee": committee.name}
        ),
        ChairRole.RAPPORTEUR: lambda committee: (
            _(
                "served as rapporteur of the %(committee)s of %(conference)s, %(date)s, on "
                "%(theme)s (SDG %(number)s)"
            )
            % {**facts, "committee": committee.name}
        ),
    }
    officers = (
        Officer.objects.filter(committee__in=committees, role__in=BENCH_ROLES)
        .select_related("person", "committee")
        .order_by("committee__name", "role")
    )
    for officer in officers:
        pages.append(
            CertificatePage(
                name_in_script(officer.person, language),
                statements[officer.role](officer.committee),
            )
        )
    return pages


def certificates_pdf(conference: Conference, language: str = "en") -> bytes:
    """One A4 landscape certificate of participation per delegate and per chair, moderator
    or rapporteur of the conference's committees."""
    font = fonts()
    language = _language(language)
    width, height = landscape(A4)
    buffer = io.BytesIO()
    with translation.override(language):
        conference = Conference.objects.select_related("goal", "edition__programme__owner").get(
            pk=conference.pk
        )
        office = str(conference.edition.programme.owner)
        canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
        canvas.setTitle(
            _("Certificates of participation: %(conference)s") % {"conference": conference.title}
        )
        canvas.setAuthor(office)
        statement_style = ParagraphStyle(
            "statement",
            fontName=font.regular,
            fontSize=15,
            leading=21,
            alignment=TA_CENTER,
            textColor=INK,
        )
        goal = _("Sustainable Development Goal %(number)s: %(name)s") % {
            "number": conference.goal.number,
            "name": conference.goal.name,
        }
        pages = certificate_pages(conference, language)
        for page in pages:
            _frame(canvas, width, height)
            centred(canvas, office, height - 90, font.regular, 15, MUTED)
            centred(canvas, _("Certificate of participation"), height - 145, font.bold, 34, ACCENT)
            centred(canvas, _("This is to certify that"), height - 195, font.regular, 14)
            centred(canvas, page.name, height - 240, font.bold, 30)
            paragraph = Paragraph(escape(page.statement), statement_style)
            box = width - 260
            _w, used = paragraph.wrapOn(canvas, box, 200)
            paragraph.drawOn(canvas, (width - box) / 2, height - 272 - used)
            centred(canvas, goal, height - 300 - used, font.regular, 11, MUTED)
            canvas.setFont(font.regular, 11)
            canvas.setFillColor(INK)
            canvas.drawString(70, 92, conference.venue)
            canvas.drawRightString(width - 70, 92, _day(conference.date))
            canvas.showPage()
        if not pages:
            centred(
                canvas,
                _("No delegates or chairs are recorded for this conference."),
                height / 2,
                font.regular,
                16,
            )
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()


# Placards


def _placard_lines(
    text: str, font: str, width: float, largest: float, height: float
) -> tuple[list[str], float]:
    """The name on one line, or on two when that prints it larger, and the font size that
    fits `width` (and two lines in `height`)."""

    def size_for(lines: list[str]) -> float:
        widest = max(pdfmetrics.stringWidth(line, font, 1) for line in lines)
        return min(largest, width / widest, height / (1.15 * len(lines)))

    best = [text]
    words = text.split()
    if len(words) > 1:
        splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
        two = max(splits, key=size_for)
        if size_for(two) > size_for(best) * 1.2:
            best = two
    return best, math.floor(size_for(best) * 2) / 2  # whole half points: never too wide


def _half(
    canvas: Canvas,
    seat: Seat,
    committee: Committee,
    width: float,
    half: float,
    font_regular: str,
    font_bold: str,
) -> None:
    """One side of the tent card, drawn in the lower half of the page, upright."""
    name = str(seat.delegation.country)
    lines, size = _placard_lines(name, font_bold, width - 80, 130, half - 90)
    canvas.setFillColor(INK)
    canvas.setFont(font_bold, size)
    leading, cap_height = 1.15 * size, 0.73 * size
    middle = half / 2 + 10  # a little above the middle: the committee's name sits below
    for index, line in enumerate(lines):
        baseline = middle - cap_height / 2 + ((len(lines) - 1) / 2 - index) * leading
        canvas.drawCentredString(width / 2, baseline, line)
    canvas.setFont(font_regular, 12)
    canvas.setFillColor(MUTED)
    label = committee.name
    if seat.status != SeatStatus.MEMBER:
        label = f"{label} · {seat.get_status_display()}"
    canvas.drawCentredString(width / 2, 36, label)


def placards_pdf(committee: Committee, language: str = "en") -> bytes:
    """One A4 landscape page per seat: the country's name as large as fits, printed twice,
    once upside down, so the page folds along the middle into a tent card."""
    font = fonts()
    width, height = landscape(A4)
    half = height / 2
    buffer = io.BytesIO()
    with translation.override(_language(language)):
        committee = Committee.objects.select_related("conference").get(pk=committee.pk)
        canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
        canvas.setTitle(_("Placards: %(committee)s") % {"committee": committee.name})
        seats = sorted(
            committee.seats.select_related("delegation__country"),
            key=lambda seat: str(seat.delegation.country).casefold(),
        )
        for seat in seats:
            _half(canvas, seat, committee, width, half, font.regular, font.bold)
            canvas.saveState()  # the other side: the same, turned about the page's centre
            canvas.translate(width, height)
            canvas.rotate(180)
            _half(canvas, seat, committee, width, half, font.regular, font.bold)
            canvas.restoreState()
            canvas.setStrokeColor(RULE)
            canvas.setDash(4, 4)
            canvas.setLineWidth(0.5)
            canvas.line(20, half, width - 20, half)
            canvas.showPage()
        if not seats:
            centred(canvas, _("The committee has no seats yet."), half, font.regular, 16)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()
