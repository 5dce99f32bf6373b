"""django-allauth's pages (password reset, e-mail addresses, second factor), each marked for
the deny-by-default middleware: the steps of signing in are public, the rest is for the
signed-in user. Mounted under /accounts/ beside chancery.accounts.urls, without a namespace,
because allauth reverses its own URL names."""

import functools
from collections.abc import Callable
from typing import Any

from allauth.account import urls as account_urls
from allauth.mfa import urls as mfa_urls
from django.urls import URLPattern, URLResolver, include, path

from chancery.core.access import Predicate, allow, public, signed_in

# The pages someone who is not signed in needs: signing in (and its second step), the
# sign-up page (which says it is closed), a forgotten password, a link from an e-mail.
PUBLIC_NAMES = frozenset(
    {
        "account_login",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_login_code",
        "account_request_login_code",
        "mfa_authenticate",
    }
)


def marked_patterns(
    patterns: list[Any], *, public_names: frozenset[str], rule: Predicate = signed_in
) -> list[Any]:
    """A copy of a third-party app's URL patterns (included ones too) whose every view is
    marked: `public` when its URL name is in `public_names`, else `allow(rule)`. The app's own
    view functions are not touched: each is wrapped."""
    marked: list[Any] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            marked.append(
                URLResolver(
                    entry.pattern,
                    marked_patterns(entry.url_patterns, public_names=public_names, rule=rule),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        elif isinstance(entry, URLPattern):
            mark = public if entry.name in public_names else allow(rule)
            marked.append(
                URLPattern(
                    entry.pattern, mark(_wrapped(entry.callback)), entry.default_args, entry.name
                )
            )
        else:
            raise TypeError(f"not a URL pattern: {entry!r}")
    return marked


def _wrapped(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return wrapper


urlpatterns = marked_patterns(
    [
        path("", include(account_urls)),
        path("2fa/", include(mfa_urls)),
    ],
    public_names=PUBLIC_NAMES,
)
