"""Slots, no back-references, heaps of prices, tuples of ints for trades."""

from __future__ import annotations
import heapq
from collections import deque


class Order:
    __slots__ = ("order_id", "remaining")

    def __init__(self, order_id: int, remaining: int) -> None:
        self.order_id = order_id
        self.remaining = remaining


class OrderBook:
    def __init__(self) -> None:
        self.queues = ({}, {})  # bids, asks: price -> deque[Order]
        self.heaps = ([], [])
        self.orders: dict[int, Order] = {}

    def limit(self, order_id, side, price, qty):
        trades = []
        qty = self._match(order_id, side, price, qty, trades)
        if qty:
            s = 0 if side == "B" else 1
            queues = self.queues[s]
            queue = queues.get(price)
            if queue is None:
                queue = queues[price] = deque()
                heapq.heappush(self.heaps[s], -price if s == 0 else price)
            order = Order(order_id, qty)
            queue.append(order)
            self.orders[order_id] = order
        return trades

    def market(self, order_id, side, qty):
        trades = []
        self._match(order_id, side, None, qty, trades)
        return trades

    def cancel(self, order_id):
        order = self.orders.pop(order_id, None)
        if order is None:
            return False
        order.remaining = 0
        return True

    def _match(self, order_id, side, price, qty, trades):
        s = 1 if side == "B" else 0
        queues, heap = self.queues[s], self.heaps[s]
        while qty and heap:
            best = heap[0] if s == 1 else -heap[0]
            queue = queues[best]
            while queue and not queue[0].remaining:
                queue.popleft()
            if not queue:
                heapq.heappop(heap)
                del queues[best]
                continue
            if price is not None and (best > price if s == 1 else best < price):
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
