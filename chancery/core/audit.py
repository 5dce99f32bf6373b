"""Reading the audit trail kept by django-simple-history: who changed what, and when.

Services set the actor on every object they save or delete (`_history_user`), so each
historical row names a user whether the change came from a page, the API or the command line.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    actor: str
    action: str
    subject: str
    changes: tuple[FieldChange, ...]


def _label(model: type[Model], field: str) -> str:
    try:
        return str(getattr(model._meta.get_field(field), "verbose_name", field))
    except Exception:  # a field that is gone from the model since the change
        return field


def _display(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _actor(record: Any) -> str:
    """Who made the change: its user; else whom the model names (a guardian answering a
    link, see directory.models.Consent.audit_actor); else the system."""
    if record.history_user:
        return str(record.history_user)
    named = getattr(record.instance_type, "audit_actor", None)
    return (named(record) if named is not None else "") or str(_("system"))


def entries(records: QuerySet[Any], subject: str | None = None) -> list[AuditEntry]:
    """Audit entries of historical rows, oldest first, each with the fields it changed."""
    result = []
    previous: dict[Any, Any] = {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        model = record.instance_type
        before = previous.get(record.id)
        changes: tuple[FieldChange, ...] = ()
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before)
            changes = tuple(
                FieldChange(_label(model, c.field), _display(c.old), _display(c.new))
                for c in delta.changes
            )
        previous[record.id] = record
        result.append(
            AuditEntry(
                when=record.history_date,
                actor=_actor(record),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                subject=subject or f"{model._meta.verbose_name}: {record.instance}",
                changes=changes,
            )
        )
    return result


def history_of(obj: Model, *related: QuerySet[Any]) -> list[AuditEntry]:
    """The audit trail of one object and of related historical rows, newest first."""
    rows = entries(obj.history.all(), subject=str(obj._meta.verbose_name))  # type: ignore[attr-defined]
    for queryset in related:
        rows.extend(entries(queryset))
    return sorted(rows, key=lambda entry: entry.when, reverse=True)
