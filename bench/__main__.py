"""Run every benchmark in this folder, print the figures side by side, save them as JSON."""

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = set(argv)
    results: dict[str, object] = {}
    for module_info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda m: m.name):
        name = module_info.name
        if not name.startswith("bench_") or (only and name.removeprefix("bench_") not in only):
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name.removeprefix('bench_')}", flush=True)
        started = time.perf_counter()
        results[name.removeprefix("bench_")] = module.run()
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"Results written to {HERE / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
