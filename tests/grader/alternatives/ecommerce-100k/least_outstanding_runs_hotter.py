"""A balancer that counts outstanding requests sends the slow instances less, so the fleet
can run at 80 % CPU where round robin's slow instances would be past 100 %; the night's
floor drops to 10 instances. Pools of 4 keep 50 × 4 = 200 within the limit.

Expect: pass
"""

from __future__ import annotations

from typing import Any

MAX_INSTANCES = 50


def plan() -> dict[str, Any]:
    """Least outstanding requests, a hotter target, a lower floor, pools that fit."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "least_outstanding",
        "instances": {"min": 10, "max": MAX_INSTANCES, "target_cpu": 0.8},
        "cache": {"redis_nodes": 6, "local_mb": 0},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 200 // MAX_INSTANCES,
            "pooler_connections": 0,
        },
    }
