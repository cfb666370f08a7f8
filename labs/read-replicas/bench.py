"""Grader for read-replicas: the primary and the replicas run here, the learner's router decides.

The simulation (perfcoach.sim.replication) owns what a router never sees ahead: when each
of the 3 replicas applies each write (tens of ms behind, two lag spikes of 1.3-1.8 s on two
replicas, and a stall of 3.5-4.5 s on the third, which keeps answering queries), and the
sessions' operations. The learner's router.py runs in the candidate subject, behind
driver.py: once per 100 ms report period the bench sends the replicas' report, the answers
of the previous period's reads and the period's operations, and gets back one target per
read. Every figure comes from this process's replay of those targets: nothing the subject
reports is believed but its choices, each of which must be "primary" or a replica number.
The starter's figures come from the starter, run here through the same driver.

* primary_read_share — % of reads the primary served.
* ryw_violations — reads that missed their own session's last write (read-your-writes).
* monotonic_violations — reads that saw an older log position than an earlier read of the
  same session (monotonic reads: time never goes backwards for a user).
* stale_reads — reads served by a replica more than the lag bound plus one report period
  behind (the period is the router's allowance: it knows the lag as of the last report).
* replica_load_ratio — the busiest replica's reads over the mean replica's.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabContext,
    Measured,
    Subject,
    Workload,
    WrongAnswer,
    load_module,
    stretched,
)
from perfcoach.sim import replication as sim

PRIMARY_SHARE = 25.0  # the brief's bounds, also the goals in lab.toml
LOAD_RATIO = 1.2


def policy_seed(ctx: LabContext) -> int:
    """What seeds `random` in the router's process: a slow hash of the check's seed, so code
    there cannot search the seeds for the one that draws the hidden schedule."""
    return stretched(ctx.seed, "policy", "read-replicas") >> 32


def replicas(ctx: LabContext) -> sim.Scenario:
    """The check's scenario, drawn from a slow hash of its seed: the operations' times reach
    the router and fingerprint the draw, so a fast derivation would let code in the subject
    try seeds against them and then draw the spikes and the stall itself."""
    return sim.scenario(random.Random(stretched(ctx.seed, "replicas", "read-replicas")))


def remote(subject: Subject, seed: int) -> sim.Router:
    """The learner's router in its subject: one round trip per report period."""
    ref = subject.call("start", sim.REPLICAS, seed).ref

    def router(batch: sim.Batch) -> list[Any]:
        answer = subject.run("decide", ref, batch.wire())
        if not isinstance(answer, list):
            raise WrongAnswer(
                f"the period at {batch.now:.0f} ms was answered with {answer!r}, not a list of "
                "targets: the lab's driver returns route_read()'s answers as a list, so code in "
                "your router.py changed it. Write only the Router class, and leave the driver "
                "alone"
            )
        return answer

    return router


def local(ctx: LabContext) -> sim.Router:
    """The starter's router, run here through the same driver (it is the lab's own code)."""
    driver = load_module(ctx.lab_dir / "driver.py", "read_replicas_driver")
    starter = load_module(ctx.lab_dir / "starter" / "router.py", "read_replicas_starter")
    routing = driver.Routing(starter, sim.REPLICAS)

    def router(batch: sim.Batch) -> list[Any]:
        return list(routing.decide(batch.wire()))

    return router


def run(sc: sim.Scenario, router: sim.Router, who: str) -> sim.Outcome:
    """The scenario under one router; a decision that is not a target is a wrong answer."""
    try:
        return sim.simulate(sc, router)
    except sim.BadDecision as bad:
        if bad.count is not None:
            count = len(bad.answer) if isinstance(bad.answer, list) else "?"
            raise WrongAnswer(
                f"{who} routed {count} reads in the period at {bad.at:.0f} ms, which had "
                f"{bad.count}: route_read() must be called once per read, and its answers "
                "returned as they are"
            ) from None
        raise WrongAnswer(
            f"route_read() returned {bad.answer!r} for the read at {bad.at:.1f} ms: it must "
            f'return "primary" or a replica number, an int from 0 to {sim.REPLICAS - 1} '
            "(view.replicas - 1)" + _convert_hint(bad.answer)
        ) from None


def _convert_hint(answer: object) -> str:
    """What to do when the answer names a replica but is not an int (numpy, float, bool)."""
    kind = getattr(answer, "type_name", None) or type(answer).__name__
    if isinstance(answer, bool):
        return "; True and False are bools, not replica numbers"
    if isinstance(answer, float) or "int" in kind or "float" in kind:
        return f"; a {kind} is not an int even when it holds a whole number: return int(...) of it"
    if isinstance(answer, str) and answer.strip().lower() == "primary":
        return '; the primary is spelled "primary", in lower case, with no spaces'
    return ""


def grade(ctx: LabContext) -> Grade:
    """Both routers on one seeded scenario; every figure from the simulation here."""
    sc = replicas(ctx)
    mine = run(sc, remote(ctx.candidate, policy_seed(ctx)), "your router")
    base = run(sc, local(ctx), "the starter")
    share, share_advice = share_detail(mine)
    ryw, ryw_advice = ryw_detail(sc, mine)
    monotonic, monotonic_advice = monotonic_detail(sc, mine)
    stale, stale_advice = stale_detail(sc, mine)
    load, load_advice = load_detail(mine)
    metrics = {
        "primary_read_share": Measured(
            round(mine.primary_share, 2), round(base.primary_share, 2), detail=share
        ),
        "ryw_violations": Measured(len(mine.ryw), len(base.ryw), detail=ryw),
        "monotonic_violations": Measured(
            len(mine.monotonic), len(base.monotonic), detail=monotonic
        ),
        "stale_reads": Measured(len(mine.stale), len(base.stale), detail=stale),
        "replica_load_ratio": Measured(
            round(mine.load_ratio, 4), round(base.load_ratio, 4), detail=load
        ),
    }
    notes = [
        f"This seed: {sc.reads:,} reads and {len(sc.commits):,} writes over "
        f"{sim.DURATION_MS / 1000:.0f} s of simulated time, in {mine.batches} report periods. "
        f"Replicas {', '.join(f'{r} ~{b:.0f} ms' for r, b in enumerate(sc.bases))} behind "
        "normally; "
        + "; ".join(
            f"replica {w.replica} spiked to {w.peak / 1000:.1f} s behind from "
            f"{w.start / 1000:.1f} s to {(w.end + w.peak) / 1000:.1f} s"
            for w in sc.spikes
        )
        + f"; replica {sc.stall.replica} stalled (still up, still answering) from "
        f"{sc.stall.start / 1000:.1f} s to {sc.stall.end / 1000:.1f} s.",
        "Reads per replica: "
        + ", ".join(f"{n:,}" for n in mine.per_replica)
        + f"; {mine.to_primary:,} on the primary.",
    ]
    advice = (share_advice, ryw_advice, monotonic_advice, stale_advice, load_advice)
    notes += [text for text in advice if text]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _window(sc: sim.Scenario, replica: Any, at: float) -> str:
    """What was happening to replica at time at: a spike, the stall, or nothing special."""
    if replica == sc.stall.replica and sc.stall.start <= at < sc.stall.end + sim.REPORT_MS:
        return "stall"
    for w in sc.spikes:
        if replica == w.replica and w.start <= at < w.end + w.peak + sim.REPORT_MS:
            return "spike"
    return "normal"


def share_detail(out: sim.Outcome) -> tuple[str, str]:
    """The primary's share; when too high, what a router sending that much there misses."""
    text = f"{out.to_primary:,} of {out.reads:,} reads on the primary"
    if out.primary_share <= PRIMARY_SHARE:
        return text, ""
    if out.to_primary == out.reads:
        return text + ": every read", (
            "Primary: every read went there. The primary is never behind, so nothing is ever "
            "stale, but the replicas serve nothing and the primary carries the whole read "
            "load it was meant to shed. A replica can serve a session's read once it has "
            "applied that session's last write: compare view.applied[r] with the position "
            "on_write() gave you."
        )
    return text + f", more than {PRIMARY_SHARE:g} %", (
        "Primary: most reads can go to a replica. A replica that has applied the session's "
        "own last write (and what it has already read) serves it correctly, whatever other "
        "sessions wrote since. Pinning a session to the primary for a fixed time after each "
        "write, or waiting for a replica to catch up with every session's writes, sends far "
        "more to the primary than read-your-writes needs."
    )


def ryw_detail(sc: sim.Scenario, out: sim.Outcome) -> tuple[str, str]:
    """Reads that missed their session's own write: where and when."""
    if not out.ryw:
        return "every read saw its session's last write", ""
    where = Counter(_window(sc, target, at) for at, _, target, _, _ in out.ryw)
    at, session, target, position, wrote = out.ryw[0]
    text = (
        f"{len(out.ryw)} reads missed their session's own last write: {where['spike']} "
        f"on a replica in a lag spike, {where['stall']} on the stalled replica, "
        f"{where['normal']} at the normal lag of tens of ms"
    )
    advice = (
        f"Read-your-writes: session {session} wrote position {wrote}, then at "
        f"{at / 1000:.2f} s read replica {target}, which had applied {position}."
    )
    if all(sc.lag(target, at) > 1_000 for at, _, target, _, _ in out.ryw):
        advice += (
            " Every miss came from a replica more than a second behind, in a spike or the "
            "stall: no fixed time after a write (1 s, 2 s) is safe, since a replica's lag "
            "has no fixed ceiling."
        )
    return text, advice + (
        " Remember each session's last write position (on_write) and send its reads only to "
        "a replica whose view.applied has reached it."
    )


def monotonic_detail(sc: sim.Scenario, out: sim.Outcome) -> tuple[str, str]:
    """Reads that went back in time for their session."""
    if not out.monotonic:
        return "no session ever saw an older position than it had already seen", ""
    where = Counter(_window(sc, target, at) for at, _, target, _, _ in out.monotonic)
    at, session, target, position, before = out.monotonic[0]
    text = (
        f"{len(out.monotonic)} reads saw an older log position than an earlier read of the "
        f"same session: {where['spike']} on a replica in a lag spike, {where['stall']} on "
        f"the stalled replica, {where['normal']} at the normal lag"
    )
    return text, (
        f"Monotonic reads: session {session} had seen position {before}, then at "
        f"{at / 1000:.2f} s got {position} from {_name(target)}: a comment that was there "
        "vanishes on refresh. The last write is not enough: on_read() tells you the position "
        "each read reflected, so keep the highest position each session has written or read, "
        "and send it only where view.applied has reached that."
    )


def _name(target: Any) -> str:
    return "the primary" if target == sim.PRIMARY else f"replica {target}"


def stale_detail(sc: sim.Scenario, out: sim.Outcome) -> tuple[str, str]:
    """Reads served by a replica too far behind."""
    stall = sc.stall
    text = (
        f"replica {stall.replica} stalled from {stall.start / 1000:.1f} s to "
        f"{stall.end / 1000:.1f} s, still up and answering; its lag passed "
        f"{sim.LAG_BOUND_MS / 1000:g} s at {(stall.start + sim.LAG_BOUND_MS) / 1000:.1f} s"
    )
    if not out.stale:
        return text + "; no read was served more than the bound behind", ""
    worst = max(lag for *_, lag in out.stale)
    sessions = len({session for _, session, _, _ in out.stale})
    return text + (
        f"; {len(out.stale)} reads of {sessions} sessions were served more than "
        f"{sim.STALE_MS / 1000:g} s behind, up to {worst / 1000:.1f} s"
    ), (
        "Stale reads: a new session has written and read nothing, so every replica meets "
        "its read-your-writes floor, the stalled one included: a health check says the "
        "replica is up, not that it is fresh. Skip replicas whose view.lag_ms is over "
        "view.max_lag_ms (the bound plus one report period is allowed, since you know the "
        "lag as of the last report)."
    )


def load_detail(out: sim.Outcome) -> tuple[str, str]:
    """How the replicas' reads were spread."""
    if not sum(out.per_replica):
        return "no replica served a read, so three replicas add nothing", ""
    busiest = max(range(sim.REPLICAS), key=out.per_replica.__getitem__)
    text = (
        f"the busiest, replica {busiest}, served {out.per_replica[busiest]:,} reads; the mean "
        f"replica {sum(out.per_replica) / sim.REPLICAS:,.0f}"
    )
    if out.load_ratio <= LOAD_RATIO:
        return text, ""
    return text, (
        f"Balance: replica {busiest} served {out.load_ratio:.2f}x the mean. Choosing the "
        "freshest replica (or the first that qualifies, or always the same one) sends nearly "
        "everything to one replica, which saturates while the others idle. Any replica that "
        "has applied the session's floor is as correct as the freshest: spread the reads over "
        "all of those (the least used so far, turn by turn, or at random)."
    )


def workload(ctx: LabContext) -> Workload:
    """The starter's periods on a seeded scenario, replayed through the learner's router."""
    sc = sim.scenario(ctx.rng("workload"))
    batches: list[tuple[Any, ...]] = []
    starter = local(ctx)

    def recording(batch: sim.Batch) -> list[Any]:
        batches.append(batch.wire())
        return starter(batch)

    sim.simulate(sc, recording)
    return Workload("replay", (sim.REPLICAS, policy_seed(ctx), batches))
