"""Wrong fix — "the fleet is short, add instances": a floor of 40 and a ceiling of 80,
the pools left at 20.

Why it fails: every instance opens its pools at boot, so each one added asks every
database server for 20 more connections: 800 at the floor, against 200.
Expect: fail on db_connections
Says: × a pool of 20
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """More instances, the same pools."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 40, "max": 80, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 20,
            "pooler_connections": 0,
        },
    }
