"""Wrong fix — deadline propagation against the client's own deadline: refuse a request only
when its estimated answer comes after its client gives up.

Tries: each request carries its client's deadline (arrival + 1 s); admit() refuses a
request at once when now + its estimated wait (queue x mean service / workers) + its own
service passes that deadline, and drop() skips a request that can no longer finish in
time. Nothing is served to nobody, and goodput stays high.
Must not pass because: the client's timeout is not the server's latency budget. The
queue fills until the estimated wait is just under a second, so the answers that do come
come just before the client gives up, and the P99 sits near 1 s, over the 900 ms budget.
Propagate a deadline made of the latency budget (arrival + a few hundred ms) instead.
Expect: fail on p99_ms
"""

from __future__ import annotations

from typing import Any

FIRST_GUESS_MS = 40.0
_mean = [FIRST_GUESS_MS]


def admit(view: Any) -> bool:
    recent = view.service_ms
    _mean[0] = sum(recent) / len(recent) if recent else FIRST_GUESS_MS
    answered = view.now + len(view.queue) * _mean[0] / view.workers + _mean[0]
    return answered <= view.now + view.timeout


def next_request(view: Any) -> int:
    return 0


def drop(request: Any, now: float) -> bool:
    return now + _mean[0] > request.deadline
