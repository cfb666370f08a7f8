"""Grader for load-balancing: the cluster runs here, the learner's pick() only decides.

The simulation (perfcoach.sim.load_balancing, on SimPy) owns what a balancer never sees:
8 servers with seeded speeds (two slower, two others after a shift halfway), a gray
window in which one server is up but 4x slower, and a crash window in which another is
down (it refuses every request within a millisecond), which the health checks (every
200 ms) report at the next check. Traffic is
Poisson at a rate that keeps round robin stable outside the windows (no server past
utilisation 1), so its P99 does not grow with the length of the run.

The learner's balancer.py runs in the candidate subject, behind driver.py: once per 40 ms
tick the bench sends what the balancer has observed since the last tick (responses with
their latencies, health) and the tick's arrival times, and gets back one server per
arrival. Every figure comes from this process's simulation of those decisions: the
subject never learns the speeds, and nothing it reports is believed except its choices,
each of which must be a server number. The starter's figures come from the starter run
here, through the same driver, on the same scenario.

* p99_ratio — the P99 of every request's latency (a request that failed on a down server
  counts as 1 s, the client's time out: an error is no faster for the user), over round
  robin's P99.
* max_queue — the most requests ever waiting or in service at one server.
* sent_to_down — requests placed on a crashed server while the balancer's view already
  said it was down (those placed before the first check after the crash are unavoidable,
  and only reported).
"""

from __future__ import annotations

import math
import random
from collections import Counter
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
    stretched,
)
from perfcoach.sim import load_balancing as sim

MAX_QUEUE = 35  # the brief's bound, also the goal in lab.toml
HERD_SHARE = 0.4  # a longest queue whose server got this share of the requests placed
# while it filled (an even share is 1/8) was built by a herd
P99_RATIO = 0.5
GRAY_SLOWER = f"{1 / sim.GRAY_FACTOR:g}"


def policy_seed(ctx: LabContext) -> int:
    """What seeds `random` in the balancer's process. It is derived from the check's seed by
    a slow hash (~10 ms), so that code in that process cannot search the 2**31 seeds for
    the one that gives it, and then draw the hidden scenario itself."""
    return stretched(ctx.seed, "policy", "load-balancing") >> 32


def cluster(ctx: LabContext) -> sim.Scenario:
    """The check's scenario, drawn from a slow hash of its seed. The arrival times reach the
    balancer (view.now), and they fingerprint the seed: with a fast derivation (ctx.rng),
    code in the balancer's process could try ~100,000 seeds a second against them (2**31
    in all, a hit in 1 check of ~350 within the time limit) and then draw the speeds and
    windows; at ~10 ms a candidate, 60 s tries 6,000."""
    return sim.scenario(random.Random(stretched(ctx.seed, "cluster", "load-balancing")))


def remote(subject: Subject, seed: int) -> sim.Balancer:
    """The learner's balancer in its subject: one round trip per tick."""
    ref = subject.call("start", sim.SERVERS, seed).ref

    def balancer(batch: sim.Batch) -> list[Any]:
        answer = subject.run("decide", ref, batch.wire())
        if not isinstance(answer, list):
            raise WrongAnswer(
                f"the tick at {batch.now:.0f} ms was answered with {answer!r}, not a list of "
                "servers: the lab's driver returns pick()'s answers as a list, so code in "
                "your balancer.py changed it. Write only pick(), and leave the driver alone"
            )
        return answer

    return balancer


def local(ctx: LabContext) -> sim.Balancer:
    """The starter's balancer, run here through the same driver (it is the lab's own code)."""
    driver = load_module(ctx.lab_dir / "driver.py", "load_balancing_driver")
    starter = load_module(ctx.lab_dir / "starter" / "balancer.py", "load_balancing_starter")
    state = driver.Balancer(sim.SERVERS)

    def balancer(batch: sim.Batch) -> list[Any]:
        return list(driver.decide(starter, state, batch.wire()))

    return balancer


def run(sc: sim.Scenario, balancer: sim.Balancer, who: str) -> sim.Outcome:
    """The scenario under one balancer; a decision that is not a server is a wrong answer."""
    try:
        return sim.simulate(sc, balancer)
    except sim.BadDecision as bad:
        if bad.count is not None:
            raise WrongAnswer(
                f"{who} placed {len(bad.answer) if isinstance(bad.answer, list) else '?'} "
                f"requests in the tick at {bad.at:.0f} ms, which had {bad.count}: pick() must "
                "be called once per request, and its answers returned as they are"
            ) from None
        raise WrongAnswer(
            f"pick() returned {bad.answer!r} for the request at {bad.at:.1f} ms: it must return "
            f"a server number, an int from 0 to {bad.servers - 1} (view.servers - 1)"
            + _convert_hint(bad.answer)
        ) from None


def _convert_hint(answer: object) -> str:
    """What to do when the answer names a server but is not an int (numpy, float, bool)."""
    kind = getattr(answer, "type_name", None) or type(answer).__name__
    if type(answer) is int:
        return ""
    if isinstance(answer, bool):
        return "; True and False are bools, not server numbers"
    if isinstance(answer, float) or "int" in kind or "float" in kind:
        return f"; a {kind} is not an int even when it holds a whole number: return int(...) of it"
    return ""


def grade(ctx: LabContext) -> Grade:
    """Both balancers on one seeded scenario; every figure from the simulation here."""
    sc = cluster(ctx)
    mine = run(sc, remote(ctx.candidate, policy_seed(ctx)), "your balancer")
    base = run(sc, local(ctx), "the starter")  # after: a thread beside the round trips slows them
    mine_p99, base_p99 = mine.percentile(0.99), base.percentile(0.99)
    metrics = {
        "p99_ratio": Measured(
            round(mine_p99 / base_p99, 4),
            1.0,
            detail=p99_detail(sc, mine, mine_p99, base_p99),
            latency=LatencyHistogram.of(mine.latencies),
        ),
        "max_queue": Measured(mine.max_queue, base.max_queue, detail=queue_detail(sc, mine)),
        "sent_to_down": Measured(
            mine.sent_to_down, base.sent_to_down, detail=down_detail(sc, mine)
        ),
    }
    notes = [
        f"This seed: {len(sc.arrivals):,} requests over {sc.arrivals[-1] / 1000:.1f} s of "
        f"simulated time, {sc.rate * 1000:.0f} a second; {mine.batches:,} ticks of "
        f"{sim.TICK_MS:.0f} ms. Server {sc.gray.server} was gray from "
        f"{sc.gray.start / 1000:.2f} s to {sc.gray.end / 1000:.2f} s, server "
        f"{sc.crash.server} down from {sc.crash.start / 1000:.2f} s to "
        f"{sc.crash.end / 1000:.2f} s; the slow servers changed at {sc.shift / 1000:.1f} s.",
        f"Your P50 {mine.percentile(0.5):.1f} ms, P99 {mine_p99:.1f} ms; round robin's P50 "
        f"{base.percentile(0.5):.1f} ms, P99 {base_p99:.1f} ms. Requests per server: "
        + ", ".join(str(n) for n in mine.per_server)
        + ".",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _when(sc: sim.Scenario, out: sim.Outcome, i: int) -> str:
    """Why request i was slow, as far as the scenario tells: which window it fell in."""
    at = sc.arrivals[i]
    if not out.ok[i]:
        return "crash"
    if out.servers[i] == sc.gray.server and sc.gray.start <= at < out.gray_cleared:
        return "gray"
    return "after the shift" if at >= sc.shift else "before the shift"


def p99_detail(sc: sim.Scenario, out: sim.Outcome, p99: float, base: float) -> str:
    """The P99 against round robin's, where the slowest 1 % of requests were, and why."""
    text = f"P99 {p99:.1f} ms against round robin's {base:.1f} ms"
    if p99 <= P99_RATIO * base:
        return text
    tail = sorted(range(len(out.latencies)), key=out.latencies.__getitem__)[
        -max(1, math.ceil(0.01 * len(out.latencies))) :
    ]
    where = Counter(_when(sc, out, i) for i in tail)
    top, count = Counter(out.servers[i] for i in tail).most_common(1)[0]
    text += (
        f", above {P99_RATIO:g} of it. Of the slowest 1 % ({len(tail)} requests), {count} were "
        f"on server {top}; {where['gray']} queued at the gray server (in its window or its "
        f"backlog), {where['crash']} failed on the crashed one, and of the rest "
        f"{where['before the shift']} came before and {where['after the shift']} after the "
        "shift of slow servers. "
    )
    causes = {
        "steady": where["before the shift"] + where["after the shift"],
        "gray": where["gray"],
        "crash": where["crash"],
    }
    named = [cause for cause, n in causes.items() if 4 * n >= len(tail)] or [
        max(causes, key=causes.__getitem__)
    ]
    advice = []
    for cause in named:
        if cause == "crash" and not out.sent_to_down:
            advice.append(_crash_before_check(sc, out))
        elif cause == "steady" and _overfed(out, top, sc):
            share = out.per_server[top] / len(out.servers)
            advice.append(f"Server {top} got {share:.0%} of all requests. " + _ADVICE["overfed"])
        else:
            advice.append(_ADVICE[cause])
    return text + " ".join(advice)


def _crash_before_check(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Failures on the crashed server with none after the check: the policy piled onto it."""
    stretch = sum(sc.crash.start <= at < _flagged(sc) for at in sc.arrivals)
    share = out.sent_before_check / max(1, stretch)
    held = out.failed - out.sent_before_check
    queued = f", and {held} more were queued there when it crashed" if held > 0 else ""
    if share <= 2 / sim.SERVERS:
        return (
            f"None was sent after the health check said it was down: {out.sent_before_check} "
            f"were sent between the crash and that check ({share:.0%} of that stretch, about "
            f"an even share){queued}, which no balancer avoids. They fill the slowest 1 % "
            "only when the rest of the tail is short: look at the other causes above."
        )
    return (
        f"None was sent after the health check said it was down: {out.sent_before_check} "
        f"were sent between the crash and that check, {share:.0%} of the requests of that "
        f"stretch (an even share is an eighth){queued}. A down server refuses within a "
        "millisecond, so its errors come back as the fastest latencies and its outstanding "
        "count drops to 0: a policy that sends every request to the server with the best "
        "score (least latency, or latency times outstanding, over all servers) piles onto "
        "it. Choose the better of two random healthy servers (power of two choices), or "
        "count only view.outstanding: a server that looks too good to be true then gets a "
        "bounded share."
    )


def _flagged(sc: sim.Scenario) -> float:
    """When the first health check after the crash ran (and said the server was down)."""
    return (
        sc.health_phase
        + math.ceil((sc.crash.start - sc.health_phase) / sim.HEALTH_PERIOD_MS)
        * sim.HEALTH_PERIOD_MS
    )


def _overfed(out: sim.Outcome, server: int, sc: sim.Scenario | None = None) -> bool:
    """Whether the balancer sent server well over an even share (an eighth) of the requests,
    or, before or after the shift, more work than its speed then could serve."""
    if out.per_server[server] > 1.5 * len(out.servers) / len(out.per_server):
        return True
    if sc is None:
        return False
    for start, end in ((0.0, sc.shift), (sc.shift, sc.arrivals[-1])):
        sent = sum(
            1
            for at, chosen in zip(sc.arrivals, out.servers, strict=True)
            if chosen == server and start <= at < end
        )
        speed = (sc.speeds if start < sc.shift else sc.later)[server]
        if end > start and sent * sim.MEAN_DEMAND_MS / (end - start) > speed:
            return True
    return False


_ADVICE = {
    "overfed": (
        "More than it can serve: a share fixed in advance (weights learned once, or written "
        "down) goes stale when the speeds change, and a choice by latency alone herds (a "
        "latency comes back only when its request finishes, so the server that looked "
        "fast keeps winning while its queue grows). Count what is in flight: "
        "view.outstanding, alone or times a recent latency (EWMA)."
    ),
    "steady": (
        "They queued where a share fixed in advance (round robin, random) kept sending work "
        "whatever the server's speed and queue. Send each request where the view shows the "
        "least work waiting: the fewest view.outstanding, or the lesser of two random "
        "choices (power of two choices)."
    ),
    "gray": (
        f"A gray server is up and passes its health checks, only {GRAY_SLOWER}x slower: its "
        "queue and its latencies grow. A policy that reads view.outstanding (or recent "
        "view.latencies) stops feeding it within a few requests."
    ),
    "crash": (
        "Requests sent to a down server fail, and each counts as 1 s. Skip servers whose "
        "view.healthy is False."
    ),
}


def queue_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The longest queue, where and when, what kind of server it was, and whether a herd
    built it (most of the requests placed just before went to that one server)."""
    server, at = out.max_queue_at
    text = f"the longest queue: {out.max_queue} requests at server {server}, at {at / 1000:.2f} s"
    if out.max_queue <= MAX_QUEUE:
        return text
    if server == sc.gray.server and sc.gray.start <= at < out.gray_cleared:
        why = (
            f"the gray server: {GRAY_SLOWER}x slower from {sc.gray.start / 1000:.2f} s to "
            f"{sc.gray.end / 1000:.2f} s, and its backlog after"
        )
    elif server == sc.crash.server and sc.crash.end <= at < sc.crash.end + 1_000:
        why = (
            f"just back from its crash at {sc.crash.end / 1000:.2f} s: its last latencies "
            "were still its errors' ~1 ms, so to a policy that trusts recent latencies it "
            "looked the fastest of all until real answers came back"
        )
    elif _overfed(out, server):
        why = f"sent {out.per_server[server] / len(out.servers):.0%} of all requests"
    elif sc.speed(server, at) < (sim.SLOW_SPEEDS[1] + sim.NORMAL_SPEEDS[0]) / 2:
        why = "one of the two slower servers at the time"
    else:
        why = "a server of normal speed"
    text += f" ({why}), above {MAX_QUEUE}. "
    held, placed, since = _herd(sc, out, server, at)
    if held >= HERD_SHARE * placed:
        return text + (
            f"Its {held} requests were placed from {since / 1000:.2f} s on, when {placed} "
            f"were placed in all: it got {held / placed:.0%} of them, where an even share is "
            f"1/{sim.SERVERS}. That is herding. Choosing the single best server by a "
            "score that reads latencies (least response time: the lowest latency, or latency "
            "x outstanding) sends every new request to the same server until the view "
            "catches up: a latency comes back only when its request has finished, and is "
            f"heard at the next tick ({sim.TICK_MS:.0f} ms), so the server that looked best "
            "keeps winning while its queue grows, then the herd moves to the next. Take the "
            "better of two healthy servers drawn at random (power of two choices; EWMA-P2C "
            "uses that same score on the two), or the fewest view.outstanding, which moves "
            "with every request you place"
        )
    return text + (
        "A policy that ignores how much each server already holds keeps adding to the "
        "longest queue: compare view.outstanding before you send"
    )


def _herd(sc: sim.Scenario, out: sim.Outcome, server: int, at: float) -> tuple[int, int, float]:
    """The requests in server's queue at its peak (the last ones sent to it, served in
    order), how many were placed in all since the first of them arrived, and when."""
    mine = [a for a, chosen in zip(sc.arrivals, out.servers, strict=True) if chosen == server]
    held = [a for a in mine if a <= at][-out.max_queue :]
    since = held[0]
    return len(held), sum(1 for a in sc.arrivals if since <= a <= at), since


def down_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Requests sent to the crashed server after a health check said it was down."""
    flagged = _flagged(sc)
    text = (
        f"server {sc.crash.server} was down from {sc.crash.start / 1000:.2f} s to "
        f"{sc.crash.end / 1000:.2f} s; the health check at {flagged / 1000:.2f} s said so. "
        f"{out.sent_before_check} request(s) reached it before that check (no balancer "
        "could know; not counted)"
    )
    if not out.sent_to_down:
        return text + ", none after it"
    return text + (
        f"; {out.sent_to_down} after it, each a failed request. Skip servers whose "
        "view.healthy is False, and read view.healthy on every call: each tick brings a new "
        "one (a copy kept from an earlier call never changes). Outstanding counts and "
        "latencies alone steer traffic onto a dead server: it refuses every request within "
        "a millisecond, so it always looks idle and fast"
    )


def workload(ctx: LabContext) -> Workload:
    """Round robin's ticks on a seeded scenario, replayed through the learner's pick()."""
    sc = sim.scenario(ctx.rng("workload"))
    batches: list[tuple[Any, ...]] = []
    starter = local(ctx)

    def recording(batch: sim.Batch) -> list[Any]:
        batches.append(batch.wire())
        return starter(batch)

    sim.simulate(sc, recording)
    return Workload("replay", (sim.SERVERS, policy_seed(ctx), batches))
