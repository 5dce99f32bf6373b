"""How django-allauth behaves in Chancery: accounts come by invitation, and the one way to sign
up alone is applying to an open call; its messages are Chancery's, translated into every
language of the interface."""

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chancery.accounts.middleware import must_have_second_factor

# What may open sign-up for a request: each app that lets a visitor sign up alone adds its test
# in its AppConfig.ready() (calls: the open call a visitor came to apply to, or None), so
# accounts names no app above it.
SIGNUP_OPENERS: list[Callable[[HttpRequest], object]] = []


def open_signup_when(opener: Callable[[HttpRequest], object]) -> None:
    """Let sign-up open for a request `opener` answers with something true (once per function)."""
    if opener not in SIGNUP_OPENERS:
        SIGNUP_OPENERS.append(opener)


_WRONG_SIGN_IN = _(
    "Please enter a correct user name or e-mail address and password. Both may be case-sensitive."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is not active."),
        "cannot_remove_primary_email": _("You cannot remove your primary e-mail address."),
        "duplicate_email": _("This e-mail address is already one of yours."),
        "email_password_mismatch": _WRONG_SIGN_IN,
        "username_password_mismatch": _WRONG_SIGN_IN,
        "invalid_login": _WRONG_SIGN_IN,
        "email_taken": _("Another account already has this e-mail address."),
        "enter_current_password": _("Please type your current password."),
        "incorrect_code": _("The code is not right."),
        "incorrect_password": _("The password is not right."),
        "invalid_or_expired_key": _("This link is not valid or has expired."),
        "invalid_password_reset": _("This password reset link is not valid or has expired."),
        "too_many_login_attempts": _("Too many failed sign-ins. Try again later."),
        "unknown_email": _("No account has this e-mail address."),
        "rate_limited": _("Too many requests; please wait a moment and try again."),
        "same_as_current": _("The new value must be different from the current one."),
    }

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Wrong passwords are counted by django-axes (accounts/lockout.py), per address and per
        account at addresses it does not know, so allauth's own counter (one limit per account
        everywhere, which guesses from elsewhere would fill) is not used for them; it still
        counts wrong second-factor codes."""
        self._login_failed_rl_usage = None

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Public sign-up is closed (an account is opened by an invitation), except for a
        visitor one of SIGNUP_OPENERS admits (calls: one who came from an open call's Apply)."""
        return any(opener(request) for opener in SIGNUP_OPENERS)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("The code is not right."),
        "cannot_delete_authenticator": _("You cannot switch the second factor off."),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app before making recovery codes."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """With REQUIRE_2FA on, an officer or administrator keeps their second factor."""

        return not must_have_second_factor(authenticator.user)
