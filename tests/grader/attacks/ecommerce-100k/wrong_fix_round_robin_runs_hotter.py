"""Wrong fix — "raise the target to 90 % to save instances", keeping round robin.

Why it fails: round robin gives each instance the same share. 10-20 % of them run at 75 %
speed, so when the fleet's average CPU is 90 % theirs is past 100 %: their queues grow
until requests time out, while the average the autoscaler tracks looks fine.
Expect: fail on error_pct
Says: Round robin gives a slow instance the same share
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """A hotter target behind round robin."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.9},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
