"""Template context shared by every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The languages for the switcher and the roles of the signed-in user."""
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        from chancery.accounts.access import role_names

        roles = role_names(user)
    return {"LANGUAGE_CHOICES": settings.LANGUAGES, "user_roles": roles}
