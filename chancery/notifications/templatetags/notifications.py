from typing import Any

from django import template

from chancery.notifications.queries import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    """The signed-in user's unread notifications (one query a request)."""
    user = context.get("user")
    return unread_count(user) if user is not None else 0
