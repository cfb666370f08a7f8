"""Grader for trading-tail: full collections and cyclic garbage per order (counted by the
interpreter), bytes allocated per order (tracemalloc), trades = reference, P99 (timed).

The bench makes a seeded order stream (limit and market orders, cancels of resting, filled
and unknown orders, partial fills, a mid price that drifts) and matches it with its own
reference book, price-time priority. Each side opens a book and warms it up with the
morning's orders (not measured), then:

* full_collections — the subject's harness collects once, reads the interpreter's own
  per-generation counters (gc.get_stats, bound before the learner's module was imported;
  no Python call resets them), runs the stream, and reads them again. Gen-2 collections per
  10k orders. A collector switched off (gc.disable, a threshold of 0) when the stream ends
  makes the figure meaningless: no full collection could run, so none is a fix of nothing.
* cyclic_garbage — objects that only the cycle collector can free, per 1k orders: found by
  the collections during the stream, by one right after it, and by one more after
  whatever gc.freeze hid has been thawed. This is memory that a service whose collector is
  off (or frozen over it) never gets back.
* order_bytes — on the warm book, each of the next orders in a call of its own: the
  tracemalloc peak during the call above where it started, less what the harness and
  the driver allocate for a call that feeds no order (measured in the starter's process).
* p99_ratio — interleaved batches of orders on warm books, each batch timed with the
  kernel's CPU clock of its process, the other side paused: your P99 per batch over the
  starter's. A full collection lands inside a batch, so the tail shows it.
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
from array import array
from collections import deque
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabBug,
    LabContext,
    Measured,
    Ref,
    Subject,
    Workload,
    WrongAnswer,
    trust,
)

Order = tuple[Any, ...]
Trade = tuple[int, int, int, int]

WARMUP = 2_000  # orders before the measured stream: a book with depth, old enough to be gen 2
STREAM = 5_000  # orders counted for the collector's figures (reported per 10k and per 1k)
BYTES_ORDERS = 40  # orders measured one per call, on the warm book
FLOOR_CALLS = 3
BATCH = 50  # orders per timed batch
BATCHES = 120  # timed batches per side: the 99th percentile is the 2nd worst
MID = 10_000


def make_orders(
    rng: random.Random, n: int, first_id: int, live: list[int], mid: int
) -> list[Order]:
    """n orders: limit orders around a drifting mid (some crossing it: they trade), market
    orders, cancels of resting orders, and cancels of orders that are gone or never were.
    live holds the ids that may still rest; it and the returned orders carry over."""
    orders: list[Order] = []
    order_id = first_id
    random_ = rng.random  # int(random_() * k) is uniform on 0..k-1, and cheaper than randint
    while len(orders) < n:
        r = random_()
        if r < 0.28 and live:
            i = int(random_() * len(live))
            live[i], live[-1] = live[-1], live[i]
            orders.append(("C", live.pop()))
        elif r < 0.34:
            side = "B" if random_() < 0.5 else "S"
            orders.append(("M", order_id, side, 1 + int(random_() * 80)))
            order_id += 1
        else:
            side = "B" if random_() < 0.5 else "S"
            offset = int(random_() * 35) - 4  # -4..30: a few cross the spread at once
            price = mid - offset if side == "B" else mid + offset
            orders.append(("L", order_id, side, price, 1 + int(random_() * 100)))
            live.append(order_id)
            order_id += 1
        if random_() < 0.02:  # an order filled, cancelled or never sent
            orders.append(("C", 1 + int(random_() * (order_id + 50))))
        if random_() < 0.01:
            mid += 1 if random_() < 0.5 else -1
    return orders[:n]


class Stream:
    """A seeded day: warm-up orders, then as many more as asked, ids never reused."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.live: list[int] = []
        self.next_id = 1 + int(rng.random() * 1_000_000)
        self.mid = MID + rng.randint(-500, 500)

    def take(self, n: int) -> list[Order]:
        orders = make_orders(self.rng, n, self.next_id, self.live, self.mid)
        self.next_id += n + 100
        return orders


class ReferenceBook:
    """The reference matcher: price-time priority, partial fills, lazy cancels."""

    def __init__(self) -> None:
        self.queues: tuple[dict[int, deque[list[int]]], ...] = ({}, {})  # bids, asks
        self.heaps: tuple[list[int], list[int]] = ([], [])  # -bid prices, ask prices
        self.resting: dict[int, list[int]] = {}

    def run(self, orders: list[Order]) -> list[Trade]:
        trades: list[Trade] = []
        for order in orders:
            if order[0] == "C":
                entry = self.resting.pop(order[1], None)
                if entry is not None:
                    entry[1] = 0
            elif order[0] == "L":
                _, order_id, side, price, qty = order
                qty = self._match(order_id, side, price, qty, trades)
                if qty:
                    self._rest(order_id, side, price, qty)
            else:
                _, order_id, side, qty = order
                self._match(order_id, side, None, qty, trades)
        return trades

    def _match(
        self, order_id: int, side: str, price: int | None, qty: int, trades: list[Trade]
    ) -> int:
        other = 1 if side == "B" else 0
        queues, heap = self.queues[other], self.heaps[other]
        while qty and heap:
            best = heap[0] if other else -heap[0]
            queue = queues[best]
            while queue and not queue[0][1]:
                queue.popleft()
            if not queue:
                heapq.heappop(heap)
                del queues[best]
                continue
            if price is not None and (best > price if other else best < price):
                break
            maker = queue[0]
            fill = min(qty, maker[1])
            trades.append((order_id, maker[0], best, fill))
            maker[1] -= fill
            qty -= fill
            if not maker[1]:
                queue.popleft()
                del self.resting[maker[0]]
        return qty

    def _rest(self, order_id: int, side: str, price: int, qty: int) -> None:
        own = 0 if side == "B" else 1
        queues = self.queues[own]
        if price not in queues:
            queues[price] = deque()
            heapq.heappush(self.heaps[own], -price if own == 0 else price)
        entry = [order_id, qty]
        queues[price].append(entry)
        self.resting[order_id] = entry


def trades_of(raw: Any) -> list[Trade]:
    """The driver's flat int64 bytes as trades."""
    if not isinstance(raw, bytes) or len(raw) % 32:
        raise LabBug("the driver returned no flat trade array")
    flat = array("q")
    flat.frombytes(raw)
    return [tuple(flat[i : i + 4]) for i in range(0, len(flat), 4)]  # type: ignore[misc]


def first_difference(orders: list[Order], expected: list[Trade], got: list[Trade]) -> str | None:
    """One sentence naming the first trade that differs, and the order that made it."""
    if got == expected:
        return None
    by_id = {order[1]: order for order in orders if order[0] != "C"}
    for number, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        if want != have:
            order = by_id.get(want[0])
            return (
                f"trade {number}: expected (taker {want[0]}, maker {want[1]}, price {want[2]},"
                f" qty {want[3]}) from order {order!r}, got (taker {have[0]}, maker {have[1]},"
                f" price {have[2]}, qty {have[3]}). Price first (best price for the incoming"
                " order), then time (the oldest resting order at that price); a cancelled"
                " order never trades"
            )
    longer = "more" if len(got) > len(expected) else "fewer"
    return (
        f"{len(got):,} trades, {longer} than the {len(expected):,} expected: every trade"
        " before them matched"
    )


def open_book(side: Subject, warmup: list[Order]) -> Ref:
    ref = side.call("open_book", warmup).ref
    if ref is None:
        raise LabBug("the driver's open_book() kept no book")
    return ref


def grade(ctx: LabContext) -> Grade:
    """Trades first; then the collector's counts, bytes per order, and the P99 (timed)."""
    day = Stream(ctx.rng("check"))
    warmup, orders, after = day.take(WARMUP), day.take(STREAM), day.take(BYTES_ORDERS)
    reference = ReferenceBook()
    reference.run(warmup)
    expected = reference.run(orders)
    expected_after = [reference.run([order]) for order in after]
    books = {side.role: open_book(side, warmup) for side in (ctx.candidate, ctx.baseline)}
    pending = [
        (side, side.start("stream", books[side.role], orders, collector=True))
        for side in (ctx.candidate, ctx.baseline)
    ]
    replies = {side.role: waiting.result() for side, waiting in pending}
    mine, base = replies["candidate"], replies["baseline"]
    problem = first_difference(orders, expected, trades_of(mine.value))
    if problem:
        raise WrongAnswer(problem)
    if mine.collector is None or base.collector is None:
        raise LabBug("the subject did not watch its collector")
    full = ctx.counted("full_collections", full_collections(mine.collector, base.collector))
    garbage = ctx.counted("cyclic_garbage", cyclic_garbage(mine.collector, base.collector))
    floor = min(
        ctx.baseline.call("idle", books["baseline"], after[0], memory=True).peak or 0
        for _ in range(FLOOR_CALLS)
    )
    mine_bytes = order_bytes(ctx.candidate, books["candidate"], after, expected_after, floor)
    base_bytes = order_bytes(ctx.baseline, books["baseline"], after, expected_after, floor)
    allocated = ctx.counted(
        "order_bytes",
        Measured(
            mine_bytes[0],
            base_bytes[0],
            detail=f"{mine_bytes[0]:,.0f} bytes per order at its peak (starter"
            f" {base_bytes[0]:,.0f}), the median of {len(after)} orders on the warm book",
            untrusted=mine_bytes[1],
        ),
    )
    for side in (ctx.candidate, ctx.baseline):
        side.drop(books[side.role])
    metrics = {
        "full_collections": full,
        "cyclic_garbage": garbage,
        "order_bytes": allocated,
        "p99_ratio": p99_ratio(ctx),
    }
    return Grade(correct=True, metrics=metrics, notes=notes(metrics, ctx))


def full_collections(mine: Any, base: Any) -> Measured:
    """Gen-2 collections per 10k orders; meaningless, and failed, with the collector off."""
    value = mine["collections"][2] * 10_000 / STREAM
    detail = (
        f"{mine['collections'][2]} full collections during {STREAM:,} orders (starter"
        f" {base['collections'][2]}); young ones: {mine['collections'][0]} of generation 0,"
        f" {mine['collections'][1]} of generation 1"
    )
    off = ""
    if not mine["enabled"] or mine["threshold"] == 0:
        off = (
            "the garbage collector was switched off when the stream ended (gc.disable() or a"
            " threshold of 0), so no collection could run: none is not a fix. On a service"
            " that runs for days every reference cycle then stays in memory for good; remove"
            " the cycles, or freeze what lives for the whole day with gc.freeze()"
        )
    return Measured(value, base["collections"][2] * 10_000 / STREAM, detail=detail, untrusted=off)


def cyclic_garbage(mine: Any, base: Any) -> Measured:
    """Objects only the cycle collector could free, per 1k orders."""

    def total(figures: Any) -> int:
        return int(figures["collected"] + figures["left"] + figures["hidden"])

    value = total(mine) * 1_000 / STREAM
    detail = (
        f"{total(mine):,} objects in reference cycles became garbage during {STREAM:,} orders"
        f" (starter {total(base):,})"
    )
    if mine["hidden"]:
        detail += (
            f"; {mine['hidden']:,} of them were hidden from the collector by gc.freeze(), which"
            " never frees what it froze: freeze what lives all day, after warm-up, not garbage"
        )
    if mine["left"] and not mine["enabled"]:
        detail += f"; {mine['left']:,} were still in memory when the stream ended"
    return Measured(value, total(base) * 1_000 / STREAM, detail=detail)


def order_bytes(
    side: Subject, book: Ref, orders: list[Order], expected: list[list[Trade]], floor: int
) -> tuple[float, str]:
    """Median tracemalloc peak per order, one order per call (the median: a dict or a deque
    that grows now and then is not churn); why it can't be believed, or ''."""
    peaks, flags = [], []
    for order, want in zip(orders, expected, strict=True):
        reply = side.call("one", book, order, memory=True)
        got = trades_of(reply.value)
        if got != want and side.role.startswith("candidate"):
            raise WrongAnswer(f"order {order!r} on the warm book: expected {want}, got {got}")
        peaks.append(max(0, (reply.peak or 0) - floor))
        problem = trust(reply)
        if problem and problem not in flags:
            flags.append(problem)
    return float(statistics.median(peaks)), "; ".join(flags)


def p99_ratio(ctx: LabContext) -> Measured:
    """Your P99 CPU time per batch of orders over the starter's, batches interleaved.

    Left untimed where the labkit leaves timed rows untimed (a counted row already missed,
    or a counted-only repeat); a new book still takes two fresh batches, checked, so a
    book that remembers an earlier one's orders is still a wrong result."""
    untimed = ctx.counted_only or (ctx.missed_counts and not ctx.time_all)
    day = Stream(ctx.rng("timed"))
    warmup = day.take(WARMUP)
    batches = [day.take(BATCH) for _ in range(2 if untimed else BATCHES)]
    reference = ReferenceBook()
    reference.run(warmup)
    expected = [reference.run(batch) for batch in batches]
    if untimed:
        book = open_book(ctx.candidate, warmup)
        for number, (batch, want) in enumerate(zip(batches, expected, strict=True)):
            problem = first_difference(
                batch, want, trades_of(ctx.candidate.run("stream", book, batch))
            )
            if problem:
                raise WrongAnswer(f"batch {number + 1} on a new book: {problem}")
        ctx.candidate.drop(book)
        return Measured(math.nan, untimed=True)
    sides = (ctx.baseline, ctx.candidate)
    books = {side.role: open_book(side, warmup) for side in sides}
    times: dict[str, list[float]] = {side.role: [] for side in sides}
    for number, (batch, want) in enumerate(zip(batches, expected, strict=True)):
        for side in sides if number % 2 else sides[::-1]:
            with ctx.grader.only(side):
                reply = side.call("stream", books[side.role], batch)
            times[side.role].append(reply.cpu_s)
            if side is ctx.candidate:
                problem = first_difference(batch, want, trades_of(reply.value))
                if problem:
                    raise WrongAnswer(f"timed batch {number + 1}: {problem}")
    for side in sides:
        side.drop(books[side.role])
    mine, base = p99(times["candidate"]), p99(times["baseline"])
    return Measured(
        mine / base,
        1.0,
        detail=f"P99 {mine * 1e3:.2f} ms per batch of {BATCH} orders (starter"
        f" {base * 1e3:.2f} ms), {BATCHES} interleaved batches each, CPU time",
    )


def p99(samples: list[float]) -> float:
    """Nearest-rank 99th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def notes(metrics: dict[str, Measured], ctx: LabContext) -> list[str]:
    """What to try next for each target still missed."""
    advice = {
        "cyclic_garbage": "Cycles: an order that points back at its level, its book or its"
        " trades, while they point at it, is freed only by the cycle collector. Keep"
        " references one way (the book holds orders; orders hold ids and numbers).",
        "full_collections": "Full collections: each gc.collect() is one, and so is the"
        " collector's own once the objects promoted since the last one reach a quarter of"
        " the old generation. Without cycles there is nothing for a housekeeping collection"
        " to do: delete it. Then allocate fewer long-lived objects per order (no per-order"
        " lists or Trade and Event objects kept), reuse them, or freeze the warmed-up book"
        " with gc.freeze() after a gc.collect().",
        "order_bytes": "Bytes per order: sorting every price level, copying a level's list,"
        " and Order, Trade and Event objects are built for every order. Keep the best price"
        " (a heap, or a sorted list with bisect) instead of sorting, and return plain tuples.",
        "p99_ratio": "Tail: the slowest batches are the ones a full collection landed in.",
    }
    out = []
    for name, text in advice.items():
        measured = metrics[name]
        if measured.untimed:
            continue
        if measured.untrusted or not ctx.goals[name].met(measured.value, measured.baseline):
            out.append(text)
    return out


def workload(ctx: LabContext) -> Workload:
    """A warmed-up book and a day's stream, for `perfcoach lab profile`."""
    day = Stream(ctx.rng("workload"))
    return Workload("replay", (day.take(WARMUP), day.take(STREAM)))
