"""Sign-in throttling: whose address a request comes from, and when django-axes pauses it.

Two limits, each on its own (docs/deploy.md, "Sign-in throttling"):

- per address: `LOGIN_FAILURE_LIMIT` wrong passwords from one client address, whatever the
  usernames, pause every sign-in from that address, so one password cannot be sprayed over
  every account;
- per account: `LOGIN_ACCOUNT_FAILURE_LIMIT` wrong passwords for one username, from all
  addresses together, pause that account, but only at addresses it has not signed in from
  lately: guesses from elsewhere cannot lock its owner out where they usually sign in.
"""

import ipaddress
from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

# An address the account signed in from within this many days is its owner's.
KNOWN_ADDRESS_DAYS = 90


def _address(text: str) -> str | None:
    """`text` as a normalised address; an IPv6 client stands for its /64 network, which is
    what one subscriber is given (otherwise each guess could come from a new address)."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind `TRUSTED_PROXY_COUNT` proxies, the
    address the outermost of them saw, read from the right of X-Forwarded-For (what a client
    puts on the left is never trusted)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= count:
            found = _address(forwarded[-count])
            if found is not None:
                return found
    return _address(remote) or remote or None


def account_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Whose account a sign-in is for, as axes counts it: the user name typed, or the user name
    of the account an e-mail address typed belongs to, so both count for the same account."""
    given = (credentials or {}).get("username") or (credentials or {}).get("email")
    if given is None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        given = data.get("username") or data.get("login")
    if not given:
        return None
    given = str(given).strip()
    if "@" in given:
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model

        owner = (EmailAddress.objects.filter(email__iexact=given, verified=True)
                 .values_list("user__username", flat=True).first()
                 or get_user_model().objects.filter(email__iexact=given)
                 .values_list("username", flat=True).first())
        if owner:
            return str(owner)
    return given


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler counting per address (AXES_LOCKOUT_PARAMETERS) and, on top,
    per account at addresses the account does not know."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The address's failures, or the whole limit when the account is paused here."""
        failures = int(super().get_failures(request, credentials))
        if self._account_paused(request, credentials):
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def _account_paused(self, request: Any, credentials: dict[str, Any] | None) -> bool:
        limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
        username = get_client_username(request, credentials)
        if limit <= 0 or not username:
            return False
        failures = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"] or 0
        if failures < limit:
            return False
        known_since = timezone.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
        return not AccessLog.objects.filter(
            username=username, ip_address=request.axes_ip_address,
            attempt_time__gte=known_since).exists()

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """On a successful sign-in, forget that account's failures at that address only: a
        sign-in to one's own account must not wipe the address's guesses at others."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address).delete()
        return int(count)
