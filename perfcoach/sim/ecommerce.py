"""The seed's e-commerce platform for one day, in 288 five-minute slices, under a plan.

A plan (plain data, checked by `validate`) sets the CDN, the balancer's policy, the
instances and their autoscaler, the cache layers and the databases with their pools. The
day (`scenario`) is seeded: its peak hour, peak-to-mean ratio, read/write mix, the key
skew and which instances run slow vary within the ranges the lab's brief states (a hard
day draws each from the tenth of its range that loads a plan most). Per
slice, the engine carries out the autoscaler (a launch boots for BOOT_SLICES slices before
it serves), works out each tier's load and state with the queueing formulas of capacity.py
(Erlang C per instance, per pool, per database server), the cache's hit ratio with Che's
approximation, the CDN's with the TTL renewal form, and opens every pool's connections
against each database's limit. It then draws a scaled-down sample of the slice's origin
requests (the same uniforms for every plan) and walks each through the tiers it visits,
drawing its waits from those tiers' distributions: the P95 is that sample's. Errors are
the slices' exact expected shares, not sampled. Same seed, same plan: same figures.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from perfcoach.measure.latency import nearest_rank
from perfcoach.sim.capacity import erlang_c

SLICE_MIN = 5
SLICES = 24 * 60 // SLICE_MIN  # 288
EDGE_PEAK_RPS = 100_000.0  # the seed's throughput: every request at the edge, busiest slice
STATIC_SHARE = (0.935, 0.950)  # images, scripts and styles, of edge requests
PAGE_SHARE = (0.015, 0.025)  # anonymous product and category pages, of edge requests
PEAK_HOUR = (11.0, 21.0)
PEAK_TO_MEAN = (1.8, 2.6)
WRITE_SHARE = (0.05, 0.12)  # of app requests (pages and dynamic calls)
KEY_SKEW = (0.85, 1.05)  # Zipf exponent of the objects the app reads
SLOW_SHARE = (0.10, 0.20)  # of instances: noisy neighbours, running at SLOW_SPEED
SLOW_SPEED = 0.75
NOISE = 0.05  # slice-to-slice jitter of the edge rate (relative, uniform ±)
HARD_END = 0.1  # a hard day draws each figure from this share of its range, at the end
# that loads a plan most: the steepest day, the most dynamic traffic, the fewest writes (the
# most reads to miss the cache), the flattest skew, the most slow instances

CDN_STATIC_HIT = 0.99
POPS = 20  # CDN points of presence: each caches pages for its own visitors
PAGES = 200_000  # product and category pages anonymous visitors can see
PAGE_TTL_MAX_S = 300  # prices shown must be at most five minutes old

VCPUS = 8  # per app instance
APP_CPU_MS = 25.0  # a page or dynamic call, on a full-speed vCPU
STATIC_CPU_MS = 3.0  # a static file served by an instance (TLS and sendfile)
BASE_MS = 20.0  # origin network, TLS at the balancer, serialisation: no queue
TIMEOUT_S = 2.0  # the balancer answers 504 after this; a statement times out likewise
BOOT_SLICES = 2  # a launch boots, warms up and passes its health checks in 10 minutes
POOL_TIMEOUT_S = 1.0  # a request waiting this long for a pooled connection fails

OBJECTS = 40_000_000  # distinct objects the app reads (products, prices, stock, sessions)
OBJECT_KB = 4.0
REDIS_NODE_GB = 12.0  # usable memory of one cache node
LOCAL_HIT_MS = 0.05
REDIS_MS = 1.0  # round trip to the cluster, plus an exponential of REDIS_JITTER_MS
REDIS_JITTER_MS = 0.3

DB_VCPUS = 8  # per database server
READ_MS = 30.0  # a read that missed the cache, on a replica's vCPU
WRITE_MS = 7.0  # a write on the primary
MAX_CONNECTIONS = 200  # each database server's max_connections
POOLER_MS = 0.3  # PgBouncer's extra hop

QUOTA = 200  # the account's instance limit
MAX_REDIS_NODES = 30
MAX_REPLICAS = 15
MAX_POOL = 200
MAX_LOCAL_MB = 4096
BALANCERS = ("round_robin", "least_outstanding", "p2c")
READ_TARGETS = ("replicas", "primary")

INSTANCE_PER_HOUR = 0.34
REDIS_PER_HOUR = 0.206
DB_PER_HOUR = 0.96
POOLER_PER_HOUR = 2 * 0.0832  # two small instances, one per zone

PREVIOUS_INSTANCES = 70  # the previous architecture: a fixed fleet, bigger databases
PREVIOUS_DB_SERVERS = 3
PREVIOUS_DB_PER_HOUR = 1.92
PREVIOUS_REDIS_NODES = 3
PREVIOUS_COST = 24 * (
    PREVIOUS_INSTANCES * INSTANCE_PER_HOUR
    + PREVIOUS_DB_SERVERS * PREVIOUS_DB_PER_HOUR
    + PREVIOUS_REDIS_NODES * REDIS_PER_HOUR
)
BUDGET = round(0.7 * PREVIOUS_COST, 2)  # the seed's "30 % reduction"

SAMPLE_AT_PEAK = 150  # origin requests drawn in a slice at the day's peak rate
BUCKET_RATIO = 1.08  # keys per Zipf bucket grow by this factor (Che on buckets)
BISECTIONS = 60
EXACT_BUCKET = 16  # buckets of up to this many keys are summed, not integrated


class BadPlan(ValueError):
    """A plan no deployment tool would accept: names the field and what it must be."""


@dataclass(frozen=True)
class Cdn:
    """What the CDN answers: static files, and anonymous pages for page_ttl_s seconds."""

    static: bool
    page_ttl_s: int


@dataclass(frozen=True)
class Instances:
    """The autoscaler's bounds and the average CPU it keeps the fleet at."""

    min: int
    max: int
    target_cpu: float


@dataclass(frozen=True)
class Cache:
    """The shared cluster's nodes, the in-process layer, and the hit rate planned for."""

    redis_nodes: int
    local_mb: int
    expected_hit_rate: float | None


@dataclass(frozen=True)
class Database:
    """Replicas, where reads go, and the connections the fleet opens to each server."""

    replicas: int
    reads: str
    pool_per_instance: int
    pooler_connections: int


@dataclass(frozen=True)
class Plan:
    """A validated plan: every field present, of its type, within its range."""

    cdn: Cdn
    balancer: str
    instances: Instances
    cache: Cache
    database: Database


SCHEMA: dict[str, tuple[str, ...]] = {
    "cdn": ("static", "page_ttl_s"),
    "instances": ("min", "max", "target_cpu"),
    "cache": ("redis_nodes", "local_mb", "expected_hit_rate"),
    "database": ("replicas", "reads", "pool_per_instance", "pooler_connections"),
}


def _section(plan: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = plan.get(name)
    if not isinstance(value, dict):
        raise BadPlan(f"plan[{name!r}] must be a dict with {', '.join(SCHEMA[name])}")
    unknown = sorted(set(map(str, value)) - set(SCHEMA[name]))
    if unknown:
        raise BadPlan(
            f"plan[{name!r}] has no field {unknown[0]!r} (it has {', '.join(SCHEMA[name])})"
        )
    missing = [key for key in SCHEMA[name] if key not in value and key != "expected_hit_rate"]
    if missing:
        raise BadPlan(f"plan[{name!r}][{missing[0]!r}] is missing")
    return value


def _int(section: Mapping[str, object], where: str, key: str, low: int, high: int) -> int:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadPlan(
            f"plan[{where!r}][{key!r}] must be an int from {low} to {high}, got {value!r:.60}"
        )
    if not low <= value <= high:
        raise BadPlan(f"plan[{where!r}][{key!r}] must be from {low} to {high}, got {value}")
    return value


def _fraction(
    section: Mapping[str, object], where: str, key: str, low: float, high: float
) -> float:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadPlan(
            f"plan[{where!r}][{key!r}] must be a number from {low} to {high}, got {value!r:.60}"
        )
    if not low <= value <= high:
        raise BadPlan(f"plan[{where!r}][{key!r}] must be from {low} to {high}, got {value}")
    return float(value)


def _choice(value: object, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise BadPlan(f"{where} must be one of {', '.join(map(repr, choices))}, got {value!r:.60}")
    return str(value)


def validate(plan: object) -> Plan:
    """The plan as the engine runs it, or BadPlan naming the first field that is wrong."""
    if not isinstance(plan, dict):
        raise BadPlan(f"plan() must return a dict (or a dataclass), got {type(plan).__name__}")
    unknown = sorted(set(map(str, plan)) - {*SCHEMA, "balancer"})
    if unknown:
        raise BadPlan(
            f"the plan has no field {unknown[0]!r} "
            "(it has cdn, balancer, instances, cache, database)"
        )
    cdn = _section(plan, "cdn")
    if not isinstance(cdn["static"], bool):
        raise BadPlan(f"plan['cdn']['static'] must be True or False, got {cdn['static']!r:.60}")
    inst = _section(plan, "instances")
    low = _int(inst, "instances", "min", 1, QUOTA)
    high = _int(inst, "instances", "max", 1, QUOTA)
    if high < low:
        raise BadPlan(f"plan['instances']['max'] ({high}) is below its min ({low})")
    cache = _section(plan, "cache")
    expected = None
    if cache.get("expected_hit_rate") is not None:
        expected = _fraction(cache, "cache", "expected_hit_rate", 0.0, 1.0)
    db = _section(plan, "database")
    return Plan(
        Cdn(cdn["static"], _int(cdn, "cdn", "page_ttl_s", 0, PAGE_TTL_MAX_S)),
        _choice(plan.get("balancer"), "plan['balancer']", BALANCERS),
        Instances(low, high, _fraction(inst, "instances", "target_cpu", 0.2, 0.95)),
        Cache(
            _int(cache, "cache", "redis_nodes", 0, MAX_REDIS_NODES),
            _int(cache, "cache", "local_mb", 0, MAX_LOCAL_MB),
            expected,
        ),
        Database(
            _int(db, "database", "replicas", 0, MAX_REPLICAS),
            _choice(db["reads"], "plan['database']['reads']", READ_TARGETS),
            _int(db, "database", "pool_per_instance", 1, MAX_POOL),
            _int(db, "database", "pooler_connections", 0, MAX_POOL),
        ),
    )


@dataclass(frozen=True)
class Scenario:
    """One seeded day: the edge rate of every slice and the day's mix."""

    edge: tuple[float, ...]  # requests a second at the edge, per slice
    peak_hour: float
    peak_to_mean: float
    static_share: float
    page_share: float
    write_share: float
    skew: float
    slow_share: float
    uniforms: tuple[float, ...]  # DRAWS per sampled request, request after request
    hard: bool = False  # drawn from the hard end of every range


DRAWS = 13  # uniforms per sampled request


def scenario(rng: random.Random, *, hard: bool = False) -> Scenario:
    """A day: a daily curve whose peak is EDGE_PEAK_RPS at a seeded hour, with a seeded
    peak-to-mean ratio and slice noise, and the day's mix drawn from the brief's ranges
    (with `hard`, from the HARD_END of each: a day near the worst the brief allows)."""

    def draw(bounds: tuple[float, float], hard_is_high: bool) -> float:
        low, high = bounds
        if hard:
            width = HARD_END * (high - low)
            low, high = (high - width, high) if hard_is_high else (low, low + width)
        return rng.uniform(low, high)

    peak_hour = rng.uniform(*PEAK_HOUR)
    ratio = draw(PEAK_TO_MEAN, True)
    shape = [_curve((i + 0.5) * SLICE_MIN / 60, peak_hour) for i in range(SLICES)]
    floor = _floor_for(shape, ratio)
    noise = [1 + rng.uniform(-NOISE, NOISE) for _ in range(SLICES)]
    edge = tuple(
        EDGE_PEAK_RPS * (floor + (1 - floor) * s) * n for s, n in zip(shape, noise, strict=True)
    )
    static, page = draw(STATIC_SHARE, False), draw(PAGE_SHARE, False)
    write, skew, slow = draw(WRITE_SHARE, False), draw(KEY_SKEW, False), draw(SLOW_SHARE, True)
    uniform = rng.random
    uniforms = tuple([uniform() for _ in range(SAMPLE_AT_PEAK * SLICES * DRAWS)])
    return Scenario(edge, peak_hour, ratio, static, page, write, skew, slow, uniforms, hard)


def _curve(hour: float, peak_hour: float) -> float:
    """The daily shape from 0 (the quietest hour, 12 h from the peak) to 1 at the peak: a
    raised cosine cubed, a day with a steep evening ramp and a long quiet night."""
    return ((1 + math.cos(2 * math.pi * (hour - peak_hour) / 24)) / 2) ** 3


def _floor_for(shape: list[float], ratio: float) -> float:
    """The night floor f in f + (1 − f)·shape that gives the day this peak-to-mean ratio."""
    mean_shape = sum(shape) / len(shape)
    # peak / mean = 1 / (f + (1 − f)·m)  →  f = (1/ratio − m) / (1 − m)
    return max(0.0, (1 / ratio - mean_shape) / (1 - mean_shape))


def _buckets(keys: int, skew: float) -> list[tuple[float, float]]:
    """Zipf popularity in geometric rank buckets: (keys in the bucket, each key's share)."""
    edges = [1]
    while edges[-1] <= keys:
        edges.append(max(edges[-1] + 1, int(edges[-1] * BUCKET_RATIO)))
    edges[-1] = keys + 1

    # Σ_{k=a}^{b−1} k^−s: summed for small buckets, else the integral from a − ½ to b − ½
    def mass(a: int, b: int) -> float:
        if b - a <= EXACT_BUCKET:
            return sum(k**-skew for k in range(a, b))
        if skew == 1.0:
            return math.log((b - 0.5) / (a - 0.5))
        return ((b - 0.5) ** (1 - skew) - (a - 0.5) ** (1 - skew)) / (1 - skew)

    raw = [(b - a, mass(a, b)) for a, b in itertools.pairwise(edges)]
    total = sum(m for _, m in raw)
    return [(n, m / total / n) for n, m in raw]


def che_hit_rate(buckets: list[tuple[float, float]], size: float) -> float:
    """Che's LRU hit ratio for a cache of `size` keys, on bucketed popularities."""
    keys = sum(n for n, _ in buckets)
    if size <= 0:
        return 0.0
    if size >= keys:
        return 1.0
    lo, hi = 0.0, 1.0
    while sum(n * -math.expm1(-p * hi) for n, p in buckets) < size:
        hi *= 2
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        filled = sum(n * -math.expm1(-p * mid) for n, p in buckets)
        lo, hi = (mid, hi) if filled < size else (lo, mid)
    return sum(n * p * -math.expm1(-p * hi) for n, p in buckets)


def ttl_hit_rate(buckets: list[tuple[float, float]], rate: float, ttl_s: float) -> float:
    """A TTL cache renewed on a miss (a CDN's page cache): Σ p·λpT / (1 + λpT)."""
    if ttl_s <= 0:
        return 0.0
    return sum(n * p * (rate * p * ttl_s) / (1 + rate * p * ttl_s) for n, p in buckets)


@dataclass(frozen=True)
class Queue:
    """An M/M/c queue's state: its wait is 0 with probability 1 − wait_p, else exponential
    with rate `drain` (per second); `shed` is the share of arrivals that time out."""

    utilisation: float
    wait_p: float
    drain: float
    shed: float

    def wait_s(self, u_wait: float, u_exp: float) -> float:
        """A wait drawn from two uniforms (capped at the timeout)."""
        if u_wait >= self.wait_p:
            return 0.0
        if self.drain <= 0:
            return TIMEOUT_S * u_exp
        return min(TIMEOUT_S, -math.log1p(-u_exp) / self.drain)


IDLE = Queue(0.0, 0.0, math.inf, 0.0)


def mmc(c: int, lam: float, service_s: float, timeout_s: float = TIMEOUT_S) -> Queue:
    """Erlang C for c servers; past saturation, the excess is shed and the rest wait long."""
    if lam <= 0:
        return IDLE
    if c <= 0:
        return Queue(math.inf, 1.0, 0.0, 1.0)
    a = lam * service_s
    rho = a / c
    if rho >= 0.995:
        return Queue(rho, 1.0, 0.0, max(0.0, 1 - 1 / rho))
    p = erlang_c(c, a)
    drain = c / service_s - lam
    return Queue(rho, p, drain, p * math.exp(-drain * timeout_s))


@dataclass(frozen=True)
class Tiers:
    """One slice's tiers, as a sampled request walks them."""

    static_part: float  # of origin requests
    write_share: float  # of app requests
    hit: float
    local_hit: float
    slow_part: float  # of origin requests, served by a slow instance
    fast: Queue
    slow: Queue
    read_servers: tuple[str, ...]
    db: dict[str, Queue]
    pool: dict[str, Queue]
    query_s: dict[str, float]
    refused: dict[str, float]
    pooled: bool

    def latency_ms(self, u: tuple[float, ...]) -> float:
        """One request's time from its uniforms, or −1 when it failed."""
        slow = u[0] < self.slow_part
        queue = self.slow if slow else self.fast
        if u[1] < queue.shed:
            return -1.0
        speed = SLOW_SPEED if slow else 1.0
        ms = BASE_MS + 1000 * queue.wait_s(u[1], u[2])
        if u[3] < self.static_part:
            return ms + -math.log1p(-u[4]) * STATIC_CPU_MS / speed
        ms += -math.log1p(-u[4]) * APP_CPU_MS / speed
        kind = (u[3] - self.static_part) / (1 - self.static_part)
        if kind < self.write_share:
            server = "primary"
        else:
            if u[5] < self.local_hit:
                return ms + LOCAL_HIT_MS
            ms += REDIS_MS + -math.log1p(-u[6]) * REDIS_JITTER_MS
            if u[5] < self.hit:
                return ms
            server = self.read_servers[
                min(len(self.read_servers) - 1, int(u[7] * len(self.read_servers)))
            ]
        # u[7] chose the replica; its fractional part is a fresh uniform for the refusal
        if u[7] * len(self.read_servers) % 1 < self.refused[server]:
            return -1.0
        pool, db = self.pool[server], self.db[server]
        if u[8] < max(pool.shed, db.shed):
            return -1.0
        ms += 1000 * pool.wait_s(u[8], u[9]) + (POOLER_MS if self.pooled else 0.0)
        ms += 1000 * db.wait_s(u[10], u[12]) + 1000 * -math.log1p(-u[11]) * self.query_s[server]
        return ms


@dataclass
class Slice:
    """What one slice's tiers looked like (for the figures and the messages)."""

    origin_rps: float
    serving: int
    booting: int
    cpu: float  # the fleet's average CPU utilisation (what the autoscaler tracks)
    slow_cpu: float  # a slow instance's
    errors: dict[str, float]  # expected failed requests a second, by cause
    db_util: dict[str, float]  # per database server
    db_busy: dict[str, float]  # queries running at once, offered (Little's law), per server
    connections: dict[str, int]  # what the pools ask each database server for


@dataclass
class Outcome:
    """The day under a plan: every slice, the sampled latencies and the bill."""

    plan: Plan
    hit_rate: float
    local_hit_rate: float
    page_hit_rate: float
    slices: list[Slice] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    sampled: int = 0
    instance_slices: int = 0  # instance-slices billed (booting included)

    def p95_ms(self) -> float:
        """The 95th percentile of the sampled origin requests that were served."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return TIMEOUT_S * 1000
        return nearest_rank(ordered, 95)

    def error_pct(self) -> float:
        """Failed origin requests over the day, % of origin requests (exact expectation)."""
        failed = sum(sum(s.errors.values()) for s in self.slices)
        return 100 * failed / sum(s.origin_rps for s in self.slices)

    def errors_by_cause(self) -> dict[str, float]:
        """Failed requests over the day, by cause."""
        out: dict[str, float] = {}
        for s in self.slices:
            for cause, rate in s.errors.items():
                out[cause] = out.get(cause, 0.0) + rate * SLICE_MIN * 60
        return out

    def db_connections(self) -> int:
        """The most connections the pools may ask one database server for: what the plan
        allows (instances.max × pool, or the pooler's), or more if the day asked for more."""
        return max(self.plan_connections(), self.asked_connections())

    def asked_connections(self) -> int:
        """The most connections the pools asked one database server for, in any slice."""
        return max(max(s.connections.values()) for s in self.slices)

    def plan_connections(self) -> int:
        """What the plan lets the fleet ask of one server: a day that never grows the fleet
        to instances.max (a spike, a lost zone) does not make a larger pool safe."""
        db = self.plan.database
        return db.pooler_connections or self.plan.instances.max * db.pool_per_instance

    def instance_hours(self) -> float:
        return self.instance_slices * SLICE_MIN / 60

    def cost(self) -> float:
        """Dollars for the day: instances (booting included), cache nodes, databases, pooler."""
        p = self.plan
        return (
            self.instance_hours() * INSTANCE_PER_HOUR
            + 24 * p.cache.redis_nodes * REDIS_PER_HOUR
            + 24 * (1 + p.database.replicas) * DB_PER_HOUR
            + (24 * POOLER_PER_HOUR if p.database.pooler_connections else 0.0)
        )


def _origin(plan: Plan, sc: Scenario, t: int, page_hit: float) -> tuple[float, float]:
    """(app requests, static requests) a second reaching the balancer in slice t."""
    edge = sc.edge[t]
    static = edge * sc.static_share * (1 - CDN_STATIC_HIT if plan.cdn.static else 1.0)
    app = edge * (1 - sc.static_share - sc.page_share) + edge * sc.page_share * (1 - page_hit)
    return app, static


def hit_rates(sc: Scenario, plan: Plan) -> tuple[float, float, float]:
    """(the app's overall cache hit ratio, its local layer's, the CDN's for pages) today."""
    objects = _buckets(OBJECTS, sc.skew)
    redis_keys = plan.cache.redis_nodes * REDIS_NODE_GB * 1024 * 1024 / OBJECT_KB
    local_keys = plan.cache.local_mb * 1024 / OBJECT_KB
    local = che_hit_rate(objects, local_keys)
    overall = che_hit_rate(objects, redis_keys) if redis_keys > local_keys else local
    mean_page_rate = sum(sc.edge) / SLICES * sc.page_share / POPS
    page = ttl_hit_rate(_buckets(PAGES, sc.skew), mean_page_rate, plan.cdn.page_ttl_s)
    return overall, local, page


def simulate(sc: Scenario, plan: Plan) -> Outcome:
    """The day under the plan (the module's docstring says what is drawn, what computed)."""
    hit, local_hit, page_hit = hit_rates(sc, plan)
    out = Outcome(plan, hit, local_hit, page_hit)
    per_instance = VCPUS / (APP_CPU_MS / 1000)
    app0, static0 = _origin(plan, sc, 0, page_hit)
    first = math.ceil(
        (app0 + static0 * STATIC_CPU_MS / APP_CPU_MS) / (per_instance * plan.instances.target_cpu)
    )
    serving, booting = max(plan.instances.min, min(plan.instances.max, first)), 0
    launches = [0] * BOOT_SLICES  # instances launched, by the slices of boot they have left
    wanted: list[int] = []
    db = plan.database
    servers = ("primary", *(f"replica {i + 1}" for i in range(db.replicas)))
    read_servers = servers[1:] if db.replicas and db.reads == "replicas" else ("primary",)
    peak_edge = max(sc.edge)
    drawn = 0
    for t in range(SLICES):
        app, static = _origin(plan, sc, t, page_hit)
        origin = app + static
        service_s = (app * APP_CPU_MS + static * STATIC_CPU_MS) / origin / 1000
        n_slow = round(serving * sc.slow_share)
        n_fast = serving - n_slow
        if plan.balancer == "round_robin":
            lam_fast = lam_slow = origin / serving
        else:  # least outstanding and P2C keep the instances about equally busy
            lam_fast = origin / (n_fast + SLOW_SPEED * n_slow)
            lam_slow = SLOW_SPEED * lam_fast
        fast_q = mmc(VCPUS, lam_fast, service_s)
        slow_q = mmc(VCPUS, lam_slow, service_s / SLOW_SPEED) if n_slow else IDLE
        slow_part = n_slow * lam_slow / origin
        cpu = (
            n_fast * min(1.0, fast_q.utilisation) + n_slow * min(1.0, slow_q.utilisation)
        ) / serving

        reads = app * (1 - sc.write_share) * (1 - hit)
        writes = app * sc.write_share
        rate = {name: 0.0 for name in servers}
        work = {name: 0.0 for name in servers}
        rate["primary"], work["primary"] = writes, writes * WRITE_MS
        for name in read_servers:
            rate[name] += reads / len(read_servers)
            work[name] += reads / len(read_servers) * READ_MS
        pools = serving + booting
        connections, refused, query_s = {}, {}, {}
        db_q: dict[str, Queue] = {}
        pool_q: dict[str, Queue] = {}
        for name in servers:
            asked = db.pooler_connections or pools * db.pool_per_instance
            granted = min(asked, MAX_CONNECTIONS)
            connections[name] = asked
            refused[name] = 0.0 if db.pooler_connections else 1 - granted / asked
            query_s[name] = work[name] / rate[name] / 1000 if rate[name] else READ_MS / 1000
            served = rate[name] * (1 - refused[name])
            db_q[name] = mmc(min(DB_VCPUS, granted), served, query_s[name])
            q = db_q[name]
            held_s = query_s[name] + (q.wait_p / q.drain if q.drain > 0 else TIMEOUT_S)
            if db.pooler_connections:
                pool_q[name] = mmc(granted, served, held_s, POOL_TIMEOUT_S)
            else:
                pool_q[name] = mmc(
                    db.pool_per_instance, served / max(1, serving), held_s, POOL_TIMEOUT_S
                )
        errors = {
            "instances overloaded": origin
            * ((1 - slow_part) * fast_q.shed + slow_part * slow_q.shed),
            "no database connection": sum(rate[name] * refused[name] for name in servers),
            "database or pool overloaded": sum(
                rate[name] * (1 - refused[name]) * max(db_q[name].shed, pool_q[name].shed)
                for name in servers
            ),
        }
        tiers = Tiers(
            static / origin,
            sc.write_share,
            hit,
            local_hit,
            slow_part,
            fast_q,
            slow_q,
            read_servers,
            db_q,
            pool_q,
            query_s,
            refused,
            bool(db.pooler_connections),
        )
        n = round(SAMPLE_AT_PEAK * sc.edge[t] / peak_edge)
        for k in range(drawn, drawn + n):
            ms = tiers.latency_ms(sc.uniforms[k * DRAWS : (k + 1) * DRAWS])
            if ms >= 0:
                out.latencies_ms.append(ms)
        drawn += n
        out.sampled += n
        out.slices.append(
            Slice(
                origin,
                serving,
                booting,
                cpu,
                min(1.0, slow_q.utilisation),
                errors,
                {name: db_q[name].utilisation for name in servers},
                {name: work[name] / 1000 for name in servers},
                connections,
            )
        )
        out.instance_slices += serving + booting
        # the autoscaler at the slice's end: launches whose boot is over now serve; scale
        # out at once (a launch boots BOOT_SLICES slices), scale in only to the largest
        # want of the last 15 minutes, booting launches cancelled first
        want = math.ceil(serving * cpu / plan.instances.target_cpu)
        want = max(plan.instances.min, min(plan.instances.max, want))
        wanted.append(want)
        serving += launches.pop(0)
        launches.append(0)
        booting = sum(launches)
        if want > serving + booting:
            launches[-1] = want - serving - booting
        else:
            keep = min(serving + booting, max(wanted[-3:]))
            for i in reversed(range(BOOT_SLICES)):
                cancel = min(launches[i], serving + sum(launches) - keep)
                launches[i] -= cancel
            serving = min(serving, keep)
        booting = sum(launches)
    return out
