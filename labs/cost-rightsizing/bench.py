"""Grader for cost-rightsizing: the week runs here, the learner's policy only decides.

The simulation (perfcoach.sim.rightsizing) owns the week's load: 2,016 five-minute
intervals drawn from a slow hash of the check's seed (a daily curve, quieter weekends,
noise, and three marketing spikes whose days, hours and heights the seed decides). The learner's
autoscaler.py runs in the candidate subject, behind driver.py, which drives the platform
served from here (Platform): it observes the interval that just ended, asks the policy, and
sends its answer, which the platform carries out on its fleet before it reveals the next
interval. The subject never holds a later interval's load: it is not in any message before
the decision that precedes it. Every figure comes from this process's fleet; the starter's
figures come from the starter run here, through the same driver, on the same week.

* slo_miss_pct — the share of intervals whose load exceeded what the serving instances
  carry at the latency target (100 requests a second each).
* cost_pct — the week's instance-hours (booting included) as a share of the fixed peak
  fleet's (the starter's 50 instances all week).
* actions_per_day — scaling actions (decisions that launched or terminated instances) a
  day, over the week.
* min_instances — the fewest instances serving in any interval.
"""

from __future__ import annotations

import random

from perfcoach.labkit import (
    Grade,
    LabContext,
    Measured,
    Workload,
    WrongAnswer,
    load_module,
    stretched,
)
from perfcoach.sim import rightsizing as sim

SLO_MISS_PCT = 1.0  # the brief's targets, also the goals in lab.toml
COST_PCT = 45.0  # the largest fixed fleet under it (22) carries no spike: see docs/sim.md
ACTIONS_PER_DAY = 80
MIN_INSTANCES = sim.MIN_INSTANCES
FLAP_WINDOW = 6  # intervals: a change reversed within 30 minutes is a flap
RAMP_HOURS = (6.5, 9.5)  # the morning ramp, for the messages


def policy_seed(ctx: LabContext) -> int:
    """What seeds `random` in the policy's process: a slow hash of the check's seed, so code
    there cannot search the 2**31 seeds for the one behind it."""
    return stretched(ctx.seed, "policy", "rightsizing") >> 32


def week(ctx: LabContext) -> sim.Scenario:
    """The check's week, drawn from a slow hash of its seed. The loads reach the policy one
    interval at a time and fingerprint the seed: with a fast derivation, code in the policy's
    process could try seeds against the first hours and draw the spikes ahead; at ~10 ms a
    candidate, the time limit allows a few thousand of 2**31."""
    return sim.scenario(random.Random(stretched(ctx.seed, "week", "rightsizing")))


class Platform:
    """The cloud as the learner's subject reaches it (served from here): each decision
    carries out interval t and only then reveals interval t + 1. A policy that reaches this
    service itself, around the driver, still learns no load before deciding the interval
    before it."""

    def __init__(self, sc: sim.Scenario) -> None:
        self.fleet = sim.Fleet(sc)
        self.bad: sim.BadDecision | None = None

    def observe(self) -> tuple[int, float, int, int] | None:
        """The interval that just ended, or None once the week is over."""
        return None if self.fleet.done or self.bad else self.fleet.observe().wire()

    def decide(self, answer: object) -> tuple[int, float, int, int] | None:
        """Carry out the answer; the next interval's observation, or None to stop."""
        if self.fleet.done or self.bad:
            return None
        try:
            self.fleet.decide(answer)
        except sim.BadDecision as bad:
            self.bad = bad
        return self.observe()


def remote(ctx: LabContext, sc: sim.Scenario) -> sim.Outcome:
    """The learner's policy in its subject, driving the grader's fleet: one service round
    trip per interval, the whole week in one call."""
    platform = Platform(sc)
    ctx.candidate.call("week", ctx.serve(platform), policy_seed(ctx))
    if platform.bad is not None:
        raise _wrong(platform.bad, "your policy")
    if not platform.fleet.done:
        raise WrongAnswer(
            f"the week stopped after interval {platform.fleet.t} of {sim.INTERVALS:,} "
            f"({sim.clock(platform.fleet.t - 1) if platform.fleet.t else 'before it began'}): "
            "the lab's driver asks for a decision at the end of every interval, so code in "
            "your autoscaler.py changed it. Write only policy(observation)"
        )
    return platform.fleet.out


def local(ctx: LabContext) -> sim.Policy:
    """The starter's policy, run here through the same driver (it is the lab's own code)."""
    driver = load_module(ctx.lab_dir / "driver.py", "cost_rightsizing_driver")
    starter = load_module(ctx.lab_dir / "starter" / "autoscaler.py", "cost_rightsizing_starter")
    scaler = driver.Autoscaler()

    def policy(obs: sim.Observation) -> object:
        return scaler.decide(starter, *obs.wire())

    return policy


def _wrong(bad: sim.BadDecision, who: str) -> WrongAnswer:
    """An answer no cloud API would take, as the learner's lesson."""
    shown = bad.answer[1] if isinstance(bad.answer, tuple) else repr(bad.answer)
    return WrongAnswer(
        f"{who} answered {shown:.80} at the end of interval {bad.at} "
        f"({sim.clock(bad.at)}): {bad.why}. policy(observation) must return the number "
        f"of instances you want, an int from 0 to {sim.QUOTA}"
    )


def run(sc: sim.Scenario, policy: sim.Policy, who: str) -> sim.Outcome:
    """The week under a policy run here; an answer no cloud API would take is wrong."""
    try:
        return sim.simulate(sc, policy)
    except sim.BadDecision as bad:
        raise _wrong(bad, who) from None


def grade(ctx: LabContext) -> Grade:
    """Both policies on one seeded week; every figure from the fleets simulated here."""
    sc = week(ctx)
    mine = remote(ctx, sc)
    base = run(sc, local(ctx), "the starter")
    metrics = {
        "slo_miss_pct": Measured(
            round(mine.slo_miss_pct(sc), 2),
            round(base.slo_miss_pct(sc), 2),
            detail=miss_detail(sc, mine),
        ),
        "cost_pct": Measured(
            round(mine.cost_pct(), 2), round(base.cost_pct(), 2), detail=cost_detail(mine)
        ),
        "actions_per_day": Measured(
            round(mine.actions_per_day(), 1),
            round(base.actions_per_day(), 1),
            detail=actions_detail(mine),
        ),
        "min_instances": Measured(mine.min_serving(), base.min_serving(), detail=min_detail(mine)),
    }
    spikes = "; ".join(
        f"{s.day} from {s.clock}, {s.level:,.0f} requests a second, {s.hours:.1f} h"
        for s in sc.spikes
    )
    notes = [
        f"This seed: weekday peaks near {sc.weekday_peak:,.0f} requests a second; the "
        f"marketing spikes: {spikes}; the busiest interval needed "
        f"{_needed(max(sc.load))} instances.",
        "Your fleet: " + fleet(mine) + ". The starter's: " + fleet(base) + ".",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _needed(load: float) -> int:
    return -int(-load // sim.PER_INSTANCE_RPS)


def fleet(out: sim.Outcome) -> str:
    """The fleet's range, launches and terminations over the week."""
    return (
        f"{min(out.serving)}-{max(out.serving)} instances serving, {out.launched:,} launched, "
        f"{out.terminated:,} terminated, {len(out.actions):,} scaling "
        f"action{'' if len(out.actions) == 1 else 's'}"
    )


def _on_ramp(t: int) -> bool:
    hour = (t % sim.PER_DAY) * sim.INTERVAL_MIN / 60
    return t // sim.PER_DAY < 5 and RAMP_HOURS[0] <= hour < RAMP_HOURS[1]


def miss_detail(sc: sim.Scenario, out: sim.Outcome) -> str:
    """Where the misses fell (the spikes, the morning ramps, elsewhere), and what that says."""
    misses = out.misses(sc)
    spike = [t for t in misses if sc.spike_at(t) is not None]
    ramp = [t for t in misses if _on_ramp(t) and t not in spike]
    after_in = [t for t in misses if t not in spike and t not in ramp and _scaled_in_before(out, t)]
    other = len(misses) - len(spike) - len(ramp) - len(after_in)
    text = (
        f"{len(misses):,} of {sim.INTERVALS:,} intervals had more load than their serving "
        f"instances carry at {sim.PER_INSTANCE_RPS:.0f} requests a second each: {len(spike):,} "
        f"in the {len(sc.spikes)} spikes, {len(ramp):,} on weekday "
        f"morning ramps, {len(after_in):,} just after a scale-in, {other:,} elsewhere"
    )
    if out.slo_miss_pct(sc) <= SLO_MISS_PCT:
        return text
    if len(after_in) > max(len(spike), len(ramp), other):
        return text + (
            f". Above {SLO_MISS_PCT:g} %. Scaling in to what the last interval needed leaves "
            "nothing for the next one: five-minute load jitters by several %, and an "
            "instance you drop takes 10 minutes to get back. Scale in only to a fleet that "
            "would have carried the recent peak with headroom, and not right after a change"
        )
    missed = [s for s in sc.spikes if any(map(s.holds, spike)) and not _grew_for(out, s)]
    if len(spike) > len(misses) / 2 and missed:
        return text + (
            f". Above {SLO_MISS_PCT:g} %. The fleet did not grow for the spike on "
            f"{missed[0].day} from {missed[0].clock}: a fixed fleet or a schedule knows only "
            "what repeats, and marketing spikes come on days and at hours nobody told it, "
            "higher than any fleet you could afford to keep all week. Keep a schedule if you "
            "like, but react to the load on top of it"
        )
    if len(spike) + len(ramp) >= other:
        return text + (
            f". Above {SLO_MISS_PCT:g} %. An instance launched now serves only after it boots "
            f"({sim.BOOT_MIN} minutes, the whole next interval), so a policy that sizes the "
            "fleet for the load it has just seen is always two intervals behind a rising "
            "load: the morning ramp and the spikes outrun it. Keep headroom (size for 60-70 % "
            "utilisation, not 100 %), add the recent trend, or scale ahead of the ramp on a "
            "schedule and react on top"
        )
    return text + (
        f". Above {SLO_MISS_PCT:g} %. The fleet was too small at ordinary times: five-minute "
        "load jitters by several % around its curve, and a fleet sized to exactly the last "
        "interval's load misses whenever the next one is a little higher. Size for a target "
        "utilisation well below 100 %, on the recent peak rather than the last value"
    )


def _grew_for(out: sim.Outcome, spike: sim.Spike) -> bool:
    """Whether the fleet serving the spike ever grew by a quarter over the one before it."""
    before = max(out.serving[max(0, spike.start - 12) : spike.start + 1])
    return max(out.serving[spike.start : spike.end]) > 1.25 * before


def _scaled_in_before(out: sim.Outcome, t: int) -> bool:
    """Whether the fleet serving t is smaller than the one two intervals earlier."""
    return t >= 2 and out.serving[t] < max(out.serving[t - 2 : t])


def cost_detail(out: sim.Outcome) -> str:
    """The bill against the fixed peak fleet's, and where the hours went."""
    peak_cost = sim.PEAK_FLEET * sim.INTERVALS * sim.INTERVAL_MIN / 60 * sim.PRICE_PER_HOUR
    nights = [
        n
        for t, n in enumerate(out.billed)
        if not 7 <= (t % sim.PER_DAY) * sim.INTERVAL_MIN / 60 < 21
    ]
    text = (
        f"${out.cost():,.2f} for the week ({out.instance_hours():,.0f} instance-hours at "
        f"${sim.PRICE_PER_HOUR:.2f}) against ${peak_cost:,.2f} for {sim.PEAK_FLEET} instances "
        f"all week; {sum(nights) / max(1, len(nights)):.1f} instances on average between "
        "21:00 and 07:00"
    )
    if out.cost_pct() <= COST_PCT:
        return text
    return text + (
        f". Above {COST_PCT:g} %. Capacity that does not follow demand is paid for at night "
        "and at the weekend, when the load is a tenth of the peak: scale in when the load "
        "falls, not only out when it rises, and do not keep a spike's fleet after the spike. "
        "A fleet kept ready for spikes that have not come is the same waste: no fixed "
        "fleet under this bound carries a spike, and no schedule can afford spike capacity "
        "at every hour one may come, so grow when one comes"
    )


def flaps(out: sim.Outcome) -> int:
    """Changes reversed within FLAP_WINDOW intervals (a scale-out soon after a scale-in,
    or the reverse)."""
    count = 0
    previous: tuple[int, int] | None = None
    for t, change in out.actions:
        direction = 1 if change > 0 else -1
        if previous is not None and previous[1] != direction and t - previous[0] <= FLAP_WINDOW:
            count += 1
        previous = (t, direction)
    return count


def actions_detail(out: sim.Outcome) -> str:
    """Actions a day, the busiest day's, how many reversed a change just made, and why it
    matters."""
    days = out.actions_by_day()
    busiest = max(range(sim.DAYS), key=lambda d: days[d])
    reversed_ = flaps(out)
    text = (
        f"{len(out.actions):,} scaling action{'' if len(out.actions) == 1 else 's'} in the "
        f"week, {out.actions_per_day():.1f} a day "
        f"(the most, {days[busiest]}, on {sim.DAY_NAMES[busiest]}); {reversed_:,} of them "
        f"undid a change made at most {FLAP_WINDOW * sim.INTERVAL_MIN} minutes before"
    )
    if out.actions_per_day() <= ACTIONS_PER_DAY:
        return text
    return text + (
        f". Above {ACTIONS_PER_DAY} a day. The fleet is flapping: five-minute load jitters by "
        "several %, and a policy that resizes to every interval's load follows the noise, "
        "launching instances that boot for 5 minutes only to be dropped 5 minutes later. "
        "Scale out at once when needed, but scale in only after a cooldown since the last "
        "change (15-30 minutes), and only when the recent peak fits the smaller fleet"
    )


def min_detail(out: sim.Outcome) -> str:
    """The fewest instances serving, and when."""
    fewest = out.min_serving()
    low = [t for t, n in enumerate(out.serving) if n == fewest]
    text = (
        f"at least {fewest} instance{'s' if fewest != 1 else ''} serving at all times; the "
        f"fewest first at {sim.clock(low[0] - 1) if low[0] else 'the start'}, for "
        f"{len(low):,} intervals in all"
    )
    if fewest >= MIN_INSTANCES:
        return text
    return text + (
        f". Below {MIN_INSTANCES}. One instance is a single point of failure: when it crashes "
        "or is replaced, nothing serves until another boots. However quiet the night, keep "
        f"at least {MIN_INSTANCES} (in different zones)"
    )


def workload(ctx: LabContext) -> Workload:
    """The starter's observations on a seeded week, replayed through the learner's policy."""
    sc = sim.scenario(ctx.rng("workload"))
    seen: list[tuple[int, float, int, int]] = []
    starter = local(ctx)

    def recording(obs: sim.Observation) -> object:
        seen.append(obs.wire())
        return starter(obs)

    sim.simulate(sc, recording)
    return Workload("replay", (policy_seed(ctx), seen))
