"""Wrong fix — reject everything over a fixed rate computed for the normal load.

Tries: a token bucket in front of the queue at 70 requests a second (the normal load),
with a burst of 10, so the spike's excess is refused at once and the queue stays short.
Must not pass because: the rate was computed for the normal load, not for the server's
capacity: during the spike it admits 70 a second to a server that can answer 100, so a
third of the capacity sits idle while requests are refused. Admission should follow the
queue (the wait it implies), not a rate written down in advance.
Expect: fail on goodput_pct
"""

from __future__ import annotations

from typing import Any

RATE_PER_MS = 0.070  # 70 a second
BURST = 10.0

tokens = BURST
last = 0.0


def admit(view: Any) -> bool:
    global tokens, last
    tokens = min(BURST, tokens + (view.now - last) * RATE_PER_MS)
    last = view.now
    if tokens >= 1.0:
        tokens -= 1.0
        return True
    return False


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now >= request.deadline
