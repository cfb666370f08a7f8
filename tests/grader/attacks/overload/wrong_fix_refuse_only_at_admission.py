"""Wrong fix — refuse only at admission, with a generous queue, and never drop at dequeue.

Tries: a bounded queue of 100 requests (a full queue is refused at once), served in
order; drop() never drops, since every request in the queue was admitted on purpose.
Must not pass because: 100 requests are a second of work for 4 workers at 40 ms, so at
twice the capacity the queue stays full and every request waits about the client's
timeout: many answers come after their client left, and the P99 is over a second. The
bound must be well below the timeout (a few hundred ms of work), and a request whose
client has gone must be dropped, not served.
Expect: fail on p99_ms
"""

from __future__ import annotations

from typing import Any

QUEUE_LIMIT = 100


def admit(view: Any) -> bool:
    return len(view.queue) < QUEUE_LIMIT


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return False
