"""GCRA with an OrderedDict evicted from the front, its keys interned with sys.intern (a
common way to share repeated key strings).
Expect: pass
"""

from __future__ import annotations

import sys
from collections import OrderedDict


class RateLimiter:
    def __init__(self, rate, burst, idle_ttl):
        self.T = 1 / rate
        self.tau = (burst - 1) / rate
        self.ttl = idle_ttl
        self.d = OrderedDict()

    def allow(self, client, now):
        client = sys.intern(client)
        d = self.d
        while d:
            k = next(iter(d))
            if now - d[k][0] > self.ttl:
                del d[k]
            else:
                break
        v = d.pop(client, None)
        tat = now if v is None or v[1] < now else v[1]
        if tat - now <= self.tau:
            d[client] = (now, tat + self.T)
            return True
        d[client] = (now, tat)
        return False
