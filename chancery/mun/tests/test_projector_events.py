"""How a projector follows its session cheaply: the version from the shared cache (no query,
no rendering while nothing changed), and the screen pushed as server-sent events over ASGI."""

import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import AsyncClient, Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chancery.mun import live, services
from chancery.mun.models import Session
from chancery.mun.tests.factories import Mun

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(mun: Mun) -> Session:
    session = services.open_session(committee=mun.committee, actor=mun.chair)
    services.set_attendance(
        session_id=session.pk, seat_id=mun.japan.pk, attendance="present", actor=mun.chair
    )
    session.refresh_from_db()
    return session


@pytest.fixture
def redis_cache() -> Iterator[None]:
    """The cache every app server shares, under a prefix of this test's own."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=caches):
        yield


def test_with_a_shared_cache_an_unchanged_session_costs_no_query(
    mun: Mun, session: Session, redis_cache: None, django_capture_on_commit_callbacks: Any
) -> None:
    poll = reverse("mun:projector_live", args=[session.projector_token])
    assert Client().get(poll, {"v": session.version}).status_code == 204  # read, then kept
    with CaptureQueriesContext(connection) as queries_run:
        assert Client().get(poll, {"v": session.version}).status_code == 204
    assert len(queries_run) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.add_speaker(
            session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
        )
    with CaptureQueriesContext(connection) as queries_run:
        changed = Client().get(poll, {"v": session.version})
        assert Client().get(poll, {"v": session.version + 1}).status_code == 204
    assert changed.status_code == 200 and b"Japan" in changed.content
    assert f'data-version="{session.version + 1}"'.encode() in changed.content
    # The change was published: neither poll asked the database for the version.
    assert not [q for q in queries_run if q["sql"].startswith('SELECT "mun_session"."version"')]


def test_without_a_shared_cache_the_version_is_read_from_the_database(session: Session) -> None:
    assert not live.shared_cache()  # the tests' memory cache is this process's own
    poll = reverse("mun:projector_live", args=[session.projector_token])
    with CaptureQueriesContext(connection) as queries_run:
        assert Client().get(poll, {"v": session.version}).status_code == 204
    assert len(queries_run) == 1
    assert queries_run[0]["sql"].startswith('SELECT "mun_session"."version"')


def _stream(response: HttpResponseBase) -> AsyncGenerator[bytes, None]:
    """The body of the projector's stream, read as the browser reads it."""
    assert isinstance(response, StreamingHttpResponse)
    content = response.streaming_content
    assert isinstance(content, AsyncGenerator)  # served asynchronously, as by an ASGI server
    return content


async def _read(stream: AsyncIterator[bytes | str], events: int) -> list[str]:
    """The stream's chunks up to its `events`-th screen event (or its end)."""
    chunks: list[str] = []
    async for chunk in stream:
        chunks.append(chunk.decode() if isinstance(chunk, bytes) else chunk)
        if sum("event: screen" in c for c in chunks) >= events:
            break
    return chunks


def test_the_stream_pushes_the_screen_and_each_change(
    mun: Mun, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "CHECK_SECONDS", 0.01)
    events = reverse("mun:projector_events", args=[session.projector_token])

    async def follow() -> list[str]:
        response = await AsyncClient().get(events, {"v": session.version - 1})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        stream = _stream(response)
        first = await _read(stream, 1)  # the page's version is behind: the state at once
        await sync_to_async(services.add_speaker)(
            session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
        )
        second = await _read(stream, 1)
        await stream.aclose()  # the browser goes away
        return first + second

    chunks = async_to_sync(follow)()
    assert chunks[0] == f"retry: {live.RECONNECT_MS}\n\n"
    first, second = (c for c in chunks if "event: screen" in c)
    assert first.startswith(f"id: {session.version}\n")
    assert second.startswith(f"id: {session.version + 1}\n")
    assert "data: " in second and "Japan" in second and "<form" not in second
    assert all(
        line.startswith(("id: ", "event: ", "data: ")) for line in second.strip().splitlines()
    )


def test_the_stream_ends_after_its_lifetime_and_resumes_from_the_last_event(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "STREAM_SECONDS", 0)
    events = reverse("mun:projector_events", args=[session.projector_token])

    async def reconnect() -> list[str]:
        response = await AsyncClient().get(events, headers={"Last-Event-ID": str(session.version)})
        return await _read(_stream(response), 1)

    # Nothing changed since the last event: the stream says only when to reconnect, and ends.
    assert async_to_sync(reconnect)() == [f"retry: {live.RECONNECT_MS}\n\n"]


def test_only_the_projectors_secret_link_opens_the_stream(session: Session) -> None:
    async def status(token: str) -> int:
        response = await AsyncClient().get(reverse("mun:projector_events", args=[token]))
        return response.status_code

    assert async_to_sync(status)("x" * 32) == 404
    assert async_to_sync(status)(session.projector_token[:10]) == 404


def test_a_wsgi_server_does_not_stream_and_the_page_keeps_polling(session: Session) -> None:
    token = session.projector_token
    assert Client().get(reverse("mun:projector_events", args=[token])).status_code == 204
    page = Client().get(reverse("mun:projector", args=[token])).content.decode()
    assert f'data-events="/mun/screen/{token}/events/?v={session.version}"' in page
    assert 'hx-trigger="every 500ms"' in page


def test_many_streams_of_one_session_in_a_process_share_one_look_at_its_version(
    mun: Mun, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "CHECK_SECONDS", 0.02)
    looks: list[str] = []
    version_of = live.version_of

    def counted(token: str) -> int | None:
        looks.append(token)
        return version_of(token)

    monkeypatch.setattr(live, "version_of", counted)
    events = reverse("mun:projector_events", args=[session.projector_token])

    async def follow_with_ten() -> list[list[str]]:
        streams = []
        for _ in range(10):
            response = await AsyncClient().get(events, {"v": session.version})
            streams.append(_stream(response))
        firsts = [await anext(stream) for stream in streams]  # each says when to reconnect
        assert all(first.startswith(b"retry: ") for first in firsts)
        looks.clear()
        started = time.monotonic()
        await sync_to_async(services.add_speaker)(
            session_id=session.pk, version=None, speaker=mun.japan.key, actor=mun.chair
        )
        seen = [await _read(stream, 1) for stream in streams]
        elapsed.append(time.monotonic() - started)
        for stream in streams:
            await stream.aclose()
        return seen

    elapsed: list[float] = []
    seen = async_to_sync(follow_with_ten)()
    assert all(any(f"id: {session.version + 1}\n" in c for c in chunks) for chunks in seen)
    # Ten streams were told of the change by one watch: one look per check, not ten.
    checks = elapsed[0] / live.CHECK_SECONDS
    assert 1 <= len(looks) <= checks + 2, (len(looks), checks)


def test_a_quiet_stream_sends_a_heartbeat_so_no_proxy_takes_it_for_dead(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "CHECK_SECONDS", 0.01)
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.05)
    events = reverse("mun:projector_events", args=[session.projector_token])

    async def listen() -> list[str]:
        response = await AsyncClient().get(events, {"v": session.version})
        stream = _stream(response)
        chunks = [await anext(stream), await anext(stream)]
        await stream.aclose()
        return [c.decode() if isinstance(c, bytes) else c for c in chunks]

    retry, beat = async_to_sync(listen)()
    assert retry.startswith("retry: ") and beat == live.heartbeat()
    assert beat.startswith(":")  # a comment: the browser's EventSource ignores it
