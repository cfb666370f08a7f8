"""The ecommerce-100k seed sweep behind docs/sim.md's table: every plan of the lab's corpus
(and a few under-sized or near-the-line variants of the reference) graded the way a check
grades it, in process, on many seeds.

Each plan goes through the lab's driver and `sim.validate`; each seed's days are the
bench's own (`bench.days` on `random.Random(f"{seed}:{salt}")`, what `ctx.rng` gives a
check), each row's figure its worst day's (`bench.FIGURES`). "one day" counts the seeds a
plan passes when graded on the first day alone, as the lab graded before it drew three;
"three days" counts them as it grades now. The figures are the graded ones' ranges.

Usage: python benchmarks/ecommerce_days.py [--seeds N]   (about 4 s a seed on one core)
"""

from __future__ import annotations

import argparse
import copy
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfcoach.labkit import load_module
from perfcoach.sim import ecommerce as sim

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "labs" / "ecommerce-100k"
CORPUS = ROOT / "tests" / "grader"


@dataclass
class Tally:
    """One plan over the sweep: seeds passed each way, and each graded figure's range."""

    one_day: int = 0
    three_days: int = 0
    low: dict[str, float] = field(default_factory=dict)
    high: dict[str, float] = field(default_factory=dict)

    def add(self, figures: dict[str, float]) -> None:
        for name, value in figures.items():
            self.low[name] = min(self.low.get(name, value), value)
            self.high[name] = max(self.high.get(name, value), value)


def plans() -> dict[str, dict[str, Any]]:
    """Every plan swept, as the driver sends it, by the name the table gives it."""
    driver = load_module(LAB / "driver.py", "ecommerce_days_driver")

    def read(path: Path) -> dict[str, Any]:
        plan: dict[str, Any] = driver.plan(load_module(path, f"ecommerce_days_{path.stem}"))
        return plan

    reference = read(LAB / "solution" / "plan.py")

    def variant(section: str, key: str, value: object) -> dict[str, Any]:
        plan = copy.deepcopy(reference)
        plan[section][key] = value
        return plan

    found = {"starter": read(LAB / "starter" / "plan.py"), "solution": reference}
    for kind in ("alternatives", "attacks"):
        for path in sorted((CORPUS / kind / "ecommerce-100k").glob("*.py")):
            if kind == "alternatives" or path.stem.startswith("wrong_fix_"):
                found[path.stem] = read(path)
    found["reference, three replicas"] = variant("database", "replicas", 3)
    found["reference, four cache nodes"] = variant("cache", "redis_nodes", 4)
    found["reference, round robin at 80 %"] = variant("instances", "target_cpu", 0.8)
    found["reference, pools of 1"] = variant("database", "pool_per_instance", 1)
    lo = variant("instances", "target_cpu", 0.9)
    found["reference, least outstanding at 90 %"] = {**lo, "balancer": "least_outstanding"}
    local = variant("cache", "redis_nodes", 0)
    local["cache"]["local_mb"] = 512
    found["reference, 512 MB local caches, no Redis"] = local
    return found


def sweep(seeds: int) -> dict[str, Tally]:
    """Seeds 1..seeds, every plan on each seed's days."""
    bench = load_module(LAB / "bench.py", "ecommerce_days_bench")
    validated = {name: sim.validate(data) for name, data in plans().items()}
    tallies = {name: Tally() for name in validated}
    for seed in range(1, seeds + 1):
        days = bench.days(lambda salt, seed=seed: random.Random(f"{seed}:{salt}"))
        for name, plan in validated.items():
            outcomes = [sim.simulate(day, plan) for day in days]
            per_day = [{k: row[0](out) for k, row in bench.FIGURES.items()} for out in outcomes]
            worst = {k: max(day[k] for day in per_day) for k in bench.FIGURES}
            tally = tallies[name]
            tally.one_day += all(bench.FIGURES[k][1](v) for k, v in per_day[0].items())
            tally.three_days += all(bench.FIGURES[k][1](v) for k, v in worst.items())
            tally.add(worst)
    return tallies


def span(low: float, high: float, digits: int) -> str:
    """A range as the table writes it: '103-118', '0-0.004', '1,000'."""

    def one(value: float) -> str:
        return "0" if value == 0 else f"{value:,.{digits}f}"

    return one(low) if one(low) == one(high) else f"{one(low)}-{one(high)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    seeds = parser.parse_args().seeds
    columns = ("passes, one day", "passes, three days", "P95 ms", "errors %", "connections")
    print(f"| plan | {' | '.join(columns)} | cost % |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, t in sweep(seeds).items():
        cells = [
            span(t.low["p95_ms"], t.high["p95_ms"], 0),
            span(t.low["error_pct"], t.high["error_pct"], 3),
            span(t.low["db_connections"], t.high["db_connections"], 0),
            span(t.low["cost_pct"], t.high["cost_pct"], 1),
        ]
        label = name if name in ("starter", "solution") or " " in name else f"`{name}`"
        print(f"| {label} | {t.one_day} | {t.three_days} | {' | '.join(cells)} |")
    print(f"\n(seeds 1-{seeds})")


if __name__ == "__main__":
    main()
