"""The seed sweep behind docs/sim.md's cost-rightsizing table: every policy of the lab's
corpus, and a few kept out of it, on the check's own weeks, through the lab's driver.

Each row runs one policy on the weeks of seeds 1-N exactly as `lab check --seed S` draws
them (`bench.week`), behind the lab's driver (the observation, the history, last_change),
and grades the fleet with the lab's bounds. A check does nothing else, so a row's verdicts
are the checks' verdicts for those seeds, ~50 ms a week instead of a check's ~0.3 s.

Usage: python benchmarks/rightsizing_sweep.py [--seeds N]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from perfcoach.labkit import load_module
from perfcoach.sim import rightsizing as sim

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "labs" / "cost-rightsizing"
CORPUS = ROOT / "tests" / "grader"
BENCH = load_module(LAB / "bench.py", "rightsizing_sweep_bench")


def tracking(target: float, hold: int) -> Callable[[Any], int]:
    """Target tracking on the last load; scale-in to the recent peak after `hold` intervals
    (0: at once, to the last load). The lesson's shape, kept out of the corpus."""

    def policy(obs: Any) -> int:
        have = obs.running + obs.booting
        want = max(2, math.ceil(obs.load / (obs.per_instance_rps * target)))
        if want > have or not hold:
            return want
        if obs.last_change is None or obs.t - obs.last_change >= hold:
            peak = max(obs.history[-hold:])
            return min(have, max(2, math.ceil(peak / (obs.per_instance_rps * target))))
        return have

    return policy


def never_in(obs: Any) -> int:
    """Scale out at 65 %, never in: after the first spike it is a fixed fleet."""
    return max(obs.running + obs.booting, math.ceil(obs.load / (obs.per_instance_rps * 0.65)))


def affordable_schedule(cover: int, headroom: float = 1.15) -> Callable[[Any], int]:
    """The strongest blind plan we found: it knows the engine's daily curve and its ranges,
    keeps the fleet each hour of the week needs at the top of those ranges (with headroom),
    and holds `cover` instances for spikes over the hours where that costs least, as many
    as the cost bound leaves room for (1 point spare). It never reads the load."""
    top = sim.WEEKDAY_PEAK[1]
    base: dict[tuple[int, int], int] = {}
    for day in range(sim.DAYS):
        floor = 100.0 if day < 5 else 45.0
        peak = top * sim.DAY_FACTOR[day][1]
        for hour in range(24):
            shape = max(sim.daily_shape(hour + h) for h in (0.0, 0.5, 1.0))
            base[day, hour] = max(2, math.ceil((floor + (peak - floor) * shape) * headroom / 100))
    budget = (BENCH.COST_PCT - 1) / 100 * sim.PEAK_FLEET * len(base)
    spent = float(sum(base.values()))
    covered: set[tuple[int, int]] = set()
    for slot in sorted(base, key=lambda s: cover - base[s]):
        if spent + cover - base[slot] > budget:
            break
        spent += cover - base[slot]
        covered.add(slot)

    def policy(obs: Any) -> int:
        day, slot = divmod((obs.t + 2) % sim.INTERVALS, sim.PER_DAY)  # where a launch serves
        hour = (day, slot // 12)
        return cover if hour in covered else base[hour]

    return policy


def files() -> list[tuple[str, Path]]:
    """The solution, the alternatives and the wrong fixes, as the corpus holds them."""
    found = [("solution", LAB / "solution" / "autoscaler.py")]
    for folder in ("alternatives", "attacks"):
        for path in sorted((CORPUS / folder / "cost-rightsizing").glob("*.py")):
            if folder == "alternatives" or path.stem.startswith(("wrong_fix", "class5_schedule")):
                found.append((f"{folder}/{path.stem}", path))
    return found


def week(policy: ModuleType | SimpleNamespace, seed: int) -> tuple[sim.Scenario, sim.Outcome]:
    """One check's week for the seed, the policy behind a fresh driver."""
    sc = BENCH.week(SimpleNamespace(seed=seed))
    driver = load_module(LAB / "driver.py", "rightsizing_sweep_driver")
    scaler = driver.Autoscaler()
    return sc, sim.simulate(sc, lambda obs: scaler.decide(policy, *obs.wire()))


def passes(sc: sim.Scenario, out: sim.Outcome) -> bool:
    """Whether every row meets its target, rounded as the check rounds it."""
    return (
        round(out.slo_miss_pct(sc), 2) <= BENCH.SLO_MISS_PCT
        and round(out.cost_pct(), 2) <= BENCH.COST_PCT
        and round(out.actions_per_day(), 1) <= BENCH.ACTIONS_PER_DAY
        and out.min_serving() >= BENCH.MIN_INSTANCES
    )


def row(name: str, make: Callable[[], ModuleType | SimpleNamespace], seeds: range) -> str:
    """A Markdown row: passes, and each metric's range over the seeds."""
    figures: list[tuple[float, float, float, int]] = []
    passed = 0
    for seed in seeds:
        sc, out = week(make(), seed)
        passed += passes(sc, out)
        figures.append(
            (out.slo_miss_pct(sc), out.cost_pct(), out.actions_per_day(), out.min_serving())
        )
    miss, cost, actions, fewest = zip(*figures, strict=True)
    return (
        f"| {name} | {passed}/{len(seeds)} | {min(miss):.2f}-{max(miss):.2f} "
        f"| {min(cost):.1f}-{max(cost):.1f} | {min(actions):.1f}-{max(actions):.1f} "
        f"| {min(fewest)}-{max(fewest)} |"
    )


def main() -> None:
    """Print the table for seeds 1-N."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    seeds = range(1, parser.parse_args().seeds + 1)
    print("| policy | passes | SLO misses, % | cost, % | actions a day | fewest serving |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, path in files():
        print(row(name, lambda path=path: load_module(path, f"sweep_{path.stem}"), seeds))
    extra: list[tuple[str, Callable[[Any], int]]] = [
        ("tracking at 80 %, 30-minute hold", tracking(0.8, 6)),
        ("tracking at 80 %, no hold", tracking(0.8, 0)),
        ("never scaling in", never_in),
        *[(f"affordable schedule, {n} for spikes", affordable_schedule(n)) for n in (34, 38, 42)],
    ]
    for name, policy in extra:
        blind = SimpleNamespace(policy=policy)
        print(row(f"in process: {name}", lambda blind=blind: blind, seeds))


if __name__ == "__main__":
    main()
