"""Grader for resilience: the dependency and its clock run here, the learner's client decides.

The simulation (perfcoach.sim.resilience) owns what a client cannot know in advance: when
requests arrive (fan-outs of 8 keys about once a second), and what the dependency does
with each call: a latency spike (15 % of calls take 1.5-4 s) three times, an error burst
(a quarter of the keys fail every call for 10 s) twice, and three outages in which every
call hangs 5 s and fails: one of 20-35 s, one of 40-60 s and one of 65-90 s, in an order
drawn per check, so that no fixed wait or open period fits them all. Each request has a
1 s deadline.

The learner's client.py runs in the candidate subject, behind driver.py: the bench sends
batches of what the client observes (arrivals, results of its calls) and gets back its
actions (calls started with their timeout, answers given). Every figure comes from this
process's records of those actions: the subject never learns a call's result before its
time, and an answer is believed only if a call really returned it (fresh) or returned it
earlier for the same key (fallback). The starter's figures come from the starter run
here, through the same driver, on the same scenario.

* success_pct — requests answered with a fresh value within the deadline, % of those
  arriving outside the outages (and the 10 s after each) and outside the error bursts.
* outage_calls — calls started while the dependency was down, in all three outages.
* amplification — calls per request, for the requests that arrived in an error burst.
* retry_wave — the most retries the dependency received within 5 ms: backoff without
  jitter sends a fan-out's failed calls back in lockstep.
* p99_s — the 99th percentile of the time from arrival to answer, every request.
* fallback_pct — requests arriving in an outage answered from the cache within the
  deadline, %.
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
from perfcoach.sim import resilience as sim

SUCCESS_PCT = 99.0  # the brief's targets, also the goals in lab.toml
OUTAGE_CALLS = 240  # 80 an outage: a breaker's probes fit, a call per request does not
AMPLIFICATION = 1.3
RETRY_WAVE = 5
P99_S = sim.DEADLINE_S
FALLBACK_PCT = 95.0
NO_TIMEOUT_S = 1e9  # what the driver sends for math.inf


def client_seed(ctx: LabContext) -> int:
    """What seeds the client's injected rng: a slow hash of the check's seed, so code in
    the subject cannot search the 2**31 seeds for the one behind it."""
    return stretched(ctx.seed, "client", "resilience") >> 32


def scenario(ctx: LabContext) -> sim.Scenario:
    """The check's scenario, drawn from a slow hash of its seed: the arrival times reach the
    client and fingerprint the draw, so a fast derivation would let code there try seeds
    against them and draw the fault schedule ahead."""
    return sim.scenario(random.Random(stretched(ctx.seed, "scenario", "resilience")))


def remote(subject: Subject, seed: int) -> sim.Policy:
    """The learner's client in its subject: one round trip per batch."""
    ref = subject.call("start", seed).ref

    def policy(batch: sim.Batch) -> Any:
        return subject.run("decide", ref, list(batch))

    return policy


def local(ctx: LabContext, seed: int) -> sim.Policy:
    """The starter's client, run here through the same driver (it is the lab's own code)."""
    driver = load_module(ctx.lab_dir / "driver.py", "resilience_driver")
    starter = load_module(ctx.lab_dir / "starter" / "client.py", "resilience_starter")
    runner = driver.Runner(starter, seed)

    def policy(batch: sim.Batch) -> Any:
        return runner.batch(*batch)

    return policy


def run(sc: sim.Scenario, policy: sim.Policy, who: str) -> sim.Outcome:
    """The scenario under one client; an action the client could not take is a wrong answer."""
    try:
        return sim.simulate(sc, policy)
    except sim.BadAction as bad:
        raise WrongAnswer(f"{who} {bad.why} (at {bad.at:.3f} s). {_lesson(bad.why)}") from None


def _lesson(why: str) -> str:
    if "timeout" in why:
        return (
            "attempt() returns the call's timeout in seconds (a number above 0, math.inf for "
            "none) or None to answer with fallback() instead"
        )
    if "wait" in why:
        return (
            "on_failure() returns the seconds to wait before the next attempt (0 or more) or "
            "None to give up and answer with fallback()"
        )
    if "cache" in why:
        return (
            "A fallback must be a value the dependency really returned for that key: keep the "
            "last value on_success() saw for each key, and return None when there is none"
        )
    return (
        "The lab's driver only carries out what attempt(), on_success(), on_failure() and "
        "fallback() return, so code in your client.py changed it: write only those methods"
    )


def grade(ctx: LabContext) -> Grade:
    """Both clients on one seeded scenario; every figure from the simulation here."""
    sc = scenario(ctx)
    seed = client_seed(ctx)
    mine = run(sc, remote(ctx.candidate, seed), "your client")
    base = run(sc, local(ctx, seed), "the starter")
    metrics = {
        "success_pct": Measured(
            round(mine.success_pct(sc), 2),
            round(base.success_pct(sc), 2),
            detail=success_detail(sc, mine),
        ),
        "outage_calls": Measured(
            mine.outage_calls(sc), base.outage_calls(sc), detail=outage_detail(sc, mine)
        ),
        "amplification": Measured(
            round(mine.amplification(sc), 3),
            round(base.amplification(sc), 3),
            detail=amplification_detail(sc, mine),
        ),
        "retry_wave": Measured(mine.retry_wave(), base.retry_wave(), detail=wave_detail(sc, mine)),
        "p99_s": Measured(
            round(mine.p99_s(sc), 3),
            round(base.p99_s(sc), 3),
            detail=p99_detail(sc, mine),
            latency=LatencyHistogram.of(
                1000 * mine.latency(sc, i) for i in range(len(sc.arrivals))
            ),
        ),
        "fallback_pct": Measured(
            round(mine.fallback_pct(sc), 2),
            round(base.fallback_pct(sc), 2),
            detail=fallback_detail(sc, mine),
        ),
    }
    spikes = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in sc.spikes)
    bursts = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in sc.bursts)
    outages = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in sc.outages)
    notes = [
        f"This seed: {len(sc.arrivals):,} requests over {sc.arrivals[-1][0]:.0f} s of simulated "
        f"time; latency spikes at {spikes}; error bursts at {bursts}; outages at {outages}; "
        f"{mine.batches:,} batches.",
        "Your client: " + fates(sc, mine) + ". The starter: " + fates(sc, base) + ".",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def fates(sc: sim.Scenario, out: sim.Outcome) -> str:
    """How the requests were answered, and how many calls it took."""
    kinds = Counter(out.kind(i) for i in range(len(sc.arrivals)))
    late = sum(1 for i in range(len(sc.arrivals)) if out.latency(sc, i) > sim.DEADLINE_S + 1e-9)
    return (
        f"{kinds[sim.FRESH]:,} fresh answers, {kinds[sim.FALLBACK]:,} from the cache, "
        f"{kinds[sim.FAILED]:,} errors; {late:,} after the deadline; {len(out.calls):,} calls "
        f"({out.refused:,} refused by a saturated dependency)"
    )


def _before_recovery(sc: sim.Scenario, out: sim.Outcome) -> list[tuple[float, float]]:
    """After each outage, from its end to the client's first fresh answer: where a breaker
    that has not yet noticed the recovery serves stale values."""
    lags = recovery_lags(sc, out)
    return [
        (end, limit if lag is None else end + lag)
        for (_, end), lag, limit in zip(sc.outages, lags, _limits(sc), strict=True)
    ]


def _limits(sc: sim.Scenario) -> list[float]:
    """Where the stretch after each outage ends at the latest: the next outage, or the run."""
    return [a for a, _ in sc.outages[1:]] + [sc.end]


def recovery_lags(sc: sim.Scenario, out: sim.Outcome) -> list[float | None]:
    """For each outage, how long after its end the client gave its first fresh answer
    (None: not before the next outage began, or the run ended)."""
    lags: list[float | None] = []
    for (_, end), limit in zip(sc.outages, _limits(sc), strict=True):
        fresh = [
            out.answered[i][0]
            for i, (t, _) in enumerate(sc.arrivals)
            if end <= t and out.kind(i) == sim.FRESH and out.answered[i][0] < limit
        ]
        lags.append(min(fresh) - end if fresh else None)
    return lags


def _late_recovery(sc: sim.Scenario, out: sim.Outcome, after: int) -> str:
    """Why fallbacks went on after an outage: no probe at all, or probes too far apart."""
    lags = recovery_lags(sc, out)
    worst = max(range(len(lags)), key=lambda k: math.inf if lags[k] is None else lags[k])
    start, end = sc.outages[worst]
    probed = any(start + sim.RECOVERY_S <= c.start < end for c in out.calls)
    said = [
        f"{lag:.1f} s after its end"
        if lag is not None
        else ("not before the next one" if k + 1 < len(lags) else "not before the run ended")
        for k, lag in enumerate(lags)
    ]
    text = (
        f". {after:,} of them came after the dependency was back. Your client's first fresh "
        f"answer after each outage: {', '.join(said)}; {sim.RECOVERY_S:g} s are allowed. "
    )
    if probed:
        text += (
            "Its calls during the outage came too far apart: a breaker hears of the recovery "
            "only from a probe, so its open period bounds how late it notices. Keep the open "
            "period to a few seconds, or let it grow after each failed probe up to a cap well "
            "under the allowance"
        )
    else:
        text += (
            "The breaker stayed open. It must half-open: after an open period, let a probe "
            "call through and close when it succeeds"
        )
    return text + (
        f". The outages last {_lengths()}, each a different length, so no fixed wait fits them all"
    )


def _lengths() -> str:
    ranges = [f"{lo:g}-{hi:g} s" for lo, hi in sim.OUTAGE_LENGTHS_S]
    return ", ".join(ranges[:-1]) + " and " + ranges[-1]


def success_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The success share, and what happened to the requests that missed it."""
    graded = [i for i, (t, _) in enumerate(sc.arrivals) if sc.graded_for_success(t)]
    missed = [i for i in graded if not out.timely(sc, i, sim.FRESH)]
    late = [i for i in missed if out.kind(i) == sim.FRESH]
    cached = [i for i in missed if out.kind(i) == sim.FALLBACK]
    errors = [i for i in missed if out.kind(i) == sim.FAILED]
    stale = _before_recovery(sc, out)
    after = sum(1 for i in cached if any(a <= sc.arrivals[i][0] < b for a, b in stale))
    text = (
        f"{len(graded) - len(missed):,} of {len(graded):,} requests (outside the outages, the "
        f"{sim.RECOVERY_S:g} s after each and the error bursts) got a fresh answer within "
        f"{sim.DEADLINE_S:g} s; {len(late):,} came too late, {len(cached):,} were served "
        f"from the cache, {len(errors):,} got an error"
    )
    if out.success_pct(sc) >= SUCCESS_PCT:
        return text
    text += f", below {SUCCESS_PCT:g} %"
    biggest = max(len(late), len(cached), len(errors))
    if biggest == len(late):
        return text + (
            ". A slow call (a latency spike makes some take seconds) holds its request past "
            "the deadline unless the attempt has a timeout well under it: time out, then "
            "retry, and the retry is usually fast"
        )
    if biggest == len(cached):
        if after > len(cached) / 2:
            return text + _late_recovery(sc, out, after)
        return text + (
            ". The breaker opened while the dependency was only partly failing (a spike or "
            "a burst), so healthy calls were refused: its threshold must sit above a bad "
            "minute's failure rate and below an outage's, over a window of enough calls, and "
            "unbudgeted retries of the failing keys fill its window with failures"
        )
    return text + (
        ". A timed-out or failed attempt was not retried in time: retry after a short "
        "jittered wait while the deadline allows, and keep enough retries in the budget "
        "for a spike's timeouts"
    )


def outage_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Calls into the outages, and how many requests arrived in them."""
    inside = sum(1 for t, _ in sc.arrivals if sc.in_outage(t))
    calls = out.outage_calls(sc)
    down = sum(b - a for a, b in sc.outages)
    text = (
        f"{calls:,} calls started while the dependency was down ({len(sc.outages)} outages, "
        f"{down:.0f} s, {inside:,} requests)"
    )
    if calls <= OUTAGE_CALLS:
        return text
    return text + (
        f", more than {OUTAGE_CALLS}. Timeouts and retries bound what an outage costs your "
        "client, not what it costs the dependency: every request still calls a service that "
        "cannot answer. A circuit breaker stops calling once most recent calls fail, and "
        "lets only a probe through now and then"
    )


def amplification_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Calls per request in the error bursts, and how many of them were retries."""
    inside = [i for i, (t, _) in enumerate(sc.arrivals) if sc.in_burst(t)]
    amp = out.amplification(sc)
    text = (
        f"{amp:.2f} calls per request for the {len(inside):,} requests that arrived in the error "
        f"bursts (a quarter of the keys failed every call there)"
    )
    if amp <= AMPLIFICATION:
        return text
    return text + (
        f", above {AMPLIFICATION:g}. Retrying a failure that repeats multiplies the load on a "
        "dependency that is already in trouble: a retry budget (a token bucket that each "
        "request fills by a fraction, about 0.1, and each retry empties by one) caps retries "
        "at a share of the traffic whatever fails"
    )


def wave_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The largest retry wave, and when it came."""
    wave = out.retry_wave()
    retries = sum(1 for c in out.calls if c.attempt > 0)
    text = (
        f"{retries:,} retries in all; at most {wave} of them reached the dependency within "
        f"{sim.WAVE_WINDOW_S * 1000:g} ms"
    )
    if wave <= RETRY_WAVE:
        return text
    return text + (
        f", more than {RETRY_WAVE}. The 8 requests of a fan-out start together and fail "
        "together, so a wait computed the same way for each (immediately, or base * 2 ** n "
        "without jitter) sends them back together, wave after wave, at a dependency that is "
        "already struggling. Full jitter draws each wait from self.rng.uniform(0, ceiling), "
        "which spreads them"
    )


def p99_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The P99 against the deadline, and where the slow requests were."""
    p99 = out.p99_s(sc)
    slow = [i for i in range(len(sc.arrivals)) if out.latency(sc, i) > sim.DEADLINE_S + 1e-9]
    outage = sum(1 for i in slow if sc.in_outage(sc.arrivals[i][0]))
    text = (
        f"P99 {p99:.3f} s against the {sim.DEADLINE_S:g} s deadline; {len(slow):,} requests "
        f"answered after it ({outage:,} of them in an outage)"
    )
    if p99 <= P99_S:
        return text
    longest = max(c.timeout for c in out.calls) if out.calls else 0.0
    if longest >= sim.DEADLINE_S:
        said = "No timeout" if longest >= NO_TIMEOUT_S else f"A timeout of {longest:g} s"
        return text + (
            f". {said} on an attempt lets one slow or hung call spend the whole deadline. "
            "Give each attempt a timeout well under the deadline, and never one that reaches "
            "past request.deadline"
        )
    return text + (
        ". Retries and waits went on past the deadline: before each attempt, check how much "
        "time request.deadline leaves, and answer from the fallback when it is too little"
    )


def fallback_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """The outages' requests: from the cache in time, or not."""
    inside = [i for i, (t, _) in enumerate(sc.arrivals) if sc.in_outage(t)]
    kinds = Counter(out.kind(i) for i in inside)
    timely = sum(1 for i in inside if out.timely(sc, i, sim.FALLBACK))
    text = (
        f"{timely:,} of {len(inside):,} requests in the outages got a cached value within the "
        f"deadline; {kinds[sim.FAILED]:,} got an error"
    )
    if out.fallback_pct(sc) >= FALLBACK_PCT:
        return text
    if kinds[sim.FALLBACK] < len(inside) / 2:
        return text + (
            f", below {FALLBACK_PCT:g} %. When the dependency cannot answer, a stale value beats "
            "an error: keep the last value each key returned (on_success) and return it from "
            "fallback()"
        )
    return text + (
        f", below {FALLBACK_PCT:g} %. The cached values came too late: waiting on a dead "
        "dependency first (long timeouts, retries) spends the deadline. An open breaker "
        "answers from the cache at once"
    )


def workload(ctx: LabContext) -> Workload:
    """The starter's batches on a seeded scenario, replayed through the learner's client."""
    sc = sim.scenario(ctx.rng("workload"))
    seed = client_seed(ctx)
    batches: list[list[Any]] = []
    starter = local(ctx, seed)

    def recording(batch: sim.Batch) -> Any:
        batches.append(list(batch))
        return starter(batch)

    sim.simulate(sc, recording)
    return Workload("replay", (seed, batches))
