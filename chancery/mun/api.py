"""Model UN over JSON: the conferences a caller may see, and a session's live state (what the
projector shows), for scoreboards and other screens."""

from datetime import date
from typing import Any, ClassVar

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chancery.core.api_support import PagePagination, authorize, get_visible
from chancery.core.schemas import Resolver, text_of
from chancery.mun import queries
from chancery.mun.models import Conference, Session
from chancery.mun.views import reads_mun

router = Router(tags=["model un"])


class ConferenceOut(Schema):
    id: int
    edition: int
    title: str = Field(..., description="In English")
    title_ru: str
    title_kk: str
    date: date
    venue: str
    theme: str = Field(..., description="In English")
    theme_ru: str
    theme_kk: str
    goal: int
    committees: list[str] = Field(..., description="Their names in English")
    committees_ru: list[str] = Field(..., description="The same names in Russian, '' if none")
    committees_kk: list[str] = Field(..., description="The same names in Kazakh, '' if none")

    resolve_title: ClassVar[Resolver] = text_of("title_en")
    resolve_title_ru: ClassVar[Resolver] = text_of("title_ru")
    resolve_title_kk: ClassVar[Resolver] = text_of("title_kk")
    resolve_theme: ClassVar[Resolver] = text_of("theme_en")
    resolve_theme_ru: ClassVar[Resolver] = text_of("theme_ru")
    resolve_theme_kk: ClassVar[Resolver] = text_of("theme_kk")

    @staticmethod
    def resolve_edition(obj: Conference) -> int:
        return obj.edition_id

    @staticmethod
    def resolve_goal(obj: Conference) -> int:
        return obj.goal_id

    @staticmethod
    def resolve_committees(obj: Conference) -> list[str]:
        return [c.name_en or "" for c in obj.committees.all()]

    @staticmethod
    def resolve_committees_ru(obj: Conference) -> list[str]:
        return [c.name_ru or "" for c in obj.committees.all()]

    @staticmethod
    def resolve_committees_kk(obj: Conference) -> list[str]:
        return [c.name_kk or "" for c in obj.committees.all()]


class SeatOut(Schema):
    delegation: str
    status: str
    veto: bool
    attendance: str
    vote: str | None


class SessionOut(Schema):
    id: int
    committee: str = Field(..., description="Its name in English")
    committee_ru: str
    committee_kk: str
    number: int
    status: str
    version: int
    topic: str = Field(..., description="The agenda item in English, '' if none")
    topic_ru: str
    topic_kk: str
    speaker: str | None
    speech_seconds_left: int | None
    timer_running: bool
    speakers_list: list[str]
    quorum: bool
    seats: list[SeatOut]
    pending_motions: list[str]
    vote_open: bool
    tally: dict[str, int] | None
    last_result: str


@router.get("/mun/conferences", response=list[ConferenceOut])
@paginate(PagePagination)
def list_conferences(request: HttpRequest) -> Any:
    authorize(request, reads_mun)
    return queries.conferences_visible_to(request.user).prefetch_related("committees")


def _visible_session(request: HttpRequest, pk: int) -> Session:
    conferences = queries.conferences_visible_to(request.user)
    return get_visible(
        Session.objects.select_related(
            "committee__profile",
            "committee__conference",
            "agenda_item",
            "last_ballot__motion",
            "last_ballot__draft",
        ).filter(committee__conference__in=conferences),
        pk,
    )


@router.get("/mun/sessions/{pk}", response=SessionOut)
def get_session(request: HttpRequest, pk: int) -> dict[str, Any]:
    authorize(request, reads_mun)
    session = _visible_session(request, pk)
    state = queries.session_state(session)
    ballot = state.ballot
    item = session.agenda_item
    return {
        "id": session.pk,
        "committee": session.committee.name_en or "",
        "committee_ru": session.committee.name_ru or "",
        "committee_kk": session.committee.name_kk or "",
        "number": session.number,
        "status": session.status,
        "version": session.version,
        "topic": (item.title_en or "") if item else "",
        "topic_ru": (item.title_ru or "") if item else "",
        "topic_kk": (item.title_kk or "") if item else "",
        "speaker": state.speaker,
        "speech_seconds_left": state.speech.remaining if state.speech else None,
        "timer_running": bool(state.speech and state.speech.running),
        "speakers_list": [name for _key, name in state.queue],
        "quorum": state.quorum["debate"].met,
        "seats": [
            {
                "delegation": row.name,
                "status": row.seat.status,
                "veto": row.seat.veto,
                "attendance": row.attendance,
                "vote": row.vote,
            }
            for row in state.rows
        ],
        "pending_motions": [p.motion.get_kind_display() for p in state.motions],
        "vote_open": ballot is not None,
        "tally": {"yes": ballot.yes, "no": ballot.no, "abstain": ballot.abstain}
        if ballot
        else None,
        "last_result": state.last_outcome,
    }
