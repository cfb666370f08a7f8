"""Class 3 — read the tick's later pages from the driver's frame: a write to a primary
that is already frozen came with no node, so a page further on told the code answering an
earlier one that the primary freezes before the tick ends.

Tries: accept_write() never returns a fencing token; it looks at the caller's `pages` and
refuses a write when a later page of the tick shows the primary frozen, so no write of the
old primary commits after the promotion. It passed on about half the seeds.
Must not pass because: a write that reaches a frozen primary is sent as a page without a
write, so nothing later in the tick tells a freeze from a page that only reads; without a
token, the write checked just before the freeze commits on waking, after the promotion.
Expect: fail on split_brain_writes
"""

from __future__ import annotations

import sys


def promote(view):
    p = view.primary
    if view.heartbeat_ms[p] < 500 or view.now < view.lease_until:
        return None
    replicas = [r for r in view.regions if r != p]
    best = max(replicas, key=lambda r: view.applied[r])
    return best if view.applied[best] >= view.applied[p] else None


def accept_write(node):
    f = sys._getframe(1)
    loc = f.f_locals
    if "pages" not in loc or "at" not in loc:
        return None  # a late check: the primary woke from a freeze
    pages = loc["pages"]
    at = loc["at"]
    session = loc["session"]
    seen = False
    for p_at, _region, sess, write in pages:
        if seen and write is not None and write[1] is None:
            return None
        if p_at == at and sess == session:
            seen = True
    return True


class Router:
    def __init__(self, regions):
        self.pos = {}

    def on_write(self, session, position, now):
        self.pos[session] = max(position, self.pos.get(session, 0))

    def route_read(self, session, region, view):
        p = self.pos.get(session)
        return region if p is None else (region, p)
