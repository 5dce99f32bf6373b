"""The header's navigation, written once: each entry names a page, and the page's own access
mark (the predicate its view is marked with, see core/access.py) decides who sees the link,
so a link and its page never disagree. An entry may add a condition of its own (Jobs: only
whoever has jobs), never loosen the page's rule."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chancery.accounts.access import role_names
from chancery.core.access import (
    SELF_GUARDED_NAMESPACES,
    Predicate,
    access_rule,
    admits,
    signed_in,
)
from chancery.site.jobs import jobs_visible_to


def _has_jobs(user: Any) -> bool:
    return jobs_visible_to(user).exists()


def _reviews(user: Any) -> bool:
    """Reviewers of a selection committee (a role read once per request, no query)."""
    return "reviewer" in role_names(user)


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    also: Callable[[Any], bool] | None = None
    # A page of the admin or the API carries no mark (each guards itself): say who it is for.
    guard: Predicate | None = None
    group: str = ""


# The header's groups on a wide screen (each a button opening its links), by the entry's
# `group`; an entry without one is a link of its own.
DIRECTORY = "directory"
SELECTION = "selection"
OFFICE = "office"
GROUP_LABELS = {
    DIRECTORY: _("Directory"),
    SELECTION: _("Selection and draws"),
    OFFICE: _("Reports and tools"),
}
# A header of this many links or fewer (a participant's, a visitor's) shows them all, ungrouped.
UNGROUPED_UP_TO = 7

# In the order the header shows them. Anonymous visitors see the public ones.
ENTRIES = (
    Entry(_("Home"), "home"),
    Entry(_("Programmes"), "programmes:list"),
    Entry(_("Calls"), "calls:list"),
    Entry(_("Events"), "events:list"),
    Entry(_("Model UN"), "mun:conferences"),
    Entry(_("People"), "directory:people", group=DIRECTORY),
    Entry(_("Organisations"), "directory:organisations", group=DIRECTORY),
    Entry(_("Duplicates"), "directory:duplicates", group=DIRECTORY),
    Entry(_("Agreements"), "agreements:list", group=DIRECTORY),
    Entry(_("Accounts"), "accounts:people", group=DIRECTORY),
    Entry(_("Selection"), "selection:index", group=SELECTION),
    Entry(_("My reviews"), "selection:my_reviews", also=_reviews, group=SELECTION),
    Entry(_("Draws"), "draws:list", group=SELECTION),
    Entry(_("Reports"), "reports:index", group=OFFICE),
    Entry(_("Jobs"), "jobs", also=_has_jobs, group=OFFICE),
    Entry(_("API"), "api:openapi-view", guard=signed_in, group=OFFICE),
)


@cache
def page_rule(url_name: str) -> tuple[str, Predicate | None]:
    """The page's address and the predicate its view is marked with (for a self-guarded page
    of the admin or the API, the entry's guard)."""
    url = reverse(url_name)
    match = resolve(url)
    if SELF_GUARDED_NAMESPACES.intersection(match.namespaces):
        guard = next((e.guard for e in ENTRIES if e.url_name == url_name), None)
        return url, guard
    return url, access_rule(match.func)


def may_open(user: Any, url_name: str) -> bool:
    """Whether the page's access mark lets the user in, as the middleware decides it."""
    return admits(page_rule(url_name)[1], user)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    url_name: str
    group: str = ""


def menu_for(user: Any) -> list[Link]:
    """The header's links the user may follow."""
    links = []
    for entry in ENTRIES:
        if not may_open(user, entry.url_name):
            continue
        if entry.also is not None and not entry.also(user):
            continue
        links.append(Link(entry.label, page_rule(entry.url_name)[0], entry.url_name, entry.group))
    return links


@dataclass(frozen=True)
class Section:
    """One place in the header: a link of its own (one link, no label), or a group's label
    and its links."""

    key: str
    label: str | Promise
    links: tuple[Link, ...]

    @property
    def single(self) -> Link | None:
        return self.links[0] if len(self.links) == 1 else None


def sections_of(links: list[Link]) -> list[Section]:
    """The header's links in its places: ungrouped when they are few, otherwise each group
    where its first link would be (a group the user has one link of is that link)."""
    if len(links) <= UNGROUPED_UP_TO:
        return [Section(link.url_name, link.label, (link,)) for link in links]
    sections: list[Section] = []
    for link in links:
        if not link.group:
            sections.append(Section(link.url_name, link.label, (link,)))
        elif all(section.key != link.group for section in sections):
            members = tuple(other for other in links if other.group == link.group)
            sections.append(Section(link.group, GROUP_LABELS[link.group], members))
    return sections
