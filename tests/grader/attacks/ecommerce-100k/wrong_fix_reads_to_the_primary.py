"""Wrong fix — "replicas lag, read from the primary to be safe", the 4 replicas kept.

Why it fails: the primary then takes every read that misses the cache as well as every
write, more than its 8 vCPUs can run, while the replicas it pays for idle.
Expect: fail on error_pct
Says: send reads to the replicas
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """Every read to the primary."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "primary",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
