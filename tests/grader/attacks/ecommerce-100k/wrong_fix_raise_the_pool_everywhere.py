"""Wrong fix — "requests fail for want of a connection, so give every pool more": 50
connections per instance to every server.

Why it fails: the errors come from the database refusing connections, not from pools too
small to hold the queries (a handful run at once on any server). Bigger fixed pools ask
each server for more still: 1,000 and more against its 200.
Expect: fail on db_connections
Says: Over the limit
Says: never had more than
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The seed's plan with bigger pools."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 50,
            "pooler_connections": 0,
        },
    }
