"""Wrong fix — latency × (outstanding + 1) over all servers, health never read.

Tries: a load-and-speed score that looks complete: a crashed server answers with errors,
its latencies should show it, so view.healthy seems redundant.
Must not pass because: an error comes back within a millisecond, so the crashed server
has the best latencies and no outstanding requests: the score sends it more than any
other server for the whole crash, hundreds of requests after the check said it was down,
each a failure that counts as 1 s.
Expect: fail on sent_to_down
"""

from __future__ import annotations

from typing import Any

DEFAULT_MS = 10.0


def _score(view: Any, server: int) -> float:
    recent = view.latencies[server]
    mean = sum(recent) / len(recent) if recent else DEFAULT_MS
    return mean * (view.outstanding[server] + 1)


def pick(view: Any) -> int:
    return min(range(view.servers), key=lambda server: _score(view, server))
