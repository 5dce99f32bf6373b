"""The design system's template tags (see /styleguide/):

- `{% status_tag value label %}`: a record's status as a coloured tag, its tone read from the
  status's value (one table for every kind of record below);
- `{% sort_header sorting key %}`: a sortable column's heading (core/sorting.py);
- `{% empty_state sentence action_label action_url %}`: an empty list's sentence and next step;
- `{% breadcrumbs label url … current %}`: where the page sits.
"""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chancery.core.sorting import SORT_PARAMETER, Sorting

register = template.Library()

# The tone of each status, by its stored value, whatever the record: a tag says good, waiting,
# bad, news or nothing in colour (and in its word, which is what it reads).
GOOD = "good"
WAITING = "warn"
BAD = "bad"
NEWS = "info"
TONES = {
    # enrolments, placements, applications, invitations, jobs
    "eligible": GOOD,
    "selected": GOOD,
    "placed": GOOD,
    "active": GOOD,
    "completed": GOOD,
    "submitted": GOOD,
    "accepted": GOOD,
    "succeeded": GOOD,
    "applied": WAITING,
    "planned": WAITING,
    "pending": WAITING,
    "queued": WAITING,
    "running": WAITING,
    "ineligible": BAD,
    "cancelled": BAD,
    "revoked": BAD,
    "failed": BAD,
    # agreements (an agreement in force whose term ends soon is "ending")
    "in_force": GOOD,
    "ending": WAITING,
    "expired": BAD,
    "terminated": BAD,
    # draws and allocation rounds
    "announced": NEWS,
    "conducted": GOOD,
    "previewed": WAITING,
    "committed": GOOD,
    "rolled_back": BAD,
    # Model UN
    "open": NEWS,
    "voting": NEWS,
    "passed": GOOD,
    "granted": GOOD,
    "denied": BAD,
}


def tone_of(value: Any) -> str:
    """The tag's tone for a status value ("" for a neutral one: draft, withdrawn, closed)."""
    return TONES.get(str(value), "")


@register.simple_tag
def status_tag(value: Any, label: Any, element_id: str = "") -> SafeString:
    """`<span class="tag badge good" data-status="in_force">In force</span>`."""
    tone = tone_of(value)
    classes = f"tag badge {tone}".strip()
    if element_id:
        return format_html(
            '<span class="{}" id="{}" data-status="{}">{}</span>', classes, element_id, value, label
        )
    return format_html('<span class="{}" data-status="{}">{}</span>', classes, value, label)


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, sorting: Sorting, key: str) -> SafeString:
    """A sortable column's <th>: a link sorting by it (reversed when it is the sorted one),
    with aria-sort on the sorted column; the query's other parameters stay, the page resets."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    query[SORT_PARAMETER] = sorting.parameter_for(key)
    direction = sorting.direction(key)
    label = sorting.column(key).label
    link = format_html('<a class="sort" href="?{}">{}</a>', query.urlencode(), label)
    if direction:
        return format_html('<th scope="col" aria-sort="{}">{}</th>', direction, link)
    return format_html('<th scope="col">{}</th>', link)


@register.simple_tag
def empty_state(sentence: Any, action_label: Any = "", action_url: Any = "") -> SafeString:
    """An empty list's place: a sentence saying what would be here, and the next action (a
    link) when the reader can take one: `{% empty_state _("No draws yet.") label url %}`."""
    if action_label and action_url:
        return format_html(
            '<div class="empty"><p>{}</p><p><a class="button secondary" href="{}">{}</a></p></div>',
            sentence,
            action_url,
            action_label,
        )
    return format_html('<div class="empty"><p>{}</p></div>', sentence)


@register.simple_tag
def breadcrumbs(*trail: Any) -> SafeString:
    """Where the page sits: `{% breadcrumbs label url label url … current %}`, each pair a
    link up the way, the last the page itself (aria-current)."""
    *pairs, current = trail
    links = [
        format_html('<li><a href="{}">{}</a></li>', url, label)
        for label, url in zip(pairs[::2], pairs[1::2], strict=True)
    ]
    items = SafeString("".join(links)) + format_html('<li aria-current="page">{}</li>', current)
    return format_html(
        '<nav class="breadcrumbs" aria-label="{}"><ol>{}</ol></nav>', _("Breadcrumb"), items
    )
