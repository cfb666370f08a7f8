"""Class 4 — a target CPU of NaN, which every range check written as `low <= x <= high`
would reject, but one written as `not (x < low or x > high)` would let through; an
autoscaler computing ceil(load / NaN) would then do whatever its arithmetic does.

Tries: get an undefined target past validation, with a cheap fleet.
Must not pass because: the plan's numbers must be finite and within their range; the
check stops with a message naming the field.
Expect: wrong result
Says: plan['instances']['target_cpu'] must be a number from 0.2 to 0.95
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """A plan whose target is not a number."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 2, "max": 50, "target_cpu": float("nan")},
        "cache": {"redis_nodes": 6, "local_mb": 0},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
