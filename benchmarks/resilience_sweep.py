"""The resilience lab's clients over many seeds of its engine: each figure's range and how
many seeds pass every target, the way docs/sim.md's resilience table was measured.

Each client file runs behind the lab's driver in this process, on
`sim.scenario(random.Random(seed))` (the check draws the same distributions from a slow
hash of its seed), against the targets in the lab's bench. `--open-periods` adds the
reference solution with its breaker's open period set to each value, to see which open
periods notice every recovery within the allowance; `--outages` draws the outages'
lengths from other ranges than the engine's (one outage per range), to compare designs.

Usage: python benchmarks/resilience_sweep.py [FILE ...] [--seeds N] [--first N]
           [--open-periods 10,20,30] [--outages 35-45,70-80] [--jobs N]
(no FILE: the solution, the starter and every resilience file of tests/grader/)
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfcoach.labkit import load_module  # noqa: E402
from perfcoach.sim import resilience as sim  # noqa: E402

LAB = ROOT / "labs" / "resilience"
METRICS = ("success_pct", "outage_calls", "amplification", "retry_wave", "p99_s", "fallback_pct")


def _goals() -> dict[str, tuple[str, float]]:
    """The bench's targets: (">=" or "<=", threshold) per metric."""
    bench = load_module(LAB / "bench.py", "resilience_bench_sweep")
    return {
        "success_pct": (">=", bench.SUCCESS_PCT),
        "outage_calls": ("<=", bench.OUTAGE_CALLS),
        "amplification": ("<=", bench.AMPLIFICATION),
        "retry_wave": ("<=", bench.RETRY_WAVE),
        "p99_s": ("<=", bench.P99_S),
        "fallback_pct": (">=", bench.FALLBACK_PCT),
    }


def figures(
    path: Path, seed: int, open_s: float | None, outages: tuple[tuple[float, float], ...]
) -> dict[str, float]:
    """One client on one seed: the six figures the bench grades."""
    sim.OUTAGE_LENGTHS_S = outages
    driver = load_module(LAB / "driver.py", "resilience_driver_sweep")
    client = load_module(path, f"resilience_client_{seed}")
    if open_s is not None:
        client.OPEN_S = open_s
    sc = sim.scenario(random.Random(seed))
    runner = driver.Runner(client, seed)
    out = sim.simulate(sc, lambda batch: runner.batch(*batch))
    return {
        "success_pct": round(out.success_pct(sc), 2),
        "outage_calls": out.outage_calls(sc),
        "amplification": round(out.amplification(sc), 3),
        "retry_wave": out.retry_wave(),
        "p99_s": round(out.p99_s(sc), 3),
        "fallback_pct": round(out.fallback_pct(sc), 2),
    }


Job = tuple[str, Path, int, float | None, tuple[tuple[float, float], ...]]


def _run(job: Job) -> tuple[str, dict[str, float]]:
    name, path, seed, open_s, outages = job
    return name, figures(path, seed, open_s, outages)


def _met(goal: tuple[str, float], value: float) -> bool:
    op, threshold = goal
    return value >= threshold if op == ">=" else value <= threshold


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--open-periods", default="", help="comma-separated seconds")
    parser.add_argument("--outages", default="", help="length ranges, e.g. 35-45,70-80")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    files: list[Path] = args.files or [
        LAB / "solution" / "client.py",
        LAB / "starter" / "client.py",
        *sorted((ROOT / "tests" / "grader" / "alternatives" / "resilience").glob("*.py")),
        *sorted((ROOT / "tests" / "grader" / "attacks" / "resilience").glob("wrong_fix_*.py")),
    ]
    clients: list[tuple[str, Path, float | None]] = [
        (f.parent.name if f.name == "client.py" else f.stem, f, None) for f in files
    ]
    reference = LAB / "solution" / "client.py"
    for period in filter(None, args.open_periods.split(",")):
        clients.append((f"solution, open {period} s", reference, float(period)))
    seeds = range(args.first, args.first + args.seeds)
    outages = sim.OUTAGE_LENGTHS_S
    if args.outages:
        outages = tuple(
            (float(lo), float(hi)) for lo, hi in (r.split("-") for r in args.outages.split(","))
        )
    jobs: list[Job] = [
        (name, path, seed, open_s, outages) for name, path, open_s in clients for seed in seeds
    ]
    results: dict[str, list[dict[str, float]]] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for name, figs in pool.map(_run, jobs):
            results.setdefault(name, []).append(figs)
    goals = _goals()
    print(f"seeds {seeds.start}-{seeds.stop - 1} of the engine, outages {outages}")
    print(f"targets {goals}")
    for name, rows in results.items():
        passed = sum(all(_met(goals[m], r[m]) for m in METRICS) for r in rows)
        missed = Counter(m for r in rows for m in METRICS if not _met(goals[m], r[m]))
        spans = "  ".join(
            f"{m} {min(r[m] for r in rows):g}-{max(r[m] for r in rows):g}" for m in METRICS
        )
        print(f"{name}: passes {passed}/{len(rows)}; misses {dict(missed) or '-'}\n    {spans}")


if __name__ == "__main__":
    main()
