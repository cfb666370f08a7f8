"""A lazily refilled bucket in integer nanoseconds, idle clients evicted on every call.

The credit is counted in nanoseconds of the sustained rate (one request costs
1e9 / rate ns, the bucket holds burst of them), so there is no floating point in the
decision at all, as limiters that store their state in Redis integers do. Clients sit
in an OrderedDict by last request; each call drops the ones silent for longer than
idle_ttl from its front.
Expect: pass
"""

from __future__ import annotations

from collections import OrderedDict

NS = 1_000_000_000


class RateLimiter:
    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.cost = round(NS / rate)
        self.capacity = burst * self.cost
        self.idle_ns = round(idle_ttl * NS)
        self.state: OrderedDict[str, tuple[int, int]] = OrderedDict()  # (credit, at)

    def allow(self, client: str, now: float) -> bool:
        at = round(now * NS)
        state = self.state
        while state:
            oldest = next(iter(state))
            if at - state[oldest][1] <= self.idle_ns:
                break
            del state[oldest]
        credit, then = state.get(client, (self.capacity, at))
        credit = min(self.capacity, credit + (at - then))
        allowed = credit >= self.cost
        state[client] = (credit - self.cost if allowed else credit, at)
        state.move_to_end(client)
        return allowed
