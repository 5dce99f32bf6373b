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


# In the order the header shows them. Anonymous visitors see the public ones.
ENTRIES = (
    Entry(_("Home"), "home"),
    Entry(_("Programmes"), "programmes:list"),
    Entry(_("Calls"), "calls:list"),
    Entry(_("Events"), "events:list"),
    Entry(_("Model UN"), "mun:conferences"),
    Entry(_("Agreements"), "agreements:list"),
    Entry(_("People"), "directory:people"),
    Entry(_("Organisations"), "directory:organisations"),
    Entry(_("Duplicates"), "directory:duplicates"),
    Entry(_("Accounts"), "accounts:people"),
    Entry(_("Reports"), "reports:index"),
    Entry(_("Draws"), "draws:list"),
    Entry(_("Selection"), "selection:index"),
    Entry(_("My reviews"), "selection:my_reviews", also=_reviews),
    Entry(_("Jobs"), "jobs", also=_has_jobs),
    Entry(_("API"), "api:openapi-view", guard=signed_in),
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


def menu_for(user: Any) -> list[Link]:
    """The header's links the user may follow."""
    links = []
    for entry in ENTRIES:
        if not may_open(user, entry.url_name):
            continue
        if entry.also is not None and not entry.also(user):
            continue
        links.append(Link(entry.label, page_rule(entry.url_name)[0], entry.url_name))
    return links
