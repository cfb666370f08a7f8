"""Wrong fix — "the SLO is 250 ms anyway": no read at all.

Tries: replaces the read by the number the learner remembers from the dashboard.
Must not pass because: every report has its own objective; the count is wrong, and the
check says the settings were never read.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    return sum(1 for latency in latencies_ms if latency > 250)
