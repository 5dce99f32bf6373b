"""The home dashboard and the health check."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.i18n import set_language

from chancery.core.access import allow, public, signed_in
from chancery.core.audit import recent_changes
from chancery.directory import queries as directory


@allow(signed_in)
def home(request: HttpRequest) -> HttpResponse:
    from chancery.agreements.queries import agreements_visible_to, coming_expiries
    from chancery.programmes.queries import enrolments_visible_to

    people = directory.people_visible_to(request.user)
    enrolments = enrolments_visible_to(request.user)
    context = {
        "expiring": coming_expiries(agreements_visible_to(request.user)),
        "active_enrolments": enrolments.filter(state="active").count(),
        "applications": enrolments.filter(state__in=["applied", "eligible"]).count(),
        "figures": directory.directory_figures(people),
        "duplicates": len(directory.likely_duplicates(people)),
        "changes": recent_changes(request.user, limit=10),
    }
    return render(request, "core/home.html", context)


@public
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language; a signed-in user's choice is also kept in their profile."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(
        settings.LANGUAGES
    ):
        from chancery.accounts.services import set_language as remember_language

        remember_language(user=request.user, language=language)
    return response


@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
