"""The resilience lab's engine: a flaky dependency on a simulated clock, run in the grader.

Requests come in fan-out waves (a page asks for several keys at once). The dependency's
fault schedule is drawn from the seed: latency spikes (some calls take seconds), error
bursts (fast errors for a share of calls) and three outages (every call hangs, then
fails), a short, a middling and a long one, their lengths and order drawn per seed: a
client notices each recovery only by calling, and no fixed wait or open period fits them
all. It has a limited number of call slots, held by a call until the dependency has
finished with it, even when its client has long stopped waiting.

The client's decisions come from a policy (the learner's client, behind the lab's
driver) in batches: the engine sends every event it knows up to a horizon (arrivals,
and the results of calls already in flight), the policy handles them in order with
timers of its own and returns its actions (calls started, answers given) together with
how far it got. It stops `MIN_CALL_S` after the first call it starts, the shortest any
call can take, so a result it has not been told of never belongs before what it handled.
Every figure comes from the engine's own records of those actions.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

WAVE_EVERY_S = 1.0  # a fan-out a second
WAVE_SIZE = 8  # keys per fan-out
KEYS = 24
DEADLINE_S = 1.0  # the client's deadline for each request
OUTAGE_LENGTHS_S = ((20.0, 35.0), (40.0, 60.0), (65.0, 90.0))  # an outage from each, any order
RECOVERY_S = 10.0  # after each outage, not counted in the success share
GAP_S = (20.0, 30.0)  # normal traffic between an outage's recovery allowance and the next
HANG_S = 5.0  # an outage call fails after hanging this long
SLOTS = 40  # calls the dependency works on at once
MIN_CALL_S = 0.01  # the shortest call: a refusal
BATCH_S = 1.0  # the longest stretch of events sent at once
NORMAL_ERROR = 0.002
BAD_KEYS = 6  # keys whose shard fails every call during an error burst
SPIKE_SLOW = 0.15
SPIKE_S = 5.0
BURST_S = 10.0
DATA_EVERY_S = 10.0  # the dependency's data changes this often
WAVE_WINDOW_S = 0.005  # retries this close together reach the dependency as one wave
GIVE_UP_S = 30.0  # after the last arrival, unanswered requests are failures

FRESH, FALLBACK, FAILED = "fresh", "fallback", "failed"
OK, ERROR, TIMEOUT = "ok", "error", "timeout"


@dataclass(frozen=True)
class Scenario:
    """One seeded run: the arrivals (time, key) and the fault windows, seconds."""

    arrivals: tuple[tuple[float, str], ...]
    outages: tuple[tuple[float, float], ...]
    spikes: tuple[tuple[float, float], ...]
    bursts: tuple[tuple[float, float], ...]
    bad_keys: frozenset[str]
    salt: int

    @property
    def end(self) -> float:
        return self.arrivals[-1][0] + GIVE_UP_S

    def in_outage(self, t: float) -> bool:
        return any(a <= t < b for a, b in self.outages)

    def recovering(self, t: float) -> bool:
        """In the recovery allowance after an outage."""
        return any(b <= t < b + RECOVERY_S for _, b in self.outages)

    def in_burst(self, t: float) -> bool:
        return any(a <= t < b for a, b in self.bursts)

    def in_spike(self, t: float) -> bool:
        return any(a <= t < b for a, b in self.spikes)

    def value(self, key: str, version: int) -> str:
        """What the dependency returns for a key in a version of its data: unguessable, so
        a cached answer must have come from a call."""
        tag = hashlib.blake2s(f"{self.salt}:{key}:{version}".encode(), digest_size=4).hexdigest()
        return f"{key}@v{version}-{tag}"

    def graded_for_success(self, t: float) -> bool:
        """Outside the outages and their recovery allowances, and outside the error bursts."""
        return not self.in_outage(t) and not self.recovering(t) and not self.in_burst(t)


def scenario(rng: random.Random) -> Scenario:
    """Fan-outs for 280-370 s: two spikes and a burst; three outages, each followed by its
    recovery allowance and 20-30 s of normal traffic before the next; then a spike and a
    burst. One outage length from each of OUTAGE_LENGTHS_S, in a shuffled order."""
    lengths = [round(rng.uniform(lo, hi), 3) for lo, hi in OUTAGE_LENGTHS_S]
    rng.shuffle(lengths)
    windows: list[tuple[float, float]] = []
    start = round(rng.uniform(55.0, 65.0), 3)
    for length in lengths:
        windows.append((start, start + length))
        start = round(start + length + RECOVERY_S + rng.uniform(*GAP_S), 3)
    outages = tuple(windows)
    after = outages[-1][1] + RECOVERY_S
    end = after + 30.0
    bad = frozenset(f"k{k}" for k in rng.sample(range(KEYS), BAD_KEYS))
    spikes = (
        _window(rng, 5.0, 16.0, SPIKE_S),
        _window(rng, 42.0, 53.0, SPIKE_S),
        _window(rng, after + 2.0, after + 12.0, SPIKE_S),
    )
    bursts = (
        _window(rng, 20.0, 38.0, BURST_S),
        _window(rng, after + 14.0, after + 28.0, BURST_S),
    )
    arrivals: list[tuple[float, str]] = []
    t = round(rng.uniform(0.0, WAVE_EVERY_S), 3)
    while t < end:
        keys = rng.sample(range(KEYS), WAVE_SIZE)
        arrivals.extend((t, f"k{k}") for k in keys)
        t = round(t + WAVE_EVERY_S + rng.uniform(-0.2, 0.2), 3)
    return Scenario(tuple(arrivals), outages, spikes, bursts, bad, rng.getrandbits(40))


def _window(rng: random.Random, lo: float, hi: float, length: float) -> tuple[float, float]:
    start = round(rng.uniform(lo, hi - length), 3)
    return (start, start + length)


@dataclass
class Call:
    """One call the client made, and what the dependency did with it."""

    request: int
    attempt: int
    start: float
    timeout: float
    kind: str  # OK, ERROR or TIMEOUT, as the client saw it
    end: float  # when the client learnt the result
    busy_until: float  # when the dependency let go of its slot
    value: str | None


@dataclass
class Outcome:
    """Everything the engine recorded for one policy."""

    calls: list[Call] = field(default_factory=list)
    answered: dict[int, tuple[float, str]] = field(default_factory=dict)  # id -> (time, kind)
    batches: int = 0
    refused: int = 0  # calls turned away because every slot was busy

    def latency(self, sc: Scenario, i: int) -> float:
        at = self.answered.get(i)
        return (at[0] if at else sc.end) - sc.arrivals[i][0]

    def kind(self, i: int) -> str:
        at = self.answered.get(i)
        if at is None or at[1] == FAILED:
            return FAILED
        return at[1]

    def timely(self, sc: Scenario, i: int, kind: str) -> bool:
        return self.kind(i) == kind and self.latency(sc, i) <= DEADLINE_S + 1e-9

    def success_pct(self, sc: Scenario) -> float:
        graded = [i for i, (t, _) in enumerate(sc.arrivals) if sc.graded_for_success(t)]
        ok = sum(1 for i in graded if self.timely(sc, i, FRESH))
        return 100.0 * ok / len(graded)

    def outage_calls(self, sc: Scenario) -> int:
        return sum(1 for c in self.calls if sc.in_outage(c.start))

    def amplification(self, sc: Scenario) -> float:
        """Calls per request for the requests that arrived in an error burst."""
        inside = {i for i, (t, _) in enumerate(sc.arrivals) if sc.in_burst(t)}
        calls = sum(1 for c in self.calls if c.request in inside)
        return calls / len(inside)

    def retry_wave(self) -> int:
        """The most retries (calls after a request's first) started within WAVE_WINDOW_S."""
        starts = sorted(c.start for c in self.calls if c.attempt > 0)
        return max(
            (bisect.bisect_left(starts, s + WAVE_WINDOW_S) - k for k, s in enumerate(starts)),
            default=0,
        )

    def p99_s(self, sc: Scenario) -> float:
        ordered = sorted(self.latency(sc, i) for i in range(len(sc.arrivals)))
        return ordered[math.ceil(0.99 * len(ordered)) - 1]

    def fallback_pct(self, sc: Scenario) -> float:
        inside = [i for i, (t, _) in enumerate(sc.arrivals) if sc.in_outage(t)]
        ok = sum(1 for i in inside if self.timely(sc, i, FALLBACK))
        return 100.0 * ok / len(inside)


class BadAction(Exception):
    """The policy answered with something the client could not have done."""

    def __init__(self, at: float, why: str) -> None:
        super().__init__(why)
        self.at = at
        self.why = why


Batch = tuple[float, float, list[tuple[Any, ...]]]  # start, horizon, events
Policy = Callable[[Batch], Any]


class Dependency:
    """The flaky service: what a call started at a time does, drawn per request and attempt."""

    def __init__(self, sc: Scenario) -> None:
        self.sc = sc
        self.slots: list[float] = []  # busy_until of calls the dependency still works on

    def call(self, request: int, attempt: int, start: float, timeout: float) -> Call:
        sc = self.sc
        while self.slots and self.slots[0] <= start:
            heapq.heappop(self.slots)
        draw = random.Random(sc.salt * 1_000_003 + request * 64 + min(attempt, 63))
        key = sc.arrivals[request][1]
        value: str | None = None
        if sc.in_outage(start):
            took, ok = HANG_S, False
        elif len(self.slots) >= SLOTS:
            return Call(request, attempt, start, timeout, ERROR, start + MIN_CALL_S, start, None)
        else:
            failing = sc.in_burst(start) and key in sc.bad_keys
            if failing or draw.random() < NORMAL_ERROR:
                took, ok = 0.01 + 0.03 * draw.random(), False
            elif sc.in_spike(start) and draw.random() < SPIKE_SLOW:
                took, ok = 1.5 + 2.5 * draw.random(), True
            else:
                took, ok = min(0.02 + draw.expovariate(1 / 0.03), 0.5), True
            if ok:
                value = sc.value(key, int(start // DATA_EVERY_S))
        took = round(took, 6)
        heapq.heappush(self.slots, start + took)
        if took > timeout:
            return Call(
                request, attempt, start, timeout, TIMEOUT, start + timeout, start + took, None
            )
        kind = OK if ok else ERROR
        return Call(request, attempt, start, timeout, kind, start + took, start + took, value)


def simulate(sc: Scenario, policy: Policy) -> Outcome:
    """Run the scenario with the policy's decisions; every figure is counted here."""
    out = Outcome()
    dep = Dependency(sc)
    received: dict[str, list[tuple[float, str]]] = {}  # key -> (when, value) the client got
    last_call: dict[int, Call] = {}
    attempts: Counter[int] = Counter()
    pending: list[tuple[float, int, tuple[Any, ...]]] = []  # results not yet handled
    nxt = 0  # first arrival not yet handled
    now = 0.0
    total = len(sc.arrivals)
    while len(out.answered) < total and now < sc.end:
        horizon = min(now + BATCH_S, sc.end)
        events = [e for e in pending if e[0] < horizon]
        j = nxt
        while j < total and sc.arrivals[j][0] < horizon:
            t, key = sc.arrivals[j]
            events.append((t, total + j, ("arrive", t, j, key, round(t + DEADLINE_S, 6))))
            j += 1
        events.sort()
        out.batches += 1
        until, actions = _parse(policy((now, horizon, [e[2] for e in events])), now, horizon)
        while nxt < total and sc.arrivals[nxt][0] < until:
            nxt += 1
        for t, _, event in pending:
            if t < until and event[3] == OK:
                received.setdefault(sc.arrivals[event[2]][1], []).append((t, event[4]))
        pending = [e for e in pending if e[0] >= until]
        for action in actions:
            t, i = action[1], action[2]
            _check_open(out, sc, i, t, last_call)
            if action[0] == "call":
                call = dep.call(i, attempts[i], t, action[3])
                attempts[i] += 1
                out.refused += call.busy_until == call.start
                out.calls.append(call)
                last_call[i] = call
                if call.end < until:
                    raise BadAction(t, "handled events past the end of a call it started")
                pending.append(
                    (call.end, len(out.calls), ("result", call.end, i, call.kind, call.value))
                )
                continue
            kind, value = action[3], action[4]
            if kind == FRESH:
                got = last_call.get(i)
                if got is None or got.kind != OK or got.value != value or got.end != t:
                    raise BadAction(t, f"answered request {i} with a value its call did not return")
            elif kind == FALLBACK and not any(
                when <= t and v == value for when, v in received.get(sc.arrivals[i][1], [])
            ):
                raise BadAction(
                    t,
                    f"answered request {i} from a cache with {value!r:.40}, a value the "
                    "dependency had not returned for its key by then",
                )
            out.answered[i] = (t, kind)
        now = until
    return out


def _check_open(out: Outcome, sc: Scenario, i: Any, t: float, last_call: dict[int, Call]) -> None:
    """An action must be on a request that has arrived, is unanswered and has no call out."""
    if not isinstance(i, int) or not 0 <= i < len(sc.arrivals) or sc.arrivals[i][0] > t:
        raise BadAction(t, f"acted on request {i!r:.20}, which had not arrived")
    if i in out.answered:
        raise BadAction(t, f"acted on request {i} after answering it")
    call = last_call.get(i)
    if call is not None and call.end > t:
        raise BadAction(t, f"acted on request {i} while its call was in flight")


def _parse(reply: Any, start: float, horizon: float) -> tuple[float, list[tuple[Any, ...]]]:
    """The policy's reply, checked for shape: (handled up to, [actions in time order])."""
    if not (isinstance(reply, list | tuple) and len(reply) == 2):
        raise BadAction(start, f"replied {reply!r:.60} instead of (until, actions)")
    until, actions = reply
    if not isinstance(until, float | int) or not start < until <= horizon:
        raise BadAction(start, f"said it handled events up to {until!r:.30}")
    if not isinstance(actions, list | tuple):
        raise BadAction(start, f"sent actions {actions!r:.60}")
    last = start
    checked: list[tuple[Any, ...]] = []
    for action in actions:
        ok = isinstance(action, list | tuple) and len(action) >= 2
        t = action[1] if ok else None
        if not ok or not isinstance(t, float | int) or not last <= t < until:
            raise BadAction(
                start, f"sent an action out of order or out of the batch: {action!r:.60}"
            )
        last = float(t)
        if action[0] == "call" and len(action) == 4:
            timeout = action[3]
            if not isinstance(timeout, float | int) or not timeout > 0:
                raise BadAction(t, f"started a call with timeout {timeout!r:.30}")
            checked.append(("call", float(t), action[2], float(timeout)))
        elif action[0] == "answer" and len(action) == 5 and action[3] in (FRESH, FALLBACK, FAILED):
            checked.append(("answer", float(t), action[2], action[3], action[4]))
        else:
            raise BadAction(t, f"sent an action the client cannot take: {action!r:.60}")
    return float(until), checked
