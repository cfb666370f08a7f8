"""Correct alternative — read the objective the first time the loop needs it.

Tries: keeps the starter's loop; the read happens inside it, but only while the local
variable is still empty.
Must pass because: the read is once per report, and the value is never kept past it.
Expect: pass
"""

from __future__ import annotations

from typing import Any


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    slo_ms = None
    slow = 0
    for latency in latencies_ms:
        if slo_ms is None:
            slo_ms = settings.get("slo_ms")
        slow += latency > slo_ms
    return slow
