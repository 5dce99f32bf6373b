"""The home dashboard and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from chancery.core.access import public, signed_in, allow
from chancery.core.audit import recent_changes
from chancery.directory import queries as directory


@allow(signed_in)
def home(request: HttpRequest) -> HttpResponse:
    people = directory.people_visible_to(request.user)
    context = {
        "figures": directory.directory_figures(people),
        "duplicates": len(directory.likely_duplicates(people)),
        "changes": recent_changes(request.user, limit=10),
    }
    return render(request, "core/home.html", context)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
