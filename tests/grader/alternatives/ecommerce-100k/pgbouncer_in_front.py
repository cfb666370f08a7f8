"""Keep the seed's pools of 20 and put PgBouncer (transaction mode) between the fleet and
the databases: the instances' pools connect to the pooler, which holds 40 connections to
each server whatever the fleet's size. 40 is Little's law at the peak (a few queries
running at once on each server) with room for the tail, and far under 200.

Expect: pass
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The seed's plan, with a pooler in front of every database server."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 20,
            "pooler_connections": 40,
        },
    }
