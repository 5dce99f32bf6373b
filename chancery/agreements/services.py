"""Writes to agreements: the agreement, its parties, scope, commitments and documents."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chancery.accounts.models import Role
from chancery.agreements import queries
from chancery.agreements.models import (
    MAX_SCOPE_ITEMS,
    Agreement,
    Commitment,
    Document,
    Party,
    ScopeItem,
)
from chancery.core.services import apply_changes as _apply
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.directory.models import Organisation, Person
from chancery.directory.queries import role_holders
from chancery.notifications.services import notify

AGREEMENT_FIELDS = frozenset(
    {
        "title_en",
        "title_ru",
        "title_kk",
        "kind",
        "signed_on",
        "in_force_from",
        "term_months",
        "renewal",
        "terminated_on",
        "summary_en",
        "summary_ru",
        "summary_kk",
        "owner",
    }
)
COMMITMENT_FIELDS = frozenset(
    {"description", "quota", "programme", "citizenship", "counts", "period_start", "period_end"}
)


def _in_english(fields: dict[str, Any]) -> dict[str, Any]:
    """`title` and `summary` alone are the English ones (title_en, summary_en); *_ru and *_kk
    are the others (django-modeltranslation, see translation.py)."""
    fields = dict(fields)
    for name in ("title", "summary"):
        if name in fields:
            fields.setdefault(f"{name}_en", fields.pop(name))
    return fields


def _check_dates(agreement: Agreement) -> None:
    if (
        agreement.in_force_from
        and agreement.signed_on
        and (agreement.in_force_from < agreement.signed_on)
    ):
        raise ValidationError({"in_force_from": _("It cannot come into force before signing.")})
    if (
        agreement.terminated_on
        and agreement.starts_on
        and (agreement.terminated_on < agreement.starts_on)
    ):
        raise ValidationError({"terminated_on": _("It cannot end before it came into force.")})


@transaction.atomic
def create_agreement(
    *,
    actor: Any,
    parties: list[dict[str, Any]] | None = None,
    scope: list[str] | None = None,
    **fields: Any,
) -> Agreement:
    """Record an agreement with its parties (organisation, signatory, title) and scope items."""
    agreement = Agreement()
    _apply(agreement, AGREEMENT_FIELDS, _in_english(fields))
    _check_dates(agreement)
    _check_scope(scope or [])
    _save(agreement, actor)
    for party in parties or []:
        add_party(actor=actor, agreement=agreement, **party)
    for position, text in enumerate(scope or [], start=1):
        _save(ScopeItem(agreement=agreement, position=position, text=text), actor)
    return agreement


@transaction.atomic
def update_agreement(
    *, actor: Any, agreement: Agreement, scope: list[str] | None = None, **changes: Any
) -> Agreement:
    """Change an agreement's fields, e.g. record its termination, and its scope when given."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _apply(agreement, AGREEMENT_FIELDS, _in_english(changes))
    _check_dates(agreement)
    if scope is not None:
        _check_scope(scope)
    _save(agreement, actor)
    if scope is not None:
        set_scope(actor=actor, agreement=agreement, items=scope)
    return agreement


def _check_scope(items: list[str]) -> None:
    """Refuse a scope too long to be an agreement's priorities, naming the field."""
    if len(items) > MAX_SCOPE_ITEMS:
        raise ValidationError(
            {
                "scope": _(
                    "An agreement lists at most %(max)d priorities; this scope has %(count)d lines."
                )
                % {"max": MAX_SCOPE_ITEMS, "count": len(items)}
            }
        )
    limit = ScopeItem._meta.get_field("text").max_length or 0
    for line, text in enumerate(items, start=1):
        if len(text) > limit:
            raise ValidationError(
                {
                    "scope": _("Priority %(line)d is longer than %(max)d characters.")
                    % {"line": line, "max": limit}
                }
            )


@transaction.atomic
def add_party(
    *,
    actor: Any,
    agreement: Agreement,
    organisation: Organisation,
    signatory: Person | None = None,
    signatory_title: str = "",
    signatory_title_ru: str = "",
    signatory_title_kk: str = "",
) -> Party:
    """Add a party that signed the agreement; the signatory's title in English (and in
    Russian and Kazakh when given)."""
    party = Party(
        agreement=agreement,
        organisation=organisation,
        signatory=signatory,
        signatory_title_en=signatory_title,
        signatory_title_ru=signatory_title_ru,
        signatory_title_kk=signatory_title_kk,
    )
    _save(party, actor)
    return party


@transaction.atomic
def remove_party(*, actor: Any, party: Party) -> None:
    """Remove a party recorded by mistake."""
    _delete(party, actor)


@transaction.atomic
def set_scope(*, actor: Any, agreement: Agreement, items: list[str]) -> None:
    """Replace the agreement's list of priorities."""
    _check_scope(items)
    for item in agreement.scope_items.all():
        _delete(item, actor)
    for position, text in enumerate(items, start=1):
        _save(ScopeItem(agreement=agreement, position=position, text=text), actor)


@transaction.atomic
def add_commitment(*, actor: Any, agreement: Agreement, **fields: Any) -> Commitment:
    """Add a measurable commitment; its progress is counted from enrolments."""
    commitment = Commitment(agreement=agreement)
    _apply(commitment, COMMITMENT_FIELDS, fields)
    _save(commitment, actor)
    return commitment


@transaction.atomic
def add_document(*, actor: Any, agreement: Agreement, title: str, file: Any) -> Document:
    """Attach a file (the signed text, an annex)."""
    document = Document(agreement=agreement, title=title, file=file)
    _save(document, actor)
    return document


# Reminders to the officers, sent by the daily schedule (core/schedule.py) and `chancery remind`


def _tell_officers(kind: str, agreement: Agreement, key: str, **context: Any) -> int:
    officers = role_holders([Role.OFFICER], [agreement.owner_id])
    if not officers:
        return 0
    with transaction.atomic():
        return len(
            notify(
                kind=kind,
                recipients=officers,
                office=agreement.owner,
                key=key,
                link=reverse("agreements:detail", args=[agreement.pk]),
                context={"agreement": agreement, **context},
            )
        )


def send_reminders(*, on: date | None = None) -> int:
    """The day's reminders to the officers of each agreement's office, each sent once (by its
    key) however often this runs: a term ending within 90 days (once per term), a commitment
    behind (once a month while it is). Returns how many inbox entries were made."""
    day = on or timezone.localdate()
    made = 0
    for deadline in queries.agreements_ending(day):
        made += _tell_officers(
            "agreement_ending",
            deadline.agreement,
            f"agreement-ending:{deadline.agreement.pk}:{deadline.ends_on.isoformat()}",
            ends_on=deadline.ends_on,
            days_left=deadline.days_left,
        )
    for shortfall in queries.commitments_behind(day):
        commitment = shortfall.progress.commitment
        made += _tell_officers(
            "commitment_behind",
            commitment.agreement,
            f"commitment-behind:{commitment.pk}:{day:%Y-%m}",
            commitment=commitment,
            counted=shortfall.progress.counted,
            expected=shortfall.expected,
            day=day,
            period_start=shortfall.period_start,
            period_end=shortfall.period_end,
        )
    return made
