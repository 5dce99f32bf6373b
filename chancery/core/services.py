"""The write helpers every app's services share: one way to validate, save and audit."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from chancery.core.actors import recorded_user


def audit_as(obj: Model, actor: Any) -> None:
    """Name the actor of the object's next audit row (the system is recorded as no user)."""
    obj._history_user = recorded_user(actor)  # type: ignore[attr-defined]  # simple-history


def save(obj: Model, actor: Any, *, fields: list[str] | None = None) -> None:
    """Validate the object, then save it with the actor recorded in the audit trail.

    `fields` (a hot path): validate and write only these; the history row still holds the
    whole object.
    """
    if fields is None:
        obj.full_clean()
    else:
        obj.full_clean(exclude=[f.name for f in obj._meta.concrete_fields if f.name not in fields])
    audit_as(obj, actor)
    obj.save(update_fields=fields)


def delete(obj: Model, actor: Any) -> None:
    """Delete with the actor recorded in the audit trail."""
    audit_as(obj, actor)
    obj.delete()


def apply_changes(obj: Model, allowed: frozenset[str], changes: dict[str, Any]) -> None:
    """Set the given fields, refusing any the caller may not change (named in the error)."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in changes.items():
        setattr(obj, name, value)
