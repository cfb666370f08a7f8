"""Class 5 — a lazy mapping that answers the seed's plan the first time it is read and a
cheap one after that, hoping the grader validates one read and simulates another (or
remembers an earlier check's answer).

Tries: make what is checked and what is run differ.
Must not pass because: the driver reads the plan once, in the subject, into plain data
(here: the keys from the first read, every value from a later one, so the cheap plan);
the grader validates and simulates that one snapshot, a fresh one every check, and the
cheap plan's fleet and single database cannot carry the day.
Expect: fail on error_pct
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

CHEAP = {
    "cdn": {"static": True, "page_ttl_s": 0},
    "balancer": "round_robin",
    "instances": {"min": 2, "max": 8, "target_cpu": 0.95},
    "cache": {"redis_nodes": 1, "local_mb": 0},
    "database": {
        "replicas": 0,
        "reads": "primary",
        "pool_per_instance": 1,
        "pooler_connections": 0,
    },
}
SEED: dict[str, Any] = {
    "cdn": {"static": True, "page_ttl_s": 0},
    "balancer": "round_robin",
    "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
    "cache": {"redis_nodes": 6, "local_mb": 0, "expected_hit_rate": 0.85},
    "database": {
        "replicas": 4,
        "reads": "replicas",
        "pool_per_instance": 20,
        "pooler_connections": 0,
    },
}


class Shifty(Mapping[str, Any]):
    """The seed's plan on the first read, the cheap one on every later read."""

    def __init__(self) -> None:
        self.reads = 0

    def _now(self) -> dict[str, Any]:
        self.reads += 1
        return SEED if self.reads == 1 else CHEAP

    def __getitem__(self, key: str) -> Any:
        return self._now()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(SEED)


def plan() -> Mapping[str, Any]:
    """A plan that changes when read again."""
    return Shifty()
