"""Buy memory instead of databases: 12 cache nodes hold enough of the key space to hit
about 99 % of reads under any skew the brief allows, so two replicas carry the misses
with room to lose one. Pools of 3 with at most 60 instances: 180 connections a server.

Expect: pass
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """A bigger cache, two replicas, smaller pools."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 16, "max": 60, "target_cpu": 0.7},
        "cache": {"redis_nodes": 12, "local_mb": 256, "expected_hit_rate": 0.97},
        "database": {
            "replicas": 2,
            "reads": "replicas",
            "pool_per_instance": 3,
            "pooler_connections": 0,
        },
    }
