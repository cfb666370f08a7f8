"""Class 2 — return the figures with the plan: a "metrics" section claiming a P95 of 90 ms,
no errors, 150 connections and 50 % of the budget, beside a cheap plan.

Tries: a grader that merged the plan's keys into its result would report them.
Must not pass because: the plan is validated against its schema first, and a field the
schema does not have stops the check with a message naming it.
Expect: wrong result
Says: the plan has no field 'metrics'
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """A cheap plan and the figures it would like."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 2, "max": 10, "target_cpu": 0.95},
        "cache": {"redis_nodes": 1, "local_mb": 0},
        "database": {
            "replicas": 0,
            "reads": "primary",
            "pool_per_instance": 1,
            "pooler_connections": 0,
        },
        "metrics": {"p95_ms": 90, "error_pct": 0, "db_connections": 150, "cost_pct": 50},
    }
