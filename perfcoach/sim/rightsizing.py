"""Rightsizing simulation: a fleet of instances under a week of 5-minute load, scaled by a policy.

The engine owns what an autoscaler cannot know in advance: the load of every interval of a
week (a daily curve with a morning ramp, weekdays busier than the weekend, noise, and three
marketing spikes at any hour of any day, each lifting the load to a level no fixed fleet
the cost bound allows can carry, so only a policy that reacts to the load passes; see
docs/sim.md). The policy is a callable
asked once per interval, after that interval's load is known, how many instances it wants;
instances it launches boot for one interval (5 minutes) before they serve, and instances it
drops stop at once. An interval misses the SLO when its load exceeds what its serving
instances can carry at the latency target. Nothing waits on anything here, so the engine is
a plain loop over 2,016 intervals (see docs/sim.md): same scenario and same decisions give
the same numbers, to the last digit.
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable
from dataclasses import dataclass, field

INTERVAL_MIN = 5
PER_DAY = 24 * 60 // INTERVAL_MIN  # 288 intervals a day
DAYS = 7
INTERVALS = DAYS * PER_DAY  # 2,016: Monday 00:00 to Sunday 24:00
PER_INSTANCE_RPS = 100.0  # what one instance serves at the latency target
BOOT_MIN = 5  # a launched instance boots this long (one interval), then serves
PRICE_PER_HOUR = 0.20  # dollars per instance-hour, booting included
PEAK_FLEET = 50  # the fixed fleet sized for last year's busiest 5 minutes (the starter's)
START_FLEET = PEAK_FLEET  # the autoscaler takes over that fleet on Monday at 00:00
QUOTA = 120  # the account's instance limit: a policy asking for more is refused
MIN_INSTANCES = 2  # never fewer: one instance is a single point of failure
WEEKDAY_PEAK = (1_000.0, 1_300.0)  # the daily curve's top on a weekday, requests a second
DAY_FACTOR = ((0.9, 1.05),) * 5 + ((0.5, 0.6), (0.4, 0.5))  # each day's peak over WEEKDAY_PEAK
SPIKES = 3  # marketing spikes a week, at instants drawn over the whole week
SPIKE_LEVEL = (2_400.0, 3_600.0)  # requests a second on a spike's plateau, before noise
SPIKE_RISE = (3, 5)  # intervals from the normal curve to the plateau
SPIKE_PLATEAU = (36, 48)  # intervals held: 3 to 4 hours
SPIKE_DECAY = (9, 15)  # intervals back to the normal curve
SPIKE_GAP = PER_DAY  # intervals at least between one spike's end and the next one's start
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class BadDecision(Exception):
    """The policy answered something no cloud API would accept."""

    def __init__(self, at: int, answer: object, why: str) -> None:
        super().__init__(why)
        self.at = at
        self.answer = answer
        self.why = why


@dataclass(frozen=True)
class Spike:
    """One marketing spike: where it rises, where it is gone, and the load it lifts to."""

    start: int  # interval where the load begins to rise
    rise: int  # intervals to the plateau
    plateau: int  # intervals held at the level
    decay: int  # intervals back to the normal curve
    level: float  # requests a second on the plateau, before noise, whatever the hour

    @property
    def end(self) -> int:
        """The first interval after the spike, back on the normal curve."""
        return self.start + self.rise + self.plateau + self.decay

    @property
    def day(self) -> str:
        """The weekday the spike begins."""
        return DAY_NAMES[self.start // PER_DAY]

    @property
    def clock(self) -> str:
        """The time of day the spike begins, HH:MM."""
        minute = (self.start % PER_DAY) * INTERVAL_MIN
        return f"{minute // 60:02d}:{minute % 60:02d}"

    @property
    def hours(self) -> float:
        """From its first rise to its return to normal, in hours."""
        return (self.end - self.start) * INTERVAL_MIN / 60

    def holds(self, t: int) -> bool:
        """Whether interval t is in this spike."""
        return self.start <= t < self.end

    def lift(self, t: int) -> float:
        """How far interval t is lifted from the normal curve towards the level: 0 outside
        the spike, rising linearly to 1, held on the plateau, falling linearly."""
        k = t - self.start
        if not 0 <= k < self.end - self.start:
            return 0.0
        if k < self.rise:
            return (k + 1) / self.rise
        if k < self.rise + self.plateau:
            return 1.0
        return 1.0 - (k - self.rise - self.plateau + 1) / (self.decay + 1)


@dataclass(frozen=True)
class Scenario:
    """One seeded week: the load of every interval (requests a second) and its spikes."""

    load: tuple[float, ...]
    weekday_peak: float  # the daily curve's top on a weekday, before noise and spikes
    spikes: tuple[Spike, ...]  # in the order they come

    def spike_at(self, t: int) -> Spike | None:
        """The spike interval t is in, if any."""
        return next((s for s in self.spikes if s.holds(t)), None)


def clock(t: int) -> str:
    """Day and time of the end of interval t, for messages: 'Tuesday 09:35'."""
    minute = (t % PER_DAY + 1) * INTERVAL_MIN
    return f"{DAY_NAMES[t // PER_DAY]} {minute // 60:02d}:{minute % 60:02d}"


def _smooth(x: float) -> float:
    """0 below 0, 1 above 1, a smooth S between."""
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def daily_shape(hour: float) -> float:
    """The share of the day's peak at a time of day: quiet at night, a steep morning ramp
    (06:30-09:30), a plateau with a lunch bump, and a slower evening decline."""
    ramp = _smooth((hour - 6.5) / 3.0)
    fall = _smooth((hour - 18.0) / 5.0)
    lunch = 0.08 * math.exp(-(((hour - 12.5) / 1.2) ** 2))
    return ramp * (1 - fall) * (0.92 + lunch)


def _spikes(rng: random.Random) -> tuple[Spike, ...]:
    """SPIKES spikes anywhere in the week, SPIKE_GAP apart: each shape drawn, then the slack
    the week leaves around them split at uniform points, so every hour of every day can hold
    one and no draw is ever rejected."""
    shapes = [
        (
            rng.randint(*SPIKE_RISE),
            rng.randint(*SPIKE_PLATEAU),
            rng.randint(*SPIKE_DECAY),
            round(rng.uniform(*SPIKE_LEVEL), 1),
        )
        for _ in range(SPIKES)
    ]
    taken = sum(rise + plateau + decay for rise, plateau, decay, _ in shapes)
    slack = INTERVALS - taken - SPIKE_GAP * (SPIKES - 1)
    offsets = sorted(rng.randrange(slack + 1) for _ in range(SPIKES))
    spikes: list[Spike] = []
    before = 0  # intervals the earlier spikes and their gaps take
    for offset, (rise, plateau, decay, level) in zip(offsets, shapes, strict=True):
        spike = Spike(offset + before, rise, plateau, decay, level)
        spikes.append(spike)
        before += spike.end - spike.start + SPIKE_GAP
    return tuple(spikes)


def scenario(rng: random.Random) -> Scenario:
    """A week drawn from rng: a weekday peak, per-day factors, noise, and the spikes."""
    peak = rng.uniform(*WEEKDAY_PEAK)
    weekday_floor = rng.uniform(70.0, 100.0)
    weekend_floor = rng.uniform(30.0, 45.0)
    factors = [rng.uniform(*DAY_FACTOR[day]) for day in range(DAYS)]
    spikes = _spikes(rng)
    drift = 0.0
    load: list[float] = []
    for t in range(INTERVALS):
        day, slot = divmod(t, PER_DAY)
        floor = weekday_floor if day < 5 else weekend_floor
        normal = floor + (peak * factors[day] - floor) * daily_shape((slot + 0.5) / 12)
        drift = 0.8 * drift + rng.gauss(0.0, 0.015)
        for spike in spikes:  # they never overlap; lift is 0 outside one
            normal += max(0.0, spike.level - normal) * spike.lift(t)
        value = normal * (1 + drift) * (1 + rng.gauss(0.0, 0.05))
        load.append(round(max(1.0, value), 1))
    return Scenario(tuple(load), round(peak, 1), spikes)


@dataclass(frozen=True)
class Observation:
    """What the policy learns at the end of interval t (wire form: a tuple)."""

    t: int
    load: float  # requests a second during interval t
    running: int  # instances that served interval t
    booting: int  # instances launched at the last decision: they serve from t + 1

    def wire(self) -> tuple[int, float, int, int]:
        """Plain data for the subject."""
        return (self.t, self.load, self.running, self.booting)


Policy = Callable[[Observation], object]


@dataclass
class Outcome:
    """What the policy's fleet did, interval by interval."""

    serving: list[int] = field(default_factory=list)  # instances serving each interval
    billed: list[int] = field(default_factory=list)  # instances paid for each interval
    actions: list[tuple[int, int]] = field(default_factory=list)  # (interval, change) per action
    launched: int = 0
    terminated: int = 0

    def misses(self, sc: Scenario) -> list[int]:
        """Intervals whose load exceeded what the serving instances carry at the target."""
        return [t for t, n in enumerate(self.serving) if sc.load[t] > n * PER_INSTANCE_RPS]

    def slo_miss_pct(self, sc: Scenario) -> float:
        """The share of the week's intervals that missed the SLO, %."""
        return 100.0 * len(self.misses(sc)) / INTERVALS

    def instance_hours(self) -> float:
        """Instance-hours paid for over the week."""
        return sum(self.billed) * INTERVAL_MIN / 60.0

    def cost(self) -> float:
        """Dollars paid over the week."""
        return self.instance_hours() * PRICE_PER_HOUR

    def cost_pct(self) -> float:
        """The week's bill as a share of the fixed peak fleet's, %."""
        return 100.0 * self.instance_hours() / (PEAK_FLEET * INTERVALS * INTERVAL_MIN / 60.0)

    def actions_by_day(self) -> list[int]:
        """Scaling actions (decisions that launched or terminated) on each day."""
        days = [0] * DAYS
        for t, _ in self.actions:
            days[t // PER_DAY] += 1
        return days

    def actions_per_day(self) -> float:
        """Scaling actions over the week, per day on average."""
        return len(self.actions) / DAYS

    def min_serving(self) -> int:
        """The fewest instances serving in any interval."""
        return min(self.serving)


def desired(t: int, answer: object) -> int:
    """The policy's answer as an instance count, or BadDecision naming what is wrong."""
    if isinstance(answer, bool):
        raise BadDecision(t, answer, "a bool is not an instance count")
    try:
        count = operator.index(answer)  # type: ignore[arg-type]
    except TypeError:
        raise BadDecision(t, answer, "not an int") from None
    if count < 0:
        raise BadDecision(t, answer, "a negative instance count")
    if count > QUOTA:
        raise BadDecision(t, answer, f"more than the account's quota of {QUOTA} instances")
    return count


class Fleet:
    """The week's fleet, one interval at a time: observe() what interval t showed, then
    decide() the fleet after it. Nothing about interval t + 1 exists outside this object
    until the decision for t is in: a policy in another process can be driven by it one
    round trip per interval and never hold a later load.

    At the end of interval t the policy sees t's load, the instances that served it and
    those still booting (launched at the previous decision, serving from t + 1), and
    answers the fleet it wants. More than it has: the difference launches, boots during
    t + 1 and serves from t + 2. Fewer: booting instances are cancelled first, then
    running ones stop at once. Every instance is billed while it boots and while it serves.
    """

    def __init__(self, sc: Scenario) -> None:
        self.sc = sc
        self.out = Outcome()
        self.t = 0
        self.running = START_FLEET
        self.booting = 0

    @property
    def done(self) -> bool:
        """Whether every interval of the week has been decided."""
        return self.t >= INTERVALS

    def observe(self) -> Observation:
        """What the policy learns at the end of the current interval."""
        return Observation(self.t, self.sc.load[self.t], self.running, self.booting)

    def decide(self, answer: object) -> None:
        """Carry out the policy's answer for the current interval and move to the next."""
        t, out = self.t, self.out
        want = desired(t, answer)
        have = self.running + self.booting
        out.serving.append(self.running)
        out.billed.append(have)
        if want > have:
            out.launched += want - have
            self.running, self.booting = have, want - have
            out.actions.append((t, want - have))
        else:
            if want < have:
                out.terminated += have - want
                out.actions.append((t, want - have))
            self.running, self.booting = want, 0
        self.t += 1


def simulate(sc: Scenario, policy: Policy) -> Outcome:
    """The week under one policy in this process, decided interval by interval."""
    fleet = Fleet(sc)
    while not fleet.done:
        fleet.decide(policy(fleet.observe()))
    return fleet.out
