"""Deletes refused because other records refer to the object: say which, and how many."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class RecordInUse(ProtectedError):
    """A delete a service refused, with a message saying what holds the record and what to do."""

    def __init__(self, message: str, held_by: Iterable[Model]) -> None:
        super().__init__(message, set(held_by))
        self.message = message


def holding(error: ProtectedError | RestrictedError) -> set[Model]:
    """The records that stopped the delete."""
    if isinstance(error, ProtectedError):
        return set(error.protected_objects)
    return set(error.restricted_objects)


def describe(records: Iterable[Model]) -> str:
    """'2 enrolments and 14 attendances': how many records of each kind, the largest first."""
    counts = Counter(type(record) for record in records)
    parts = [
        _("%(count)d %(things)s")
        % {
            "count": count,
            "things": model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural,
        }
        for model, count in sorted(
            counts.items(), key=lambda item: (-item[1], str(item[0]._meta.verbose_name))
        )
    ]
    return get_text_list(parts, _("and"))


def refusal_message(error: ProtectedError | RestrictedError) -> str:
    """What to tell the user about a refused delete: the service's own words, or what holds it."""
    if isinstance(error, RecordInUse):
        return error.message
    held_by = holding(error)
    return ngettext(
        "This record cannot be deleted: %(holders)s refers to it.",
        "This record cannot be deleted: %(holders)s refer to it.",
        len(held_by),
    ) % {"holders": describe(held_by)}
