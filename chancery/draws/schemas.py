"""API shapes of draws."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import model_validator

from chancery.core.schemas import Bounded, Id, unset

Entry = Annotated[str, Bounded(300)]


class SourceIn(Schema):
    name: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    form: Literal["numbers", "text"]
    known_on: date
    description: Annotated[str, Bounded(500)] = ""


class DrawIn(Schema):
    title: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    kind: Literal["pair", "select", "order"]
    algorithm: Literal["sha256", "rfc3797-md5"] = "sha256"
    pool: list[Entry] = Field(default_factory=list, max_length=1_000_000)
    k: int | None = Field(None, ge=0, le=1_000_000)
    left: list[Entry] = Field(default_factory=list, max_length=100_000)
    right: list[Entry] = Field(default_factory=list, max_length=100_000)
    left_label: Annotated[str, Bounded(60)] = ""
    right_label: Annotated[str, Bounded(60)] = ""
    sources: list[SourceIn] = Field(default_factory=list, max_length=10)
    owner: Id | None = Field(None, description="Organising office; default: yours")


class DrawPatch(Schema):
    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # ninja's Schema reads any object by its attributes, so `[]` would be "no changes";
        # its own validator has already wrapped the body (DjangoGetter keeps it in `_obj`).
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError(_("The body must be a JSON object with the fields to change."))
        return data

    title: Annotated[str, Bounded(200)] = unset(min_length=1)
    kind: Literal["pair", "select", "order"] = unset()
    algorithm: Literal["sha256", "rfc3797-md5"] = unset()
    pool: list[Entry] = unset(max_length=1_000_000)
    k: int | None = Field(None, ge=0, le=1_000_000)
    left: list[Entry] = unset(max_length=100_000)
    right: list[Entry] = unset(max_length=100_000)
    left_label: Annotated[str, Bounded(60)] = unset()
    right_label: Annotated[str, Bounded(60)] = unset()
    sources: list[SourceIn] = unset(max_length=10)


class ConductIn(Schema):
    values: list[Annotated[str, Bounded(2000)]] = Field(
        ..., min_length=1, max_length=10, description="One value per announced source, in order"
    )


class RedrawIn(Schema):
    reason: Annotated[str, Bounded(2000)] = Field(..., min_length=1)


class DrawOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    algorithm: str
    owner: int = Field(..., alias="owner_id")
    pool: list[str]
    k: int | None
    left: list[str]
    right: list[str]
    left_label: str
    right_label: str
    sources: list[dict[str, Any]]
    fingerprint: str
    record: dict[str, Any] | None
    redraw_of: int | None = Field(None, alias="redraw_of_id")
    redraw_reason: str
    announced_at: datetime | None
    conducted_at: datetime | None
