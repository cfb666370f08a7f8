"""Wrong fix — "the seed asked for 85 % and six nodes hit 92 %: drop one", the seed's plan
with pools of 4 and five cache nodes.

Why it fails: 92 % was one day's skew. Under the flattest skew the brief allows five nodes
of 12 GB hit 80-82 %, not 85 %, and every read they miss goes to the four replicas, which
run at 84-96 % with six nodes on such a day: with five they are past saturation.
Measured (the check's days for seeds 1-100, in process, docs/sim.md): graded on one drawn
day, as before, it passed 94 seeds of 100, the most deceptive of the under-sized plans; on
the check's three days it fails all 100, on error_pct.
Expect: fail on error_pct
Says: the hard one
Says: a smaller hit rate multiplies their load
"""

from __future__ import annotations

from typing import Any


def plan() -> dict[str, Any]:
    """The seed's plan with pools that fit and one cache node fewer."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 5, "local_mb": 0, "expected_hit_rate": 0.85},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 4,
            "pooler_connections": 0,
        },
    }
