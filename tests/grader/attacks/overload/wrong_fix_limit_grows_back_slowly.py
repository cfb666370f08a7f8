"""Wrong fix — an adaptive limit that halves on every slow request and grows back by one
for every 1,000 quick ones.

Tries: AIMD on the number of requests held, as the lesson's adaptive limits do, but with
a cautious increase: the limit is cut in half when a request waited over 50 ms and
raised by 0.001 when one did not.
Must not pass because: the spike drives the limit to its floor of one request per worker
(no queue at all, so even the spike's goodput suffers), and after the spike it takes
thousands of quick requests to grow back: at the normal load the server keeps refusing a
large share of the traffic long after the spike (recovery or goodput misses, depending on
how long the limit sat at its floor). A limit must recover about as fast as it shrank.
Expect: not pass
"""

from __future__ import annotations

from typing import Any

limit = 16.0


def admit(view: Any) -> bool:
    return view.busy + len(view.queue) < int(limit)


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    global limit
    limit = max(4.0, limit / 2) if now - request.arrived > 50.0 else min(64.0, limit + 0.001)
    return now >= request.deadline
