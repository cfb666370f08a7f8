"""Correct alternative — a pool of order objects made up front, then gc.freeze().

Tries: the book preallocates 20,000 slotted Order objects, collects once and freezes
everything alive (gc.collect(); gc.freeze()), the way a service freezes its warmed-up
heap. An order takes an object from the free list and gives it back when it is filled or
cancelled; a cancel removes the order from its price queue at once, so an object on the
free list is never still in a queue. Best prices from heaps; trades are tuples.
Must pass because: after warm-up an order allocates no long-lived object (the pool's
are reused and frozen out of the collector's sight), nothing is in a reference cycle,
and the collector finds no garbage hidden under the freeze either.
Expect: pass
"""

from __future__ import annotations

import gc
import heapq
from collections import deque

Trade = tuple[int, int, int, int]
POOL = 20_000


class Order:
    __slots__ = ("order_id", "price", "remaining", "side")

    def __init__(self) -> None:
        self.order_id = 0
        self.side = 0
        self.price = 0
        self.remaining = 0


class OrderBook:
    def __init__(self) -> None:
        self.free = [Order() for _ in range(POOL)]
        self.queues: tuple[dict[int, deque[Order]], dict[int, deque[Order]]] = ({}, {})
        self.heaps: tuple[list[int], list[int]] = ([], [])
        self.orders: dict[int, Order] = {}
        gc.collect()
        gc.freeze()

    def limit(self, order_id: int, side: str, price: int, qty: int) -> list[Trade]:
        trades: list[Trade] = []
        qty = self._match(order_id, side, price, qty, trades)
        if qty:
            own = 0 if side == "B" else 1
            queues = self.queues[own]
            queue = queues.get(price)
            if queue is None:
                queue = queues[price] = deque()
                heapq.heappush(self.heaps[own], -price if own == 0 else price)
            order = self.free.pop() if self.free else Order()
            order.order_id, order.side, order.price, order.remaining = order_id, own, price, qty
            queue.append(order)
            self.orders[order_id] = order
        return trades

    def market(self, order_id: int, side: str, qty: int) -> list[Trade]:
        trades: list[Trade] = []
        self._match(order_id, side, None, qty, trades)
        return trades

    def cancel(self, order_id: int) -> bool:
        order = self.orders.pop(order_id, None)
        if order is None:
            return False
        queues = self.queues[order.side]
        queue = queues[order.price]
        queue.remove(order)
        if not queue:
            del queues[order.price]
            heap = self.heaps[order.side]
            heap.remove(-order.price if order.side == 0 else order.price)
            heapq.heapify(heap)
        self.free.append(order)
        return True

    def _match(
        self, order_id: int, side: str, price: int | None, qty: int, trades: list[Trade]
    ) -> int:
        other = 1 if side == "B" else 0
        queues, heap = self.queues[other], self.heaps[other]
        while qty and heap:
            best = heap[0] if other else -heap[0]
            if price is not None and (best > price if other else best < price):
                break
            queue = queues[best]
            maker = queue[0]
            fill = qty if qty < maker.remaining else maker.remaining
            trades.append((order_id, maker.order_id, best, fill))
            maker.remaining -= fill
            qty -= fill
            if not maker.remaining:
                queue.popleft()
                del self.orders[maker.order_id]
                self.free.append(maker)
                if not queue:
                    del queues[best]
                    heapq.heappop(heap)
        return qty
