"""Template context shared by every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chancery.accounts.access import role_names
from chancery.site.menu import menu_for, sections_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The languages for the switcher, the roles of the signed-in user and the header's links
    they may follow (worked out only when a page shows them)."""
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        roles = role_names(user)
    menu = SimpleLazyObject(lambda: menu_for(user) if user is not None else [])
    sections = SimpleLazyObject(lambda: sections_of(list(menu)))
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "user_roles": roles,
        "menu": menu,
        "menu_sections": sections,
    }
