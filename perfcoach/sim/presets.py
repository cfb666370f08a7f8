"""The playground's parameters and presets: what an interactive face lets the learner set,
within bounds that keep one run of a simulation well under a second, and the named
settings that lessons link to.

Data only at import (the catalog checks lessons' links against PRESETS when it loads a
pack); `run` imports the engines when a simulation is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfcoach.sim.playground import Result


@dataclass(frozen=True)
class Parameter:
    """One input of a simulation: its name (as `perfcoach sim` spells the option), what it
    is, whole or not, the range the playground accepts, and the step of one nudge."""

    name: str
    help: str
    whole: bool
    low: float
    high: float
    step: float


@dataclass(frozen=True)
class Preset:
    """A named setting of one simulation that shows one thing a lesson teaches (its title
    fits a picker 20 columns wide)."""

    name: str
    simulation: str
    title: str
    values: tuple[float, ...]  # one per parameter of the simulation, in order


SEED = Parameter("seed", "seed of the random draws", True, 0, 2**31 - 1, 1)

# The engines' own bounds, except the sizes of a run (keys, requests, nodes), which are
# capped so a redraw stays interactive; `perfcoach sim` takes the full ranges.
PARAMETERS: dict[str, tuple[Parameter, ...]] = {
    "cache": (
        Parameter("keys", "distinct keys requested", True, 10, 20_000, 100),
        Parameter("skew", "Zipf exponent s", False, 0, 3, 0.1),
        Parameter("ttl", "TTL, in requests", True, 1, 10_000_000, 100),
        Parameter("requests", "requests counted", True, 1_000, 50_000, 1_000),
        SEED,
    ),
    "queue": (
        Parameter("servers", "servers sharing the queue", True, 1, 256, 1),
        Parameter("service-ms", "mean service time, ms", False, 0.001, 60_000, 1),
        Parameter("utilisation", "highest utilisation", False, 0.05, 0.99, 0.01),
        Parameter("requests", "requests per utilisation", True, 1_000, 20_000, 1_000),
        SEED,
    ),
    "shard": (
        Parameter("keys", "keys placed", True, 100, 10_000, 100),
        Parameter("shards", "shards at the start", True, 1, 100, 1),
        Parameter("add", "shards added", True, 1, 20, 1),
        Parameter("vnodes", "points per shard on the ring", True, 1, 1_000, 10),
        SEED,
    ),
    "lb": (
        Parameter("servers", "servers behind the balancer", True, 2, 32, 1),
        Parameter("slow", "slow servers", True, 0, 31, 1),
        Parameter("slow-speed", "the slow servers' speed", False, 0.05, 1, 0.05),
        Parameter("requests", "requests per utilisation", True, 500, 3_000, 100),
        SEED,
    ),
    "usl": (
        Parameter("alpha", "contention α", False, 0, 0.99, 0.01),
        Parameter("beta", "coherency β", False, 1e-6, 0.5, 0.0005),
        Parameter("x1", "throughput of one node, /s", False, 0.001, 1e9, 100),
        Parameter("nodes", "nodes up to", True, 3, 1_000, 8),
        Parameter("noise", "relative noise of the points", False, 0, 0.2, 0.01),
        SEED,
    ),
}

SIMULATIONS = {  # titles short enough for a picker 20 columns wide
    "cache": "cache: hit rate",
    "queue": "queue: latency",
    "shard": "shard: keys moved",
    "lb": "lb: balancers",
    "usl": "usl: scaling",
}

PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset("cache-zipf", "cache", "Zipf 1.0, the lesson's", (1000, 1.0, 2000, 10_000, 1)),
        Preset("cache-flat", "cache", "Zipf 0.5, flatter", (1000, 0.5, 2000, 10_000, 1)),
        Preset("cache-short-ttl", "cache", "a short TTL", (1000, 1.0, 200, 10_000, 1)),
        Preset("queue-four", "queue", "4 servers", (4, 10, 0.95, 10_000, 1)),
        Preset("queue-one", "queue", "1 server (M/M/1)", (1, 10, 0.95, 10_000, 1)),
        Preset("queue-pool", "queue", "a pool of 32", (32, 10, 0.95, 10_000, 1)),
        Preset("shard-grow", "shard", "2 to 10 shards", (2000, 2, 8, 100, 1)),
        Preset("shard-ten-up", "shard", "10 to 14 shards", (2000, 10, 4, 100, 1)),
        Preset("shard-one-vnode", "shard", "1 vnode per shard", (2000, 2, 8, 1, 1)),
        Preset("lb-two-slow", "lb", "2 of 8 at half speed", (8, 2, 0.5, 1000, 1)),
        Preset("lb-very-slow", "lb", "1 of 8 at a fifth", (8, 1, 0.2, 1000, 1)),
        Preset("lb-equal", "lb", "8 equal servers", (8, 0, 1, 1000, 1)),
        Preset("usl-lesson", "usl", "the lesson's α, β", (0.05, 0.001, 1000, 64, 0.02, 1)),
        Preset("usl-amdahl", "usl", "β ≈ 0 (Amdahl)", (0.05, 1e-6, 1000, 64, 0.02, 1)),
        Preset("usl-crosstalk", "usl", "β 0.01, early peak", (0.02, 0.01, 1000, 64, 0.02, 1)),
    )
}


def presets_of(simulation: str) -> list[Preset]:
    """The presets of one simulation, the default (its first) first."""
    return [preset for preset in PRESETS.values() if preset.simulation == simulation]


def run(simulation: str, values: tuple[float, ...]) -> Result:
    """Run one simulation with one value per parameter (in PARAMETERS' order); raises
    playground.ParameterError for a value outside the engine's range."""
    from collections.abc import Callable

    from perfcoach.sim import playground

    engines: dict[str, Callable[..., Result]] = {
        "cache": playground.cache,
        "queue": playground.queue,
        "shard": playground.shard,
        "lb": playground.lb,
        "usl": playground.usl,
    }
    args = [
        int(value) if param.whole else float(value)
        for param, value in zip(PARAMETERS[simulation], values, strict=True)
    ]
    return engines[simulation](*args)


def read_value(param: Parameter, text: str) -> float:
    """The number typed for a parameter (commas and underscores between digits allowed);
    ValueError with a one-line message when it is not one or is out of range."""
    from perfcoach.sim.playground import check

    typed = text.strip().replace(",", "").replace("_", "")
    try:
        value = float(int(typed)) if param.whole else float(typed)
    except ValueError:
        kind = "a whole number" if param.whole else "a number"
        raise ValueError(f"{param.name} must be {kind}, not {text.strip()!r}") from None
    check(param.name, value, param.low, param.high)
    return value


def nudge(param: Parameter, value: float, steps: int) -> float:
    """value moved by whole steps and kept within bounds, without float noise (0.1 + 0.2
    reads 0.3), so the up and down keys can work an input like a slider."""
    moved = min(param.high, max(param.low, value + steps * param.step))
    return float(f"{moved:.12g}")
