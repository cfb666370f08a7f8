"""Class 5 — read the objective in the first report and reuse it in every later one.

Tries: a module-level cache of the objective, so that every report after the first
makes no read at all.
Must not pass because: each report has a new objective; from the second report on the
count uses a stale one, and the check names the report and the objective it came from.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any

_objective: list[float] = []


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    if not _objective:
        _objective.append(settings.get("slo_ms"))
    return sum(1 for latency in latencies_ms if latency > _objective[0])
