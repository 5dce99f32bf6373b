"""The draw verifier's findings in the reader's language (see chancery.core.wording).

lottery.py stays one standard-library file the public downloads, so its findings are
:class:`lottery.Problem` strings (the English) with a code and values; this table words them
for the pages.  A finding's ``detail`` (why a part of the record could not be read) is the
verifier's own English, shown as a quotation after the translated sentence."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chancery.core import wording
from chancery.core.messages import Message
from chancery.draws import lottery

FINDINGS: Mapping[str, Any] = {
    "not_an_object": gettext_lazy("The record is not a JSON object."),
    "invalid_announcement": gettext_lazy("The announcement in the record cannot be read."),
    "missing_field": gettext_lazy("The record has no field “%(field)s”."),
    "fingerprint_mismatch": gettext_lazy(
        "The fingerprint does not match: the announced lists, sources and algorithm give "
        "%(computed)s, but the record states %(recorded)s. The lists or sources were changed "
        "after the announcement, or the fingerprint was altered."
    ),
    "list_unreadable": gettext_lazy("The list “%(list)s” cannot be read."),
    "list_not_canonical": gettext_lazy(
        "The list “%(list)s” is not written in its canonical form (each entry normalised "
        "with single spaces, the entries sorted)."
    ),
    "source_known_early": gettext_lazy(
        "The value of the source “%(source)s” was known on %(known_on)s, not after the "
        "announcement on %(announced_on)s."
    ),
    "not_drawn": gettext_lazy("The record has no values: the draw has not been made yet."),
    "missing_conducted_at": gettext_lazy(
        "The record does not say when the draw was conducted (a version %(version)s record must)."
    ),
    "invalid_conducted_at": gettext_lazy("The time the draw was conducted cannot be read."),
    "conducted_early": gettext_lazy(
        "The draw was conducted on %(day)s, before the value of %(sources)s was public: "
        "whoever conducted it could have chosen the values."
    ),
    "invalid_values": gettext_lazy("The values of the sources cannot be read."),
    "key_mismatch": gettext_lazy(
        "The key does not match: the published values give the key %(computed)s, but the "
        "record states %(recorded)s."
    ),
    "cannot_recompute": gettext_lazy("The result cannot be computed again."),
    "result_not_list": gettext_lazy("The record's result is not a list."),
    "result_mismatch": gettext_lazy(
        "The result does not match what the published lists and values give: %(difference)s."
    ),
    "difference_at": gettext_lazy(
        "at position %(position)s the record has %(recorded)s but the draw gives %(computed)s"
    ),
    "difference_count": gettext_lazy(
        "the record lists %(recorded_count)s entries but the draw gives %(computed_count)s"
    ),
}


def problem(found: lottery.Problem | str) -> str:
    """One finding of lottery.verify_record in the active language."""
    if not isinstance(found, lottery.Problem):
        return str(found)
    params: dict[str, Any] = dict(found.params)  # the verifier's JSON-shaped values
    words: dict[str, object] = {}
    for key in ("known_on", "announced_on", "day"):
        if key in params:
            words[key] = wording.day(str(params[key]))
    if found.code == "conducted_early":
        words["sources"] = wording.both(
            [
                _("“%(source)s” (known on %(day)s)") % {"source": name, "day": wording.day(day)}
                for name, day in params.get("sources", ())
            ]
        )
    if found.code == "result_mismatch":
        difference = dict(params.get("difference") or {})
        key = "difference_at" if "position" in difference else "difference_count"
        words["difference"] = str(FINDINGS[key]) % difference
    sentence = wording.render(Message(found.code, params, str(found)), FINDINGS, words)
    if params.get("detail"):
        sentence += " " + _("The verifier says: “%(detail)s”.") % {"detail": params["detail"]}
    return sentence


# lottery's refusals of what an officer enters: a list's entries, a source's value
ENTRY_ERRORS: Mapping[str, Any] = {
    "comma_in_number": gettext_lazy(
        "%(source)s: “%(value)s” has a comma between digits; write "
        "decimals with a point and separate the numbers with "
        "spaces."
    ),
    "no_numbers": gettext_lazy("%(source)s: no numbers given."),
    "negative_number": gettext_lazy("%(source)s: “%(value)s”: negative numbers are not allowed."),
    "not_a_number": gettext_lazy(
        "%(source)s: “%(value)s” is not a number (digits, with a point for decimals)."
    ),
    "no_letters": gettext_lazy("%(source)s: “%(value)s” contains no letters or digits."),
    "blank_entry": gettext_lazy("%(list)s: entry %(position)s is blank."),
    "duplicate_entry": gettext_lazy("%(list)s: “%(entry)s” appears twice (as “%(same_as)s”)."),
    "empty_list": gettext_lazy("%(list)s is empty."),
}

_LISTS = {
    "pool": gettext_lazy("The pool"),
    "left": gettext_lazy("The left list"),
    "right": gettext_lazy("The right list"),
}


def draw_error(error: lottery.DrawError) -> str:
    """A refusal of what an officer entered, in the active language (else lottery's English)."""
    if not error.code:
        return str(error)
    params = dict(error.params)
    words: dict[str, object] = {}
    if "list" in params:
        words["list"] = _LISTS.get(str(params["list"]), params["list"])
    if "source" in params:
        words["source"] = params["source"] or _("The value")
    return wording.render(Message(error.code, params, str(error)), ENTRY_ERRORS, words)


# The names of a pairing's two lists that Chancery writes itself (an outreach edition's
# pairing draw, the demo): stored in English in the draw's record, like the engine's codes,
# and named on the pages in the reader's language. A name an organiser typed is their content
# and is shown as typed.
LIST_LABELS: Mapping[str, Any] = {
    "Schools": gettext_lazy("Schools"),
    "Embassies": gettext_lazy("Embassies"),
}
_UNNAMED = {"left": gettext_lazy("Left list"), "right": gettext_lazy("Right list")}


@cache
def _label_keys() -> dict[str, str]:
    """Each of our list names as it reads in every language, to its English key: a pairing
    draw prepared before the names were stored in English holds them in its preparer's
    language (“Школы”), and is named in the reader's all the same."""
    keys = {}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            keys.update({str(label).casefold(): key for key, label in LIST_LABELS.items()})
    return keys


def list_label(stored: str, side: str) -> str:
    """The name of a pairing's `side` ("left" or "right") list in the active language."""
    if not stored.strip():
        return str(_UNNAMED[side])
    key = _label_keys().get(stored.strip().casefold())
    return str(LIST_LABELS[key]) if key else stored
