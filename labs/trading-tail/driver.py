"""Runs beside the learner's orderbook.py: opens books and feeds them the orders it is sent.

The order stream is made in the grader from the seed and arrives here as plain tuples:
("L", order_id, side, price, qty) a limit order, ("M", order_id, side, qty) a market order,
("C", order_id) a cancel. Trades go back as one flat array of int64 (taker, maker, price,
qty, ...): the array is not an object the garbage collector tracks, so collecting them adds
nothing to the collector's counts. The grader compares them with its reference.
"""

from __future__ import annotations

from array import array
from types import ModuleType
from typing import Any

from perfcoach.driverkit import Keep


def open_book(module: ModuleType, warmup: list[tuple[Any, ...]]) -> Keep:
    """A new OrderBook, warmed up with the morning's orders (not measured), kept here."""
    book = module.OrderBook()
    _feed(book, warmup, array("q"))
    return Keep(book)


def stream(module: ModuleType, book: Any, orders: list[tuple[Any, ...]]) -> bytes:
    """Every order, in order, on a kept book: the trades, flattened."""
    out = array("q")
    _feed(book, orders, out)
    return out.tobytes()


def one(module: ModuleType, book: Any, order: tuple[Any, ...]) -> bytes:
    """One order on a kept book: the grader measures this call's memory."""
    out = array("q")
    _feed(book, [order], out)
    return out.tobytes()


def idle(module: ModuleType, book: Any, order: tuple[Any, ...]) -> bytes:
    """What one() does around the order, without the order: what the harness and this
    driver allocate for a call, for the grader to take off each order's figure."""
    out = array("q")
    _feed(book, [], out)
    return out.tobytes()


def replay(module: ModuleType, warmup: list[tuple[Any, ...]], orders: list[tuple[Any, ...]]) -> int:
    """A book warmed up, then the stream: what `lab profile` runs. The number of trades."""
    book = module.OrderBook()
    _feed(book, warmup, array("q"))
    out = array("q")
    _feed(book, orders, out)
    return len(out) // 4


def _feed(book: Any, orders: list[tuple[Any, ...]], out: array[int]) -> None:
    """Each order through the book's own method; each trade's four ints appended to out."""
    limit, market, cancel, extend = book.limit, book.market, book.cancel, out.extend
    for order in orders:
        kind = order[0]
        if kind == "L":
            for trade in limit(order[1], order[2], order[3], order[4]):
                extend(trade)
        elif kind == "M":
            for trade in market(order[1], order[2], order[3]):
                extend(trade)
        else:
            cancel(order[1])
