"""Class 4 — slip the seed's pool of 20 past the connection check as an int whose
comparisons lie (it says it is at most anything) and whose arithmetic answers 1.

Tries: a grader that compared or multiplied the learner's own objects would count a pool
of one connection while the plan "keeps" 20.
Must not pass because: the driver sends plain data; an object that is not a plain int
arrives as an int's value or not at all, and the grader does its arithmetic on numbers
of its own: either the pool is 20 (over the limit) or the field is refused.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


class Pool(int):
    """20, but at most anything, and 1 in every product."""

    def __le__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return True

    def __mul__(self, other: object) -> int:
        return 1

    __rmul__ = __mul__


def plan() -> dict[str, Any]:
    """The seed's plan with a lying pool size."""
    return {
        "cdn": {"static": True, "page_ttl_s": 0},
        "balancer": "round_robin",
        "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
        "cache": {"redis_nodes": 6, "local_mb": 0},
        "database": {
            "replicas": 4,
            "reads": "replicas",
            "pool_per_instance": Pool(20),
            "pooler_connections": 0,
        },
    }
