"""The confirmation step of a destructive action (delete, erase, retire, re-draw, roll back).

The page's danger button (core/components/danger_button.html) posts to the action without
the confirmation; the view then answers with a page that says what will happen and asks
again (core/confirm.html), carrying whatever the first post held. Only a post that carries
`confirmed=yes` acts. Working without the browser's script, this is the one rule for every
destructive action, and a post that skips the step changes nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

CONFIRMED = "confirmed"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED}


def is_confirmed(request: HttpRequest) -> bool:
    """Whether the post carries the confirmation step's answer."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "yes"


def confirmation_step(
    request: HttpRequest,
    *,
    title: str | Promise,
    consequence: str | Promise,
    action: str | Promise,
    cancel_url: str,
) -> HttpResponse | None:
    """None when the post is confirmed; otherwise the page asking to confirm `action`."""
    if is_confirmed(request):
        return None
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_CARRIED
        for value in values
    ]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "consequence": consequence,
            "action": action,
            "cancel_url": cancel_url,
            "carried": carried,
        },
    )
