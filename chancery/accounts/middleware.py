"""The interface language (the user's profile first, then what LocaleMiddleware chose) and the
second factor officers and administrators must set up when REQUIRE_2FA is on."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from chancery.accounts.access import role_names
from chancery.accounts.models import Role


class UserLanguageMiddleware:
    """Activate the signed-in user's chosen language, if they chose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if not language:
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        # Only for this request: a thread that serves the next one (or a test that goes on)
        # must not keep this user's language.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# What a user who must set up a second factor may still open: signing out, the set-up pages
# (and confirming who they are, which they may ask first), the language, the health probes.
SECOND_FACTOR_SETUP_NAMES = frozenset(
    {
        "accounts:logout",
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
        "healthz",
        "livez",
        "readyz",
    }
)


def must_have_second_factor(user: Any) -> bool:
    """Officers and administrators (superusers, staff) must sign in with a second factor when
    REQUIRE_2FA is on."""

    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or Role.OFFICER in role_names(user))


def has_second_factor(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireSecondFactorMiddleware:
    """With REQUIRE_2FA on, send an officer or administrator without an authenticator app to
    its set-up page before anything else."""

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
        user = getattr(request, "user", None)
        if user is None or not must_have_second_factor(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_SETUP_NAMES:
            return None
        if has_second_factor(user):
            return None
        if request.method == "GET":
            messages.warning(
                request, _("Set up a second factor (an authenticator app) to go on using Chancery.")
            )
        return redirect("mfa_activate_totp")
