"""The SLO report: how many requests in a window were slower than the latency objective.

`settings.get("slo_ms")` returns the service's latency objective in milliseconds. It is a
call to the settings service, over the network. Keep slow_requests()'s name, signature and
result.
"""

from __future__ import annotations

from typing import Any, Protocol


class Settings(Protocol):
    """What the bench passes in."""

    def get(self, key: str) -> Any: ...


def slow_requests(latencies_ms: list[float], settings: Settings) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    slow = 0
    for latency in latencies_ms:
        if latency > settings.get("slo_ms"):
            slow += 1
    return slow
