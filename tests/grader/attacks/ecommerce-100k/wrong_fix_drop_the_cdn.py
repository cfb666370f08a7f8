"""Wrong fix — "the CDN is a bill of its own: serve the static files from the instances",
pools fixed at 4.

Why it fails: about 94 % of the edge requests are static files; without the CDN they
reach the balancer, twenty times the origin's load. Even at 3 ms each the fleet runs at
its ceiling of 50 instances, saturated, for most of the day.
Expect: fail on error_pct
Says: raise instances.max, or take load off the origin
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The seed's plan without the CDN."""
    return {
        "cdn": {"static": False, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
