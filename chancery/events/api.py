"""Events and attendance over JSON, through the same services."""

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.relations import ids_in, linked_ids
from chancery.core.schemas import Bounded, Id, Resolver, text_of
from chancery.directory.models import Organisation
from chancery.directory.queries import people_visible_to
from chancery.events import queries, services
from chancery.events.access import reads_events, writes_events
from chancery.events.models import DEFAULT_TIME_ZONE, Event, validate_time_zone

router = Router(tags=["events"])
Kinds = Literal[
    "lecture",
    "visit",
    "concert",
    "presentation",
    "seminar",
    "conference",
    "roundtable",
    "model_un",
    "ceremony",
    "other",
]


class EventOut(Schema):
    id: int
    edition: int = Field(..., alias="edition_id")
    kind: str
    title: str = Field(..., description="In English")
    title_ru: str
    title_kk: str
    description: str = Field(..., description="In English")
    description_ru: str
    description_kk: str
    starts_at: datetime = Field(..., description="UTC")
    ends_at: datetime = Field(..., description="UTC")
    time_zone: str
    venue: str = Field(..., description="In English")
    venue_ru: str
    venue_kk: str
    public: bool
    hashtag: str
    pairings: list[int]
    organisers: list[int]
    speakers: list[int]

    resolve_title: ClassVar[Resolver] = text_of("title_en")
    resolve_title_ru: ClassVar[Resolver] = text_of("title_ru")
    resolve_title_kk: ClassVar[Resolver] = text_of("title_kk")
    resolve_description: ClassVar[Resolver] = text_of("description_en")
    resolve_description_ru: ClassVar[Resolver] = text_of("description_ru")
    resolve_description_kk: ClassVar[Resolver] = text_of("description_kk")
    resolve_venue: ClassVar[Resolver] = text_of("venue_en")
    resolve_venue_ru: ClassVar[Resolver] = text_of("venue_ru")
    resolve_venue_kk: ClassVar[Resolver] = text_of("venue_kk")

    @staticmethod
    def resolve_pairings(obj: Any) -> list[int]:
        return ids_in(obj.pairing_ids)

    @staticmethod
    def resolve_organisers(obj: Any) -> list[int]:
        return ids_in(obj.organiser_ids)

    @staticmethod
    def resolve_speakers(obj: Any) -> list[int]:
        return ids_in(obj.speaker_ids)


class EventPatch(Schema):
    kind: Kinds | None = None
    title: Annotated[str, Bounded(200)] | None = Field(None, min_length=1, description="In English")
    title_ru: Annotated[str, Bounded(200)] | None = None
    title_kk: Annotated[str, Bounded(200)] | None = None
    description: Annotated[str, Bounded(10000)] | None = Field(None, description="In English")
    description_ru: Annotated[str, Bounded(10000)] | None = None
    description_kk: Annotated[str, Bounded(10000)] | None = None
    starts_at: datetime | None = Field(
        None, description="With an offset, or local time of the event's time zone"
    )
    ends_at: datetime | None = None
    time_zone: Annotated[str, Bounded(64)] | None = None
    venue: Annotated[str, Bounded(300)] | None = Field(None, description="In English")
    venue_ru: Annotated[str, Bounded(300)] | None = None
    venue_kk: Annotated[str, Bounded(300)] | None = None
    public: bool | None = None
    hashtag: Annotated[str, Bounded(100)] | None = None
    pairings: list[Id] | None = Field(None, max_length=100)
    organisers: list[Id] | None = Field(None, max_length=100)
    speakers: list[Id] | None = Field(None, max_length=100)


class EventIn(EventPatch):
    edition: Id
    kind: Kinds
    title: Annotated[str, Bounded(200)] = Field(..., min_length=1, description="In English")
    starts_at: datetime
    ends_at: datetime


class EventFilter(Schema):
    edition: Id | None = None
    kind: Kinds | None = None
    pairing: Id | None = None


class AttendanceIn(Schema):
    person: Id
    attended: bool = True


class AttendanceOut(Schema):
    id: int
    event: int = Field(..., alias="event_id")
    person: int = Field(..., alias="person_id")
    attended: bool
    checked_at: datetime | None


def _prepared(request: HttpRequest, data: dict[str, Any], event: Event | None) -> dict[str, Any]:
    """Ids to records (errors name the field), naive times read in the event's zone."""
    zone = data.get("time_zone") or (event.time_zone if event else DEFAULT_TIME_ZONE)
    try:
        validate_time_zone(zone)
    except ValidationError:
        raise ValidationError({"time_zone": _("Not a known time zone.")}) from None
    for name in ("starts_at", "ends_at"):
        value = data.get(name)
        if value is not None and timezone.is_naive(value):
            data[name] = value.replace(tzinfo=ZoneInfo(zone))
    lookups = {
        "pairings": queries.pairings_visible_to(request.user),
        "organisers": Organisation.objects.all(),
        "speakers": people_visible_to(request.user),
    }
    for name, queryset in lookups.items():
        if data.get(name) is not None:
            data[name] = [resolve(queryset, pk, name) for pk in dict.fromkeys(data[name])]
    return data


def _loaded(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with the ids of their pairings, organisers and speakers (and no edition: the
    answer names it by its id)."""
    return events.select_related(None).annotate(
        pairing_ids=linked_ids(Event, "pairings"),
        organiser_ids=linked_ids(Event, "organisers"),
        speaker_ids=linked_ids(Event, "speakers"),
    )


@router.get("/events", response=list[EventOut], summary="List the events you may see")
@paginate(PagePagination)
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> QuerySet[Event]:
    authorize(request, reads_events)
    return _loaded(
        queries.events_filtered(
            queries.events_visible_to(request.user),
            edition=filters.edition,
            kind=filters.kind or "",
            pairing=filters.pairing,
        )
    )


@router.post("/events", response={201: EventOut}, summary="Record an event")
def create_event(request: HttpRequest, payload: EventIn) -> Status[Event]:
    authorize(request, writes_events)
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    edition = resolve(queries.editions_for_events(request.user), data.pop("edition"), "edition")
    data = _prepared(request, data, None)
    event = services.create_event(actor=request.user, edition=edition, **data)
    return Status(201, _loaded(Event.objects.filter(pk=event.pk)).get())


@router.get("/events/{event_id}", response=EventOut, summary="One event")
def get_event(request: HttpRequest, event_id: Id) -> Event:
    authorize(request, reads_events)
    return get_visible(_loaded(queries.events_visible_to(request.user)), event_id)


@router.patch("/events/{event_id}", response=EventOut, summary="Change an event")
def update_event(request: HttpRequest, event_id: Id, payload: EventPatch) -> Event:
    authorize(request, writes_events)
    event = get_visible(queries.events_visible_to(request.user), event_id)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    data = _prepared(request, data, event)
    services.update_event(actor=request.user, event=event, **data)
    return _loaded(Event.objects.filter(pk=event.pk)).get()


@router.post(
    "/events/{event_id}/attendance",
    response=AttendanceOut,
    summary="Tick a person as present (or not) at an event",
)
def record_attendance(request: HttpRequest, event_id: Id, payload: AttendanceIn) -> Any:
    authorize(request, writes_events)
    event = get_visible(queries.events_visible_to(request.user), event_id)
    person = resolve(services.candidates(event), payload.person, "person")
    return services.record_attendance(
        actor=request.user, event=event, person=person, attended=payload.attended
    )
