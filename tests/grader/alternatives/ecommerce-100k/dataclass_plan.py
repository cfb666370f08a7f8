"""The plan written as dataclasses, the way a typed codebase would keep it: the driver
sends it as the dict of its fields. Two connections per server per instance cover what
Little's law asks for at these rates (well under one query running per instance), so the
fleet may grow to 100 instances within the limit.

Expect: pass
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cdn:
    static: bool = True
    page_ttl_s: int = 30


@dataclass(frozen=True)
class Instances:
    min: int = 16
    max: int = 100
    target_cpu: float = 0.7


@dataclass(frozen=True)
class Cache:
    redis_nodes: int = 8
    local_mb: int = 0


@dataclass(frozen=True)
class Database:
    replicas: int = 3
    reads: str = "replicas"
    pool_per_instance: int = 2
    pooler_connections: int = 0


@dataclass(frozen=True)
class Plan:
    cdn: Cdn = field(default_factory=Cdn)
    balancer: str = "least_outstanding"
    instances: Instances = field(default_factory=Instances)
    cache: Cache = field(default_factory=Cache)
    database: Database = field(default_factory=Database)


def plan() -> Plan:
    """The plan as a dataclass."""
    return Plan()
