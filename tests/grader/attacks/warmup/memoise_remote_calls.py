"""Class 1 — wrap the driver's Remote.call so that a question asked once is never asked again.

Tries: replaces perfcoach.driverkit.Remote.call, which every settings.get() goes
through, with a memo keyed by (method, args), hoping the grader counts only the calls
that get through.
Must not pass because: the count is kept by the settings service in the grader, and the
memo outlives the report: from the second report on, it answers with an objective that
has changed, and the count is wrong.
Expect: wrong result
"""

from __future__ import annotations

from typing import Any

from perfcoach import driverkit

_answers: dict[tuple[Any, ...], Any] = {}
_call = driverkit.Remote.call


def _remembered(self: driverkit.Remote, method: str, *args: Any) -> Any:
    key = (method, *args)
    if key not in _answers:
        _answers[key] = _call(self, method, *args)
    return _answers[key]


driverkit.Remote.call = _remembered  # type: ignore[method-assign]


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    return sum(1 for latency in latencies_ms if latency > settings.get("slo_ms"))
