"""Wrong fix — refresh the objective every 100 requests, "in case it changed".

Tries: keeps the read in the loop but asks only on every hundredth request: 20 reads a
report instead of 2,000.
Must not pass because: the objective cannot change during a report, so one read is
enough; the settings reads row fails at 20 and says so.
Expect: fail on settings_reads
"""

from __future__ import annotations

from typing import Any


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    slow = 0
    slo_ms = 0.0
    for index, latency in enumerate(latencies_ms):
        if index % 100 == 0:
            slo_ms = settings.get("slo_ms")
        slow += latency > slo_ms
    return slow
