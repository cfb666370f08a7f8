"""Wrong fix — "instances are idle at 70 %: track 95 %", with a balancer that already
evens out the slow instances.

Why it fails: the autoscaler sees a slice's load when it ends, and a launch serves one
slice later: capacity follows load ten minutes old. With 5 % headroom, every rise and
every bit of jitter runs the fleet at saturation, where queues grow without bound.
Expect: fail on p95_ms
Says: Keep headroom
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """Target tracking with no room for the boot delay."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "least_outstanding",
        "instances": {"min": 5, "max": 50, "target_cpu": 0.95},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
