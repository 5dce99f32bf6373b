"""Rate limits on the API, the sign-in page, the public verification pages, the
guardian's consent page and the invitation links.

Counted by django-ratelimit in the cache, so with REDIS_URL every app server counts together;
without it each process counts its own (one machine). The API is counted per signed-in user or
API token, the public pages per client address (as the proxy reports it, like sign-in
throttling). Over a limit the answer is 429 with Retry-After: JSON for the API, a page
otherwise. Wrong passwords are throttled separately (accounts/lockout.py).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from chancery.core.clients import client_address


@dataclass(frozen=True)
class Limit:
    group: str
    applies: Callable[[HttpRequest], bool]
    setting: str  # the name of the setting holding its rate, e.g. "60/m"


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") and not request.path_info.startswith(
        ("/api/docs", "/api/openapi.json")
    )


def _verify(request: HttpRequest) -> bool:
    return request.path_info.startswith(("/draws/verify/", "/verify/"))


def _consent_link(request: HttpRequest) -> bool:
    """The guardian's consent page, opened by a secret link (a guessed token is counted)."""
    return request.path_info.startswith("/directory/consent/")


def _invitation_link(request: HttpRequest) -> bool:
    """An invitation's page, opened by a secret link (a guessed token is counted)."""
    return request.path_info.startswith("/accounts/invitation/")


def _sign_in(request: HttpRequest) -> bool:
    return request.method == "POST" and request.path_info == "/accounts/login/"


LIMITS = (
    Limit("api", _api, "RATE_LIMIT_API"),
    Limit("verify", _verify, "RATE_LIMIT_VERIFY"),
    Limit("consent-link", _consent_link, "RATE_LIMIT_VERIFY"),
    Limit("invitation-link", _invitation_link, "RATE_LIMIT_VERIFY"),
    Limit("sign-in", _sign_in, "RATE_LIMIT_SIGN_IN"),
)


def caller(group: str, request: HttpRequest) -> str:
    """Whom a request is counted for: the signed-in user, the API token, else the address."""
    user = getattr(request, "user", None)
    if group == "api":
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return f"address:{client_address(request) or '-'}"


def _refused(request: HttpRequest, seconds: int) -> HttpResponse:
    message = _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": seconds}
    response: HttpResponse
    if _api(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(
            render_to_string("429.html", {"message": message}, request=request), status=429
        )
    response.headers["Retry-After"] = str(seconds)
    return response


class RateLimitMiddleware:
    """Count the requests a limit applies to, and refuse those over it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for limit in LIMITS:
            rate = getattr(settings, limit.setting, "")
            if not rate or not limit.applies(request):
                continue
            usage = get_usage(request, group=limit.group, key=caller, rate=rate, increment=True)
            if usage is not None and usage["should_limit"]:
                return _refused(request, max(1, int(usage["time_left"])))
        return self.get_response(request)
