"""Wrong fix — "the replicas idle at 40 %: one is enough", the seed's plan with pools of 4
and one read replica instead of four.

Why it fails: the replicas carry every read that misses the cache, and how many miss
depends on the day's key skew: at the steep end of the brief's skew six cache nodes hit
95-96 %, and one replica copes; at the flat end they hit 84 %, over three times the
misses, and one replica runs far past its 8 vCPUs. A day like that is within the brief's
ranges, and the check always grades one.
Measured (the check's days for seeds 1-100, in process, docs/sim.md): graded on one drawn
day, as before, it passed 18 seeds of 100 (a learner checking again until lucky got a
pass); graded on the check's three days, one at the hard end of every range, it fails all
100, on error_pct.
Expect: fail on error_pct
Says: the hard one
Says: A database server reached
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The seed's plan with pools that fit and a single read replica."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 1,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
