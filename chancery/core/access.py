"""Deny by default: every view states who may use it, or nobody may.

A view is marked with `@public` (anyone, signed in or not) or `@allow(predicate)` where the
predicate takes the user. The middleware refuses every view without a mark; the admin and the
JSON API are the two exceptions, because each enforces its own authentication for every view
(the admin requires staff, the API requires a session or a token on every operation).
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
        rule = access_rule(view_func)
        if rule is _everyone:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if rule is None or not rule(user):
            raise PermissionDenied
        return None
