"""Cache eviction policies replayed on a Zipf request trace, and Che's approximation for LRU.

`perfcoach sim cache` draws hit rate against cache size with these. Time is the request
count (one request per tick), so a TTL is a number of requests; the same trace is replayed
for every policy and size, so the curves differ only by the policy, not by the draw.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import OrderedDict
from collections.abc import Sequence

from perfcoach.sim.capacity import BISECTIONS


def zipf_trace(keys: int, skew: float, requests: int, rng: random.Random) -> list[int]:
    """Requests for keys 0..keys−1, key i drawn with probability ∝ 1/(i + 1)^skew."""
    cumulative = list(itertools.accumulate(1.0 / rank**skew for rank in range(1, keys + 1)))
    return rng.choices(range(keys), cum_weights=cumulative, k=requests)


def zipf_probabilities(keys: int, skew: float) -> list[float]:
    """The request share of each key, most popular first."""
    raw = [1.0 / rank**skew for rank in range(1, keys + 1)]
    total = sum(raw)
    return [w / total for w in raw]


def lru_hits(trace: Sequence[int], size: int, warmup: int) -> int:
    """Hits of a least-recently-used cache of `size` keys, counted after `warmup` requests."""
    cache: OrderedDict[int, None] = OrderedDict()
    hits = 0
    for i, key in enumerate(trace):
        if key in cache:
            cache.move_to_end(key)
            hits += i >= warmup
            continue
        if len(cache) >= size:
            cache.popitem(last=False)
        cache[key] = None
    return hits


def lfu_hits(trace: Sequence[int], size: int, warmup: int) -> int:
    """Hits of a least-frequently-used cache that remembers every key's request count (also
    of keys it evicted), so it settles on the most popular keys; ties evict the oldest."""
    counts: dict[int, int] = {}
    cached: set[int] = set()
    heap: list[tuple[int, int, int]] = []  # (count, order, key); stale entries skipped
    hits = 0
    for i, key in enumerate(trace):
        count = counts.get(key, 0) + 1
        counts[key] = count
        if key in cached:
            hits += i >= warmup
        else:
            while len(cached) >= size:
                old_count, _, old = heapq.heappop(heap)
                if old in cached and counts[old] == old_count:
                    cached.remove(old)
            cached.add(key)
        heapq.heappush(heap, (count, i, key))
    return hits


def ttl_hits(trace: Sequence[int], size: int, ttl: int, warmup: int) -> int:
    """Hits of an LRU cache of `size` keys whose entries also expire `ttl` requests after
    they were written (a hit does not extend them), as cachetools' TTLCache does."""
    cache: OrderedDict[int, int] = OrderedDict()  # key -> the request it was written at
    hits = 0
    for i, key in enumerate(trace):
        written = cache.get(key)
        if written is not None and i - written < ttl:
            cache.move_to_end(key)
            hits += i >= warmup
            continue
        if written is not None:
            del cache[key]
        elif len(cache) >= size:
            cache.popitem(last=False)
        cache[key] = i
    return hits


def che_characteristic_time(probabilities: Sequence[float], size: int) -> float:
    """Che's T_C: the time t at which the expected number of distinct keys requested,
    Σ (1 − e^(−p_i t)), equals the cache size (bisection)."""
    if size >= len(probabilities):
        return math.inf
    lo, hi = 0.0, 1.0
    while sum(-math.expm1(-p * hi) for p in probabilities) < size:
        hi *= 2
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        filled = sum(-math.expm1(-p * mid) for p in probabilities)
        lo, hi = (mid, hi) if filled < size else (lo, mid)
    return hi


def che_lru_hit_rate(probabilities: Sequence[float], size: int) -> float:
    """Che's approximation of LRU's hit rate: Σ p_i (1 − e^(−p_i T_C))."""
    t = che_characteristic_time(probabilities, size)
    if math.isinf(t):
        return 1.0
    return sum(p * -math.expm1(-p * t) for p in probabilities)


def top_keys_hit_rate(probabilities: Sequence[float], size: int) -> float:
    """The best any cache of `size` keys can do on independent requests: hold the most
    popular ones (what an LFU with full counts tends to)."""
    return sum(sorted(probabilities, reverse=True)[:size])
