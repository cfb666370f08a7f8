"""Class 3 — reads the driver's frame to learn when the replay ends, and forgets idle
clients only on its very last request.

Tries: a right GCRA that never evicts, except that on its first call it reads the
driver's `ticks` from the caller's frame (sys._getframe) and sweeps every idle client on
the last request of the replay, so whatever is looked at after the replay finds no idle
client.
Must not pass because: until that last request it holds every client it has seen; a
gateway never has a last request. Judged by its memory as clients come and go, at the
peak, not by what it holds at the end.
Expect: fail on idle_memory_growth
"""

from __future__ import annotations

import sys


class RateLimiter:
    def __init__(self, rate, burst, idle_ttl):
        self.T = 1 / rate
        self.tau = (burst - 1) / rate
        self.ttl = idle_ttl
        self.d = {}
        self.total = None
        self.n = 0

    def allow(self, client, now):
        if self.total is None:
            self.total = -1
            try:
                f = sys._getframe(1)
                while f is not None:
                    loc = f.f_locals
                    t = loc.get("ticks")
                    ok = isinstance(t, list)
                    if ok:
                        self.total = len(t)
                    loc.clear()  # the snapshot dict would keep the driver's `keys` alive
                    del loc, t
                    if ok:
                        break
                    f = f.f_back
            except BaseException:
                pass
        self.n += 1
        d = self.d
        v = d.get(client)
        tat = now if v is None or v[1] < now else v[1]
        ok = tat - now <= self.tau
        d[client] = (now, tat + self.T) if ok else (now, tat)
        if self.n == self.total:
            ttl = self.ttl
            for k in [k for k, v in d.items() if now - v[0] > ttl]:
                del d[k]
        return ok
