"""Benchmark: order a pool of 1 000 000 entries with chancery.draws.lottery (target < 2 s, #18).

Run ``python bench/bench_draws.py [--repeat N]``.  ``make bench`` calls ``run()``, which
returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ENTRIES = 1_000_000
TARGET_SECONDS = 2.0
KEY = "4.8.15.16.23.42./9319./"


def _lottery() -> ModuleType:
    """Import the lottery module, also when this file is run as a script from a checkout."""
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module("chancery.draws.lottery")


def run(repeat: int = 3, entries: int = ENTRIES) -> dict[str, Any]:
    """Time order() on a pool of ``entries`` ``repeat`` times and return the figures."""
    lottery = _lottery()
    pool = [f"Entrant {i:07d}" for i in range(entries)]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        drawn = lottery.order(pool, KEY)
        times.append(time.perf_counter() - started)
        if len(drawn) != entries or len(set(drawn)) != entries:
            raise AssertionError("order() did not return a permutation of the pool")
    median = statistics.median(times)
    return {
        "name": "draws.order",
        "python": sys.version.split()[0],
        "entries": entries,
        "algorithm": lottery.DEFAULT_ALGORITHM,
        "repeat": repeat,
        "best_s": round(min(times), 3),
        "median_s": round(median, 3),
        "worst_s": round(max(times), 3),
        "target_s": TARGET_SECONDS,
        "target_ok": median < TARGET_SECONDS,
    }


def main(argv: list[str] | None = None) -> int:
    """Print a one-line figure; exit status 1 if the median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median is judged)")
    args = parser.parse_args(argv)
    return report(run(repeat=args.repeat))


def report(figures: dict[str, Any]) -> int:
    """Print the figure; 1 if the median misses the target."""
    verdict = "OK" if figures["target_ok"] else "MISSED"
    print(
        f"{figures['name']} {figures['entries']} entries: {figures['median_s']:.2f} s "
        f"(median of {figures['repeat']}, best {figures['best_s']:.2f} s; "
        f"target < {TARGET_SECONDS:g} s) {verdict}"
    )
    return 0 if figures["target_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
