"""Benchmark: the main pages under load, served by gunicorn on the national-scale data set.

1. A throw-away database is built: migrate, then `chancery bench-data --scale 1` (BENCH_SCALE
   for a quicker run); SQLite in a temporary folder, then PostgreSQL side by side
   (BENCH_DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/chancery_bench_web; its
   name must contain "bench": it is dropped and created again, and dropped at the end; "off"
   skips it). Steps 2 to 4 run on each. The build time is reported (target < 5 minutes at scale 1).
2. gunicorn serves the app with 2 workers (2 cores), with bench.ceiling_settings: the real URLs
   plus a bare view returning one row by primary key, the ceiling of this stack.
3. wrk, from a second process on 127.0.0.1, loads each page for BENCH_SECONDS (10) at 8
   connections, signed in as an officer (session cookie; API pages with a bearer token), and
   reports requests/s and p50/p95/p99. Then the edition report alone, one request at a time,
   gives its render time (p50/p95).

4. Scaling: the people list, the people search and the API's people list on one server, then on
   two at once (each WORKERS workers and its own wrk at 8 connections), both servers on the same
   database and the same Redis (BENCH_REDIS_URL, by default redis://127.0.0.1:6379/0, under a
   cache key prefix of the run's own): the ratio of their requests/s.

Targets: every page p95 < 100 ms at 8 connections; list and report pages at least 50 % of the
ceiling's requests/s; the edition report rendered in < 300 ms (p95, one client); two servers
at least 1.7 times one server's requests/s, judged on a machine with the cores for it (both
servers' workers and both wrk processes: 2 x WORKERS + 2), printed but not judged on fewer.

Run ``python -m bench web`` (or ``make bench``); ``python bench/bench_web.py`` alone works too.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CONNECTIONS = 8
WORKERS = 2
P95_TARGET_MS = 100.0
SHARE_TARGET = 0.50
SCALING_TARGET = 1.7
SCALING_PAGES = ("people list", "people search", "api people")
REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES = "postgres://postgres@127.0.0.1:5432/chancery_bench_web"
REPORT_TARGET_MS = 300.0
BUILD_TARGET_S = 300.0

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"non2xx\\": %d,"
    .. " \\"errors\\": %d, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d}\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


def _pages(fixture: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, path, kind): kind "list" pages are held to the share of the ceiling."""
    search = urllib.parse.quote(fixture["search"])
    return [
        ("ceiling", f"/bench/ceiling/{fixture['person']}", "ceiling"),
        ("dashboard", "/", "page"),
        ("people search", f"/directory/people/?q={search}", "list"),
        ("people list", "/directory/people/", "list"),
        ("person detail", f"/directory/people/{fixture['person']}/", "page"),
        ("edition report", f"/events/editions/{fixture['edition']}/report/", "list"),
        ("api people", f"/api/people?q={search}", "api"),
        ("api events", f"/api/events?edition={fixture['edition']}", "api"),
        ("api enrolments", "/api/enrolments", "api"),
        ("api organisations", "/api/organisations", "api"),
    ]


def _env(database_url: str, folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        CHANCERY_VAR_DIR=str(folder),
        PYTHONPATH=str(ROOT),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="bench-" + "x" * 50,
        RATE_LIMITS="off",
    )  # wrk sends thousands of requests a minute as one user
    return env


def _postgres(url: str, action: str) -> None:
    """Drop (and create) the benchmark's PostgreSQL database."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"BENCH_DATABASE_URL must name a database containing 'bench' (it is "
            f"dropped and created again), not {name!r}"
        )
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{name}"')


def _wrk(
    url: str, headers: list[str], connections: int, seconds: float, script: Path
) -> dict[str, Any]:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(  # noqa: S603
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("JSON "))
    raw = json.loads(line[5:])
    duration = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / duration, 1),
        "p50_ms": round(raw["p50"] / 1000, 1),
        "p95_ms": round(raw["p95"] / 1000, 1),
        "p99_ms": round(raw["p99"] / 1000, 1),
        "non_2xx": raw["non2xx"],
        "socket_errors": raw["errors"],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _free_port() -> int:
    """A port nobody listens on now (other servers may run on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} in {timeout:g} s")


def _drain(url: str, timeout: float = 180) -> None:
    """Wait until the server is idle: a sync worker goes on with the requests wrk left queued
    when it stopped, and they must not be counted against the next page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local)
            response.read()
        if time.monotonic() - started < 0.1:
            return


def _serve(
    env: dict[str, str], fixture: dict[str, Any], extra: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """A gunicorn of WORKERS sync workers on a free port, answering; and its base URL."""
    server_env = dict(env, DJANGO_SETTINGS_MODULE="bench.ceiling_settings", **(extra or {}))
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            PYTHON,
            "-m",
            "gunicorn",
            "chancery.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        env=server_env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/bench/ceiling/{fixture['person']}", server)
    except BaseException:
        _stop(server)
        raise
    return server, base


def _stop(server: subprocess.Popen[bytes] | None) -> None:
    if server is not None and server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wrk_together(
    loads: list[tuple[str, list[str]]], seconds: float, script: Path
) -> list[dict[str, Any]]:
    """wrk against several servers at once, CONNECTIONS each; one result per server."""
    with ThreadPoolExecutor(len(loads)) as pool:
        return list(
            pool.map(lambda load: _wrk(load[0], load[1], CONNECTIONS, seconds, script), loads)
        )


def _scaling(
    env: dict[str, str], fixture: dict[str, Any], script: Path, seconds: float
) -> dict[str, Any]:
    """The list pages on one server, then on two at once, every server on the same database and
    the same Redis (REDIS_URL: counts, rate limits and sessions' cache shared): the ratio of
    their requests/s. Each server has WORKERS workers and its own wrk at CONNECTIONS."""
    redis = os.environ.get("BENCH_REDIS_URL", REDIS_URL)
    # A prefix of this run's own: no other user of the Redis database is touched.
    extra = {"REDIS_URL": redis, "CACHE_KEY_PREFIX": f"bench-web-{os.getpid()}"}
    pages = [(name, path, kind) for name, path, kind in _pages(fixture) if name in SCALING_PAGES]
    servers: list[tuple[subprocess.Popen[bytes], str]] = []
    rows = []
    try:
        servers = [_serve(env, fixture, extra) for _ in range(2)]
        idle = f"/bench/ceiling/{fixture['person']}"
        for name, path, kind in pages:
            headers = [
                f"Authorization: Bearer {fixture['token']}"
                if kind == "api"
                else f"Cookie: {fixture['cookie']}"
            ]
            for _process, base in servers:
                _wrk(base + path, headers, 2, 2, script)  # warm up each server's workers
                _drain(base + idle)
            one = _wrk(servers[0][1] + path, headers, CONNECTIONS, seconds, script)
            _drain(servers[0][1] + idle)
            both = _wrk_together([(base + path, headers) for _p, base in servers], seconds, script)
            for _process, base in servers:
                _drain(base + idle)
            two_rps = round(sum(r["rps"] for r in both), 1)
            rows.append(
                {
                    "page": name,
                    "one_server_rps": one["rps"],
                    "two_servers_rps": two_rps,
                    "ratio": round(two_rps / one["rps"], 2) if one["rps"] else 0.0,
                    "one_server_p95_ms": one["p95_ms"],
                    "two_servers_p95_ms": max(r["p95_ms"] for r in both),
                    "non_2xx": one["non_2xx"] + sum(r["non_2xx"] for r in both),
                }
            )
            print(
                f"   {name:<18} one server {one['rps']:>7.1f} req/s, two {two_rps:>7.1f} "
                f"req/s: x{rows[-1]['ratio']:.2f}",
                flush=True,
            )
    finally:
        for process, _base in servers:
            _stop(process)
    return {
        "pages": rows,
        "workers_per_server": WORKERS,
        "cpu_count": os.cpu_count(),
        "redis": redis.rsplit("@", 1)[-1],
        "load_average_after": os.getloadavg()[0],
    }


def run(scale: float | None = None, seconds: float | None = None) -> dict[str, Any]:
    """Measure on SQLite, then on PostgreSQL (BENCH_DATABASE_URL, by default POSTGRES; "off"
    skips it); return both runs' figures."""
    if shutil.which("wrk") is None:
        raise SystemExit("bench_web needs wrk: `make bench-packages` (apt-get install wrk)")
    scale = scale if scale is not None else float(os.environ.get("BENCH_SCALE", "1"))
    seconds = seconds if seconds is not None else float(os.environ.get("BENCH_SECONDS", "10"))
    postgres = os.environ.get("BENCH_DATABASE_URL", POSTGRES)
    runs = [_measure("", scale, seconds)]
    if postgres != "off":
        runs.append(_measure(postgres, scale, seconds))
    return {"name": "web", "runs": runs, "target_ok": all(r["target_ok"] for r in runs)}


def _measure(postgres_url: str, scale: float, seconds: float) -> dict[str, Any]:
    """Build the data set (SQLite when `postgres_url` is empty), serve it, load every page."""
    folder = Path(tempfile.mkdtemp(prefix="chancery-bench-web-"))
    database_url = postgres_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    env = _env(database_url, folder)
    server: subprocess.Popen[bytes] | None = None
    figures: dict[str, Any] = {
        "name": "web",
        "scale": scale,
        "database": "postgresql" if postgres_url else "sqlite",
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds_per_page": seconds,
        "python": sys.version.split()[0],
        "load_average_before": os.getloadavg()[0],
    }
    try:
        if postgres_url:
            _postgres(postgres_url, "create")
        subprocess.run(  # noqa: S603 (our own command line)
            [PYTHON, "-m", "chancery", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
        )
        started = time.perf_counter()
        cpu_before = _children_cpu()
        build = subprocess.run(  # noqa: S603 (our own command line)
            [PYTHON, "-m", "chancery", "bench_data", "--scale", str(scale)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        figures["build_s"] = round(time.perf_counter() - started, 1)
        # CPU seconds too: on a machine shared with other work the wall time says little.
        figures["build_cpu_s"] = round(_children_cpu() - cpu_before, 1)
        figures["build_log"] = build.stdout.splitlines()
        fixture = json.loads(
            subprocess.run(  # noqa: S603
                [PYTHON, "-m", "bench.web_fixture"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        figures["edition_attendances"] = fixture["attendances_in_edition"]
        figures["edition_events"] = fixture["events_in_edition"]

        server, base = _serve(env, fixture)
        script = folder / "report.lua"
        script.write_text(WRK_SCRIPT)
        cookie = f"Cookie: {fixture['cookie']}"
        token = f"Authorization: Bearer {fixture['token']}"
        pages = []
        idle = f"{base}/bench/ceiling/{fixture['person']}"
        for name, path, kind in _pages(fixture):
            headers = [token] if kind == "api" else [cookie]
            _wrk(base + path, headers, 2, 2, script)  # warm up: both workers, caches
            _drain(idle)
            result = _wrk(base + path, headers, CONNECTIONS, seconds, script)
            _drain(idle)
            pages.append({"page": name, "path": path, "kind": kind, **result})
            print(
                f"   {name:<18} {result['rps']:>8.1f} req/s  p95 {result['p95_ms']:.1f} ms",
                flush=True,
            )
        figures["pages"] = pages
        report_path = next(p["path"] for p in pages if p["page"] == "edition report")
        figures["edition_report_single"] = _wrk(base + report_path, [cookie], 1, seconds, script)
        _stop(server)
        server = None
        figures["scaling"] = _scaling(env, fixture, script, seconds)
    finally:
        _stop(server)
        shutil.rmtree(folder, ignore_errors=True)
        if postgres_url:
            _postgres(postgres_url, "drop")
    figures["load_average_after"] = os.getloadavg()[0]
    return _judge(figures)


def _judge(figures: dict[str, Any]) -> dict[str, Any]:
    ceiling = next(p["rps"] for p in figures["pages"] if p["kind"] == "ceiling")
    for page in figures["pages"]:
        page["share_of_ceiling"] = round(page["rps"] / ceiling, 3) if ceiling else 0.0
        page["p95_ok"] = (
            page["requests"] > 0
            and page["p95_ms"] < P95_TARGET_MS
            and page["non_2xx"] == 0
            and page["socket_errors"] == 0
        )
        page["share_ok"] = (
            page["kind"] not in {"list", "api"} or page["share_of_ceiling"] >= SHARE_TARGET
        )
    single = figures["edition_report_single"]
    figures["edition_report_ok"] = (
        single["requests"] > 0 and single["p95_ms"] < REPORT_TARGET_MS and single["non_2xx"] == 0
    )
    figures["build_ok"] = figures["scale"] < 1 or figures["build_s"] < BUILD_TARGET_S
    scaling = figures["scaling"]
    # Two servers can only add throughput when the machine has the cores for both servers'
    # workers and their two wrk processes; on fewer the figure is printed, not judged.
    scaling["cores_needed"] = 2 * WORKERS + 2
    scaling["judged"] = (scaling["cpu_count"] or 1) >= scaling["cores_needed"]
    scaling["ok"] = all(
        row["ratio"] >= SCALING_TARGET and row["non_2xx"] == 0 for row in scaling["pages"]
    )
    figures["target_ok"] = (
        all(p["p95_ok"] and p["share_ok"] for p in figures["pages"])
        and figures["edition_report_ok"]
        and (scaling["ok"] or not scaling["judged"])
    )
    return figures


def report(figures: dict[str, Any]) -> int:
    """Print each database's table, one after the other; 1 when a target is missed."""
    for run_figures in figures["runs"]:
        _report_run(run_figures)
    return 0 if figures["target_ok"] else 1


def _report_run(figures: dict[str, Any]) -> None:
    print(
        f"web: scale {figures['scale']:g} on {figures['database']}, data set built in "
        f"{figures['build_s']:.0f} s ({figures['build_cpu_s']:.0f} s of CPU; target < "
        f"{BUILD_TARGET_S:.0f} s at scale 1: "
        f"{'OK' if figures['build_ok'] else 'MISSED'}); gunicorn {figures['workers']} "
        f"workers, wrk {figures['connections']} connections, {figures['seconds_per_page']:g} "
        f"s a page; load average {figures['load_average_before']:.1f} before, "
        f"{figures['load_average_after']:.1f} after"
    )
    print(
        f"   {'page':<18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'of ceiling':>10}  verdict"
    )
    for page in figures["pages"]:
        verdict = "OK" if page["p95_ok"] and page["share_ok"] else "MISSED"
        if page["non_2xx"] or page["socket_errors"]:
            verdict += f" ({page['non_2xx']} non-2xx, {page['socket_errors']} socket errors)"
        print(
            f"   {page['page']:<18} {page['rps']:>8.1f} {page['p50_ms']:>8.1f} "
            f"{page['p95_ms']:>8.1f} {page['p99_ms']:>8.1f} "
            f"{page['share_of_ceiling']:>9.0%}  {verdict}"
        )
    single = figures["edition_report_single"]
    print(
        f"   edition report alone ({figures['edition_events']} events, "
        f"{figures['edition_attendances']} attendance records): p50 {single['p50_ms']:.1f} "
        f"ms, p95 {single['p95_ms']:.1f} ms over {single['requests']} requests (target < "
        f"{REPORT_TARGET_MS:.0f} ms) {'OK' if figures['edition_report_ok'] else 'MISSED'}"
    )
    print(
        f"   targets: p95 < {P95_TARGET_MS:.0f} ms at {CONNECTIONS} connections; list, report "
        f"and API pages >= {SHARE_TARGET:.0%} of the ceiling's req/s"
    )
    _report_scaling(figures["scaling"])


def _report_scaling(scaling: dict[str, Any]) -> None:
    print(
        f"   two app servers on one database and Redis ({scaling['redis']}), "
        f"{scaling['workers_per_server']} workers and a wrk of {CONNECTIONS} connections each, "
        f"against one (target x{SCALING_TARGET:g}):"
    )
    for row in scaling["pages"]:
        print(
            f"   {row['page']:<18} {row['one_server_rps']:>8.1f} -> "
            f"{row['two_servers_rps']:>8.1f} req/s  x{row['ratio']:.2f}  "
            f"p95 {row['one_server_p95_ms']:.0f} -> "
            f"{row['two_servers_p95_ms']:.0f} ms"
        )
    if scaling["judged"]:
        print(f"   scaling {'OK' if scaling['ok'] else 'MISSED'}")
    else:
        print(
            f"   not judged here: this machine has {scaling['cpu_count']} CPU cores for both "
            f"servers' {2 * scaling['workers_per_server']} workers and the two wrk processes "
            f"(it needs {scaling['cores_needed']}): the ratio says how the cores were shared "
            f"(with any other work on the machine too: load average "
            f"{scaling['load_average_after']:.1f}), not how the application scales"
        )


if __name__ == "__main__":
    sys.exit(report(run()))
