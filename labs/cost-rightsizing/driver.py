"""Runs in the subject, beside the learner's autoscaler.py: keeps the past, calls the policy.

The week's load lives in the grader, drawn from a seed this process never sees. The grader
serves the platform: asked to observe, it answers the interval that just ended (its load,
the instances running and booting); sent a decision, it carries it out on its own fleet and
only then answers the next interval. The driver adds each load to the history it keeps,
builds the observation and sends what policy(observation) answered. Nothing about a later
interval exists in this process before the decision that precedes it: this process only
ever decides, it never measures.
"""

from __future__ import annotations

import operator
import random
from collections.abc import Iterator, Sequence
from typing import Any, overload

from perfcoach.driverkit import Remote

INTERVAL_MIN = 5
PER_DAY = 24 * 60 // INTERVAL_MIN
PER_INSTANCE_RPS = 100.0
BOOT_MIN = 5
MIN_INSTANCES = 2
PRICE_PER_HOUR = 0.20


class History(Sequence[float]):
    """The load of every interval so far (requests a second), oldest first, read-only."""

    __slots__ = ("_items",)

    def __init__(self, items: list[float]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> float: ...

    @overload
    def __getitem__(self, index: slice) -> list[float]: ...

    def __getitem__(self, index: int | slice) -> float | list[float]:
        return self._items[index]

    def __iter__(self) -> Iterator[float]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"History({len(self._items)} intervals, last {self._items[-3:]})"


class Observation:
    """What the autoscaler knows at the end of interval t (read-only by contract).

    t: the interval that just ended (0 is Monday 00:00-00:05; 2,015 the last of Sunday)
    day, minute: the time now, at the end of interval t: day 0 is Monday, minute of the day
    load: requests a second during interval t; history: every interval's load so far
    running: instances that served interval t
    booting: instances launched at the last decision: they serve from the next interval
    last_change: the last interval whose decision changed the fleet (None: none yet)
    """

    __slots__ = ("booting", "day", "history", "last_change", "load", "minute", "running", "t")

    per_instance_rps = PER_INSTANCE_RPS
    interval_minutes = INTERVAL_MIN
    boot_minutes = BOOT_MIN
    min_instances = MIN_INSTANCES
    price_per_hour = PRICE_PER_HOUR

    def __init__(
        self, t: int, history: History, running: int, booting: int, last_change: int | None
    ) -> None:
        now = (t + 1) * INTERVAL_MIN
        self.t = t
        self.day = (now // (24 * 60)) % 7
        self.minute = now % (24 * 60)
        self.load = history[-1]
        self.history = history
        self.running = running
        self.booting = booting
        self.last_change = last_change

    def __repr__(self) -> str:
        return (
            f"Observation(t={self.t}, day={self.day}, minute={self.minute}, load={self.load}, "
            f"running={self.running}, booting={self.booting}, last_change={self.last_change})"
        )


class Autoscaler:
    """The driver's own memory between intervals: the loads seen and the last change."""

    def __init__(self) -> None:
        self.loads: list[float] = []
        self.last_change: int | None = None

    def decide(self, module: Any, t: int, load: float, running: int, booting: int) -> Any:
        """One interval's observation in, the policy's answer out (an int, or what it was)."""
        self.loads.append(load)
        answer = module.policy(
            Observation(t, History(self.loads), running, booting, self.last_change)
        )
        if isinstance(answer, bool):
            return ("bad", repr(answer))
        try:
            count = operator.index(answer)
        except TypeError:
            return ("bad", repr(answer)[:80])
        if count != running + booting:
            self.last_change = t
        return count


def week(module: Any, platform: Remote, seed: int) -> int:
    """The whole week: observe an interval, ask the policy, send its answer, which brings
    the next interval's observation (None once the week is over or an answer was refused).
    `random` is seeded first, so the same code repeats exactly. The number of decisions."""
    random.seed(seed)
    scaler = Autoscaler()
    decisions = 0
    observation = platform.call("observe")
    while observation is not None:
        observation = platform.call("decide", scaler.decide(module, *observation))
        decisions += 1
    return decisions


def replay(module: Any, seed: int, observations: list[tuple[int, float, int, int]]) -> int:
    """Observations recorded from a run, for `lab profile`: how many decisions were made."""
    random.seed(seed)
    scaler = Autoscaler()
    for t, load, running, booting in observations:
        scaler.decide(module, t, load, running, booting)
    return len(observations)
