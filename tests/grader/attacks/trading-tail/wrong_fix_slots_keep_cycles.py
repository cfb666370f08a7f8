"""Wrong fix — __slots__ everywhere, the back-references kept, no housekeeping.

Tries: smaller objects are the usual advice: Order, Event, Level and Trade get __slots__,
and the periodic gc.collect() goes. Each order still points at its book, level, fills and
audit trail, and they point back.
Must not pass because: a slotted object in a cycle is still in a cycle: every filled or
cancelled order is garbage only the cycle collector can free.
Expect: fail on cyclic_garbage
Says: objects in reference cycles
"""

from __future__ import annotations

HOUSEKEEPING = 1_000  # orders between two gc.collect() calls


class Order:
    """A resting or incoming order, with everything the desk might want to look at later."""

    __slots__ = (
        "book",
        "fills",
        "history",
        "level",
        "order_id",
        "price",
        "qty",
        "remaining",
        "side",
    )

    def __init__(
        self, book: OrderBook, order_id: int, side: str, price: int | None, qty: int
    ) -> None:
        self.book = book
        self.order_id = order_id
        self.side = side
        self.price = price
        self.qty = qty
        self.remaining = qty
        self.level: Level | None = None
        self.fills: list[Trade] = []
        self.history = [Event(self, "new", qty, price)]


class Event:
    """One line of an order's audit trail."""

    __slots__ = ("kind", "order", "price", "qty")

    def __init__(self, order: Order, kind: str, qty: int, price: int | None) -> None:
        self.order = order
        self.kind = kind
        self.qty = qty
        self.price = price


class Level:
    """Every order resting at one price, oldest first."""

    __slots__ = ("orders", "price", "side")

    def __init__(self, side: str, price: int) -> None:
        self.side = side
        self.price = price
        self.orders: list[Order] = []


class Trade:
    """One fill between the incoming order and a resting one; both orders keep it."""

    __slots__ = ("maker", "price", "qty", "taker")

    def __init__(self, taker: Order, maker: Order, price: int, qty: int) -> None:
        self.taker = taker
        self.maker = maker
        self.price = price
        self.qty = qty
        taker.fills.append(self)
        maker.fills.append(self)
        taker.history.append(Event(taker, "fill", qty, price))
        maker.history.append(Event(maker, "fill", qty, price))

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.taker.order_id, self.maker.order_id, self.price, self.qty)


class OrderBook:
    """Limit orders rest at their price until filled or cancelled; an incoming order trades
    with the best price first and, at one price, with the oldest order first."""

    def __init__(self) -> None:
        self.levels: dict[str, dict[int, Level]] = {"B": {}, "S": {}}
        self.orders: dict[int, Order] = {}
        self.seen = 0

    def _housekeeping(self) -> None:
        self.seen += 1

    def limit(
        self, order_id: int, side: str, price: int, qty: int
    ) -> list[tuple[int, int, int, int]]:
        """A limit order: trades what crosses, rests the rest. (taker, maker, price, qty)."""
        self._housekeeping()
        order = Order(self, order_id, side, price, qty)
        trades = self._match(order)
        if order.remaining:
            self._rest(order)
        return [t.as_tuple() for t in trades]

    def market(self, order_id: int, side: str, qty: int) -> list[tuple[int, int, int, int]]:
        """A market order: trades at any price; what finds no match is dropped."""
        self._housekeeping()
        order = Order(self, order_id, side, None, qty)
        return [t.as_tuple() for t in self._match(order)]

    def cancel(self, order_id: int) -> bool:
        """Take a resting order off the book; False if it is not resting (filled, unknown)."""
        self._housekeeping()
        order = self.orders.pop(order_id, None)
        if order is None:
            return False
        level = order.level
        level.orders.remove(order)
        if not level.orders:
            del self.levels[order.side][level.price]
        order.history.append(Event(order, "cancel", order.remaining, order.price))
        return True

    def _match(self, order: Order) -> list[Trade]:
        trades = []
        other = self.levels["S" if order.side == "B" else "B"]
        while order.remaining:
            prices = sorted(other, reverse=order.side == "S")
            if not prices:
                break
            best = prices[0]
            if order.price is not None and (
                best > order.price if order.side == "B" else best < order.price
            ):
                break
            level = other[best]
            for maker in list(level.orders):
                if not order.remaining:
                    break
                qty = min(order.remaining, maker.remaining)
                trades.append(Trade(order, maker, best, qty))
                order.remaining -= qty
                maker.remaining -= qty
                if not maker.remaining:
                    level.orders.remove(maker)
                    del self.orders[maker.order_id]
            if not level.orders:
                del other[best]
        return trades

    def _rest(self, order: Order) -> None:
        levels = self.levels[order.side]
        level = levels.get(order.price)
        if level is None:
            level = levels[order.price] = Level(order.side, order.price)
        level.orders.append(order)
        order.level = level
        self.orders[order.order_id] = order
