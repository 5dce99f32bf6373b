"""Benchmark of chancery.allocation.matching against the PyPI package `matching`.

Random instances (fixed seed): 1 000, 10 000 and 50 000 applicants, 10 distinct choices
each over 2 000 hosts whose popularity is skewed (weight 1/(k+1)^0.7), capacities spread
evenly so that total capacity is about the number of applicants (at least 1 per host,
since `matching` cannot take capacity 0), and a single lottery as tie-break.

Our time is end to end: build_instance from the Python dicts/lists, then solve.
`matching` is timed as HospitalResident.create_from_dictionaries(...) then .solve()
(resident-optimal); its hospital preference lists (the lottery restricted to each
hospital's applicants) are prepared beforehand, as they are its input format.

Run: python bench/bench_allocation.py
"""

from __future__ import annotations

import argparse
import importlib
import random
import statistics
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chancery.allocation.matching import build_instance, check_stability, solve  # noqa: E402

SEED = 20240601
HOSTS = 2_000
CHOICES = 10
SIZES = (1_000, 10_000, 50_000)
COMPARE_SIZES = (1_000, 10_000)
TARGET_50K_SECONDS = 1.0
TARGET_RATIO_10K = 50.0


@dataclass(frozen=True)
class BenchInstance:
    """Raw inputs of one benchmark instance."""

    preferences: dict[str, list[str]]
    capacities: dict[str, int]
    lottery: list[str]


def make_instance(n: int, seed: int = SEED) -> BenchInstance:
    """Build a random instance with n applicants (deterministic for a given seed)."""
    rng = random.Random(seed * 1_000_003 + n)
    hosts = [f"h{j}" for j in range(HOSTS)]
    weights = [1 / (k + 1) ** 0.7 for k in range(HOSTS)]
    rng.shuffle(weights)
    prefs: dict[str, list[str]] = {}
    for i in range(n):
        row: list[str] = []
        seen: set[str] = set()
        while len(row) < CHOICES:
            for h in rng.choices(hosts, weights, k=CHOICES):
                if h not in seen:
                    seen.add(h)
                    row.append(h)
                    if len(row) == CHOICES:
                        break
        prefs[f"a{i}"] = row
    base, extra = divmod(n, HOSTS)
    lucky = set(rng.sample(range(HOSTS), extra))
    caps = {h: max(1, base + (j in lucky)) for j, h in enumerate(hosts)}
    lottery = list(prefs)
    rng.shuffle(lottery)
    return BenchInstance(prefs, caps, lottery)


def time_ours(inst: BenchInstance, repeat: int) -> tuple[list[float], dict[str, str | None]]:
    """Time build_instance + solve, `repeat` times; return the times and one assignment."""
    times: list[float] = []
    assignment: dict[str, str | None] = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        built = build_instance(inst.preferences, inst.capacities, tie_break=inst.lottery)
        result = solve(built)
        times.append(time.perf_counter() - t0)
        assignment = dict(result.assignment)
    built = build_instance(inst.preferences, inst.capacities, tie_break=inst.lottery)
    problems = check_stability(built, assignment)
    if problems:
        raise RuntimeError(f"unstable result: {problems[0]}")
    return times, assignment


def load_matching() -> Any | None:
    """Return matching.games.HospitalResident, or None if the package is missing."""
    try:
        games = importlib.import_module("matching.games")
    except ImportError:
        return None
    return games.HospitalResident


def time_matching(hr_class: Any, inst: BenchInstance) -> tuple[float, dict[str, str | None]]:
    """Time `matching`'s create_from_dictionaries + solve in a thread with a large stack."""
    hospital_prefs: dict[str, list[str]] = {h: [] for h in inst.capacities}
    for a in inst.lottery:
        for h in inst.preferences[a]:
            hospital_prefs[h].append(a)
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                game = hr_class.create_from_dictionaries(
                    inst.preferences, hospital_prefs, inst.capacities
                )
                matching = game.solve(optimal="resident")
                out["time"] = time.perf_counter() - t0
            out["assignment"] = {
                r.name: h.name for h, residents in matching.items() for r in residents
            }
        except BaseException as exc:  # reported in the caller's thread
            out["error"] = exc

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 1_000_000))
    old_stack = threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=work, name="matching-bench")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "error" in out:
        raise RuntimeError("the matching package failed") from out["error"]
    assignment = {a: out["assignment"].get(a) for a in inst.preferences}
    return float(out["time"]), assignment


def run(repeat: int = 3, compare: bool = True) -> dict[str, Any]:
    """Run the benchmark and return its figures (seconds, ratios, target verdicts)."""
    hr_class = load_matching() if compare else None
    rows: list[dict[str, Any]] = []
    for n in SIZES:
        inst = make_instance(n)
        times, ours = time_ours(inst, repeat)
        row: dict[str, Any] = {
            "applicants": n,
            "hosts": HOSTS,
            "seats": sum(inst.capacities.values()),
            "ours_min_s": min(times),
            "ours_median_s": statistics.median(times),
            "ours_max_s": max(times),
            "placed": sum(h is not None for h in ours.values()),
        }
        if hr_class is not None and n in COMPARE_SIZES:
            theirs_s, theirs = time_matching(hr_class, inst)
            row["matching_s"] = theirs_s
            row["ratio"] = theirs_s / statistics.median(times)
            row["same_result"] = theirs == ours
        rows.append(row)
    by_n = {r["applicants"]: r for r in rows}
    big = by_n[50_000]["ours_max_s"]
    ratio = by_n[10_000].get("ratio")
    return {
        "seed": SEED,
        "repeat": repeat,
        "python": sys.version.split()[0],
        "matching_installed": hr_class is not None,
        "rows": rows,
        "target_50k_ok": big < TARGET_50K_SECONDS,
        "target_ratio_10k_ok": None if ratio is None else ratio >= TARGET_RATIO_10K,
    }


def _verdict(ok: bool | None) -> str:
    return "skipped" if ok is None else ("OK" if ok else "MISSED")


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table; exit status 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of ours per size")
    parser.add_argument("--no-matching", action="store_true", help="skip the `matching` package")
    args = parser.parse_args(argv)
    return report(run(repeat=args.repeat, compare=not args.no_matching))


def report(figures: dict[str, Any]) -> int:
    """Print the table of a run's figures; 1 if a target is missed."""
    print(
        f"Allocation benchmark (Python {figures['python']}, seed {figures['seed']}, "
        f"{CHOICES} choices, {HOSTS} hosts, ours: best/median/worst of {figures['repeat']})"
    )
    if not figures["matching_installed"]:
        print("`matching` package not installed (or --no-matching): comparison skipped")
    header = (
        f"{'applicants':>10} {'seats':>7} {'placed':>7} {'ours best':>10} "
        f"{'median':>8} {'worst':>8} {'matching':>9} {'ratio':>7} {'same':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in figures["rows"]:
        theirs = f"{r['matching_s']:8.3f}s" if "matching_s" in r else f"{'-':>9}"
        ratio = f"{r['ratio']:6.0f}x" if "ratio" in r else f"{'-':>7}"
        same = ("yes" if r["same_result"] else "NO") if "same_result" in r else "-"
        print(
            f"{r['applicants']:>10} {r['seats']:>7} {r['placed']:>7} "
            f"{r['ours_min_s']:9.3f}s {r['ours_median_s']:7.3f}s {r['ours_max_s']:7.3f}s "
            f"{theirs} {ratio} {same:>5}"
        )
    worst_50k = figures["rows"][-1]["ours_max_s"]
    ratio_10k = next(r.get("ratio") for r in figures["rows"] if r["applicants"] == 10_000)
    print()
    print(
        f"target: 50 000 applicants end to end < {TARGET_50K_SECONDS:.0f} s "
        f"(worst run {worst_50k:.3f} s): {_verdict(figures['target_50k_ok'])}"
    )
    shown = "n/a" if ratio_10k is None else f"{ratio_10k:.0f}x"
    print(
        f"target: >= {TARGET_RATIO_10K:.0f}x faster than `matching` at 10 000 "
        f"({shown}): {_verdict(figures['target_ratio_10k_ok'])}"
    )
    missed = figures["target_50k_ok"] is False or figures["target_ratio_10k_ok"] is False
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
