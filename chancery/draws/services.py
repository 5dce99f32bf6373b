"""Writes to draws: create and edit a draft, announce it, conduct it once, order a re-draw.

The arithmetic lives in lottery.py (pure, published); these functions only keep the
lifecycle: a draft changes freely, an announced draw never changes again, a conducted draw
was conducted exactly once, and a re-draw is a new draw that points at the old one.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chancery.core.formats.days import day_text
from chancery.core.services import delete
from chancery.core.services import save as _save
from chancery.directory.models import Organisation
from chancery.draws import lottery, wording
from chancery.draws.models import Draw, DrawKind, DrawStatus

DRAFT_FIELDS = frozenset(
    {
        "title",
        "edition",
        "kind",
        "algorithm",
        "pool",
        "k",
        "left",
        "right",
        "left_label",
        "right_label",
        "sources",
    }
)


def _canonical(entries: Any, field: str) -> list[str]:
    if not isinstance(entries, list | tuple):
        raise ValidationError({field: _("Give a list of entries.")})
    try:
        return lottery.canonical_pool([str(entry) for entry in entries], field)
    except lottery.DrawError as error:
        raise ValidationError({field: wording.draw_error(error)}) from None


def _check_draft(draw: Draw) -> None:
    """Canonicalise the lists and check that the draft could be announced as it stands."""
    if draw.kind == DrawKind.PAIR:
        draw.left = _canonical(draw.left, "left") if draw.left else []
        draw.right = _canonical(draw.right, "right") if draw.right else []
        draw.pool, draw.k = [], None
    else:
        draw.pool = _canonical(draw.pool, "pool") if draw.pool else []
        draw.left, draw.right = [], []
        if draw.kind == DrawKind.ORDER:
            draw.k = None
        elif draw.k is not None and draw.pool and draw.k > len(draw.pool):
            raise ValidationError(
                {
                    "k": _("Cannot select %(k)s from a pool of %(n)s.")
                    % {"k": draw.k, "n": len(draw.pool)}
                }
            )
    if not isinstance(draw.sources, list):
        raise ValidationError({"sources": _("Give a list of entropy sources.")})
    try:
        for source in draw.sources:
            lottery.EntropySource(**source)
    except (TypeError, lottery.DrawError) as error:
        raise ValidationError({"sources": str(error)}) from None


def _announcement(draw: Draw, on: date) -> lottery.Announcement:
    return lottery.Announcement(
        kind=draw.kind,
        sources=tuple(lottery.EntropySource(**source) for source in draw.sources),
        algorithm=draw.algorithm,
        pool=tuple(draw.pool),
        k=draw.k,
        left=tuple(draw.left),
        right=tuple(draw.right),
        title=draw.title,
        announced_on=on.isoformat(),
    )


def _locked(draw: Draw) -> Draw:
    # Row lock on PostgreSQL; on SQLite the IMMEDIATE transaction already serialises writers.
    return Draw.objects.select_for_update().get(pk=draw.pk)


@transaction.atomic
def create_draw(*, actor: Any, owner: Organisation, **fields: Any) -> Draw:
    """Create a draft draw; its lists are stored in canonical order."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    draw = Draw(owner=owner, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    _check_draft(draw)
    _save(draw, actor)
    return draw


@transaction.atomic
def update_draw(*, actor: Any, draw: Draw, **changes: Any) -> Draw:
    """Change a draft; an announced draw is frozen."""
    draw = _locked(draw)
    if draw.status != DrawStatus.DRAFT:
        raise ValidationError(_("This draw is announced: nothing in it can change any more."))
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in changes.items():
        setattr(draw, name, value)
    _check_draft(draw)
    _save(draw, actor)
    return draw


@transaction.atomic
def delete_draft(*, actor: Any, draw: Draw) -> None:
    """Delete a draft that was never announced."""
    draw = _locked(draw)
    if draw.status != DrawStatus.DRAFT:
        raise ValidationError(_("An announced draw stays on record forever."))
    delete(draw, actor)


@transaction.atomic
def announce_draw(*, actor: Any, draw: Draw, on: date | None = None) -> Draw:
    """Freeze the draft into its published record and fingerprint."""
    draw = _locked(draw)
    if draw.status != DrawStatus.DRAFT:
        raise ValidationError(_("This draw is already announced."))
    day = on or timezone.localdate()
    try:
        record = lottery.announce(_announcement(draw, day))
    except lottery.DrawError as error:
        raise ValidationError(str(error)) from None
    problems = [source["name"] for source in draw.sources if source["known_on"] <= day.isoformat()]
    if problems:
        raise ValidationError(
            {
                "sources": _(
                    "Every source must become known after the announcement (%(day)s): %(names)s."
                )
                % {"day": day.isoformat(), "names": ", ".join(problems)}
            }
        )
    draw.record = record
    draw.fingerprint = str(record["fingerprint"])
    draw.status = DrawStatus.ANNOUNCED
    draw.announced_at = timezone.now()
    _save(draw, actor)
    return draw


def _check_sources_known(draw: Draw, moment: datetime) -> None:
    """Refuse to conduct before every announced source's value is public.

    The day is judged in the office's time zone. Offices keep no time zone of their own, so
    that is settings.TIME_ZONE (Django's local time), the zone the record's conducted_at is
    written in; lottery.py applies the same rule to that timestamp when it verifies.
    """
    sources = lottery.Announcement.from_record(draw.published).sources
    waiting = lottery.sources_not_known_on(sources, moment.date())
    if waiting:
        raise ValidationError(
            _(
                "The draw cannot be conducted before the values of its sources are public: "
                "%(sources)s. Conduct it on %(day)s or later."
            )
            % {
                "sources": ", ".join(
                    _("%(name)s (known on %(day)s)")
                    % {"name": source.name, "day": day_text(source.known_on)}
                    for source in waiting
                ),
                "day": day_text(max(source.known_on for source in waiting)),
            }
        )


@transaction.atomic
def conduct_draw(*, actor: Any, draw: Draw, values: list[str], at: datetime | None = None) -> Draw:
    """Enter the sources' values and compute the result; once, and not before they are public.

    `at` is when it is conducted (now unless given: the demo replays a past draw).
    """
    draw = _locked(draw)
    if draw.status == DrawStatus.DRAFT:
        raise ValidationError(_("Announce the draw before conducting it."))
    if draw.status == DrawStatus.CONDUCTED:
        raise ValidationError(_("This draw was already conducted; order a re-draw instead."))
    moment = timezone.localtime(at or timezone.now())
    _check_sources_known(draw, moment)
    try:
        record = lottery.complete_record(
            draw.published, [str(value) for value in values], conducted_at=moment
        )
    except lottery.DrawError as error:
        raise ValidationError({"values": wording.draw_error(error)}) from None
    draw.record = record
    draw.status = DrawStatus.CONDUCTED
    draw.conducted_at = moment
    _save(draw, actor)
    return draw


@transaction.atomic
def order_redraw(*, actor: Any, draw: Draw, reason: str) -> Draw:
    """Start a new draft draw that replaces `draw`, with a mandatory public reason."""
    draw = _locked(draw)
    if draw.status == DrawStatus.DRAFT:
        raise ValidationError(_("A draft can simply be edited; a re-draw is for announced draws."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the public reason for the re-draw.")})
    redraw = Draw(
        owner=draw.owner,
        title=draw.title,
        edition=draw.edition,
        kind=draw.kind,
        algorithm=draw.algorithm,
        pool=draw.pool,
        k=draw.k,
        left=draw.left,
        right=draw.right,
        left_label=draw.left_label,
        right_label=draw.right_label,
        sources=[],
        redraw_of=draw,
        redraw_reason=reason.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(redraw, actor)
    return redraw
