"""What every projector of a session follows: its version, and its screen drawn once per version.

A projector asks, twice a second (polling) or by a stream the server keeps open (server-sent
events), whether the session changed. With a shared cache (Redis, `REDIS_URL`) the answer
comes from the cache: each change publishes the session's new version there once it is
committed, so an unchanged session costs neither a query nor a rendering, on any app server.
A memory cache is each process's own (another worker's change would not show in it), so
without a shared one the version is read from the database: one indexed look-up.
"""

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgiref.sync import sync_to_async
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
# A comment sent on a stream with no news for this long, so a proxy or load balancer does not
# close it as idle (and a client can tell a quiet stream from a dead one).
HEARTBEAT_SECONDS = 15
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


def heartbeat() -> str:
    """A comment line: the browser ignores it; the connection is seen to be alive."""
    return ": still here\n\n"


class Watch:
    """One session followed by every stream of this process: its version is looked at once per
    CHECK_SECONDS however many projectors follow it, and each new screen is drawn once per
    language for all of them."""

    def __init__(self, token: str, version: int | None) -> None:
        self.token = token
        self.version = version
        self.streams = 0
        self._changed = asyncio.Event()
        self._screens: dict[tuple[int, str], asyncio.Future[str]] = {}
        self._task: asyncio.Task[None] | None = None

    async def changed_within(self, seconds: float) -> bool:
        """Wait until the version changes or `seconds` pass; whether it changed."""
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def screen(self, request: HttpRequest, version: int, language: str) -> asyncio.Future[str]:
        """The screen at `version` in `language`, drawn by the first stream that asks."""
        key = (version, language)
        found = self._screens.get(key)
        if found is None:
            self._screens = {k: f for k, f in self._screens.items() if k[0] == version}
            found = asyncio.ensure_future(
                sync_to_async(screen)(request, self.token, version, language)
            )
            self._screens[key] = found
        return found

    async def _follow(self) -> None:
        while self.streams and self.version is not None:
            await asyncio.sleep(CHECK_SECONDS)
            version = await sync_to_async(version_of)(self.token)
            if version != self.version:
                self.version = version
                changed, self._changed = self._changed, asyncio.Event()
                changed.set()


# Each event loop's watches (an ASGI worker runs one loop; tests run several, one after another).
_WATCHES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Watch]] = (
    weakref.WeakKeyDictionary()
)


@asynccontextmanager
async def watching(token: str) -> AsyncIterator[Watch]:
    """The process's watch of the session with `token`, for as long as a stream follows it."""
    loop = asyncio.get_running_loop()
    watches = _WATCHES.setdefault(loop, {})
    watch = watches.get(token)
    if watch is None or watch.version is None:
        watch = Watch(token, await sync_to_async(version_of)(token))
        watches[token] = watch
    watch.streams += 1
    if watch._task is None or watch._task.done():
        watch._task = loop.create_task(watch._follow())
    try:
        yield watch
    finally:
        watch.streams -= 1
        if not watch.streams and watches.get(token) is watch:
            del watches[token]
