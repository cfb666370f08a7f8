"""Wrong fix — pools sized from Little's law (6 is plenty for 0.11 busy), and the
autoscaler let up to 200 instances "for Black Friday".

Tries: on the graded day the fleet never goes past about 31 instances, so the pools never
ask a server for more than 186 connections; the plan's own ceiling is 200 × 6 = 1,200.
Must not pass because: the day that grows the fleet (a spike, a lost zone) takes it to
instances.max, and every instance opens its pool at boot: the connections row is graded
on what the plan allows, instances.max × pool, not on how far this day grew the fleet.
(Before, it passed on every seed.)
Expect: fail on db_connections
Says: instances.max 200 × a pool of 6 = 1,200
"""

from __future__ import annotations


def plan() -> dict[str, dict[str, object] | str]:
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 5, "max": 200, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": 6,
            "pooler_connections": 0,
        },
    }
