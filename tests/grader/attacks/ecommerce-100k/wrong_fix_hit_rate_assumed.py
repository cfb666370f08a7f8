"""Wrong fix — "the seed says 85 %, we will do better: 95 %", so two cache nodes and one
replica, sized for 5 % misses.

Why it fails: a hit rate is not a setting. Two nodes of 12 GB hold a small share of the
key space, and under the day's skew they hit 66-87 %, not 95 %; the single replica takes
three to six times the reads it was sized for and saturates.
Expect: fail on error_pct
Says: You planned for a 95% cache hit rate
Says: a smaller hit rate multiplies their load
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """A small cache believed to hit 95 %."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 2, "local_mb": 0, "expected_hit_rate": 0.95},
        "database": {
            "replicas": 1,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
