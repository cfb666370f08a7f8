"""An in-memory limit order book: price-time priority, limit and market orders, cancels.

The reference fix. Nothing points back: the book holds its orders, an order holds two
ints. A price level is a deque of orders, the best price the top of a heap, and a cancel
only zeroes the order's quantity (it is dropped when it reaches the front of its queue).
Trades are tuples of ints, which the collector stops tracking. No order, fill or cancel
leaves anything in a reference cycle, so nothing is left for the collector to find, and
the periodic gc.collect() has nothing to do: it is gone.
"""

from __future__ import annotations

import heapq
from collections import deque

Trade = tuple[int, int, int, int]  # taker id, maker id, price, quantity


class Order:
    """A resting order: its id and what is left of it. No link to its level or book."""

    __slots__ = ("order_id", "remaining")

    def __init__(self, order_id: int, remaining: int) -> None:
        self.order_id = order_id
        self.remaining = remaining


class OrderBook:
    """Limit orders rest at their price until filled or cancelled; an incoming order trades
    with the best price first and, at one price, with the oldest order first."""

    def __init__(self) -> None:
        self.queues: tuple[dict[int, deque[Order]], dict[int, deque[Order]]] = ({}, {})
        self.heaps: tuple[list[int], list[int]] = ([], [])  # bids as -price, asks as price
        self.orders: dict[int, Order] = {}

    def limit(self, order_id: int, side: str, price: int, qty: int) -> list[Trade]:
        """A limit order: trades what crosses, rests the rest. (taker, maker, price, qty)."""
        trades: list[Trade] = []
        qty = self._match(order_id, side, price, qty, trades)
        if qty:
            own = 0 if side == "B" else 1
            queues = self.queues[own]
            queue = queues.get(price)
            if queue is None:
                queue = queues[price] = deque()
                heapq.heappush(self.heaps[own], -price if own == 0 else price)
            order = Order(order_id, qty)
            queue.append(order)
            self.orders[order_id] = order
        return trades

    def market(self, order_id: int, side: str, qty: int) -> list[Trade]:
        """A market order: trades at any price; what finds no match is dropped."""
        trades: list[Trade] = []
        self._match(order_id, side, None, qty, trades)
        return trades

    def cancel(self, order_id: int) -> bool:
        """Take a resting order off the book; False if it is not resting (filled, unknown)."""
        order = self.orders.pop(order_id, None)
        if order is None:
            return False
        order.remaining = 0  # dropped when it reaches the front of its queue
        return True

    def _match(
        self, order_id: int, side: str, price: int | None, qty: int, trades: list[Trade]
    ) -> int:
        """Trade qty against the other side, best price first; what is left of qty."""
        other = 1 if side == "B" else 0
        queues, heap = self.queues[other], self.heaps[other]
        while qty and heap:
            best = heap[0] if other else -heap[0]
            queue = queues[best]
            while queue and not queue[0].remaining:
                queue.popleft()
            if not queue:
                heapq.heappop(heap)
                del queues[best]
                continue
            if price is not None and (best > price if other else best < price):
                break
            maker = queue[0]
            fill = qty if qty < maker.remaining else maker.remaining
            trades.append((order_id, maker.order_id, best, fill))
            maker.remaining -= fill
            qty -= fill
            if not maker.remaining:
                queue.popleft()
                del self.orders[maker.order_id]
        return qty
