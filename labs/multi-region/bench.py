"""Grader for multi-region: the regions run here, the learner's regions.py only decides.

The simulation (perfcoach.sim.multi_region) owns what no router or coordinator sees
ahead: the pages of three regions (va, fr, sg; 10 % write once, every page reads twice),
when the primary in va freezes (between a write's check and its commit, 9-13 s in, for
8-11 s), and when its replication streams to fr and sg slowed to a delay of 3.5-4.5 s
before it did (1.5-2.5 s earlier). The learner's regions.py runs in the candidate subject,
behind driver.py: once per 100 ms tick the bench sends what the coordinator, the primary's
database and the app servers would have observed, and gets back a promotion (or None), a
verdict per write and a target per read. Every figure comes from this process's replay of
those answers; the starter's come from the starter, run here through the same driver.

* p95_worst_ms — the P95 of page times in the slowest region, outside the incident (from
  the streams' slowdown to the old primary's return as a replica).
* max_crossings — the most cross-region round trips of one page, outside the incident.
* ryw_violations — reads that did not see their session's own acknowledged write.
* split_brain_writes — writes committed by the old primary after the new one took over.
* lost_span_ms — the span of commit times of the acknowledged writes the new primary
  never received (0 when at most one was lost): the data a failover loses, in time.
* failover_ms — from the freeze to the first write committed by a primary in charge.
* refused_pct — % of writes not committed, refused by the primary or by the storage's
  fencing check (writes caught by the freeze, in flight or queued, whose clients gave up,
  are not counted).
"""

from __future__ import annotations

import hashlib
import math
import random
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabContext,
    LatencyHistogram,
    Measured,
    Subject,
    Workload,
    WrongAnswer,
    load_module,
)
from perfcoach.sim import multi_region as sim

P95_MS = 250.0  # the brief's bounds, also the goals in lab.toml
FAILOVER_MS = 6_000.0
REFUSED_PCT = 10.0


def _stretched(ctx: LabContext, salt: str) -> int:
    """A number derived from the check's seed by a slow hash (~10 ms a call)."""
    key = hashlib.pbkdf2_hmac("sha256", f"{ctx.seed}:{salt}".encode(), b"multi-region", 20_000)
    return int.from_bytes(key[:8], "big")


def policy_seed(ctx: LabContext) -> int:
    """What seeds `random` in the learner's process: a slow hash of the check's seed, so code
    there cannot search the seeds for the one that draws the hidden schedule."""
    return _stretched(ctx, "policy") >> 32


def regions(ctx: LabContext) -> sim.Scenario:
    """The check's scenario, drawn from a slow hash of its seed: the pages' times reach the
    subject and fingerprint the draw, so a fast derivation would let code there try seeds
    against them and then draw the freeze and the slowdown itself."""
    return sim.scenario(random.Random(_stretched(ctx, "regions")))


def remote(subject: Subject, seed: int) -> sim.Decider:
    """The learner's regions.py in its subject: one round trip per tick."""
    ref = subject.call("start", seed).ref

    def decide(batch: sim.Batch) -> Any:
        return subject.run("decide", ref, batch.wire())

    return decide


def local(ctx: LabContext) -> sim.Decider:
    """The starter, run here through the same driver (it is the lab's own code)."""
    driver = load_module(ctx.lab_dir / "driver.py", "multi_region_driver")
    starter = load_module(ctx.lab_dir / "starter" / "regions.py", "multi_region_starter")
    deployment = driver.Deployment(starter)

    def decide(batch: sim.Batch) -> Any:
        return deployment.decide(batch.wire())

    return decide


_WHAT = {
    "batch": "the driver's answer to a tick was changed: write only your functions and "
    "leave the driver alone",
    "pages": "the driver's answers per page were changed: leave the driver alone",
    "checks": "the driver's answers to late writes were changed: leave the driver alone",
    "page": "the driver's answer for a page was changed: leave the driver alone",
    "reads": "the driver's reads for a page were changed: leave the driver alone",
    "route_read": "route_read() must return a region name (one of view.regions), or a "
    "(region, position) pair whose position is an int >= 0",
    "accept_write": "accept_write() must return True, an int fencing token, or None/False",
    "promote": "promote() must return None or a region name, one of view.regions",
}


def run(sc: sim.Scenario, decide: sim.Decider, who: str) -> sim.Outcome:
    """The scenario under one set of decisions; an answer of the wrong kind is wrong."""
    try:
        return sim.simulate(sc, decide)
    except sim.BadDecision as bad:
        raise WrongAnswer(
            f"{who} answered {bad.answer!r} at {bad.at / 1000:.2f} s: {_WHAT[bad.what]}"
        ) from None


def grade(ctx: LabContext) -> Grade:
    """Both versions on one seeded scenario; every figure from the simulation here."""
    sc = regions(ctx)
    mine = run(sc, remote(ctx.candidate, policy_seed(ctx)), "your regions.py")
    base = run(sc, local(ctx), "the starter")
    worst = max(sim.REGIONS, key=mine.p95)
    metrics = {
        "p95_worst_ms": Measured(
            round(mine.p95(worst), 1),
            round(max(base.p95(r) for r in sim.REGIONS), 1),
            detail=p95_detail(mine, worst),
            latency=LatencyHistogram.of(mine.times[worst]),
        ),
        "max_crossings": Measured(
            max(mine.crossings, default=0),
            max(base.crossings, default=0),
            detail=crossing_detail(mine),
        ),
        "ryw_violations": Measured(
            mine.ryw_violations, base.ryw_violations, detail=ryw_detail(mine)
        ),
        "split_brain_writes": Measured(
            mine.split_brain, base.split_brain, detail=split_detail(sc, mine)
        ),
        "lost_span_ms": Measured(
            round(mine.lost_span_ms, 1), round(base.lost_span_ms, 1), detail=lost_detail(mine)
        ),
        "failover_ms": Measured(
            _finite(mine.failover_ms), _finite(base.failover_ms), detail=failover_detail(sc, mine)
        ),
        "refused_pct": Measured(
            _pct(mine.refused, mine.writes),
            _pct(base.refused, base.writes),
            detail=refused_detail(mine),
        ),
    }
    incident_from, incident_to = mine.window
    promoted = (
        f"you promoted {mine.promoted} at {mine.promoted_at / 1000:.1f} s"
        if mine.promoted and mine.promoted_at is not None
        else "you promoted no one"
    )
    notes = [
        f"This seed: {len(sc.pages):,} pages over {sim.RUN_MS / 1000:.0f} s, "
        f"{sum(p.writes for p in sc.pages)} of them writing. The primary (va) froze at "
        f"{sc.freeze / 1000:.2f} s for {(sc.wake - sc.freeze) / 1000:.1f} s; its streams "
        "had slowed at "
        + ", ".join(
            f"{r} {start / 1000:.2f} s (to {delay / 1000:.1f} s)"
            for r, (start, delay) in sc.congestion.items()
        )
        + f"; {promoted}. Pages that overlapped {incident_from / 1000:.2f} s to "
        f"{incident_to / 1000:.2f} s "
        f"(the incident) are left out of the P95 and crossing rows; {mine.failed_pages} of "
        "yours failed in it (a write queued at the frozen primary, or a read sent to a "
        "database that was down).",
        "Your P95 per region: "
        + ", ".join(f"{r} {mine.p95(r):.1f} ms" for r in sim.REGIONS)
        + "; the starter's: "
        + ", ".join(f"{r} {base.p95(r):.1f} ms" for r in sim.REGIONS)
        + f". Reads sent out of their region: {mine.reads_remote:,} of {mine.reads:,}; "
        f"waits that timed out and fell back to the primary: {mine.fallbacks}.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _finite(ms: float) -> float:
    """A failover that never happened, as a number the report can show."""
    return round(ms, 1) if math.isfinite(ms) else 1e6


def _pct(part: int, whole: int) -> float:
    """part as a % of whole, to two places (0 when there is nothing to count)."""
    return round(100 * part / whole, 2) if whole else 0.0


def p95_detail(out: sim.Outcome, worst: str) -> str:
    """The slowest region's P95, and where its time goes when it is too slow."""
    text = f"P95 {out.p95(worst):.1f} ms in {worst}, the slowest region"
    if out.p95(worst) <= P95_MS:
        return text
    return text + (
        f", above {P95_MS:g}. Every read sent to another region pays a round trip "
        f"({sim.RTT_MS['va', 'sg']:g} ms between va and sg), and a page's reads run one "
        "after the other. Serve reads from the user's own region; a write must still go "
        "to the primary, which is the one crossing a page can afford."
    )


def crossing_detail(out: sim.Outcome) -> str:
    """The page that crossed most, and the one crossing a page can afford."""
    region, at, n = out.worst_crossing
    text = f"the most: {n} cross-region round trip(s), a page in {region} at {at / 1000:.2f} s"
    if n <= 1:
        return text
    return text + (
        ". A page may cross once (its write goes to the primary); its reads must stay in "
        "its region. Reading from the primary after a write is safe and costs a crossing "
        "per read: have the local database wait for the write's position instead, "
        "route_read returning (region, position)."
    )


def ryw_detail(out: sim.Outcome) -> str:
    """The first read that missed its session's write, and why a local read does."""
    if not out.ryw_violations:
        return "every read saw its session's own acknowledged writes"
    region, at, target = out.ryw_example or ("?", 0.0, "?")
    return (
        f"{out.ryw_violations} read(s) missed their session's own write, the first in "
        f"{region} at {at / 1000:.2f} s, served by {target}. The write's answer comes back "
        "as the log ships, so a local replica usually has the write a few ms later, not "
        "yet when the next read arrives: keep the position on_write() gives you per "
        "session, and return (region, position) so the read waits for it."
    )


def split_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The old primary's late commits, and why only a token stops them."""
    if not out.split_brain:
        return "no write was committed by a replaced primary"
    return (
        f"{out.split_brain} write(s) were committed by the old primary after "
        f"{out.promoted} took over: it froze at {sc.freeze / 1000:.2f} s and woke at "
        f"{sc.wake / 1000:.2f} s with a write in flight (and any that queued while it was "
        "frozen). The lease was valid when that write was checked, before the freeze; only "
        "a fencing token stops it when it commits after: return node.epoch from "
        "accept_write(), and the storage refuses a token lower than the newest epoch."
    )


def lost_detail(out: sim.Outcome) -> str:
    """The writes the new primary never got, and what the promotion should wait for."""
    text = f"{out.lost} acknowledged write(s) never reached the new primary"
    if out.lost_span_ms <= sim.LAG_BOUND_MS:
        return text + f", spanning {out.lost_span_ms:.0f} ms"
    return text + (
        f", spanning {out.lost_span_ms:.0f} ms, more than the {sim.LAG_BOUND_MS:g} ms lag "
        "bound. The streams were seconds slow when the primary froze, so its last writes "
        "were still on their way when you promoted, and the replica that became primary "
        "never got them. Promote the most advanced replica once it has applied what the "
        "primary last reported (view.applied keeps a silent database's last report)."
    )


def failover_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """How long writes stopped, and when a promotion may happen."""
    if not math.isfinite(out.failover_ms):
        return "no write was committed after the primary froze"
    text = f"writes resumed {out.failover_ms / 1000:.2f} s after the freeze"
    if out.failover_ms <= FAILOVER_MS:
        return text
    return text + (
        f", more than {FAILOVER_MS / 1000:g} s. Promote a replica (the one that reported "
        "the highest position) once the primary is silent, its lease has run out and the "
        "replica has caught up; the coordinator refuses to promote while "
        "view.lease_until is ahead of view.now."
    )


def refused_detail(out: sim.Outcome) -> str:
    """How many writes were not committed, and when refusing one is right."""
    text = f"{out.refused} of {out.writes} writes refused (by the primary or the storage)"
    if _pct(out.refused, out.writes) <= REFUSED_PCT:
        return text
    return text + (
        f", more than {REFUSED_PCT:g} %. Refuse a write only when the primary's lease has "
        "run out, and send the primary's own epoch as its token (a lower one is refused by "
        "the storage); the token and a careful promotion do the rest."
    )


def workload(ctx: LabContext) -> Workload:
    """The starter's ticks on a seeded scenario, replayed through the learner's code."""
    sc = sim.scenario(ctx.rng("workload"))
    batches: list[tuple[Any, ...]] = []
    starter = local(ctx)

    def recording(batch: sim.Batch) -> Any:
        batches.append(batch.wire())
        return starter(batch)

    sim.simulate(sc, recording)
    return Workload("replay", (policy_seed(ctx), batches))
