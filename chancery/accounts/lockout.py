"""Sign-in throttling: when django-axes pauses sign-ins (whose address a request comes from is
core/clients.py's, named by AXES_CLIENT_IP_CALLABLE).

Two limits, each on its own (docs/deploy.md, "Sign-in throttling"):

- per address: `LOGIN_FAILURE_LIMIT` wrong passwords from one client address, whatever the
  usernames, pause every sign-in from that address, so one password cannot be sprayed over
  every account;
- per account: `LOGIN_ACCOUNT_FAILURE_LIMIT` wrong passwords for one username, from all
  addresses together, pause that account, but only at addresses it has not signed in from
  lately: guesses from elsewhere cannot lock its owner out where they usually sign in.
"""

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

        owner = (
            EmailAddress.objects.filter(email__iexact=given, verified=True)
            .values_list("user__username", flat=True)
            .first()
            or get_user_model()
            .objects.filter(email__iexact=given)
            .values_list("username", flat=True)
            .first()
        )
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
        failures = (
            AccessAttempt.objects.filter(
                username=username,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if failures < limit:
            return False
        known_since = timezone.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
        return not AccessLog.objects.filter(
            username=username, ip_address=request.axes_ip_address, attempt_time__gte=known_since
        ).exists()

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """On a successful sign-in, forget that account's failures at that address only: a
        sign-in to one's own account must not wipe the address's guesses at others."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return int(count)
