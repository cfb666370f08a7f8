"""The five simulations of `perfcoach sim`, each a sweep returned as tables, plots and figures.

Every run is deterministic for its parameters and seed, and returns plain numbers: the CLI
prints them (a table, a terminal plot, or JSON) and a TUI could draw the same `Result`.
Each simulation sets its closed form beside what it measured where one exists (Che's
approximation, Erlang C, 1/(N+1) movement, the USL peak), so the lesson's formulas can be
seen holding, or breaking, as the parameters move.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from perfcoach.sim import balancers, cache_policies, capacity, sharding
from perfcoach.sim.load_balancing import TICK_MS, simulate
from perfcoach.sim.mmc import simulate_mmc

Cell = float | int


class ParameterError(ValueError):
    """A parameter outside the range its simulation accepts."""

    def __init__(self, name: str, value: float, low: float, high: float) -> None:
        self.name, self.value, self.low, self.high = name, value, low, high
        super().__init__(f"{name} must be from {low:,g} to {high:,g}, not {value:,g}")


def check(name: str, value: float, low: float, high: float) -> None:
    """Raise ParameterError unless low ≤ value ≤ high (NaN is never in range)."""
    if not low <= value <= high:
        raise ParameterError(name, value, low, high)


@dataclass(frozen=True)
class Column:
    """A table column: its JSON key, its heading, and how its numbers read (count, percent,
    ms, ratio or rate)."""

    key: str
    title: str
    kind: str


@dataclass(frozen=True)
class Table:
    """Rows of numbers under named columns."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]

    def records(self) -> list[dict[str, Cell]]:
        """Each row as a dict keyed by column key."""
        return [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Line:
    """One curve of a plot: a y per x of the plot (NaN where it has none); measured points
    are drawn unjoined."""

    name: str
    ys: list[float]
    points: bool = False


@dataclass(frozen=True)
class Plot:
    """Curves over one x axis; the first is the one to keep in view where they overlap."""

    title: str
    x_label: str
    y_label: str
    xs: list[float]
    lines: list[Line]
    log_y: bool = False
    log_x: bool = False


@dataclass(frozen=True)
class Result:
    """A simulation's parameters, its tables and plots, named figures and what they say."""

    simulation: str
    params: dict[str, Cell]
    tables: list[Table]
    plots: list[Plot]
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """Plain data: parameters, every table's rows as records, the figures and notes."""
        return {
            "simulation": self.simulation,
            "params": self.params,
            **{table.key: table.records() for table in self.tables},
            "figures": {k: _finite(v) for k, v in self.figures.items()},
            "notes": self.notes,
        }


def _finite(value: float) -> float | None:
    """JSON has no infinity: an unbounded figure is null."""
    return value if math.isfinite(value) else None


# cache: hit rate against size, LRU / LFU / TTL, Che beside LRU

CACHE_SIZES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8)  # fractions of the key count


def cache(keys: int, skew: float, ttl: int, requests: int, seed: int) -> Result:
    """Hit rate of each policy at eight cache sizes, on one seeded Zipf trace (the first
    quarter warms the caches up and is not counted)."""
    check("keys", keys, 10, 100_000)
    check("skew", skew, 0, 3)
    check("ttl", ttl, 1, 10_000_000)
    check("requests", requests, 1_000, 1_000_000)
    warmup = requests // 4
    trace = cache_policies.zipf_trace(keys, skew, warmup + requests, random.Random(seed))
    shares = cache_policies.zipf_probabilities(keys, skew)
    sizes = sorted({max(1, round(f * keys)) for f in CACHE_SIZES})
    rows: list[list[Cell]] = []
    for size in sizes:
        rows.append(
            [
                size,
                cache_policies.lru_hits(trace, size, warmup) / requests,
                cache_policies.che_lru_hit_rate(shares, size),
                cache_policies.lfu_hits(trace, size, warmup) / requests,
                cache_policies.top_keys_hit_rate(shares, size),
                cache_policies.ttl_hits(trace, size, ttl, warmup) / requests,
            ]
        )
    columns = [
        Column("size", "size", "count"),
        Column("lru", "LRU", "percent"),
        Column("che", "Che (LRU)", "percent"),
        Column("lfu", "LFU", "percent"),
        Column("top", "top keys", "percent"),
        Column("ttl", "TTL", "percent"),
    ]
    table = Table("sizes", "hit rate by cache size", columns, rows)
    return Result(
        "cache",
        {"keys": keys, "skew": skew, "ttl": ttl, "requests": requests, "seed": seed},
        [table],
        [
            _plot(
                table,
                "hit rate against cache size",
                "cache size (keys)",
                "hit rate %",
                100,
                log_x=True,
            )
        ],
        notes=[
            "Che: Σ p_i(1 − e^(−p_i·T)) with T where Σ(1 − e^(−p_i·T)) = size; top keys: the "
            "most popular keys held, the best any cache can do on independent requests",
            f"TTL: LRU whose entries also expire {ttl:,} requests after they were written",
        ],
    )


# queue: P50/P99 against utilisation for c servers, Erlang C beside the simulation


def queue(servers: int, service_ms: float, top: float, requests: int, seed: int) -> Result:
    """An M/M/c queue at utilisations 10 %, 20 %, … up to `top`: measured P50, P99 and share of
    requests that waited, beside the closed forms (Erlang C)."""
    check("servers", servers, 1, 256)
    check("service-ms", service_ms, 0.001, 60_000)
    check("utilisation", top, 0.05, 0.99)
    check("requests", requests, 1_000, 1_000_000)
    mu = 1000 / service_ms
    rng = random.Random(seed)
    rows: list[list[Cell]] = []
    for rho in [k / 10 for k in range(1, 10) if k / 10 < top] + [top]:
        lam = rho * servers * mu
        run = simulate_mmc(servers, lam, mu, requests, rng, warmup=requests // 10)
        waits = capacity.erlang_c(servers, lam / mu)
        rows.append(
            [
                round(rho, 6),
                run.quantile(0.5) * 1000,
                capacity.mmc_quantile(0.5, servers, lam, mu, waits) * 1000,
                run.quantile(0.99) * 1000,
                capacity.mmc_quantile(0.99, servers, lam, mu, waits) * 1000,
                run.wait_probability,
                waits,
                run.mean_wait_s * 1000,
                waits / (servers * mu - lam) * 1000,
            ]
        )
    columns = [
        Column("utilisation", "util", "percent"),
        Column("p50_ms", "P50", "ms"),
        Column("erlang_p50_ms", "P50 (C)", "ms"),
        Column("p99_ms", "P99", "ms"),
        Column("erlang_p99_ms", "P99 (C)", "ms"),
        Column("waited", "waited", "percent"),
        Column("erlang_c", "Erlang C", "percent"),
        Column("mean_wait_ms", "wait", "ms"),
        Column("erlang_mean_wait_ms", "wait (C)", "ms"),
    ]
    util = [row[:1] for row in rows]
    response = Table(
        "response", "response time by utilisation", columns[:5], [row[:5] for row in rows]
    )
    waiting = Table(
        "waiting",
        "waiting by utilisation",
        columns[:1] + columns[5:],
        [u + row[5:] for u, row in zip(util, rows, strict=True)],
    )
    return Result(
        "queue",
        {
            "servers": servers,
            "service_ms": service_ms,
            "utilisation": top,
            "requests": requests,
            "seed": seed,
        },
        [response, waiting],
        [_plot(response, "response time against utilisation", "utilisation %", "ms", 1, 100)],
        notes=[
            "(C): the closed form: Erlang C is the chance an arrival waits, "
            "its mean wait C/(cμ − λ), and P50/P99 the M/M/c response-time quantiles"
        ],
    )


# shard: keys moved and balance as shards are added one by one

SCHEMES: dict[str, sharding.RouterFactory] = {
    "mod-N": sharding.ModN,
    "ring": sharding.HashRing,
    "jump": sharding.JumpHash,
    "rendezvous": sharding.Rendezvous,
}


def shard(keys: int, start: int, add: int, vnodes: int, seed: int) -> Result:
    """Add shards one at a time from `start`: the share of keys each scheme moves at each
    step, beside 1/(N+1), and the hottest shard over the mean after it."""
    check("keys", keys, 100, 100_000)
    check("shards", start, 1, 100)
    check("add", add, 1, 50)
    check("vnodes", vnodes, 1, 1_000)
    rng = random.Random(seed)
    names = [f"key:{rng.getrandbits(48)}" for _ in range(keys)]
    factories = dict(SCHEMES, ring=lambda shards: sharding.HashRing(shards, vnodes))
    shards = [f"shard-{i}" for i in range(start)]
    placed = {name: sharding.place(f, shards, names) for name, f in factories.items()}
    moved_rows: list[list[Cell]] = []
    balance_rows: list[list[Cell]] = []
    needless = dict.fromkeys(factories, 0)
    for _ in range(add):
        bigger = [*shards, f"shard-{len(shards)}"]
        moved_row: list[Cell] = [len(bigger)]
        balance_row: list[Cell] = [len(bigger)]
        for name, factory in factories.items():
            after = sharding.place(factory, bigger, names)
            change = sharding.movement(names, placed[name], after, shards, bigger)
            needless[name] += change.needless
            moved_row.append(change.fraction)
            balance_row.append(sharding.balance(bigger, after).max_over_mean)
            placed[name] = after
        moved_row += [
            sharding.ideal_moved_fraction(len(shards)),
            sharding.mod_n_moved_fraction(len(shards)),
        ]
        moved_rows.append(moved_row)
        balance_rows.append(balance_row)
        shards = bigger
    scheme_columns = [Column(_key(name), name, "percent") for name in factories]
    moved = Table(
        "moved",
        "keys moved by the shard added",
        [
            Column("shards", "shards", "count"),
            *scheme_columns,
            Column("ideal", "1/(N+1)", "percent"),
            Column("mod_n_expected", "N/(N+1)", "percent"),
        ],
        moved_rows,
    )
    spread = Table(
        "balance",
        "hottest shard over the mean",
        [Column("shards", "shards", "count")]
        + [Column(_key(name), name, "ratio") for name in factories],
        balance_rows,
    )
    return Result(
        "shard",
        {"keys": keys, "shards": start, "add": add, "vnodes": vnodes, "seed": seed},
        [moved, spread],
        [
            _plot(moved, "share of keys moved when a shard joins", "shards", "moved %", 100),
            _plot(spread, "hottest shard / mean", "shards", "max/mean", 1),
        ],
        figures={f"needless_{_key(name)}": float(n) for name, n in needless.items()},
        notes=[
            "a consistent scheme moves only keys to the new shard: about 1/(N+1) of them; "
            "hash mod N moves about N/(N+1), mostly between shards that were already there",
            "needless moves (between two old shards): "
            + ", ".join(f"{name} {n:,}" for name, n in needless.items()),
        ],
    )


def _key(name: str) -> str:
    return name.replace("-", "_").lower()


# lb: P50/P99 of three balancing policies under unequal server speeds

LB_UTILISATIONS = (0.3, 0.5, 0.7, 0.8, 0.9)


def lb(servers: int, slow: int, slow_speed: float, requests: int, seed: int) -> Result:
    """Each policy on the load-balancing lab's engine, at five utilisations of the cluster's
    total speed, with `slow` servers running at `slow_speed`."""
    check("servers", servers, 2, 64)
    check("slow", slow, 0, servers - 1)
    check("slow-speed", slow_speed, 0.05, 1)
    check("requests", requests, 500, 200_000)
    speeds = tuple(slow_speed if s < slow else 1.0 for s in range(servers))
    rows: list[list[Cell]] = []
    for rho in LB_UTILISATIONS:
        scenario = balancers.steady_scenario(speeds, rho, requests, random.Random(f"{seed}:{rho}"))
        row: list[Cell] = [rho]
        for make in balancers.POLICIES.values():
            out = simulate(scenario, make(servers, random.Random(f"{seed}:{rho}:policy")))
            row += [out.percentile(0.5), out.percentile(0.99)]
        rows.append(row)
    columns = [Column("utilisation", "util", "percent")]
    for name in balancers.POLICIES:
        short = "".join(word[0] for word in name.split()).upper()
        columns += [
            Column(f"{_key(name.replace(' ', '_'))}_p50_ms", f"{short} P50", "ms"),
            Column(f"{_key(name.replace(' ', '_'))}_p99_ms", f"{short} P99", "ms"),
        ]
    table = Table("utilisations", "response time by utilisation", columns, rows)
    p99 = Table(table.key, table.title, columns[::2], [row[::2] for row in rows])
    limit = slow_speed * servers / sum(speeds) if slow else math.inf
    return Result(
        "lb",
        {
            "servers": servers,
            "slow": slow,
            "slow_speed": slow_speed,
            "requests": requests,
            "seed": seed,
        },
        [table],
        [_plot(p99, "P99 against utilisation", "utilisation %", "P99 ms", 1, 100, log_y=True)],
        figures={"round_robin_limit": limit},
        notes=[
            "RR round robin, LO least outstanding, TC two choices; mean service 10 ms at "
            f"speed 1; the balancer hears of responses once per {TICK_MS:.0f} ms tick, as in "
            "the load-balancing lab",
            f"round robin overloads the slow servers above {limit:.0%} utilisation"
            if slow and limit < 1
            else "round robin keeps every server under capacity at every utilisation shown",
        ],
    )


# usl: throughput against nodes for α, β, and a fit of noisy measurements

USL_ROWS = 12


def usl(alpha: float, beta: float, x1: float, nodes: int, noise: float, seed: int) -> Result:
    """The Universal Scalability Law's throughput from 1 to `nodes`, its peak N*, and what
    a fit recovers from measurements with `noise` (relative) at a dozen node counts."""
    check("alpha", alpha, 0, 0.99)
    check("beta", beta, 1e-6, 0.5)
    check("x1", x1, 0.001, 1e9)
    check("nodes", nodes, 3, 10_000)
    check("noise", noise, 0, 0.2)
    rng = random.Random(seed)
    n_star, peak = capacity.usl_peak(x1, alpha, beta)
    best = max(range(1, nodes + 1), key=lambda n: capacity.usl(n, alpha, beta))
    shown = sorted({1, *(round(1 + (nodes - 1) * k / (USL_ROWS - 1)) for k in range(USL_ROWS))})
    rows: list[list[Cell]] = []
    measured: list[tuple[int, float]] = []
    for n in shown:
        model = x1 * capacity.usl(n, alpha, beta)
        seen = model * (1 + rng.gauss(0, noise))
        measured.append((n, seen))
        rows.append([n, model, model / x1, model / (n * x1), seen])
    _, fit_alpha, fit_beta = capacity.usl_fit(measured)
    # a fit can land outside the model's range on few or noisy points: then it has no peak
    fit_n_star = (
        math.sqrt((1 - fit_alpha) / fit_beta) if fit_beta > 0 and fit_alpha < 1 else math.nan
    )
    table = Table(
        "nodes",
        "throughput by node count",
        [
            Column("nodes", "nodes", "count"),
            Column("throughput", "throughput", "rate"),
            Column("speedup", "speedup", "ratio"),
            Column("efficiency", "efficiency", "percent"),
            Column("measured", "measured", "rate"),
        ],
        rows,
    )
    curve = list(range(1, nodes + 1))
    by_node = dict(measured)
    plot = Plot(
        "throughput against nodes",
        "nodes",
        "throughput",
        [float(n) for n in curve],
        [
            Line("measured", [by_node.get(n, math.nan) for n in curve], points=True),
            Line("USL", [x1 * capacity.usl(n, alpha, beta) for n in curve]),
        ],
    )
    return Result(
        "usl",
        {"alpha": alpha, "beta": beta, "x1": x1, "nodes": nodes, "noise": noise, "seed": seed},
        [table],
        [plot],
        figures={
            "n_star": n_star,
            "peak_throughput": peak,
            "best_whole_nodes": float(best),
            "fit_alpha": fit_alpha,
            "fit_beta": fit_beta,
            "fit_n_star": fit_n_star,
        },
        notes=[
            f"N* = √((1 − α)/β) = {n_star:.3g} nodes, throughput there {peak:,.0f}/s; "
            f"the best whole count up to {nodes:,} is {best:,}",
            f"fitted to the measured column: α {fit_alpha:.3g}, β {fit_beta:.3g}, "
            f"N* {fit_n_star:.3g}",
        ],
    )


def _plot(
    table: Table,
    title: str,
    x_label: str,
    y_label: str,
    y_scale: float,
    x_scale: float = 1,
    log_y: bool = False,
    log_x: bool = False,
) -> Plot:
    """A plot of every column of table against its first, scaled for reading (% or ms)."""
    rest = table.columns[1:]
    return Plot(
        title,
        x_label,
        y_label,
        [float(row[0]) * x_scale for row in table.rows],
        [
            Line(col.title, [float(row[i]) * y_scale for row in table.rows])
            for i, col in enumerate(rest, start=1)
        ],
        log_y,
        log_x,
    )
