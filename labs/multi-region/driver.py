"""Runs in the subject, beside the learner's regions.py: keeps the views, calls the learner.

The regions, the replication streams, the primary's failure and every figure live in the
grader. Once per tick (100 ms of simulated time) the grader sends what the deployment's
parts would have observed: the coordinator's view (the primary and its epoch, each
region's reported log position and heartbeat age, the primary's lease), the tick's pages
(region, session, and for a write its log position and what the primary node saw when it
checked it; a write that reaches a frozen primary comes as a page without one), and writes
a primary checks late (after a freeze). The driver asks promote() once, accept_write() for
each write, route_read() for each read, and returns the answers.
The grader plays them on its own deployment: this process only ever decides.
"""

from __future__ import annotations

import random
from typing import Any

from perfcoach.driverkit import Keep

REGIONS = ("va", "fr", "sg")
RTT_MS = {
    "va": {"va": 1.0, "fr": 70.0, "sg": 155.0},
    "fr": {"va": 70.0, "fr": 1.0, "sg": 105.0},
    "sg": {"va": 155.0, "fr": 105.0, "sg": 1.0},
}
READS = 2  # a page's reads, one after the other, after its write


class View:
    """What the coordinator and the app servers know (read-only by contract).

    regions: the region names; rtt_ms[a][b]: the round trip between two regions (ms)
    now: the time of the question (ms of simulated time)
    primary: the region of the primary, as announced; epoch: its epoch (1, then 2, ...)
    applied: per region, the log position its database last reported having applied (at
        the tick's start; a silent database's is as old as its last heartbeat)
    heartbeat_ms: per region, ms since the coordinator last heard its database
    lease_until: when the primary's lease ends, unless it renews it (every 500 ms)
    """

    __slots__ = (
        "applied",
        "epoch",
        "heartbeat_ms",
        "lease_until",
        "now",
        "primary",
        "regions",
        "rtt_ms",
    )

    def __init__(self) -> None:
        self.regions = REGIONS
        self.rtt_ms = {a: dict(b) for a, b in RTT_MS.items()}
        self.now = 0.0
        self.primary = REGIONS[0]
        self.epoch = 1
        self.applied: dict[str, int | None] = {r: 0 for r in REGIONS}
        self.heartbeat_ms: dict[str, float] = {r: 0.0 for r in REGIONS}
        self.lease_until = 0.0

    def __repr__(self) -> str:
        return (
            f"View(now={self.now}, primary={self.primary!r}, epoch={self.epoch}, "
            f"applied={self.applied}, heartbeat_ms={self.heartbeat_ms}, "
            f"lease_until={self.lease_until})"
        )


class Node:
    """What the primary's database knows when it checks a write (read-only by contract).

    region: where it runs; now: its clock (ms); epoch: the epoch it believes it holds
    lease_until: its lease's end as it last renewed it
    """

    __slots__ = ("epoch", "lease_until", "now", "region")

    def __init__(self, fields: tuple[Any, ...]) -> None:
        self.region, self.now, self.epoch, self.lease_until = fields

    def __repr__(self) -> str:
        return (
            f"Node(region={self.region!r}, now={self.now}, epoch={self.epoch}, "
            f"lease_until={self.lease_until})"
        )


def _read(answer: Any) -> Any:
    """route_read's answer on the wire: a region alone means "no position to wait for"."""
    if isinstance(answer, str):
        return (answer, 0)
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return (answer[0], answer[1])
    return answer


class Deployment:
    """One run's router and view, fed one tick at a time."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.router = module.Router(REGIONS)
        self.view = View()

    def decide(self, batch: tuple[Any, ...]) -> tuple[Any, list[Any], list[Any]]:
        now, (primary, epoch, applied, beats, lease_until), pages, checks = batch
        module, router, view = self.module, self.router, self.view
        view.now = now
        view.primary, view.epoch, view.lease_until = primary, epoch, lease_until
        view.applied = dict(zip(REGIONS, applied, strict=True))
        view.heartbeat_ms = dict(zip(REGIONS, beats, strict=True))
        promotion = module.promote(view)
        answers: list[Any] = []
        for at, region, session, write in pages:
            verdict = None
            if write is not None:
                position, node = write
                verdict = module.accept_write(Node(node))
                if verdict is not None and verdict is not False:
                    router.on_write(session, position, at)
            view.now = at
            reads = [_read(router.route_read(session, region, view)) for _ in range(READS)]
            answers.append((verdict, reads))
        late = [module.accept_write(Node(node)) for _position, node in checks]
        return promotion, answers, late


def start(module: Any, seed: int) -> Keep:
    """A fresh deployment for one run; `random` is seeded so the same code repeats exactly."""
    random.seed(seed)
    return Keep(Deployment(module))


def decide(module: Any, deployment: Deployment, batch: tuple[Any, ...]) -> Any:
    """One tick: the batch in, (promotion, per page (verdict, reads), late verdicts) out."""
    return deployment.decide(batch)


def replay(module: Any, seed: int, batches: list[tuple[Any, ...]]) -> int:
    """Many ticks recorded from a run, for `lab profile`: how many pages were answered."""
    random.seed(seed)
    deployment = Deployment(module)
    return sum(len(deployment.decide(batch)[1]) for batch in batches)
