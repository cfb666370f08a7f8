"""The API gateway's per-client rate limiter: GCRA, one number per client, idle clients evicted.

Every request that reaches the gateway asks `allow(client, now)` first. The contract:
each client may send `burst` requests at once and `rate` per second on average, so in
every window of W seconds at most `burst + rate × W` requests get through. That is a token
bucket of capacity `burst` refilled at `rate`, written here as GCRA (the generic cell rate
algorithm): instead of a token count and the time it was last refilled, each client keeps
one number, its theoretical arrival time (TAT). A request at `now` conforms when it is no
earlier than TAT − (burst − 1) / rate; then TAT moves on by 1 / rate.

Once `now` reaches a client's TAT its bucket is full again, and its state says nothing a
new client's would not. `idle_ttl` (at least burst / rate) is when the gateway wants it
gone: the clients sit in an OrderedDict ordered by their last request, so the ones
silent for longer than `idle_ttl` are always at its front and each call drops them there,
O(1) per call on average. (A plain dict keeps insertion order too, but finding its first
live entry after many deletions walks over the holes they left: O(n), not O(1).)
"""

from __future__ import annotations

from collections import OrderedDict


class RateLimiter:
    """Decides, request by request, whether each client is within its limit."""

    def __init__(self, rate: float, burst: int, idle_ttl: float) -> None:
        self.interval = 1.0 / rate  # seconds between requests at the sustained rate
        self.tolerance = (burst - 1) * self.interval  # how far ahead of TAT a burst may run
        self.idle_ttl = idle_ttl
        # client -> (time of its last request, TAT); oldest last request first
        self.clients: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, client: str, now: float) -> bool:
        """Whether this request of client, arriving at time now, may go through."""
        clients = self.clients
        self._evict(now)
        state = clients.get(client)
        tat = now if state is None or state[1] < now else state[1]
        allowed = tat - now <= self.tolerance
        clients[client] = (now, tat + self.interval if allowed else tat)
        clients.move_to_end(client)  # the most recently seen client goes last
        return allowed

    def _evict(self, now: float) -> None:
        """Forget the clients whose last request is more than idle_ttl ago (its bucket has
        refilled since, so forgetting it changes no decision)."""
        clients, oldest = self.clients, now - self.idle_ttl
        while clients:
            client, (last, _) = next(iter(clients.items()))
            if last >= oldest:
                return
            del clients[client]
