"""Draws over JSON: the same lifecycle as the pages, through the same services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from chancery.accounts.access import is_officer
from chancery.core.access import signed_in
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.schemas import Id
from chancery.directory.queries import offices_of
from chancery.draws import queries, services
from chancery.draws.models import Draw
from chancery.draws.schemas import ConductIn, DrawIn, DrawOut, DrawPatch, RedrawIn

router = Router(tags=["draws"])


def _sources(data: dict[str, Any]) -> None:
    if data.get("sources") is not None:
        data["sources"] = [
            {**source, "known_on": source["known_on"].isoformat()}
            if source.get("description")
            else {
                "name": source["name"],
                "form": source["form"],
                "known_on": source["known_on"].isoformat(),
            }
            for source in data["sources"]
        ]


@router.get("/draws", response=list[DrawOut], summary="List draws you may see")
@paginate(PagePagination)
def list_draws(request: HttpRequest) -> QuerySet[Draw]:
    authorize(request, signed_in)
    return queries.draws_visible_to(request.user)


@router.post("/draws", response={201: DrawOut}, summary="Prepare a draft draw")
def create_draw(request: HttpRequest, payload: DrawIn) -> Status[Draw]:
    authorize(request, is_officer)
    data = payload.model_dump()
    owner_id = data.pop("owner")
    offices = offices_of(request.user)
    owner = offices.first() if owner_id is None else resolve(offices, owner_id, "owner")
    if owner is None:
        raise ValidationError({"owner": _("You are not an officer of any office.")})
    _sources(data)
    return Status(201, services.create_draw(actor=request.user, owner=owner, **data))


@router.get("/draws/{draw_id}", response=DrawOut, summary="One draw")
def get_draw(request: HttpRequest, draw_id: Id) -> Draw:
    authorize(request, signed_in)
    return get_visible(queries.draws_visible_to(request.user), draw_id)


@router.patch("/draws/{draw_id}", response=DrawOut, summary="Change a draft")
def update_draw(request: HttpRequest, draw_id: Id, payload: DrawPatch) -> Draw:
    authorize(request, is_officer)
    draw = get_visible(queries.draws_managed_by(request.user), draw_id)
    changes = payload.model_dump(exclude_unset=True)
    _sources(changes)
    return services.update_draw(actor=request.user, draw=draw, **changes)


@router.post(
    "/draws/{draw_id}/announce",
    response=DrawOut,
    summary="Announce: freeze the record and publish its fingerprint",
)
def announce_draw(request: HttpRequest, draw_id: Id) -> Draw:
    authorize(request, is_officer)
    draw = get_visible(queries.draws_managed_by(request.user), draw_id)
    return services.announce_draw(actor=request.user, draw=draw)


@router.post(
    "/draws/{draw_id}/conduct",
    response=DrawOut,
    summary="Conduct: enter the sources' values and compute the result, once",
)
def conduct_draw(request: HttpRequest, draw_id: Id, payload: ConductIn) -> Draw:
    authorize(request, is_officer)
    draw = get_visible(queries.draws_managed_by(request.user), draw_id)
    return services.conduct_draw(actor=request.user, draw=draw, values=payload.values)


@router.post(
    "/draws/{draw_id}/redraw",
    response={201: DrawOut},
    summary="Prepare a re-draw that replaces this draw, with a public reason",
)
def redraw(request: HttpRequest, draw_id: Id, payload: RedrawIn) -> Status[Draw]:
    authorize(request, is_officer)
    draw = get_visible(queries.draws_managed_by(request.user), draw_id)
    return Status(201, services.order_redraw(actor=request.user, draw=draw, reason=payload.reason))
