"""The Model UN documents read back: the minutes as PDF and CSV of a finished session, the
certificates of delegates and chairs, and the placards."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.mun import documents, services
from chancery.mun.models import Officer, Seat, Session
from chancery.mun.tests.factories import Mun

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
START = datetime(2019, 4, 20, 10, 0, tzinfo=ALMATY)


def _finished_session(mun: Mun) -> Session:
    """Roll call, Poland speaks 1:15 and Japan 0:45, a caucus motion passes, a draft
    resolution is adopted with one abstention, and the session closes."""
    chair = mun.chair
    with time_machine.travel(START, tick=False) as clock:
        session = services.open_session(committee=mun.committee, actor=chair)
        pk = session.pk
        clock.shift(timedelta(seconds=30))
        for seat in (mun.poland, mun.japan):
            services.set_attendance(
                session_id=pk, seat_id=seat.pk, attendance="present", actor=chair
            )
            services.add_speaker(session_id=pk, version=None, speaker=seat.key, actor=chair)
        clock.shift(timedelta(minutes=1))
        services.next_speaker(session_id=pk, version=None, actor=chair)
        clock.shift(timedelta(seconds=75))
        services.next_speaker(session_id=pk, version=None, actor=chair)
        clock.shift(timedelta(seconds=45))
        services.end_speech(session_id=pk, version=None, actor=chair)
        clock.shift(timedelta(minutes=1))
        motion = services.raise_motion(
            session_id=pk,
            version=None,
            kind="moderated_caucus",
            proposer_id=mun.japan.pk,
            total_seconds=600,
            speaking_seconds=60,
            topic="Solar power in schools",
            actor=chair,
        )
        services.open_ballot(session_id=pk, version=None, motion_id=motion.pk, actor=chair)
        for seat in (mun.poland, mun.japan):
            services.cast_vote(session_id=pk, seat_id=seat.pk, vote="yes", actor=chair)
        services.close_ballot(session_id=pk, version=None, actor=chair)
        clock.shift(timedelta(minutes=10))
        services.end_caucus(session_id=pk, version=None, actor=chair)
        draft = services.create_draft(
            committee=mun.committee,
            code="DR 1/1",
            title="Solar roofs",
            sponsors=[mun.poland],
            actor=chair,
        )
        services.open_ballot(session_id=pk, version=None, draft_id=draft.pk, actor=chair)
        services.cast_vote(session_id=pk, seat_id=mun.poland.pk, vote="yes", actor=chair)
        services.cast_vote(session_id=pk, seat_id=mun.japan.pk, vote="abstain", actor=chair)
        services.close_ballot(session_id=pk, version=None, actor=chair)
        clock.shift(timedelta(minutes=2))
        services.close_session(session_id=pk, version=None, actor=chair)
    return Session.objects.get(pk=pk)


@pytest.fixture
def finished(harvard: Mun) -> Session:
    return _finished_session(harvard)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # so that spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_minutes_csv_has_a_row_per_entry_in_local_time(finished: Session) -> None:
    rows = _rows(documents.minutes_csv(finished))
    assert rows[0] == ["time (Asia/Almaty)", "kind", "speaker", "seconds", "record"]
    body = rows[1:]
    assert len(body) == finished.minutes.count() == 10
    assert body[0][:2] == ["2019-04-20 10:00:00", "Session opened"]
    assert body[-1][:2] == ["2019-04-20 10:16:30", "Session closed"]
    speeches = [row for row in body if row[1] == "Speech"]
    assert [(row[0], row[2], row[3], row[4]) for row in speeches] == [
        ("2019-04-20 10:02:45", "Poland", "75", "Poland spoke for 1:15."),
        ("2019-04-20 10:03:30", "Japan", "45", "Japan spoke for 0:45."),
    ]
    roll_call = [row for row in body if row[1] == "Roll call"]
    assert [row[4] for row in roll_call] == ["Poland: present.", "Japan: present."]
    votes = [row[4] for row in body if row[1] == "Vote"]
    assert len(votes) == 2
    assert "1 in favour, 0 against, 1 abstaining" in votes[1]


def test_a_formula_in_the_minutes_is_neutralised(finished: Session) -> None:
    finished.minutes.filter(kind="motion").update(text='=HYPERLINK("http://x")')
    motion_row = next(
        row for row in _rows(documents.minutes_csv(finished)) if row[1] == "Motion raised"
    )
    assert motion_row[4].startswith("Japan moved")  # the described text starts with words
    caucus = finished.minutes.get(kind="caucus")
    caucus.speaker = "=cmd|' /C calc'!A0"
    caucus.save()
    caucus_row = next(row for row in _rows(documents.minutes_csv(finished)) if row[1] == "Caucus")
    assert caucus_row[2] == "'=cmd|' /C calc'!A0"


def test_the_minutes_pdf_holds_roll_call_record_and_summary(finished: Session) -> None:
    pdf = documents.minutes_pdf(finished)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4 portrait
    text = "\n".join(_pages(pdf))
    for expected in (
        "Final meeting",
        "General Assembly",
        "Session 1",
        "Energy for every school",
        "Harvard",
        "Future Energy",
        "SDG 7",
        "Dana Chairova",
        "Roll call",
        "2 of 2 delegations present.",
        "Poland",
        "Japan",
        "10:02:45",
        "Poland spoke for 1:15.",
        "Japan spoke for 0:45.",
        "Moderated caucus",
        "Solar power in schools",
        "Solar roofs",
    ):
        assert expected in text, expected
    summary = " ".join(text[text.index("Summary") :].split())  # the cells row by row
    assert "Japan 1 0:45 Poland 1 1:15 Total 2 2:00" in summary
    assert "Moderated caucus — Solar power in schools Japan Passed" in summary
    assert "Moderated caucus 2 0 0 2 Passed" in summary  # yes, no, abstain, needed
    assert "DR 1/1 Solar roofs 1 0 1 1 Passed" in summary


def test_long_minutes_run_over_several_pages_with_the_header_repeated(finished: Session) -> None:
    entry = finished.minutes.get(
        kind="speech", speaker=finished.committee.seats.get(delegation__country__alpha2="PL").key
    )
    for offset in range(1, 120):
        entry.pk = None
        entry.at = entry.at + timedelta(seconds=offset)
        entry.save()
    pages = _pages(documents.minutes_pdf(finished))
    assert len(pages) >= 3
    assert all(f"page {number}" in page for number, page in enumerate(pages, start=1))
    assert sum("What happened" in page for page in pages) >= 2
    assert "Poland 120 150:00" in " ".join(" ".join(pages).split())


def test_certificates_have_a_page_per_delegate_and_chair(harvard: Mun) -> None:
    delegates = [
        (person.latin_name, str(seat.delegation.country))
        for seat in Seat.objects.filter(committee=harvard.committee)
        for person in seat.delegates.all()
    ]
    assert len(delegates) == 2
    assert Officer.objects.filter(committee=harvard.committee, role="chair").count() == 1
    pdf = documents.certificates_pdf(harvard.conference)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(delegates) + 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    pages = [" ".join(text.split()) for text in _pages(pdf)]
    for name, country in delegates:
        page = next(page for page in pages if name in page)
        assert (
            f"took part as the delegate of {country} in the General Assembly of "
            "Final meeting" in page
        )
        assert "Future Energy (SDG 7)" in page
    chair_page = next(page for page in pages if "Dana Chairova" in page)
    assert "chaired the General Assembly of Final meeting" in chair_page
    assert "delegate" not in chair_page


def test_placards_have_a_page_per_seat_with_the_country(harvard: Mun) -> None:
    pdf = documents.placards_pdf(harvard.committee)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == harvard.committee.seats.count() == 2
    texts = _pages(pdf)
    assert sorted(page for page in ("Japan", "Poland") for text in texts if page in text) == [
        "Japan",
        "Poland",
    ]
    assert all("General Assembly" in text for text in texts)


def test_a_long_country_name_is_fitted_on_two_lines() -> None:
    font = documents.fonts().bold
    name = "Saint Vincent and the Grenadines"
    lines, size = documents._placard_lines(name, font, 760, 130, 200)
    assert len(lines) == 2 and " ".join(lines) == name
    assert size > 1.2 * 760 / stringWidth(name, font, 1)  # larger than on one line
    assert max(stringWidth(line, font, size) for line in lines) <= 760
    short, big = documents._placard_lines("Japan", font, 760, 130, 200)
    assert short == ["Japan"] and big == 130


def test_russian_documents_print_cyrillic_country_and_person_names(
    harvard: Mun, finished: Session
) -> None:
    pupil = harvard.outreach.pupil
    directory.update_person(
        actor=SYSTEM, person=pupil, given_name_cyrl="Аружан", family_name_cyrl="Аружанова"
    )
    placards = "\n".join(_pages(documents.placards_pdf(harvard.committee, "ru")))
    assert "Польша" in placards and "Япония" in placards
    minutes = "\n".join(_pages(documents.minutes_pdf(finished, "ru")))
    assert "Польша" in minutes and "Япония" in minutes
    csv_text = documents.minutes_csv(finished, "ru")
    assert "Польша" in csv_text
    certificates = " ".join(
        " ".join(_pages(documents.certificates_pdf(harvard.conference, "ru"))).split()
    )
    assert "Аружан Аружанова" in certificates
    assert "Aruzhan" not in certificates
    english = " ".join(" ".join(_pages(documents.certificates_pdf(harvard.conference))).split())
    assert "Aruzhan Aruzhanova" in english and "Аружан" not in english
