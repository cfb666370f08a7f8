"""The API gateway's per-client rate limiter.

Every request that reaches the gateway asks `allow(client, now)` first, and only an
allowed request goes on to the services behind it. The contract, agreed with the API's
customers: each client may send `burst` requests at once, and after that `rate`
requests per second on average. Put as a rule about time: in every window of W seconds,
a client gets at most `burst + rate × W` requests through. That is a token bucket (or
GCRA) with rate `rate` and capacity `burst`.

`now` is the gateway's clock in seconds, passed in by the caller (never read the wall
clock here). `idle_ttl` is how long the gateway lets a silent client keep any state: it
is at least `burst / rate`, the time a drained bucket takes to fill up again.

This version keeps the time of every request it ever let through, for every client, and
checks the rule against each of them on every request. It is right. It is also slower
with every request a client makes, and it never forgets a client.
"""

from __future__ import annotations


class RateLimiter:
    """Decides, request by request, whether each client is within its limit."""

    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.rate = rate  # requests per second, on average
        self.burst = burst  # requests allowed at once
        self.idle_ttl = idle_ttl  # seconds a silent client may keep state
        self.admitted: dict[str, list[float]] = {}  # client -> times of its allowed requests

    def allow(self, client: str, now: float) -> bool:
        """Whether this request of client, arriving at time now, may go through."""
        history = self.admitted.setdefault(client, [])
        # Every window that ends now and starts at an earlier allowed request must hold
        # at most burst + rate × its length, this request included.
        count = 1
        for then in reversed(history):
            count += 1
            if count > self.burst + self.rate * (now - then):
                return False
        history.append(now)
        return True
