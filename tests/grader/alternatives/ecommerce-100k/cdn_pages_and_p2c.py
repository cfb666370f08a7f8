"""Take more off the origin: let the CDN keep anonymous product pages for a minute (prices
stay under five minutes old), balance with power of two choices, and let the fleet follow
the day from 8 instances at night. Pools of 5 with at most 40 instances: 200.

Expect: pass
"""

from __future__ import annotations

from typing import Any

MAX_INSTANCES = 40


def plan() -> dict[str, Any]:
    """Pages cached at the edge, P2C, a fleet that follows the day."""
    return {
        "cdn": {"static": True, "page_ttl_s": 60},
        "balancer": "p2c",
        "instances": {"min": 8, "max": MAX_INSTANCES, "target_cpu": 0.75},
        "cache": {"redis_nodes": 6, "local_mb": 0},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 200 // MAX_INSTANCES,
            "pooler_connections": 0,
        },
    }
