"""Run every benchmark in this folder in one go: each prints its figures against its target,
then a summary lists every target side by side; the figures are saved in bench/results.json.

Each bench_*.py module has `run() -> dict` (measure) and `report(dict) -> int` (print; 1 when
a target is missed). `python -m bench draws import` runs only those.
"""

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
    verdicts: list[tuple[str, bool]] = []
    for module_info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda m: m.name):
        name = module_info.name.removeprefix("bench_")
        if not module_info.name.startswith("bench_") or (only and name not in only):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        figures = module.run()
        missed = module.report(figures)
        print(f"   ({time.perf_counter() - started:.1f} s in all)\n", flush=True)
        results[name] = figures
        verdicts.append((name, missed == 0))
    path = HERE / "results.json"
    if only and path.exists():  # a partial run keeps the other benchmarks' last figures
        results = {**json.loads(path.read_text()), **results}
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print("Summary")
    for name, ok in verdicts:
        print(f"  {name:<12} {'every target met' if ok else 'TARGET MISSED'}")
    print(f"Figures written to {HERE / 'results.json'}")
    return 0 if all(ok for _name, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
