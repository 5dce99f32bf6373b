"""The health checks: liveness and readiness."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from chancery.core import health
from chancery.core.access import public


@public
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (nothing else is looked at; restart it if this fails)."""
    response = JsonResponse({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response


@public
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database, its migrations, the cache and the storage all work,
    else 503 naming the checks that failed (send no traffic here until then)."""
    checks = health.readiness()
    failed = [name for name, outcome in checks.items() if outcome != "ok"]
    response = JsonResponse(
        {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
