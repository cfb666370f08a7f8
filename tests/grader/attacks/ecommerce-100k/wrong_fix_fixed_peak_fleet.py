"""Wrong fix — "autoscaling is what made pools a problem: run 50 instances all day", pools
of 4.

Why it fails: it meets every service target, and pays for the peak at 4 a.m.: the day
costs more than 70 % of the previous architecture's, so there is no 30 % reduction.
Expect: fail on cost_pct
Says: Over budget
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The fleet fixed at the autoscaler's ceiling."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 50, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
