"""Runs beside the learner's orders.py: hands it clients of the grader's database, broker
and services, and calls create_order, relay and the three consumers when the grader says.

Everything the learner's code talks to lives in the grader: the orders database and the
consumers' database (sqlite3-style RemoteConnections), the broker and the three services.
Each call is a round trip the grader counts and charges in simulated milliseconds; this
file only wraps them in the small clients the brief describes. It knows nothing of what
the answers should be.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from perfcoach.driverkit import Remote

CONSUMERS = {
    "payment": "charge_payment",
    "inventory": "reserve_stock",
    "notification": "send_confirmation",
}


class Broker:
    """The message broker: publish(key, event) appends event to the partition of key."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Remote) -> None:
        self._remote = remote

    def publish(self, key: str, event: dict[str, Any]) -> None:
        """Publish one event (a dict of plain data); returns once the broker has it."""
        self._remote.call("publish", key, event)

    def __repr__(self) -> str:
        return "<Broker: at least once, partitioned by key>"


class Payment:
    """The payment provider (30 ms a call)."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Remote) -> None:
        self._remote = remote

    def charge(self, order_id: str, amount_cents: int) -> None:
        """Charge the order's total to the customer's card."""
        self._remote.call("charge", order_id, amount_cents)


class Inventory:
    """The inventory service (20 ms a call)."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Remote) -> None:
        self._remote = remote

    def reserve(self, order_id: str, lines: list[Any]) -> None:
        """Take the order's lines ([sku, qty] pairs) out of stock."""
        self._remote.call("reserve", order_id, [list(line) for line in lines])


class Notifier:
    """The e-mail service (15 ms a call; it fails now and then)."""

    __slots__ = ("_remote",)

    def __init__(self, remote: Remote) -> None:
        self._remote = remote

    def send(self, order_id: str, to: str) -> None:
        """Send the order confirmation; raises when the mail service fails."""
        self._remote.call("send", order_id, to)


class Services:
    """services.payment, services.inventory and services.notifier."""

    __slots__ = ("inventory", "notifier", "payment")

    def __init__(self, remote: Remote) -> None:
        self.payment = Payment(remote)
        self.inventory = Inventory(remote)
        self.notifier = Notifier(remote)

    def __repr__(self) -> str:
        return "<Services: payment, inventory, notifier>"


def setup(module: ModuleType, db: Any, consumer_db: Any) -> None:
    """A process starts: the learner's setup() creates its tables (if they do not exist)."""
    module.setup(db, consumer_db)


def request(module: ModuleType, db: Any, broker: Remote, services: Remote, order: Any) -> Any:
    """One order request: None if create_order returned, else what it raised."""
    try:
        module.create_order(db, Broker(broker), Services(services), order)
    except Exception as exc:  # the request failed: the grader is told why
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def relay(module: ModuleType, db: Any, broker: Remote) -> Any:
    """One pass of the relay."""
    try:
        module.relay(db, Broker(broker))
    except Exception as exc:  # reported, not fatal: a relay is retried
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def consume(
    module: ModuleType, group: str, consumer_db: Any, services: Remote, events: list[Any]
) -> list[Any]:
    """Deliver a batch to one consumer: None per event it handled, or what it raised (the
    broker delivers that event again later)."""
    handler = getattr(module, CONSUMERS[group])
    client = Services(services)
    out: list[Any] = []
    for event in events:
        try:
            handler(event, consumer_db, client)
        except Exception as exc:  # a failed delivery: not acknowledged
            out.append(f"{type(exc).__name__}: {exc}"[:300])
        else:
            out.append(None)
    return out


def day(
    module: ModuleType, db: Any, consumer_db: Any, broker: Remote, services: Remote, orders: Any
) -> int:
    """For `lab profile`: setup, every request, then one relay pass. Returns how many
    requests failed."""
    module.setup(db, consumer_db)
    failed = sum(request(module, db, broker, services, order) is not None for order in orders)
    relay(module, db, broker)
    return failed
