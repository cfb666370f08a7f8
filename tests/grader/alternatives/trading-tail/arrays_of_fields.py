"""Correct alternative — no order objects at all: parallel arrays of fields, slots by index.

Tries: an order is a slot number; its id and remaining quantity live in two array('q')
columns, and a price queue is a deque of slot numbers (plain ints). A cancel zeroes the
slot's quantity; the slot goes back to the free list only when its queue drops it, so a
slot is never reused while a queue still holds it. Best prices from heaps.
Must pass because: an int in an array or a deque is not an object the collector tracks,
so an order adds nothing for it to walk or promote, and nothing can form a cycle.
Expect: pass
"""

from __future__ import annotations

import heapq
from array import array
from collections import deque

Trade = tuple[int, int, int, int]


class OrderBook:
    def __init__(self) -> None:
        self.ids = array("q")
        self.left = array("q")
        self.free: list[int] = []
        self.queues: tuple[dict[int, deque[int]], dict[int, deque[int]]] = ({}, {})
        self.heaps: tuple[list[int], list[int]] = ([], [])
        self.slots: dict[int, int] = {}  # resting order id -> slot

    def _slot(self, order_id: int, qty: int) -> int:
        if self.free:
            slot = self.free.pop()
            self.ids[slot] = order_id
            self.left[slot] = qty
            return slot
        self.ids.append(order_id)
        self.left.append(qty)
        return len(self.ids) - 1

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
            slot = self._slot(order_id, qty)
            queue.append(slot)
            self.slots[order_id] = slot
        return trades

    def market(self, order_id: int, side: str, qty: int) -> list[Trade]:
        trades: list[Trade] = []
        self._match(order_id, side, None, qty, trades)
        return trades

    def cancel(self, order_id: int) -> bool:
        slot = self.slots.pop(order_id, None)
        if slot is None:
            return False
        self.left[slot] = 0  # freed when its queue drops it
        return True

    def _match(
        self, order_id: int, side: str, price: int | None, qty: int, trades: list[Trade]
    ) -> int:
        other = 1 if side == "B" else 0
        queues, heap, left = self.queues[other], self.heaps[other], self.left
        while qty and heap:
            best = heap[0] if other else -heap[0]
            queue = queues[best]
            while queue and not left[queue[0]]:
                self.free.append(queue.popleft())
            if not queue:
                heapq.heappop(heap)
                del queues[best]
                continue
            if price is not None and (best > price if other else best < price):
                break
            slot = queue[0]
            fill = qty if qty < left[slot] else left[slot]
            trades.append((order_id, self.ids[slot], best, fill))
            left[slot] -= fill
            qty -= fill
            if not left[slot]:
                self.free.append(queue.popleft())
                del self.slots[self.ids[slot]]
        return qty
