"""Benchmark: a Model UN chair at work while 50 projector views follow the session.

A throw-away SQLite database gets the demo (its General Assembly of seven delegations) and a new
session; Redis (BENCH_REDIS_URL, 127.0.0.1:6379 by default) is the shared cache, as on several
app servers. The app is served by gunicorn, 2 workers for this machine's 2 cores, in turn:

- polling with a memory cache (each process its own): the version read from the database at
  each poll, as before #18;
- polling: gthread workers (4 threads each, WSGI, as the image serves it); 50 threads of this
  process play projector views (each keeps its connection open, as a browser does), each
  polling the session's `live` URL every half second with the version it shows, as the page
  does (the answer: 204 from the shared cache while nothing changed);
- polling over ASGI: the same, served by gunicorn's ASGI worker, to tell the server's cost
  from the push's;
- sse: the ASGI worker, each projector holding one server-sent events stream that pushes
  every change (`mun.live`).

Meanwhile one thread plays the chair, taking an action every 100 ms (adding and removing
speakers, roll-call answers, speaking time) through the console's htmx requests, with the
version it was shown, and another asks the bare ceiling view (one row by primary key,
bench.ceiling_urls) at the same pace: a slow or busy machine shows in the ceiling's own
figures. Printed per mode: the chair's latency p50/p95/p99 (target p95 < 100 ms) beside the
ceiling's, the projectors' requests, how long each change took to reach the projectors (the
page promises "within a second"), and the CPU seconds the server and this client spent.

BENCH_MUN_ACTIONS (300) sets the chair's actions per mode, BENCH_MUN_MODES (a comma list of the
modes' names) runs only some.

Run ``python -m bench mun``; it runs itself in a child process (``python bench/bench_mun.py
--child``), because it sets Django up on its own database.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROJECTORS = 50
POLL_SECONDS = 0.5
CHAIR_ACTIONS = int(os.environ.get("BENCH_MUN_ACTIONS", "300"))
CHAIR_PAUSE = 0.1
IDLE_CEILING_REQUESTS = 30
STREAM_TIMEOUT_SECONDS = 30  # the server sends a heartbeat every 15 s (mun/live.py)
TARGET_P95_MS = 100.0
TARGET_PROPAGATION_MS = 1000.0
VERSION = re.compile(rb'data-version="(\d+)"')
SECRET_KEY = "bench-only-" + "k" * 60  # gunicorn refuses to start without one (DEBUG off)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# (mode, how the projectors follow, gunicorn's worker class, whether Redis is the cache): the
# first, each process keeping its own cache, is how the projector polled before #18 (the
# version read from the database at each poll); the product's default is the second.
MODES = [
    ("polling, memory cache", "poll", "gthread", False),
    ("polling", "poll", "gthread", True),
    ("polling over ASGI", "poll", "asgi", True),
    ("sse", "sse", "asgi", True),
]
DEFAULT_MODE = "polling"
WORKERS = 2
TICKS = os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """One open connection, kept alive between requests, as a browser tab keeps it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body or None, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def _request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    return Browser(port).request(method, path, body, headers)


def _prepare(folder: Path) -> dict[str, Any]:
    """Migrate, load the demo, open a session; return what the clients need."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["CHANCERY_VAR_DIR"] = str(folder)
    os.environ["SECRET_KEY"] = SECRET_KEY  # the sessions made here are gunicorn's too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from io import StringIO

    from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
    from django.test import Client

    from chancery.accounts.models import User
    from chancery.directory.models import Person
    from chancery.mun.models import Committee

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="chair"))
    committee = Committee.objects.get()
    return {
        "committee": committee.pk,
        "cookie": client.cookies["sessionid"].value,
        "csrf": _get_new_csrf_string(),
        "seats": list(committee.seats.values_list("pk", flat=True)),
        "person": Person.objects.values_list("pk", flat=True).first(),
    }


def _open_session(setup: dict[str, Any]) -> dict[str, Any]:
    """A new session of the committee for one mode (the last one closed first)."""
    from chancery.accounts.models import User
    from chancery.mun import services
    from chancery.mun.models import Committee, SessionStatus

    chair = User.objects.get(username="chair")
    committee = Committee.objects.get(pk=setup["committee"])
    for previous in committee.sessions.filter(status=SessionStatus.OPEN):
        services.close_session(session_id=previous.pk, version=None, actor=chair)
    session = services.open_session(committee=committee, actor=chair)
    return {
        **setup,
        "session": session.pk,
        "token": session.projector_token,
        "version": session.version,
    }


def _serve(folder: Path, port: int, worker: str, redis: bool) -> subprocess.Popen[bytes]:
    env = {
        "RATE_LIMITS": "off",
        **os.environ,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "CHANCERY_VAR_DIR": str(folder),
        "DEBUG": "off",
        "DJANGO_SETTINGS_MODULE": "bench.ceiling_settings",
        "REDIS_URL": REDIS_URL if redis else "",
        "CACHE_KEY_PREFIX": f"bench-mun-{folder.name}-{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    app, options = (
        ("chancery.asgi", ["--worker-class", "asgi"])
        if worker == "asgi"
        else ("chancery.wsgi", ["--worker-class", "gthread", "--threads", "4"])
    )
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            str(gunicorn),
            app,
            "--workers",
            str(WORKERS),
            *options,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _cpu_seconds(master: int) -> float:
    """CPU time of gunicorn's master and workers so far."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(master) or fields[1] == str(master):  # pid or parent
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


class Projectors:
    """50 projector views following the session, by polling or by a stream each."""

    def __init__(self, port: int, setup: dict[str, Any], how: str) -> None:
        self.port, self.setup, self.how = port, setup, how
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.changed_at: dict[int, float] = {}  # version -> when the action making it returned
        self.request_ms: list[float] = []
        self.seen_ms: list[float] = []
        self.statuses = {200: 0, 204: 0, "other": 0}
        self.events = 0
        self.open_streams: set[socket.socket] = set()
        self.threads = [
            threading.Thread(target=self._poll if how == "poll" else self._stream, daemon=True)
            for _ in range(PROJECTORS)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        with self.lock:
            for stream in self.open_streams:
                with contextlib.suppress(OSError):
                    stream.shutdown(socket.SHUT_RDWR)  # its reader sees the end at once
        for thread in self.threads:
            thread.join(timeout=15)

    def _saw(self, version: int) -> None:
        with self.lock:
            if version in self.changed_at:
                self.seen_ms.append((time.perf_counter() - self.changed_at[version]) * 1000)

    def _poll(self) -> None:
        version = self.setup["version"]
        tab = Browser(self.port)
        live = f"/mun/screen/{self.setup['token']}/live/"
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                status, body = tab.request("GET", f"{live}?v={version}")
            except (http.client.HTTPException, OSError):
                status, body = 0, b""
            elapsed = time.perf_counter() - started
            with self.lock:
                self.request_ms.append(elapsed * 1000)
                self.statuses[status if status in (200, 204) else "other"] += 1
            if status == 200 and (found := VERSION.search(body)):
                version = int(found.group(1))
                self._saw(version)
            self.stop.wait(max(0.0, POLL_SECONDS - elapsed))

    def _stream(self) -> None:
        """An EventSource: one long request, reopened (with Last-Event-ID) when it ends."""
        version = self.setup["version"]
        path = f"/mun/screen/{self.setup['token']}/events/?v={version}"
        while not self.stop.is_set():
            # Longer than the server's heartbeat: a quiet stream is not taken for a dead one
            # (after a read times out, a socket's reader cannot be read again).
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=STREAM_TIMEOUT_SECONDS
            )
            started = time.perf_counter()
            try:
                connection.connect()
                assert connection.sock is not None
                with self.lock:
                    self.open_streams.add(connection.sock)
                connection.request("GET", path, headers={"Last-Event-ID": str(version)})
                response = connection.getresponse()
                with self.lock:
                    self.request_ms.append((time.perf_counter() - started) * 1000)
                    self.statuses[
                        response.status if response.status in (200, 204) else "other"
                    ] += 1
                if response.status != 200:
                    self.stop.wait(1.0)
                    continue
                while not self.stop.is_set():
                    line = response.readline()
                    if not line:
                        break  # the stream's lifetime is over: reconnect
                    if line.startswith(b"id: "):
                        version = int(line[4:])
                        with self.lock:
                            self.events += 1
                        self._saw(version)
            except (http.client.HTTPException, OSError):
                if self.stop.is_set():
                    break  # shut down by finish()
                with self.lock:
                    self.statuses["other"] += 1
                self.stop.wait(1.0)
            finally:
                with self.lock:
                    self.open_streams.discard(connection.sock)  # type: ignore[arg-type]
                connection.close()


def _chair(
    port: int,
    setup: dict[str, Any],
    projectors: Projectors,
    chair_ms: list[float],
    failures: list[str],
) -> None:
    version = setup["version"]
    headers = {
        "Cookie": f"sessionid={setup['cookie']}; csrftoken={setup['csrf']}",
        "X-CSRFToken": setup["csrf"],
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    seats = setup["seats"]
    tab = Browser(port)
    for i in range(CHAIR_ACTIONS):
        seat = seats[(i // 4) % len(seats)]  # present it, list it, unlist it, then time
        action, body = [
            ("attendance", f"seat={seat}&attendance=present"),
            ("speaker-add", f"speaker=s{seat}"),
            ("speaker-remove", f"speaker=s{seat}"),
            ("speaking-time", f"seconds={60 + i % 60}"),
        ][i % 4]
        started = time.perf_counter()
        try:
            status, content = tab.request(
                "POST",
                f"/mun/sessions/{setup['session']}/{action}/",
                f"{body}&version={version}",
                headers,
            )
        except (http.client.HTTPException, OSError) as error:
            status, content = 0, repr(error).encode()
        done = time.perf_counter()
        chair_ms.append((done - started) * 1000)
        found = VERSION.search(content)
        if status != 200 or not found:
            failures.append(f"{action}: {status}")
        else:
            version = int(found.group(1))
            with projectors.lock:
                projectors.changed_at[version] = done
        time.sleep(CHAIR_PAUSE)


def _ceiling(port: int, path: str, stop: threading.Event, count: int | None = None) -> list[float]:
    """The bare view's latency, one request at the chair's pace."""
    tab, times = Browser(port), []
    while not stop.is_set() and (count is None or len(times) < count):
        started = time.perf_counter()
        try:
            status, _body = tab.request("GET", path)
        except (http.client.HTTPException, OSError):
            status = 0
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"the ceiling view answered {status}")
        time.sleep(CHAIR_PAUSE)
    return times


def _figures(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 95), 1),
        "p99_ms": round(_percentile(times, 99), 1),
    }


def _measure(port: int, master: int, setup: dict[str, Any], how: str) -> dict[str, Any]:
    ceiling_path = f"/bench/ceiling/{setup['person']}"
    idle = _ceiling(port, ceiling_path, threading.Event(), IDLE_CEILING_REQUESTS)
    projectors = Projectors(port, setup, how)
    projectors.start()
    time.sleep(2.0)  # the projectors are all following before the chair starts
    chair_ms: list[float] = []
    failures: list[str] = []
    stop_ceiling = threading.Event()
    ceiling_ms: list[float] = []
    prober = threading.Thread(
        target=lambda: ceiling_ms.extend(_ceiling(port, ceiling_path, stop_ceiling))
    )
    cpu_server, cpu_client = _cpu_seconds(master), time.process_time()
    started = time.perf_counter()
    prober.start()
    _chair(port, setup, projectors, chair_ms, failures)
    wall = time.perf_counter() - started
    stop_ceiling.set()
    prober.join()
    cpu_server, cpu_client = (_cpu_seconds(master) - cpu_server, time.process_time() - cpu_client)
    time.sleep(1.5)  # let the projectors catch up with the last change
    projectors.finish()
    seen = projectors.seen_ms
    chair = _figures(chair_ms)
    ceiling = _figures(ceiling_ms)
    return {
        "chair_actions": len(chair_ms),
        "chair_failures": failures[:5],
        **{f"chair_{k}": v for k, v in chair.items()},
        **{f"ceiling_{k}": v for k, v in ceiling.items()},
        **{f"ceiling_idle_{k}": v for k, v in _figures(idle).items()},
        "chair_p95_over_ceiling_p95": round(chair["p95_ms"] / ceiling["p95_ms"], 1),
        "projector_requests": len(projectors.request_ms),
        "projector_requests_per_s": round(len(projectors.request_ms) / wall, 1),
        "projector_changed": projectors.statuses[200],
        "projector_unchanged": projectors.statuses[204],
        "projector_failed": projectors.statuses["other"],
        "projector_events": projectors.events,
        "projector_request_p50_ms": round(statistics.median(projectors.request_ms), 1),
        "projector_request_p95_ms": round(_percentile(projectors.request_ms, 95), 1),
        "propagation_p50_ms": round(_percentile(seen, 50), 1),
        "propagation_p95_ms": round(_percentile(seen, 95), 1),
        "propagation_max_ms": round(max(seen), 1) if seen else float("nan"),
        "changes_seen": len(seen),
        "server_cpu_per_s": round(cpu_server / wall, 2),
        "client_cpu_per_s": round(cpu_client / wall, 2),
        "seconds": round(wall, 1),
    }


def _one_mode(
    folder: Path, setup: dict[str, Any], name: str, how: str, worker: str, redis: bool
) -> dict[str, Any]:
    port = _free_port()
    setup = _open_session(setup)
    server = _serve(folder, port, worker, redis)
    try:
        figures = _measure(port, server.pid, setup, how)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures.update(
        {
            "mode": name,
            "cache": "redis" if redis else "memory",
            "server": f"gunicorn {worker} x{WORKERS}"
            + (" (4 threads each)" if worker == "gthread" else ""),
        }
    )
    figures["target_ok"] = (
        not figures["chair_failures"]
        and not figures["projector_failed"]
        and figures["chair_p95_ms"] < TARGET_P95_MS
        and figures["propagation_p95_ms"] < TARGET_PROPAGATION_MS
    )
    return figures


def child() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="chancery-bench-mun-"))
    only = os.environ.get("BENCH_MUN_MODES", "")
    try:
        setup = _prepare(folder)
        modes = [
            _one_mode(folder, setup, name, how, worker, redis)
            for name, how, worker, redis in MODES
            if not only or name in only.split(",")
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    default = [mode for mode in modes if mode["mode"] == DEFAULT_MODE] or modes
    return {
        "name": "mun.console_under_projectors",
        "projectors": PROJECTORS,
        "database": "sqlite",
        "target_chair_p95_ms": TARGET_P95_MS,
        "load_average": os.getloadavg()[0],
        "modes": modes,
        # The product's default (WSGI, polling, Redis) is held to the target.
        "target_ok": default[0]["target_ok"],
    }


def run() -> dict[str, Any]:
    """Measure in a child process (Django is set up on the benchmark's own database there)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    out = subprocess.run(  # noqa: S603
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench_mun child failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(figures: dict[str, Any]) -> int:
    """Print the figures side by side; 1 if the default mode misses a target."""
    print(
        f"{figures['name']}: {figures['projectors']} projectors, a chair action every "
        f"{CHAIR_PAUSE * 1000:g} ms, the ceiling view asked at the same pace "
        f"({figures['database']}, load average "
        f"{figures['load_average']:.1f} at the end)"
    )
    for mode in figures["modes"]:
        verdict = "OK" if mode["target_ok"] else "MISSED"
        print(f"  {mode['mode']} ({mode['server']}, {mode['cache']} cache):")
        print(
            f"    chair ({mode['chair_actions']} actions): p50 {mode['chair_p50_ms']} ms, "
            f"p95 {mode['chair_p95_ms']} ms, p99 {mode['chair_p99_ms']} ms (target p95 < "
            f"{TARGET_P95_MS:g} ms) {verdict}"
        )
        print(
            f"    ceiling meanwhile: p50 {mode['ceiling_p50_ms']} ms, p95 "
            f"{mode['ceiling_p95_ms']} ms (idle: p95 {mode['ceiling_idle_p95_ms']} ms); chair "
            f"p95 = {mode['chair_p95_over_ceiling_p95']} x the ceiling's"
        )
        print(
            f"    projectors: {mode['projector_requests']} requests "
            f"({mode['projector_requests_per_s']}/s: {mode['projector_changed']} with news, "
            f"{mode['projector_unchanged']} unchanged, {mode['projector_failed']} failed), "
            f"p95 {mode['projector_request_p95_ms']} ms; {mode['projector_events']} events "
            f"pushed"
        )
        print(
            f"    a change reached the projectors in p50 {mode['propagation_p50_ms']} ms, "
            f"p95 {mode['propagation_p95_ms']} ms, at most {mode['propagation_max_ms']} ms "
            f"(promise: within {TARGET_PROPAGATION_MS:g} ms)"
        )
        print(
            f"    CPU: server {mode['server_cpu_per_s']} s/s, this client "
            f"{mode['client_cpu_per_s']} s/s over {mode['seconds']} s"
        )
        if mode["chair_failures"]:
            print(f"    failed chair actions: {mode['chair_failures']}")
    return 0 if figures["target_ok"] else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child()))
    else:
        sys.exit(report(run()))
