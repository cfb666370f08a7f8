"""Wrong fix — "Redis is a network hop: give each instance a 2 GB local cache instead".

Why it fails: local caches do not add up. Each instance caches the same hot keys in its
own 2 GB, so the fleet holds 2 GB of the key space where the cluster held 72; the hit rate
falls to 40-70 % and the replicas take the misses, past their capacity.
Expect: fail on error_pct
Says: a local cache per instance does not add up
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """Local caches only."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 0, "local_mb": 512, "expected_hit_rate": None},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
