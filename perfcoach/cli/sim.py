"""`perfcoach sim …`: the playground, five simulations shown as a table and a terminal plot."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from perfcoach.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from perfcoach.sim.playground import Plot, Result, Table

app = typer.Typer(
    help="The playground: simulate caches, queues, sharding, balancers and scaling, and see "
    "the closed forms beside the simulation.",
    no_args_is_help=True,
)

PLOT_HEIGHT = 16
MAX_PLOT_WIDTH = 100

Seed = Annotated[
    int, typer.Option("--seed", help="Seed of the random draws: same seed, same numbers.")
]
Json = Annotated[
    bool, typer.Option("--json", help="Print the numbers as JSON (no table, no plot).")
]


@app.command("cache")
def cache(
    keys: Annotated[
        int, typer.Option("--keys", help="Distinct keys requested (10–100,000).")
    ] = 1000,
    skew: Annotated[
        float, typer.Option("--skew", help="Zipf exponent s: key i is requested ∝ 1/i^s (0–3).")
    ] = 0.9,
    ttl: Annotated[
        int,
        typer.Option(
            "--ttl", help="The TTL policy's expiry, in requests after a write (1–10,000,000)."
        ),
    ] = 2000,
    requests: Annotated[
        int, typer.Option("--requests", help="Requests counted (1,000–1,000,000).")
    ] = 30_000,
    seed: Seed = 1,
    as_json: Json = False,
) -> None:
    """Hit rate against cache size: LRU, LFU and TTL on one Zipf trace, and Che's
    approximation beside LRU."""
    from perfcoach.sim import playground

    _show(lambda: playground.cache(keys, skew, ttl, requests, seed), as_json)


@app.command("queue")
def queue(
    servers: Annotated[
        int, typer.Option("--servers", "-c", help="Servers sharing the queue (1–256).")
    ] = 4,
    service_ms: Annotated[
        float,
        typer.Option("--service-ms", help="Mean service time of a request, ms (0.001–60,000)."),
    ] = 10.0,
    utilisation: Annotated[
        float, typer.Option("--utilisation", help="The highest utilisation shown (0.05–0.99).")
    ] = 0.95,
    requests: Annotated[
        int, typer.Option("--requests", help="Requests per utilisation (1,000–1,000,000).")
    ] = 20_000,
    seed: Seed = 1,
    as_json: Json = False,
) -> None:
    """P50 and P99 response time against utilisation for c servers (M/M/c), with Erlang C's
    closed forms beside the simulation."""
    from perfcoach.sim import playground

    _show(lambda: playground.queue(servers, service_ms, utilisation, requests, seed), as_json)


@app.command("shard")
def shard(
    keys: Annotated[int, typer.Option("--keys", help="Keys placed (100–100,000).")] = 4000,
    shards: Annotated[int, typer.Option("--shards", help="Shards at the start (1–100).")] = 2,
    add: Annotated[int, typer.Option("--add", help="Shards added, one at a time (1–50).")] = 8,
    vnodes: Annotated[
        int, typer.Option("--vnodes", help="Points per shard on the ring (1–1,000).")
    ] = 100,
    seed: Seed = 1,
    as_json: Json = False,
) -> None:
    """Keys moved and balance (hottest shard over the mean) for mod-N, a ring with virtual
    nodes, jump hash and rendezvous as shards are added one by one."""
    from perfcoach.sim import playground

    _show(lambda: playground.shard(keys, shards, add, vnodes, seed), as_json)


@app.command("lb")
def lb(
    servers: Annotated[
        int, typer.Option("--servers", help="Servers behind the balancer (2–64).")
    ] = 8,
    slow: Annotated[
        int, typer.Option("--slow", help="How many of them are slow (0 to servers − 1).")
    ] = 2,
    slow_speed: Annotated[
        float, typer.Option("--slow-speed", help="The slow servers' speed (0.05–1; others: 1).")
    ] = 0.5,
    requests: Annotated[
        int, typer.Option("--requests", help="Requests per utilisation (500–200,000).")
    ] = 3000,
    seed: Seed = 1,
    as_json: Json = False,
) -> None:
    """P50 and P99 for round robin, least outstanding and two random choices under unequal
    server speeds, on the load-balancing lab's engine."""
    from perfcoach.sim import playground

    _show(lambda: playground.lb(servers, slow, slow_speed, requests, seed), as_json)


@app.command("usl")
def usl(
    alpha: Annotated[
        float, typer.Option("--alpha", help="Contention α, the serial share (0–0.99).")
    ] = 0.05,
    beta: Annotated[
        float, typer.Option("--beta", help="Coherency β, pairwise crosstalk (0.000001–0.5).")
    ] = 0.001,
    x1: Annotated[
        float, typer.Option("--x1", help="Throughput of one node, per second (0.001–10⁹).")
    ] = 1000.0,
    nodes: Annotated[int, typer.Option("--nodes", help="Nodes up to (3–10,000).")] = 64,
    noise: Annotated[
        float, typer.Option("--noise", help="Relative noise of the measured points (0–0.2).")
    ] = 0.02,
    seed: Seed = 1,
    as_json: Json = False,
) -> None:
    """Throughput against nodes under the Universal Scalability Law for α and β, its peak at
    N* = √((1 − α)/β), and what a fit of noisy measurements recovers."""
    from perfcoach.sim import playground

    _show(lambda: playground.usl(alpha, beta, x1, nodes, noise, seed), as_json)


def _show(run: Callable[[], Result], as_json: bool) -> None:
    """Run the simulation; bad parameters become one line and exit 2."""
    from perfcoach.console import console
    from perfcoach.sim.playground import ParameterError

    try:
        result = run()
    except ParameterError as exc:
        raise UsageError(f"--{exc}") from None
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    out = console()
    for table in result.tables:
        out.print(_table(table))
    for note in result.notes:
        out.print(note, style="dim", markup=False)
    for plot in result.plots:
        out.print()
        out.print(_plot(plot, out), markup=False, highlight=False, soft_wrap=True)


def _table(data: Table) -> object:
    """A rich table of the numbers, formatted by column kind (ms headings say so)."""
    from rich import box
    from rich.table import Table

    from perfcoach.simtext import cell, heading

    table = Table(
        title=data.title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for col in data.columns:
        table.add_column(heading(col), justify="right", overflow="fold")
    for row in data.rows:
        table.add_row(*(cell(col.kind, v) for col, v in zip(data.columns, row, strict=True)))
    return table


def _plot(plot: Plot, out: Console) -> str:
    """The plot drawn by plotext at the console's width (at most MAX_PLOT_WIDTH), in colour
    only where rich would print colour (a terminal, no NO_COLOR)."""
    from perfcoach.simtext import draw

    colour = out.color_system is not None and not out.no_color
    return draw(plot, min(out.width, MAX_PLOT_WIDTH), PLOT_HEIGHT, colour)
