"""What every projector of a session follows: its version, and its screen drawn once per version.

A projector asks, twice a second (polling) or by a stream the server keeps open (server-sent
events), whether the session changed. With a shared cache (Redis, `REDIS_URL`) the answer
comes from the cache: each change publishes the session's new version there once it is
committed, so an unchanged session costs neither a query nor a rendering, on any app server.
A memory cache is each process's own (another worker's change would not show in it), so
without a shared one the version is read from the database: one indexed look-up.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string

from chancery.mun import queries
from chancery.mun.models import Session

# A bound on staleness should two chairs' changes publish out of order (each publishes after
# its own commit); a miss costs one look-up.
VERSION_SECONDS = 10
SCREEN_SECONDS = 300
# A stream: how often it looks at the version, how long it lives (then the browser
# reconnects, to this or another app server), how soon the browser reconnects.
CHECK_SECONDS = 0.25
STREAM_SECONDS = 300
RECONNECT_MS = 1000
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def shared_cache() -> bool:
    """Whether every app server reads the same cache (not each its own memory)."""
    return str(settings.CACHES["default"]["BACKEND"]) not in LOCAL_CACHES


def _version_key(token: str) -> str:
    return f"mun:screen-version:{token}"


def publish(token: str, version: int) -> None:
    """Tell the projectors of the session with `token` that it is now at `version`."""
    if shared_cache():
        cache.set(_version_key(token), version, VERSION_SECONDS)


def version_of(token: str) -> int | None:
    """The version of the session the projector link `token` opens; None when there is none."""
    if len(token) < 20:
        return None
    if shared_cache() and (found := cache.get(_version_key(token))) is not None:
        return int(found)
    version = (
        Session.objects.filter(projector_token=token).values_list("version", flat=True).first()
    )
    if version is not None and shared_cache():
        cache.add(_version_key(token), version, VERSION_SECONDS)  # a newer publish wins
    return version


def screen_session(token: str) -> Session | None:
    """The session with everything its screen shows, or None."""
    if len(token) < 20:
        return None
    return (
        Session.objects.select_related(
            "committee__profile",
            "committee__conference",
            "agenda_item",
            "last_ballot__motion",
            "last_ballot__draft",
        )
        .filter(projector_token=token)
        .first()
    )


def screen(request: HttpRequest, token: str, version: int, language: str) -> str:
    """The live part of the projector at `version`, drawn once per version and language for
    every projector (its clocks carry their deadline, so a kept copy still counts down
    right). The session may have moved on since `version` was read: what is drawn is then
    the newer state, and kept under its own version."""
    key = f"mun:screen:{token}:{version}:{language}"
    body = cache.get(key)
    if body is None:
        session = screen_session(token)
        if session is None:
            return ""
        body = render_to_string(
            "mun/projector.html#live",
            {"state": queries.session_state(session), "session": session, "token": token},
            request=request,
        )
        cache.set(f"mun:screen:{token}:{session.version}:{language}", body, SCREEN_SECONDS)
    return str(body)


def event(version: int, body: str) -> str:
    """A server-sent event carrying the screen at `version` (its id: the browser names it
    in Last-Event-ID when it reconnects)."""
    data = "".join(f"data: {line}\n" for line in body.splitlines() or [""])
    return f"id: {version}\nevent: screen\n{data}\n"
