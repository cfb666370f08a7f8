"""Grader for event-driven: the orders' side effects counted by fakes that live here.

Everything the learner's code touches is served from this process: the orders database
and the consumers' database (SqliteService, every statement a round trip), the broker and
the three services (payment, inventory, notifier). Each call is charged in simulated
milliseconds while a request is being served (1 ms a database round trip, 2 ms a
publish, 30 / 20 / 15 ms a charge / reservation / e-mail); nothing sleeps.

The bench plays one day of orders through the learner's code, in three processes (the
starter, which keeps nothing in memory, restarts in place):

* requests: create_order(db, broker, services, order), one call per order. About one in
  eight orders names a product withdrawn from sale: the database refuses it at COMMIT
  (a deferred foreign key), so it must leave no trace. Two more orders meet a COMMIT
  that fails for no reason the code could have checked first (a disk error, injected
  here: the transaction is rolled back); a retried transaction commits. During a short
  outage the mail service refuses every call, and outside it 5 % of its calls fail.
* crashes: twice, the process is killed right after an order's COMMIT: the first call to
  the broker or a service after that commit raises, every later one too, and the process
  is thrown away when the request returns. The next process runs setup() and relay().
* relay(db, broker) after every few requests and after a restart; then the broker
  delivers what it holds to the three consumers (charge_payment, reserve_stock,
  send_confirmation), at least once: partitions interleaved at random, some events twice
  in a batch, some acks lost (redelivered later), every event a consumer raised on
  delivered again, and after a restart the last batch delivered again (its offsets were
  never committed).

At the end every side effect is counted per order, here: each committed order must be
charged its total, have its lines reserved and its confirmation sent exactly once, and
an order the database refused must have none. Same code and seed, same counts.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import uuid
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfcoach.labkit import (
    Grade,
    Handle,
    LabBug,
    LabContext,
    Measured,
    Refusal,
    SqliteService,
    Subject,
    Workload,
    WrongAnswer,
)
from perfcoach.runner.sqlservice import no_attach

COST_MS = {"db": 1.0, "publish": 2.0, "charge": 30.0, "reserve": 20.0, "send": 15.0}
N_ORDERS = (40, 48)
INVALID_SHARE = 0.12
OUTAGE_ORDERS = 3  # consecutive valid orders during which the mail service is down
COMMIT_FAULTS = 2  # valid orders whose first COMMIT fails (rolled back)
FLAKY = 0.05  # share of mail calls that fail outside the outage
CRASHES = 2
RELAY_EVERY = (4, 7)  # requests between two relay passes (and deliveries)
PARTITIONS = 4
DUPLICATE = 0.1  # share of events delivered twice in one batch
ACK_LOST = 0.1  # share of handled events whose ack the broker loses
MAX_ROUNDS = 12  # delivery rounds at the end before an event counts as never handled
MAX_EVENT_BYTES = 4096
EFFECTS = ("charge", "reserve", "send")
EFFECT_NAMES = {"charge": "charge", "reserve": "stock reservation", "send": "confirmation e-mail"}
GROUPS = ("payment", "inventory", "notification")
DISK = (
    "OperationalError: disk I/O error: the COMMIT failed and the transaction was rolled "
    "back (the bench injected it: a commit can always fail)"
)
CRASH = (
    "Crash: the process was killed here, right after the order's COMMIT (the bench "
    "injected it); nothing this process does from now on reaches anyone"
)

SCHEMA = """
CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER NOT NULL);
CREATE TABLE orders (
    id TEXT PRIMARY KEY, email TEXT NOT NULL,
    total_cents INTEGER NOT NULL CHECK (total_cents > 0)
);
CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id),
    sku TEXT NOT NULL REFERENCES products (sku) DEFERRABLE INITIALLY DEFERRED,
    qty INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (order_id, sku)
);
"""
ENDS = re.compile(r"\s*(COMMIT|END)\b", re.IGNORECASE)
COMMITS = re.compile(r"(?:^|;)\s*(?:COMMIT|END)\b", re.IGNORECASE)
GUARDED_PRAGMAS = {
    "foreign_keys",
    "defer_foreign_keys",
    "ignore_check_constraints",
    "writable_schema",
    "query_only",
}
NAMES = ("ada", "ben", "chen", "dara", "elif", "femi", "gus", "hana", "ivo", "jun", "kai")
THINGS = ("mug", "lamp", "tray", "stool", "vase", "shelf", "clock", "bowl", "rug", "desk")


@dataclass(frozen=True)
class Order:
    """One order request, as create_order receives it (wire() is that dict)."""

    id: str
    email: str
    lines: tuple[tuple[str, int], ...]
    total_cents: int
    valid: bool

    def wire(self) -> dict[str, Any]:
        """The dict create_order gets."""
        return {
            "id": self.id,
            "email": self.email,
            "lines": [[sku, qty] for sku, qty in self.lines],
            "total_cents": self.total_cents,
        }


@dataclass(frozen=True)
class Day:
    """The products, the orders in arrival order, and where the faults fall."""

    products: dict[str, int]
    withdrawn: list[str]
    orders: list[Order]
    outage: frozenset[int]  # order positions during which the mail service is down
    crashes: tuple[int, ...]  # order positions after whose commit the process dies
    commit_faults: frozenset[int]  # order positions whose first COMMIT fails
    relay_after: frozenset[int]  # order positions after which the relay runs


def make_day(rng: random.Random) -> Day:
    """A catalogue, orders with 1-3 lines (some naming withdrawn products), and faults."""
    skus = [f"{rng.choice(THINGS)}-{n:04d}" for n in rng.sample(range(10_000), 40)]
    products = {sku: rng.randint(199, 9_999) for sku in skus[:32]}
    withdrawn = skus[32:]
    orders = []
    for _ in range(rng.randint(*N_ORDERS)):
        valid = rng.random() >= INVALID_SHARE
        chosen = rng.sample(list(products), rng.randint(1, 3))
        lines = [(sku, rng.randint(1, 4)) for sku in chosen]
        if not valid:
            lines[rng.randrange(len(lines))] = (rng.choice(withdrawn), rng.randint(1, 4))
        total = sum(products.get(sku, 500) * qty for sku, qty in lines)
        orders.append(
            Order(
                f"ord-{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}",
                f"{rng.choice(NAMES)}.{rng.getrandbits(24):06x}@example.com",
                tuple(lines),
                total,
                valid,
            )
        )
    n = len(orders)
    valid_at = [i for i, o in enumerate(orders) if o.valid]
    # The outage falls in the first third, a crash in each of the two others.
    start = rng.choice(valid_at[2 : len(valid_at) // 3])
    outage = frozenset(i for i in valid_at if start <= i)
    outage = frozenset(sorted(outage)[:OUTAGE_ORDERS])
    crashes = []
    for third in (1, 2)[:CRASHES]:
        low, high = n * third // 3, n * (third + 1) // 3 - 1
        crashes.append(rng.choice([i for i in valid_at if low <= i <= high and i not in outage]))
    others = [i for i in valid_at if i not in outage and i not in crashes]
    faults = frozenset(rng.sample(others, COMMIT_FAULTS))
    relay_after = set()
    at = -1
    while at < n:
        at += rng.randint(*RELAY_EVERY)
        relay_after.add(at)
    return Day(products, withdrawn, orders, outage, tuple(crashes), faults, frozenset(relay_after))


@dataclass
class Message:
    """One published event, as the broker holds it."""

    seq: int
    partition: int
    key: str
    event: Any


@dataclass
class World:
    """One side's universe: its databases, broker log, and what its services saw."""

    day: Day
    seed: int
    effects: dict[str, Counter[str]] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)  # wrong arguments to a service
    messages: list[Message] = field(default_factory=list)
    acked: dict[str, set[int]] = field(default_factory=dict)
    last_batch: dict[str, list[int]] = field(default_factory=dict)
    phase: str = "setup"
    position: int = -1  # the order being requested
    cost_ms: float = 0.0
    costs: list[float] = field(default_factory=list)
    mail_fault: bool = False
    crash_armed: bool = False
    committed: Callable[[], bool] = lambda: False  # is the order being requested committed?
    crash_fired: bool = False
    sends: Counter[str] = field(default_factory=Counter)
    fault_armed: bool = False  # the request's next COMMIT fails

    def __post_init__(self) -> None:
        self.effects = {kind: Counter() for kind in EFFECTS}
        self.acked = {group: set() for group in GROUPS}
        self.last_batch = {group: [] for group in GROUPS}

    def enter(self, proc: Proc, kind: str) -> None:
        """Every call from a subject: refused when its process is dead, crashed when it is
        the first call outside the database after a crash-armed commit, charged on the
        request path."""
        if not proc.alive:
            raise Refusal(CRASH)
        if kind == "db" and self.phase == "consume":
            raise Refusal(
                "OperationalError: the consumers are other services, with their own database "
                "(the db they are given): they cannot read or write the orders database"
            )
        if kind != "db" and self.phase == "request" and self.crash_armed and self.committed():
            proc.alive = False
            self.crash_fired = True
            raise Refusal(CRASH)
        if self.phase == "request":
            self.cost_ms += COST_MS[kind]

    def begin_request(self, position: int, crash: bool) -> None:
        """Order number position is being requested."""
        self.phase, self.position = "request", position
        self.cost_ms, self.mail_fault = 0.0, False
        self.crash_armed, self.crash_fired = crash, False
        self.fault_armed = position in self.day.commit_faults

    def end_request(self) -> None:
        """The request returned: its cost is kept."""
        self.costs.append(self.cost_ms)
        self.phase = "between"

    def effect(self, kind: str, order_id: Any, problem: str | None) -> None:
        """A side effect the service applied, and anything wrong with its arguments."""
        if not isinstance(order_id, str):
            raise Refusal(f"TypeError: order_id must be a str, not {type(order_id).__name__}")
        self.effects[kind][order_id] += 1
        if problem and len(self.wrong) < 5:
            self.wrong.append(problem)


class Proc:
    """One subject process's lifetime: every port it was given dies with it."""

    def __init__(self) -> None:
        self.alive = True


class OrdersDb(SqliteService):
    """The orders database as one process sees it: counted, charged, killed in a crash."""

    def __init__(self, conn: sqlite3.Connection, world: World | None, proc: Proc) -> None:
        super().__init__(conn)
        conn.set_authorizer(guarded)  # after SqliteService's own, which it extends
        self.world = world
        self.proc = proc

    def _run(self, step: Any) -> Any:
        if self.world is not None:
            self.world.enter(self.proc, "db")
        elif not self.proc.alive:
            raise Refusal(CRASH)
        return super()._run(step)

    def _fail_commit(self) -> bool:
        """Whether this COMMIT is the one the bench fails (once per armed request)."""
        world = self.world
        if world is None or world.phase != "request" or not world.fault_armed:
            return False
        world.fault_armed = False
        world.enter(self.proc, "db")
        self.conn.rollback()
        return True

    def commit(self) -> None:
        """Commit, unless this is the COMMIT the bench fails."""
        if self._fail_commit():
            raise Refusal(DISK)
        super().commit()

    def execute(self, sql: Any, parameters: Any = ()) -> Any:
        """A statement; a COMMIT (or END) sent as one is failed like commit()."""
        if isinstance(sql, str) and ENDS.match(sql) and self._fail_commit():
            raise Refusal(DISK)
        return super().execute(sql, parameters)

    def executescript(self, script: Any) -> Any:
        """A script; one that commits is failed like commit() (before it runs at all)."""
        if isinstance(script, str) and COMMITS.search(script) and self._fail_commit():
            raise Refusal(DISK)
        return super().executescript(script)


class BrokerPort:
    """The broker, for one process."""

    def __init__(self, world: World, proc: Proc) -> None:
        self._world = world
        self._proc = proc

    def publish(self, key: Any, event: Any) -> None:
        """Append event to key's partition."""
        world = self._world
        world.enter(self._proc, "publish")
        if not isinstance(key, str) or not key or len(key) > 200:
            raise Refusal("TypeError: the key must be a non-empty str of at most 200 chars")
        try:
            size = len(json.dumps(event))
        except (TypeError, ValueError):
            raise Refusal("TypeError: an event must be plain JSON data (a dict)") from None
        if not isinstance(event, dict) or size > MAX_EVENT_BYTES:
            raise Refusal(f"ValueError: an event is a dict of at most {MAX_EVENT_BYTES} bytes")
        partition = zlib.crc32(key.encode()) % PARTITIONS
        world.messages.append(Message(len(world.messages), partition, key, event))


class ServicesPort:
    """Payment, inventory and the mail service, for one process."""

    def __init__(self, world: World, proc: Proc) -> None:
        self._world = world
        self._proc = proc
        self._orders = {o.id: o for o in world.day.orders}

    def charge(self, order_id: Any, amount_cents: Any) -> None:
        """Charge an order's total."""
        self._world.enter(self._proc, "charge")
        order = self._orders.get(order_id)
        problem = None
        if order is not None and amount_cents != order.total_cents:
            problem = f"order {order_id} charged {amount_cents!r}, its total is {order.total_cents}"
        self._world.effect("charge", order_id, problem)

    def reserve(self, order_id: Any, lines: Any) -> None:
        """Reserve an order's lines."""
        self._world.enter(self._proc, "reserve")
        order = self._orders.get(order_id)
        problem = None
        if order is not None:
            try:
                got = sorted((str(sku), int(qty)) for sku, qty in lines)
            except (TypeError, ValueError):
                got = None
            if got != sorted(order.lines):
                problem = (
                    f"order {order_id}: stock reserved for {lines!r}, its lines are "
                    f"{[list(line) for line in order.lines]!r}"
                )
        self._world.effect("reserve", order_id, problem)

    def send(self, order_id: Any, to: Any) -> None:
        """Send an order's confirmation: fails during the outage, and 5 % of the time."""
        world = self._world
        world.enter(self._proc, "send")
        attempt = world.sends[str(order_id)]
        world.sends[str(order_id)] += 1
        down = world.phase == "request" and world.position in world.day.outage
        flaky = random.Random(f"{world.seed}:mail:{order_id}:{attempt}").random() < FLAKY
        if down or flaky:
            if world.phase == "request":
                world.mail_fault = True
            why = "it is down (an outage)" if down else "a transient fault"
            raise Refusal(f"MailError: the mail service did not send the confirmation: {why}")
        order = self._orders.get(order_id)
        problem = None
        if order is not None and to != order.email:
            problem = f"order {order_id}: confirmation sent to {to!r}, not {order.email!r}"
        world.effect("send", order_id, problem)


@dataclass
class Outcome:
    """What one side's run of the day gave."""

    world: World
    refused: list[str]  # valid orders refused for another reason than the mail or a crash
    acknowledged_missing: list[str]  # create_order returned, the order is not committed
    invalid_committed: list[str]
    failed_by_mail: int
    committed: set[str]
    relay_errors: list[str]
    consumer_errors: list[str]


def open_db(path: Path, schema: str) -> None:
    """A fresh database file in WAL mode (the bench reads while the subject writes)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(schema)
    conn.commit()
    conn.close()


def guarded(action: int, arg1: Any, arg2: Any, db: Any, source: Any) -> int:
    """No ATTACH, and no turning off the constraints that refuse a bad order."""
    if action == sqlite3.SQLITE_PRAGMA and arg1 in GUARDED_PRAGMAS and arg2 is not None:
        return sqlite3.SQLITE_DENY
    return no_attach(action, arg1, arg2, db, source)


def connect(path: Path) -> sqlite3.Connection:
    """A connection for one process, with the constraints on."""
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 2000")
    return conn


def committed_orders(path: Path) -> dict[str, list[tuple[str, int]]]:
    """The orders and their lines as committed, read on a connection of the bench's own."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out: dict[str, list[tuple[str, int]]] = {
            row[0]: [] for row in conn.execute("SELECT id FROM orders")
        }
        for order_id, sku, qty in conn.execute("SELECT order_id, sku, qty FROM order_lines"):
            out.setdefault(order_id, []).append((sku, qty))
        return out
    finally:
        conn.close()


class Run:
    """One side's day: its processes, databases and the world the fakes report to."""

    def __init__(self, ctx: LabContext, day: Day, processes: list[Subject], tag: str) -> None:
        self.ctx = ctx
        self.day = day
        self.processes = processes
        self.world = World(day, ctx.seed)
        self.path = ctx.workdir / f"orders-{tag}.db"
        self.consumer_path = ctx.workdir / f"consumers-{tag}.db"
        catalogue = "".join(
            f"INSERT INTO products VALUES ('{sku}', '{sku}', {price});\n"
            for sku, price in day.products.items()
        )
        open_db(self.path, SCHEMA + catalogue)
        open_db(self.consumer_path, "")
        self.rng = random.Random(f"{ctx.seed}:broker")
        self.consumer_db: OrdersDb | None = None
        self.relay_errors: list[str] = []
        self.consumer_errors: Counter[str] = Counter()
        self.first_consumer_error: dict[str, str] = {}
        self.world.committed = self.requested_is_committed

    def requested_is_committed(self) -> bool:
        """Whether the order being requested is committed (read on the bench's connection:
        however the learner's code committed, with commit(), COMMIT or a script)."""
        order = self.day.orders[self.world.position]
        return order.id in committed_orders(self.path)

    def boot(self, subject: Subject) -> tuple[Subject, Proc, OrdersDb, dict[str, Handle]]:
        """A process starts: its own ports, setup(), then the relay and the deliveries."""
        proc = Proc()
        db = OrdersDb(connect(self.path), self.world, proc)
        self.consumer_db = OrdersDb(connect(self.consumer_path), None, proc)
        handles = {
            "db": self.ctx.serve(db, "sqlite"),
            "consumer_db": self.ctx.serve(self.consumer_db, "sqlite"),
            "broker": self.ctx.serve(BrokerPort(self.world, proc)),
            "services": self.ctx.serve(ServicesPort(self.world, proc)),
        }
        self.world.phase = "setup"
        subject.run("setup", handles["db"], handles["consumer_db"])
        self.end_session(db)
        return subject, proc, db, handles

    def end_session(self, *dbs: OrdersDb) -> None:
        """What a database server does when a request ends: roll back what is left open."""
        for db in (*dbs, self.consumer_db):
            if db is not None and db.conn.in_transaction:
                db.conn.rollback()

    def relay_and_deliver(self, subject: Subject, db: OrdersDb, h: dict[str, Handle]) -> None:
        """One relay pass, then one delivery round for every consumer."""
        self.world.phase = "relay"
        error = subject.run("relay", h["db"], h["broker"])
        if error is not None and len(self.relay_errors) < 3:
            self.relay_errors.append(str(error))
        self.end_session(db)
        self.deliver(subject, h)

    def deliver(self, subject: Subject, h: dict[str, Handle], redo_last: bool = False) -> bool:
        """One delivery round per consumer group; True if any event is still unacked."""
        world = self.world
        world.phase = "consume"
        rng = self.rng
        left = False
        for group in GROUPS:
            acked = world.acked[group]
            pending = [m for m in world.messages if m.seq not in acked]
            if redo_last:  # offsets of the batch before the crash were never committed
                done = {m.seq for m in pending}
                pending += [world.messages[s] for s in world.last_batch[group] if s not in done]
                pending.sort(key=lambda m: m.seq)
            if not pending:
                continue
            queues: dict[int, list[Message]] = {}
            for message in pending:
                queues.setdefault(message.partition, []).append(message)
            batch: list[Message] = []
            while queues:
                partition = rng.choice(sorted(queues))
                message = queues[partition].pop(0)
                if not queues[partition]:
                    del queues[partition]
                batch.append(message)
                if rng.random() < DUPLICATE:
                    batch.append(message)
            results = subject.run(
                "consume", group, h["consumer_db"], h["services"], [m.event for m in batch]
            )
            self.end_session()
            if not isinstance(results, list) or len(results) != len(batch):
                raise WrongAnswer("the consumer returned no result per event (driver tampered?)")
            world.last_batch[group] = [m.seq for m in batch]
            for message, error in zip(batch, results, strict=True):
                if error is not None and not str(error).startswith("RemoteError: MailError"):
                    self.consumer_errors[group] += 1
                    self.first_consumer_error.setdefault(group, str(error))
                if error is None and rng.random() >= ACK_LOST:
                    acked.add(message.seq)
            left = left or any(m.seq not in acked for m in world.messages)
        world.phase = "between"
        return left

    def play(self) -> Outcome:
        """The whole day: requests, relay passes, deliveries, crashes and restarts."""
        day, world = self.day, self.world
        refused: list[str] = []
        missing: list[str] = []
        invalid: list[str] = []
        failed_by_mail = 0
        processes = iter(self.processes)
        subject, proc, db, h = self.boot(next(processes))
        for position, order in enumerate(day.orders):
            crash = position in day.crashes
            world.begin_request(position, crash)
            error = subject.run("request", h["db"], h["broker"], h["services"], order.wire())
            world.end_request()
            self.end_session(db)
            committed = committed_orders(self.path)
            if not order.valid:
                if order.id in committed:
                    invalid.append(order.id)
            elif error is None:
                if order.id not in committed:
                    missing.append(order.id)
                elif sorted(committed[order.id]) != sorted(order.lines):
                    raise WrongAnswer(
                        f"order {order.id} was committed with lines {committed[order.id]!r}, "
                        f"the request asked for {[list(line) for line in order.lines]!r}"
                    )
            elif world.mail_fault:
                failed_by_mail += 1
            elif not world.crash_fired and position not in day.commit_faults:
                refused.append(f"order {order.id}: {error}")
            if crash:
                proc.alive = False
                fresh = next(processes, None)
                if fresh is not None:  # the starter keeps nothing in memory: it restarts
                    subject.close(grace_s=0)  # in place, without the cost of a new process
                    subject = fresh
                for dead in (db, self.consumer_db):
                    if dead is not None:
                        dead.conn.rollback()
                        dead.conn.close()
                subject, proc, db, h = self.boot(subject)
                self.relay_and_deliver(subject, db, h)
                self.deliver(subject, h, redo_last=True)
            elif position in day.relay_after:
                self.relay_and_deliver(subject, db, h)
        self.relay_and_deliver(subject, db, h)
        for _ in range(MAX_ROUNDS):
            if not self.deliver(subject, h):
                break
        return Outcome(
            world,
            refused,
            missing,
            invalid,
            failed_by_mail,
            set(committed_orders(self.path)),
            self.relay_errors,
            [
                f"your {group} consumer raised on {count} deliveries (besides mail faults); "
                f"the first: {self.first_consumer_error[group]}"
                for group, count in sorted(self.consumer_errors.items())
            ],
        )


@dataclass
class Tally:
    """Side effects against what each order should have had."""

    duplicates: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    phantoms: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @property
    def wrong(self) -> int:
        """(order, effect) pairs not applied exactly once."""
        return len(self.duplicates) + len(self.missing) + len(self.phantoms)


def tally(day: Day, outcome: Outcome) -> Tally:
    """Count each committed order's effects, and every effect of an order that is not."""
    effects = outcome.world.effects
    out = Tally()
    for kind in EFFECTS:
        name = EFFECT_NAMES[kind]
        for order_id, count in sorted(effects[kind].items()):
            if order_id not in outcome.committed:
                out.phantoms.append(f"{name} ×{count} for {order_id}, which was never committed")
        for order_id in sorted(outcome.committed):
            count = effects[kind][order_id]
            if count > 1:
                out.duplicates.append(f"{name} ×{count} for {order_id}")
            elif count == 0:
                out.missing.append(f"no {name} for {order_id}")
    for position in day.crashes:
        order_id = day.orders[position].id
        if order_id in outcome.committed and any(effects[k][order_id] == 0 for k in EFFECTS):
            out.lost.append(order_id)
    return out


def problems(outcome: Outcome) -> str | None:
    """The first correctness problem: the orders themselves, and the services' arguments."""
    if outcome.acknowledged_missing:
        return (
            f"create_order returned for order {outcome.acknowledged_missing[0]} but the order "
            "is not in the database: a request may only return once its order is committed"
        )
    if outcome.invalid_committed:
        return (
            f"order {outcome.invalid_committed[0]} names a product withdrawn from sale, and it "
            "was committed all the same: the database's constraints must refuse it"
        )
    if outcome.refused:
        return f"a valid order was refused: {outcome.refused[0]}"
    if outcome.world.wrong:
        return f"a service was called with the wrong data: {outcome.world.wrong[0]}"
    return None


def play_side(ctx: LabContext, day: Day, processes: list[Subject], tag: str) -> Outcome:
    """One side's day (the grader closes its processes at the end of the check)."""
    return Run(ctx, day, processes, tag).play()


def grade(ctx: LabContext) -> Grade:
    """Both sides play the same day (in parallel: nothing is timed), then the counts."""
    day = make_day(ctx.rng("day"))
    mine = [ctx.spawn({}) for _ in range(CRASHES)] + [ctx.candidate]
    theirs = [ctx.baseline]
    with ThreadPoolExecutor(1) as pool:
        starter = pool.submit(play_side, ctx, day, theirs, "starter")
        yours = play_side(ctx, day, mine, "yours")
        base = starter.result()
    problem = problems(yours)
    if problem:
        raise WrongAnswer(problem)
    if problems(base):
        raise LabBug(f"the starter went wrong on seed {ctx.seed}: {problems(base)}")
    mine_t, base_t = tally(day, yours), tally(day, base)
    my_cost = sum(yours.world.costs) / len(yours.world.costs)
    base_cost = sum(base.world.costs) / len(base.world.costs)
    ratio = my_cost / base_cost
    metrics = {
        "request_path_ratio": Measured(
            round(ratio, 4), 1.0, detail=cost_detail(yours, my_cost, base_cost)
        ),
        "effects_not_once": Measured(
            mine_t.wrong, base_t.wrong, detail=effects_detail(mine_t, len(yours.committed))
        ),
        "lost_after_crash": Measured(
            len(mine_t.lost), len(base_t.lost), detail=lost_detail(mine_t, yours)
        ),
        "failed_by_notification": Measured(
            yours.failed_by_mail, base.failed_by_mail, detail=mail_detail(yours, day)
        ),
    }
    valid = sum(o.valid for o in day.orders)
    notes = [
        f"This seed: {len(day.orders)} orders ({len(day.orders) - valid} naming a withdrawn "
        f"product), the mail service down for {len(day.outage)} of them, a disk error on the "
        f"first COMMIT of orders #{', #'.join(str(p + 1) for p in sorted(day.commit_faults))}, "
        f"the process killed after the commit of orders "
        f"#{', #'.join(str(p + 1) for p in day.crashes)}; "
        f"{len(yours.world.messages)} events published, "
        f"{sum(sum(c.values()) for c in yours.world.effects.values())} side effects applied.",
    ]
    if yours.relay_errors:
        notes.append(f"Your relay raised: {yours.relay_errors[0]}")
    notes += [text[0].upper() + text[1:] + "." for text in yours.consumer_errors[:3]]
    return Grade(correct=True, metrics=metrics, notes=notes)


def cost_detail(outcome: Outcome, mine: float, base: float) -> str:
    """Simulated milliseconds per request, and what is still on the path."""
    text = (
        f"{mine:.1f} simulated ms per request against the starter's {base:.1f} (1 ms a "
        "database round trip, 2 a publish, 30 / 20 / 15 a charge / reservation / e-mail)"
    )
    if mine * 3 > base:
        text += (
            ": the services are still called while the customer waits. Commit the order "
            "with its event and return; the consumers do the rest"
        )
    return text


def effects_detail(t: Tally, committed: int) -> str:
    """Duplicates, misses and phantoms, with a first example of each."""
    if not t.wrong:
        return f"all {committed} committed orders charged, reserved and e-mailed exactly once"
    parts = []
    if t.duplicates:
        parts.append(
            f"{len(t.duplicates)} applied more than once (first: {t.duplicates[0]}): the "
            "broker delivers at least once, so a consumer must recognise an event it has "
            "already handled (a processed-events table, or a unique key per order)"
        )
    if t.phantoms:
        parts.append(
            f"{len(t.phantoms)} for orders the database refused (first: {t.phantoms[0]}): an "
            "event published before the COMMIT announces an order that may roll back"
        )
    if t.missing:
        parts.append(
            f"{len(t.missing)} never applied (first: {t.missing[0]}): a committed order "
            "whose event never reached a consumer, or a consumer that swallowed a failure"
        )
    return "; ".join(parts)


def lost_detail(t: Tally, outcome: Outcome) -> str:
    """The crashed orders whose effects never happened."""
    crashed = len(outcome.world.day.crashes)
    if not t.lost:
        return f"all {crashed} orders committed just before a crash got their side effects"
    return (
        f"{len(t.lost)} of the {crashed} orders committed just before a crash never got all "
        f"their side effects (first: {t.lost[0]}): whatever was to happen after the COMMIT "
        "lived only in the process that died. Write the event in the same transaction as "
        "the order (an outbox table) and let the relay publish it, after a restart too"
    )


def mail_detail(outcome: Outcome, day: Day) -> str:
    """Requests that failed because the mail service did."""
    if not outcome.failed_by_mail:
        return "no request failed because the mail service did"
    return (
        f"{outcome.failed_by_mail} requests failed because the mail service did (it was down "
        f"for {len(day.outage)} orders and fails 5 % of calls): a confirmation e-mail "
        "should not decide whether an order is taken. Send it from a consumer, which the "
        "broker retries"
    )


def workload(ctx: LabContext) -> Workload:
    """A day's requests, a relay pass and one delivery per consumer, for `lab profile`."""
    day = make_day(ctx.rng("workload"))
    world = World(day, ctx.seed)
    proc = Proc()
    path, consumer_path = ctx.workdir / "orders-profile.db", ctx.workdir / "consumers-profile.db"
    open_db(path, SCHEMA + "".join(
        f"INSERT INTO products VALUES ('{sku}', '{sku}', {price});\n"
        for sku, price in day.products.items()
    ))  # fmt: skip
    open_db(consumer_path, "")
    args = (
        ctx.serve(OrdersDb(connect(path), world, proc), "sqlite"),
        ctx.serve(OrdersDb(connect(consumer_path), None, proc), "sqlite"),
        ctx.serve(BrokerPort(world, proc)),
        ctx.serve(ServicesPort(world, proc)),
        [order.wire() for order in day.orders],
    )
    return Workload("day", args)
