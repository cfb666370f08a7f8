"""Class 1 — state in a WeakKeyDictionary, so that whatever drops the client objects
after the replay seems to evict them.

Tries: a right GCRA with no eviction at all, its state in a weakref.WeakKeyDictionary
when the client can be weakly referenced (else a plain dict): if the check's own client
objects were dropped before counting, every entry would vanish with them.
Must not pass because: it never forgets a client; with real names (plain str, which no
weak reference can point at) it keeps them all.
Expect: not pass
"""

from __future__ import annotations

import weakref


class RateLimiter:
    def __init__(self, rate, burst, idle_ttl):
        self.T = 1 / rate
        self.tau = (burst - 1) / rate
        self.weak = weakref.WeakKeyDictionary()
        self.plain = {}

    def allow(self, client, now):
        try:
            weakref.ref(client)
            d = self.weak
        except TypeError:
            d = self.plain
        tat = d.get(client, now)
        if tat < now:
            tat = now
        if tat - now <= self.tau:
            d[client] = tat + self.T
            return True
        return False
