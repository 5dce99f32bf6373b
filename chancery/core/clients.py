"""Whose address a request comes from, as the proxies in front report it: read by sign-in
throttling (accounts/lockout.py), the rate limits (ratelimits.py) and the guardian's consent
answers (directory), the same way everywhere."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= count:
            found = _address(forwarded[-count])
            if found is not None:
                return found
    return _address(remote) or remote or None
