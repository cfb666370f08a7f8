"""Correct alternative — keep the OO design, but every back-pointer is a weak reference.

Tries: an Order still knows its Level (for an O(level) cancel), through weakref.ref, and
the Level holds its orders in a list. The best price comes from a sorted list of prices
kept with bisect (insort when a level opens, removal when it empties), not from sorting
the book. No Trade objects, no audit trail, no periodic gc.collect(); trades are tuples.
Must pass because: a weak reference is not a strong edge, so no order, level or trade
is ever in a reference cycle and nothing is left for the collector; no full collection
runs in 10k orders, and an order allocates a few small objects.
Expect: pass
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, insort

Trade = tuple[int, int, int, int]


class Level:
    __slots__ = ("__weakref__", "orders", "price")

    def __init__(self, price: int) -> None:
        self.price = price
        self.orders: list[Order] = []


class Order:
    __slots__ = ("level", "order_id", "remaining", "side")

    def __init__(self, order_id: int, side: str, remaining: int, level: Level) -> None:
        self.order_id = order_id
        self.side = side
        self.remaining = remaining
        self.level = weakref.ref(level)


class OrderBook:
    def __init__(self) -> None:
        self.levels: dict[str, dict[int, Level]] = {"B": {}, "S": {}}
        self.prices: dict[str, list[int]] = {"B": [], "S": []}  # ascending
        self.orders: dict[int, Order] = {}

    def limit(self, order_id: int, side: str, price: int, qty: int) -> list[Trade]:
        trades: list[Trade] = []
        qty = self._match(order_id, side, price, qty, trades)
        if qty:
            levels = self.levels[side]
            level = levels.get(price)
            if level is None:
                level = levels[price] = Level(price)
                insort(self.prices[side], price)
            order = Order(order_id, side, qty, level)
            level.orders.append(order)
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
        level = order.level()
        if level is not None:
            level.orders.remove(order)
            if not level.orders:
                self._close(order.side, level.price)
        return True

    def _close(self, side: str, price: int) -> None:
        del self.levels[side][price]
        prices = self.prices[side]
        del prices[bisect_left(prices, price)]

    def _match(
        self, order_id: int, side: str, price: int | None, qty: int, trades: list[Trade]
    ) -> int:
        other = "S" if side == "B" else "B"
        prices = self.prices[other]
        while qty and prices:
            best = prices[0] if other == "S" else prices[-1]
            if price is not None and (best > price if other == "S" else best < price):
                break
            level = self.levels[other][best]
            while qty and level.orders:
                maker = level.orders[0]
                fill = min(qty, maker.remaining)
                trades.append((order_id, maker.order_id, best, fill))
                maker.remaining -= fill
                qty -= fill
                if not maker.remaining:
                    del level.orders[0]
                    del self.orders[maker.order_id]
            if not level.orders:
                self._close(other, best)
        return qty
