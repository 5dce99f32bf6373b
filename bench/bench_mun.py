"""Benchmark: a Model UN chair at work while 50 projector views poll (SQLite, gunicorn).

A throw-away SQLite database gets the demo (its General Assembly of seven delegations) and a new
session. The app is served by gunicorn (2 workers, 4 threads each, for this machine's 2 cores).
From this process, 50 threads play projector views (each keeps its connection open, as a
browser does): each polls the session's `live` URL every
half second with the version it shows, as the page does. Meanwhile one thread plays the chair,
taking an action every 100 ms (adding and removing speakers, roll-call answers, speaking time)
through the console's htmx requests, with the version it was shown. Printed: the chair's action
latency p50/p95/p99 (target p95 < 100 ms), the projectors' poll latency, and how long each change
took to reach the projectors (the page promises "within a second").

Run ``python -m bench mun``; it runs itself in a child process (``python bench/bench_mun.py
--child``), because it sets Django up on its own database.
"""

from __future__ import annotations

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
CHAIR_ACTIONS = 300
CHAIR_PAUSE = 0.1
TARGET_P95_MS = 100.0
TARGET_PROPAGATION_MS = 1000.0
VERSION = re.compile(rb'data-version="(\d+)"')
SECRET_KEY = "bench-only-" + "k" * 60  # gunicorn refuses to start without one (DEBUG off)


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

    def request(self, method: str, path: str, body: str = "",
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
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


def _request(port: int, method: str, path: str, body: str = "",
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
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
    from chancery.mun import services
    from chancery.mun.models import Committee

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", stdout=StringIO())
    chair = User.objects.get(username="chair")
    committee = Committee.objects.get()
    session = services.open_session(committee=committee, actor=chair)
    client = Client()
    client.force_login(chair)
    seats = list(committee.seats.values_list("pk", flat=True))
    return {"session": session.pk, "token": session.projector_token,
            "version": session.version, "cookie": client.cookies["sessionid"].value,
            "csrf": _get_new_csrf_string(), "seats": seats}


def _serve(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = {"RATE_LIMITS": "off", **os.environ, "SECRET_KEY": SECRET_KEY,
           "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
           "CHANCERY_VAR_DIR": str(folder), "DEBUG": "off",
           "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [str(gunicorn), "chancery.wsgi", "--workers", "2", "--threads", "4",
         "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _measure(port: int, setup: dict[str, Any]) -> dict[str, Any]:
    stop = threading.Event()
    changed_at: dict[int, float] = {}  # version -> when the chair's action that made it returned
    poll_ms: list[float] = []
    seen_ms: list[float] = []
    statuses = {200: 0, 204: 0, "other": 0}
    lock = threading.Lock()
    live = f"/mun/screen/{setup['token']}/live/"

    def projector() -> None:
        version = setup["version"]
        tab = Browser(port)
        while not stop.is_set():
            started = time.perf_counter()
            status, body = tab.request("GET", f"{live}?v={version}")
            elapsed = time.perf_counter() - started
            with lock:
                poll_ms.append(elapsed * 1000)
                statuses[status if status in (200, 204) else "other"] += 1
                if status == 200 and (found := VERSION.search(body)):
                    version = int(found.group(1))
                    if version in changed_at:
                        seen_ms.append((time.perf_counter() - changed_at[version]) * 1000)
            stop.wait(max(0.0, POLL_SECONDS - elapsed))

    chair_ms: list[float] = []
    failures: list[str] = []

    def chair() -> None:
        version = setup["version"]
        headers = {"Cookie": f"sessionid={setup['cookie']}; csrftoken={setup['csrf']}",
                   "X-CSRFToken": setup["csrf"], "HX-Request": "true",
                   "Content-Type": "application/x-www-form-urlencoded"}
        seat = setup["seats"]
        plan = []
        for i in range(CHAIR_ACTIONS):
            s = seat[(i // 4) % len(seat)]  # present it, list it, unlist it, then time
            step = i % 4
            if step == 0:
                plan.append(("attendance", f"seat={s}&attendance=present"))
            elif step == 1:
                plan.append(("speaker-add", f"speaker=s{s}"))
            elif step == 2:
                plan.append(("speaker-remove", f"speaker=s{s}"))
            else:
                plan.append(("speaking-time", f"seconds={60 + i % 60}"))
        tab = Browser(port)
        for action, body in plan:
            started = time.perf_counter()
            status, content = tab.request("POST",
                                       f"/mun/sessions/{setup['session']}/{action}/",
                                       f"{body}&version={version}", headers)
            done = time.perf_counter()
            chair_ms.append((done - started) * 1000)
            found = VERSION.search(content)
            if status != 200 or not found:
                failures.append(f"{action}: {status}")
            else:
                version = int(found.group(1))
                with lock:
                    changed_at[version] = done
            time.sleep(CHAIR_PAUSE)

    pollers = [threading.Thread(target=projector, daemon=True) for _ in range(PROJECTORS)]
    for thread in pollers:
        thread.start()
    time.sleep(1.0)  # the projectors are all polling before the chair starts
    chair_thread = threading.Thread(target=chair)
    started = time.perf_counter()
    chair_thread.start()
    chair_thread.join()
    wall = time.perf_counter() - started
    time.sleep(1.0)  # let the projectors catch up with the last change
    stop.set()
    for thread in pollers:
        thread.join()
    return {
        "chair_actions": len(chair_ms),
        "chair_failures": failures[:5],
        "chair_p50_ms": round(statistics.median(chair_ms), 1),
        "chair_p95_ms": round(_percentile(chair_ms, 95), 1),
        "chair_p99_ms": round(_percentile(chair_ms, 99), 1),
        "polls": len(poll_ms),
        "polls_per_s": round(len(poll_ms) / (wall + 2.0)),
        "polls_changed": statuses[200],
        "polls_unchanged": statuses[204],
        "polls_failed": statuses["other"],
        "poll_p50_ms": round(statistics.median(poll_ms), 1),
        "poll_p95_ms": round(_percentile(poll_ms, 95), 1),
        "propagation_p95_ms": round(_percentile(seen_ms, 95), 1),
        "propagation_max_ms": round(max(seen_ms), 1) if seen_ms else float("nan"),
    }


def child() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="chancery-bench-mun-"))
    port = _free_port()
    try:
        setup = _prepare(folder)
        server = _serve(folder, port)
        try:
            figures = _measure(port, setup)
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    figures.update({
        "name": "mun.console_under_projectors", "projectors": PROJECTORS,
        "database": "sqlite", "server": "gunicorn gthread 2x4",
        "target_chair_p95_ms": TARGET_P95_MS,
        "target_ok": (not figures["chair_failures"] and not figures["polls_failed"]
                      and figures["chair_p95_ms"] < TARGET_P95_MS
                      and figures["propagation_p95_ms"] < TARGET_PROPAGATION_MS),
    })
    return figures


def run() -> dict[str, Any]:
    """Measure in a child process (Django is set up on the benchmark's own database there)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"bench_mun child failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(figures: dict[str, Any]) -> int:
    """Print the figures; 1 if a target is missed."""
    verdict = "OK" if figures["target_ok"] else "MISSED"
    print(f"{figures['name']}: {figures['projectors']} projectors polling every "
          f"{POLL_SECONDS:g} s ({figures['polls_per_s']} polls/s, {figures['server']}, "
          f"{figures['database']})")
    print(f"  chair actions ({figures['chair_actions']}): p50 {figures['chair_p50_ms']} ms, "
          f"p95 {figures['chair_p95_ms']} ms, p99 {figures['chair_p99_ms']} ms "
          f"(target p95 < {TARGET_P95_MS:g} ms) {verdict}")
    print(f"  projector polls ({figures['polls']}: {figures['polls_changed']} with news, "
          f"{figures['polls_unchanged']} unchanged, {figures['polls_failed']} failed): "
          f"p50 {figures['poll_p50_ms']} ms, p95 {figures['poll_p95_ms']} ms")
    print(f"  a change reached the projectors in p95 {figures['propagation_p95_ms']} ms, "
          f"at most {figures['propagation_max_ms']} ms (promise: within "
          f"{TARGET_PROPAGATION_MS:g} ms)")
    if figures["chair_failures"]:
        print(f"  failed chair actions: {figures['chair_failures']}")
    return 0 if figures["target_ok"] else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child()))
    else:
        sys.exit(report(run()))
