"""Wrong fix — a timeout on the client side only: the request is timed out for its client
but left in the server's queue.

Tries: keep a table of the clients' timers, and mark each request timed out once its
client's 1 s is up (what adding `timeout=1` to the client's call does), while the server
keeps every request and serves all of them in order.
Must not pass because: a client's timeout frees the client, not the server. The abandoned
request stays queued and a worker spends its whole service on an answer nobody reads, so
the workers' time goes to expired work and goodput collapses as before.
Expect: fail on expired_work_pct
"""

from __future__ import annotations

from typing import Any

timed_out: set[int] = set()


def admit(view: Any) -> bool:
    for request in view.queue:
        if view.now >= request.deadline:
            timed_out.add(request.id)  # the client has given up and stopped waiting
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
