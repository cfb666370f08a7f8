"""Wrong fix — a right, fast bucket keyed by hash(client), never evicted.

Tries: no string of the client's is kept at all (only its hash), so nothing that looks
for the client's name among the limiter's objects finds it; every decision is right and
O(1).
Must not pass because: it keeps an entry for every client it has ever seen; the memory
as clients come and go says so whatever the key.
Expect: fail on idle_memory_growth
"""

from __future__ import annotations


class RateLimiter:
    def __init__(self, rate, burst, idle_ttl):
        self.T = 1 / rate
        self.tau = (burst - 1) / rate
        self.d = {}

    def allow(self, client, now):
        h = hash(client)
        tat = self.d.get(h, now)
        if tat < now:
            tat = now
        if tat - now <= self.tau:
            self.d[h] = tat + self.T
            return True
        return False
