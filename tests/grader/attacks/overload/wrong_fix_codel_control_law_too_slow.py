"""Wrong fix — CoDel's packet control law, as RFC 8289 writes it, on requests with a 1 s
timeout: after the queueing delay stays above 50 ms for 500 ms, drop one request, then the
next after interval/sqrt(count), and so on.

Tries: the textbook algorithm, with everything admitted and expired requests dropped.
Must not pass because: the control law raises the drop rate slowly (it was made to nudge
TCP senders, who slow down when one packet is lost); to shed half of a 2x spike it needs
to drop 100 requests a second, which it reaches only after seconds, while the queue grows
past the 1 s timeout. Requests wait out their clients as with no control at all. For
requests, drop every one that has waited past the target (or refuse at admission).
Expect: fail on goodput_pct
"""

from __future__ import annotations

import math
from typing import Any

TARGET_MS, INTERVAL_MS = 50.0, 500.0

first_above = 0.0
dropping = False
drop_next = 0.0
count = 0


def admit(view: Any) -> bool:
    return True


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    global first_above, dropping, drop_next, count
    if now >= request.deadline:
        return True
    if now - request.arrived < TARGET_MS:
        first_above, dropping = 0.0, False
        return False
    if first_above == 0.0:
        first_above = now + INTERVAL_MS
        return False
    if not dropping:
        if now < first_above:
            return False
        dropping = True
        count = max(1, count - 2) if now - drop_next < 16 * INTERVAL_MS else 1
        drop_next = now + INTERVAL_MS / math.sqrt(count)
        return True
    if now >= drop_next:
        count += 1
        drop_next += INTERVAL_MS / math.sqrt(count)
        return True
    return False
