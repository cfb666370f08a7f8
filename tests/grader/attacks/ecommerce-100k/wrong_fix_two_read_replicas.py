"""Wrong fix — "four replicas at 40 % is waste: two will run at 80 %", the seed's plan with
pools of 4 and two read replicas.

Why it fails: 40 % was one day's load. The reads that reach the replicas are the cache's
misses, and under the flattest key skew the brief allows six nodes miss four times as
often as under the steepest, on a day with more dynamic traffic and fewer writes too: two
replicas then take more reads than their 16 vCPUs can run. The check always grades a day
at the hard end of every range.
Measured (the check's days for seeds 1-100, in process, docs/sim.md): graded on one drawn
day, as before, it passed 56 seeds of 100; on the check's three days it fails all 100, on
error_pct.
Expect: fail on error_pct
Says: the hard one
Says: Add replicas, or cache nodes
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The seed's plan with pools that fit and half the replicas."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 2,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
