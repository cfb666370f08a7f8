"""Grader for overload: the server runs here, the learner's policy only decides.

The simulation (perfcoach.sim.overload, on SimPy) owns what a server cannot know in
advance: when requests arrive (Poisson traffic that ramps to a normal load, jumps to
twice the capacity for a spike of 6-8 s, and falls back) and how long each takes (a
demand per request; 4 workers, 40 ms on average, 100 requests a second in all). Clients
give up after 1 s; their requests stay queued unless the policy drops them.

The learner's server.py runs in the candidate subject, behind driver.py: the bench sends
batches of what the server observes (arrivals, completions with their service times)
and gets back, per event, the admission decision, the requests dropped and the request
served. Every figure comes from this process's simulation of those replies: the subject
never learns a demand before its request is done, and nothing it reports is believed
except its decisions, each checked against the queue kept here. The starter's figures
come from the starter run here, through the same driver, on the same traffic.

* goodput_pct — answers completed during the spike before their client gave up, a
  second, as a percentage of the capacity (100 a second).
* p99_ms — the 99th percentile of the latency of every request served (arrival to
  answer), over the whole run.
* expired_work_pct — the share of the workers' time spent on answers that came after the
  client had left.
* recovery_s — from the spike's end until every later 2 s window of arrivals has 90 % of
  its requests answered within the latency budget again.
"""

from __future__ import annotations

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
from perfcoach.sim import overload as sim

GOODPUT_PCT = 90.0  # the brief's targets, also the goals in lab.toml
P99_BUDGET_MS = 900.0
EXPIRED_WORK_PCT = 1.0
RECOVERY_S = 5.0


def policy_seed(ctx: LabContext) -> int:
    """What seeds `random` in the policy's process: a slow hash of the check's seed, so code
    there cannot search the 2**31 seeds for the one behind it."""
    return stretched(ctx.seed, "policy", "overload") >> 32


def traffic(ctx: LabContext) -> sim.Scenario:
    """The check's traffic, drawn from a slow hash of its seed. The arrival times reach the
    policy (view.now) and fingerprint the seed: with a fast derivation, code in the
    policy's process could try seeds against them and draw the demands and the spike
    ahead; at ~10 ms a candidate, the time limit allows a few thousand of 2**31."""
    return sim.scenario(random.Random(stretched(ctx.seed, "traffic", "overload")))


def _checked(answer: Any, batch: sim.Batch) -> list[Any]:
    """The driver's replies, with a bad next_request() answer turned into its lesson."""
    if not isinstance(answer, list):
        raise WrongAnswer(
            f"a batch of events at {batch.events[0][1]:.0f} ms was answered with "
            f"{answer!r:.80}, not a list of replies: the lab's driver returns them as a list, "
            "so code in your server.py changed it. Write only admit(), next_request() and "
            "drop(), and leave the driver alone"
        )
    for reply in answer:
        if isinstance(reply, list | tuple) and len(reply) == 3:
            served = reply[2]
            if isinstance(served, list | tuple) and served[:1] == ("bad",):
                _, shown, waiting = served
                raise WrongAnswer(
                    f"next_request() returned {shown} with {waiting} request(s) waiting: it "
                    "must return the position in view.queue of the request to serve, an int "
                    f"from 0 to {waiting - 1} (or a negative one counting from the newest, "
                    "-1 being the newest)"
                )
    return answer


def remote(subject: Subject, seed: int) -> sim.Policy:
    """The learner's policy in its subject: one round trip per batch."""
    ref = subject.call("start", sim.WORKERS, sim.TIMEOUT_MS, seed).ref

    def policy(batch: sim.Batch) -> list[Any]:
        return _checked(subject.run("decide", ref, batch.wire()), batch)

    return policy


def local(ctx: LabContext) -> sim.Policy:
    """The starter's policy, run here through the same driver (it is the lab's own code)."""
    driver = load_module(ctx.lab_dir / "driver.py", "overload_driver")
    starter = load_module(ctx.lab_dir / "starter" / "server.py", "overload_starter")
    state = driver.Server(sim.WORKERS, sim.TIMEOUT_MS)

    def policy(batch: sim.Batch) -> list[Any]:
        return _checked(driver.decide(starter, state, batch.wire()), batch)

    return policy


def run(sc: sim.Scenario, policy: sim.Policy, who: str) -> sim.Outcome:
    """The traffic under one policy; a reply the server cannot carry out is a wrong answer."""
    try:
        return sim.simulate(sc, policy)
    except sim.BadDecision as bad:
        raise WrongAnswer(
            f"{who} answered the events at {bad.at:.1f} ms with {bad.answer!r:.120}, which "
            f"the server cannot carry out ({bad.why}). The lab's driver only answers what "
            "admit(), next_request() and drop() return, so code in your server.py changed "
            "its answers: write only those three functions"
        ) from None


def grade(ctx: LabContext) -> Grade:
    """Both policies on one seeded traffic; every figure from the simulation here."""
    sc = traffic(ctx)
    mine = run(sc, remote(ctx.candidate, policy_seed(ctx)), "your server")
    base = run(sc, local(ctx), "the starter")
    metrics = {
        "goodput_pct": Measured(
            round(mine.goodput(sc), 2), round(base.goodput(sc), 2), detail=goodput_detail(sc, mine)
        ),
        "p99_ms": Measured(
            round(mine.p99(sc), 1),
            round(base.p99(sc), 1),
            detail=p99_detail(sc, mine),
            latency=LatencyHistogram.of(mine.latency(sc, i) for i in mine.served()),
        ),
        "expired_work_pct": Measured(
            round(mine.expired_work(sc), 2),
            round(base.expired_work(sc), 2),
            detail=expired_detail(sc, mine),
        ),
        "recovery_s": Measured(
            mine.recovery(sc, P99_BUDGET_MS),
            base.recovery(sc, P99_BUDGET_MS),
            detail=recovery_detail(sc, mine),
        ),
    }
    notes = [
        f"This seed: {len(sc.arrivals):,} requests over {sc.end / 1000:.1f} s of simulated "
        f"time; normal load {sc.normal:.0%} of capacity, the spike at "
        f"{sim.SPIKE_LOAD:g}x from {sc.spike_start / 1000:.1f} s to {sc.spike_end / 1000:.1f} s; "
        f"{mine.batches:,} batches.",
        "Your server: " + fates(sc, mine) + ". The starter: " + fates(sc, base) + ".",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def fates(sc: sim.Scenario, out: sim.Outcome) -> str:
    """How many requests were served in time, served late, refused and dropped."""
    timely = sum(1 for i in out.served() if out.timely(sc, i))
    late = out.count(sim.SERVED) - timely
    return (
        f"{timely:,} answered in time, {late:,} answered after the client left, "
        f"{out.count(sim.REJECTED):,} refused, {out.count(sim.DROPPED):,} dropped, "
        f"longest queue {out.max_queue:,}"
    )


def _in_spike(sc: sim.Scenario) -> list[int]:
    return [i for i, at in enumerate(sc.arrivals) if sc.spike_start <= at < sc.spike_end]


def busy_share(sc: sim.Scenario, out: sim.Outcome, start: float, end: float) -> float:
    """The share of the workers' time in [start, end) spent serving anything."""
    busy = 0.0
    for i in out.served():
        busy += max(0.0, min(out.finished[i], end) - max(out.started[i], start))
    return busy / (sim.WORKERS * (end - start))


def goodput_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Goodput against throughput in the spike, and what the workers did instead."""
    good = out.goodput(sc)
    busy = busy_share(sc, out, sc.spike_start, sc.spike_end)
    spike = _in_spike(sc)
    kinds = Counter(
        "late" if out.fate[i] == sim.SERVED and not out.timely(sc, i) else out.fate[i]
        for i in spike
    )
    text = (
        f"{good * sim.CAPACITY_PER_S / 100:.0f} timely answers a second while the spike "
        f"offered {sim.SPIKE_LOAD * sim.CAPACITY_PER_S:.0f} and the workers could serve "
        f"{sim.CAPACITY_PER_S:.0f}; they were busy {busy:.0%} of it. Of the {len(spike):,} "
        f"requests that arrived in the spike, {kinds[sim.SERVED]:,} were answered in time, "
        f"{kinds['late']:,} after their client left, {kinds[sim.REJECTED]:,} refused, "
        f"{kinds[sim.DROPPED]:,} dropped"
    )
    if good >= GOODPUT_PCT:
        return text
    if kinds["late"] > kinds[sim.SERVED] / 4:
        return text + (
            f", below {GOODPUT_PCT:g} %. Throughput is not goodput: the workers were busy on "
            "answers nobody read, because the queue held more than a second of work. Refuse "
            "the excess when it arrives (admit) so the queue stays short, and drop what has "
            "expired (drop)"
        )
    return text + (
        f", below {GOODPUT_PCT:g} %. The server refused work it had time for: a worker that "
        "frees up must find a request waiting. A queue bound of zero, or a fixed rate limit "
        "set for the normal load, throws away capacity: let the queue hold a few hundred ms "
        "of work (several requests per worker), so refusals start only past capacity"
    )


def p99_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The P99 against the budget, and how long the slowest requests waited."""
    p99 = out.p99(sc)
    served = out.served()
    stale = sum(1 for i in served if out.started[i] >= sc.arrivals[i] + sim.TIMEOUT_MS)
    text = (
        f"P99 {p99:.0f} ms against a budget of {P99_BUDGET_MS:.0f} ms; the longest wait in the "
        f"queue before a service began: {out.longest_wait:.0f} ms"
    )
    if p99 <= P99_BUDGET_MS:
        return text
    if stale > 0.01 * max(1, len(served)):
        return text + (
            f". {stale:,} requests were served after their client's {sim.TIMEOUT_MS:.0f} ms "
            "timeout had already passed: they waited behind a backlog, at the bottom of a "
            "newest-first stack or at the back of a long queue. Keep the queue short (admit) "
            "and never serve a request whose deadline has passed (drop)"
        )
    return text + (
        ". Requests were served just before their client's timeout, so the queue still held "
        "up to a second of work: a deadline drop alone, or a wait bound at the timeout, "
        "keeps waits just under it. Bound the wait by the latency budget instead, a few "
        "hundred ms of work, and refuse the rest at once"
    )


def expired_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Worker time on answers nobody waited for, and how much of it was avoidable."""
    total, wasted = out.work(sc)
    late = [i for i in out.served() if not out.timely(sc, i)]
    stale = sum(1 for i in late if out.started[i] >= sc.arrivals[i] + sim.TIMEOUT_MS)
    text = (
        f"{wasted / 1000:.1f} s of {total / 1000:.1f} s of worker time went to {len(late):,} "
        f"answers that came after the client had left; {stale:,} of them had expired before "
        "their service began"
    )
    if out.expired_work(sc) <= EXPIRED_WORK_PCT:
        return text
    if stale > len(late) / 2:
        return text + (
            ". A client's timeout frees the client, not the server: its request stays queued "
            "and a worker serves it to nobody. drop(request, now) sees each request just "
            "before its service: drop it when now >= request.deadline"
        )
    return text + (
        ". They started in time but waited so long that the answer came too late: the "
        "queue held about a timeout's worth of work. Bound it well below the timeout "
        "(admit), or drop a request that cannot finish before its deadline"
    )


def recovery_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """How long after the spike new requests were refused or slow, and why."""
    took = out.recovery(sc, P99_BUDGET_MS)
    after = [
        i for i, at in enumerate(sc.arrivals) if sc.spike_end <= at < sc.spike_end + took * 1000
    ]
    refused = sum(1 for i in after if out.fate[i] in (sim.REJECTED, sim.DROPPED))
    slow = sum(1 for i in after if out.fate[i] == sim.SERVED and out.latency(sc, i) > P99_BUDGET_MS)
    never = took * 1000 >= sc.end - sc.spike_end - sim.RECOVERY_WINDOW_MS
    text = f"the spike ended at {sc.spike_end / 1000:.1f} s; " + (
        f"service was not back to normal in the {(sc.end - sc.spike_end) / 1000:.1f} s of "
        "traffic after it"
        if never
        else f"{took:.2f} s later every {sim.RECOVERY_WINDOW_MS / 1000:g} s window of arrivals had "
        f"{sim.RECOVERED_SHARE:.0%} of its requests answered within "
        f"{P99_BUDGET_MS:.0f} ms"
    )
    if took <= RECOVERY_S:
        return text
    text += (
        f" (target {RECOVERY_S:g} s). Of the {len(after):,} requests that arrived in that "
        f"stretch, {slow:,} were answered too slowly and {refused:,} refused or dropped"
    )
    if slow >= refused:
        return text + (
            ". They waited behind the backlog the spike left in the queue: a queue that "
            "holds seconds of work takes seconds to drain once the load falls. Keep it short "
            "during the spike (admit), and the backlog is gone the moment the spike ends"
        )
    return text + (
        ". The server kept refusing at the normal load: a bound so tight that a small burst "
        "fills it, or a limit cut during the spike that grows back slowly. Leave room for "
        "the normal load's bursts, and let a limit recover as fast as it shrank"
    )


def workload(ctx: LabContext) -> Workload:
    """The starter's batches on a seeded traffic, replayed through the learner's policy."""
    sc = sim.scenario(ctx.rng("workload"))
    batches: list[list[Any]] = []
    starter = local(ctx)

    def recording(batch: sim.Batch) -> list[Any]:
        batches.append(batch.wire())
        return starter(batch)

    sim.simulate(sc, recording)
    return Workload("replay", (sim.WORKERS, sim.TIMEOUT_MS, policy_seed(ctx), batches))
