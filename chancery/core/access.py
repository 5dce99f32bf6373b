"""Deny by default: every view states who may use it, or nobody may.

A view is marked with `@public` (anyone, signed in or not) or `@allow(predicate)` where the
predicate takes the user. The middleware refuses every view without a mark; the admin and the
JSON API are the two exceptions, because each enforces its own authentication for every view
(the admin requires staff, the API requires a session or a token on every operation).

403 or 404, one rule for every page, decided by what the user could already know:

- 403 ("Not allowed", the same page everywhere) when the user is signed in but may not use
  the page: the mark refuses their role ("may this role use this kind of page at all?"), or
  the record is one they may see (a public programme, an event of their season) but this
  page of it is not theirs (its report, its editing, its attendance). They know the record
  exists, so a 404 would hide nothing and only mislead.
- 404 when the record is outside what the user may see at all: the view's query
  (`*_visible_to(user)`, through `views_support.get_or_404`) answers exactly as for a record
  that does not exist, so ids cannot be probed. `views_support.require(allowed)` answers the
  403 for a record the query has already shown them.

A page about one's own records (an edition one takes part in, one's season's events and its
Model UN final) is therefore marked for every role that can have such records, and its query
keeps each to their own. The header's links (site/menu.py) are read from the same marks
through `admits`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ACCESS_ATTRIBUTE = "chancery_access"
SELF_GUARDED_NAMESPACES = frozenset({"admin", "api"})

Predicate = Callable[[Any], bool]


def _everyone(user: Any) -> bool:
    return True


def public[View: Callable[..., Any]](view: View) -> View:
    """Mark a view as open to everyone, including anonymous visitors."""
    setattr(view, ACCESS_ATTRIBUTE, _everyone)
    return view


def allow(predicate: Predicate) -> Callable[[Any], Any]:
    """Mark a view as open to signed-in users for whom `predicate(user)` holds."""

    def mark[View: Callable[..., Any]](view: View) -> View:
        setattr(view, ACCESS_ATTRIBUTE, predicate)
        return view

    return mark


def signed_in(user: Any) -> bool:
    """Any signed-in user."""
    return bool(user.is_authenticated)


def admits(rule: Predicate | None, user: Any) -> bool:
    """Whether a page marked with `rule` lets `user` in: public pages everyone, other marked
    pages the signed-in users the predicate holds for, unmarked pages nobody."""
    if rule is _everyone:
        return True
    if rule is None or not user.is_authenticated:
        return False
    return bool(rule(user))


def access_rule(view_func: Callable[..., Any]) -> Predicate | None:
    """The predicate a view was marked with, looking through class-based views."""
    rule = getattr(view_func, ACCESS_ATTRIBUTE, None)
    if rule is None and hasattr(view_func, "view_class"):
        rule = getattr(view_func.view_class, ACCESS_ATTRIBUTE, None)
    return rule


class DenyByDefaultMiddleware:
    """Refuse any view that does not state who may use it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and SELF_GUARDED_NAMESPACES.intersection(match.namespaces):
            return None
        user = request.user
        if admits(access_rule(view_func), user):
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
