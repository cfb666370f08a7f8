"""Recompute the figures the lesson quizzes quote, so each one can be shown, not trusted.

Exact arithmetic (Zipf shares, fan-out, percentiles, Little's law) prints exactly; the
SQLite figures are VM steps on seeded data (they repeat for one SQLite version: the quizzes
quote 3.40); the LRU simulation is seeded; time.sleep is measured on this machine.

Usage: python benchmarks/quiz_figures.py
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import sqlite3
import statistics
import time
from collections import OrderedDict


def harmonic(n: int) -> float:
    """H(n) = 1 + 1/2 + … + 1/n, the normaliser of Zipf(1.0) over n keys."""
    return math.fsum(1 / k for k in range(1, n + 1))


def zipf() -> None:
    """caching-strategies Q4 and database-sharding Q5: shares under Zipf(1.0)."""
    inside = harmonic(1_000) / harmonic(100_000)
    top = 1 / harmonic(100_000)
    print(f"Zipf(1.0), 100,000 keys: top 1,000 draw {inside:.3f}, the rest {1 - inside:.3f}")
    print(f"  top key {top:.4f}; its shard of 10: {top + (1 - top) / 10:.4f} of requests")
    print(f"  = {1 + 9 * top:.3f}x the mean")


def lru(capacity: int = 1_000, keys: int = 100_000, requests: int = 2_200_000) -> None:
    """caching-strategies Q4: LRU hit ratio by Che's approximation and by simulation."""
    weights = [1 / k for k in range(1, keys + 1)]
    total = math.fsum(weights)
    shares = [w / total for w in weights]
    low, high = 0.0, 1e9
    for _ in range(200):
        t = (low + high) / 2
        if math.fsum(1 - math.exp(-p * t) for p in shares) < capacity:
            low = t
        else:
            high = t
    che = math.fsum(p * (1 - math.exp(-p * t)) for p in shares)
    rng = random.Random(1)
    cumulative = list(itertools.accumulate(shares))
    cache: OrderedDict[int, None] = OrderedDict()
    warm, hits = 200_000, 0
    for i in range(requests):
        key = bisect.bisect_left(cumulative, rng.random())
        if key in cache:
            cache.move_to_end(key)
            hits += i >= warm
        else:
            cache[key] = None
            if len(cache) > capacity:
                cache.popitem(last=False)
    print(f"LRU of {capacity:,}: Che {che:.3f}, simulated {hits / (requests - warm):.3f}")


def vm_steps(conn: sqlite3.Connection, sql: str, args: tuple[str, ...]) -> tuple[str, int]:
    """The query plan and the SQLite VM steps one run of sql takes."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    plan = "; ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args))
    conn.set_progress_handler(count, 1)
    conn.execute(sql, args).fetchall()
    conn.set_progress_handler(None, 1)
    return plan, steps


def orders(analyze: bool) -> sqlite3.Connection:
    """100,000 seeded orders over 4 statuses with an index on (status, created_at)."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT, status TEXT, "
        "created_at TEXT, total_cents INT)"
    )
    rng = random.Random(7)
    statuses = ["pending", "paid", "shipped", "cancelled"]
    conn.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?, ?)",
        [
            (
                i,
                rng.randrange(5000),
                rng.choice(statuses),
                f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                f"T{rng.randrange(24):02d}:00:00",
                rng.randrange(10**5),
            )
            for i in range(100_000)
        ],
    )
    conn.execute("CREATE INDEX s ON orders (status, created_at)")
    if analyze:
        conn.execute("ANALYZE")
    return conn


def skip_scan() -> None:
    """database-optimization Q1: a range-only query on an index led by status."""
    print(f"SQLite {sqlite3.sqlite_version}")
    days = ("2024-05-01", "2024-05-19")
    count = "SELECT count(*) FROM orders WHERE created_at >= ? AND created_at < ?"
    first = (
        "SELECT id, created_at FROM orders WHERE created_at >= ? AND created_at < ? "
        "ORDER BY created_at LIMIT 20"
    )
    for analyze in (False, True):
        conn = orders(analyze)
        label = "after ANALYZE" if analyze else "no ANALYZE"
        for name, sql in (("count", count), ("first 20", first)):
            plan, steps = vm_steps(conn, sql, days)
            print(f"  {label:13} {name:8} {steps:>8,} steps  {plan}")
        conn.execute("CREATE INDEX d ON orders (created_at)")
        conn.execute("ANALYZE")
        for name, sql in (("count", count), ("first 20", first)):
            plan, steps = vm_steps(conn, sql, days)
            print(f"  {'+ created_at':13} {name:8} {steps:>8,} steps  {plan}")
    for groups in (1177, 1176):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (a INT, b INT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(i % groups, i) for i in range(20_000)])
        conn.execute("CREATE INDEX ab ON t (a, b)")
        conn.execute("ANALYZE")
        (stat,) = conn.execute("SELECT stat FROM sqlite_stat1").fetchone()
        plan, _ = vm_steps(conn, "SELECT count(*) FROM t WHERE b > ? AND b < ?", ("5", "100"))
        print(f"  rows per leading value {stat.split()[1]}: {plan}")


def arithmetic() -> None:
    """The quizzes' worked numbers, recomputed."""
    print(f"mean of 99 % at 10 ms and 1 % at 2,000 ms: {0.99 * 10 + 0.01 * 2000:.1f} ms")
    print(f"50-way fan-out at 1 %: {1 - 0.99**50:.3f} of pages hit a slow call")
    print(f"mean of four P99s: {(80 + 85 + 90 + 400) / 4} ms")
    slope = math.log2(170 / 12.5) / 2
    print(f"scaling exponent {slope:.2f}, x{2**slope:.2f} per doubling, {170 * 2**slope:.0f} ms")
    print(f"profiled/unprofiled: slow {1.23 / 0.33:.2f}x, fix {10.8 / 5.6:.2f}x")
    print(f"ratios: profiled {1.23 / 0.0108:.0f}x, plain {0.33 / 0.0056:.0f}x")
    print(f"__eq__: {2_106_527 / 2_200:.0f} per line, {0.883 / 2_106_527 * 1e6:.2f} µs per call")
    print(f"mean read at 90 % / 99 % hits: {0.9 * 0.5 + 0.1 * 20.5:.2f} / "
          f"{0.99 * 0.5 + 0.01 * 20.5:.2f} ms")  # fmt: skip
    print(f"Little: 8 / 0.040 = {8 / 0.040:.0f}/s, 300 x 0.040 = {300 * 0.040:.0f} in flight")
    print(f"pool of 8 vs 4 (lesson table): {2_500 / 2_200:.3f}x; 4 vs none {2_200 / 220:.0f}x")
    print(f"N+1 statements: {1 + 500 + 500 * 3:,}; cached report {1 + 1_000 + 120:,} "
          f"of {1 + 1_000 + 3_000:,}")  # fmt: skip
    print(f"ring balance, N=10 V=1: std/mean {math.sqrt(9 / 11):.2f}")


def sleep_floor() -> None:
    """time.sleep(0.0001) on this machine: the kernel's timer slack sets a floor."""
    taken = []
    for _ in range(2_000):
        start = time.perf_counter()
        time.sleep(0.0001)
        taken.append(time.perf_counter() - start)
    print(f"time.sleep(0.0001): median {statistics.median(taken) * 1e3:.3f} ms")


if __name__ == "__main__":
    arithmetic()
    zipf()
    skip_scan()
    sleep_floor()
    lru()
