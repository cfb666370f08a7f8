"""Grader for n-plus-one: exact report, statements counted where the database lives.

The bench builds a random shop (orders, order lines, products) into a SQLite file in the
grader's private folder and computes the expected report in plain Python from the same
data. Each side gets its own read-only connection to that file, served over the wire as
a RemoteConnection: the learner's code sends statements, the grader runs and counts them
(deterministic) and answers. Each statement is a real round trip between two processes,
as it is to a database server, and per-statement latency is what makes an N+1 expensive.
There is no other way to the data: the file is out of the subject's reach.

Every timed report runs on a changed shop (new prices, a new order, a new date), so a
report remembered from an earlier call is wrong, and statements are counted on every one.
"""

from __future__ import annotations

import random
import re
import sqlite3
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabContext,
    Measured,
    SqliteService,
    Trial,
    Workload,
    WrongAnswer,
)
from perfcoach.measure import normalize_sql

GRADE_ORDERS = (260, 340)
TIMED_SHARE = (0.22, 0.3)  # orders in a timed report: the newest quarter or so
WORKLOAD_ORDERS = 700

FIRST_NAMES = (
    "Ada", "Ben", "Chen", "Dara", "Elif", "Femi", "Gus", "Hana",
    "Ivo", "Jun", "Kai", "Lena", "Mo", "Nia", "Omar", "Pia",
)  # fmt: skip
LAST_NAMES = ("Park", "Silva", "Novak", "Okafor", "Berg", "Tanaka", "Moreau", "Kowal", "Reyes")
# 8 × 8 names for 80+ products: names repeat across SKUs, as in a real catalogue.
MATERIALS = ("Steel", "Oak", "Linen", "Copper", "Glass", "Wool", "Slate", "Cedar")
THINGS = ("Mug", "Lamp", "Tray", "Stool", "Vase", "Shelf", "Clock", "Bowl")
LINES_PER_ORDER_WEIGHTS = (4, 12, 18, 20, 18, 14, 14)  # 0..6 lines

SCHEMA = """
CREATE TABLE products (
    id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    price_cents INTEGER NOT NULL
);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, placed_at TEXT NOT NULL);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders (id),
    product_id INTEGER NOT NULL REFERENCES products (id), quantity INTEGER NOT NULL
);
CREATE INDEX order_items_by_order ON order_items (order_id);
"""


@dataclass(frozen=True)
class Product:
    """A catalogue entry; names repeat across SKUs, so only the id identifies it."""

    id: int
    sku: str
    name: str
    price_cents: int


@dataclass(frozen=True)
class Order:
    """An order header."""

    id: int
    customer: str
    placed_at: str


@dataclass(frozen=True)
class Item:
    """One order line."""

    id: int
    order_id: int
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Shop:
    """The whole data set, kept in Python so the reference never depends on SQL."""

    products: dict[int, Product]
    orders: list[Order]
    items: list[Item]
    since: str


def build_shop(rng: random.Random, n_orders: int) -> Shop:
    """Random orders over 2024 with the cases wrong fixes trip on.

    Guaranteed in the report: two orders without lines (an inner JOIN drops them), one
    order with the same product on two lines (grouping by product merges them), and one
    with two products that share a name at different prices (a lookup keyed by name
    picks the wrong price).
    """
    n_products = rng.randint(80, 110)
    product_ids = rng.sample(range(1, 5000), n_products)
    skus = rng.sample(range(10_000, 100_000), n_products)
    products = {
        pid: Product(
            pid,
            f"SK-{sku}",
            f"{rng.choice(MATERIALS)} {rng.choice(THINGS)}",
            rng.randint(99, 25_000),
        )
        for pid, sku in zip(product_ids, skus, strict=True)
    }
    start = datetime(2024, 1, 1)
    orders = [
        Order(
            oid,
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            (start + timedelta(minutes=rng.randrange(366 * 24 * 60))).strftime("%Y-%m-%d %H:%M"),
        )
        for oid in rng.sample(range(1, 20 * n_orders), n_orders)
    ]
    dates = sorted(o.placed_at for o in orders)
    since = dates[int(n_orders * rng.uniform(0.15, 0.3))][:10]
    lines: dict[int, list[tuple[int, int]]] = {
        o.id: [
            (rng.choice(product_ids), rng.randint(1, 5))
            for _ in range(rng.choices(range(7), LINES_PER_ORDER_WEIGHTS)[0])
        ]
        for o in orders
    }
    empty_a, empty_b, doubled, twins = rng.sample([o for o in orders if o.placed_at >= since], 4)
    lines[empty_a.id] = []
    lines[empty_b.id] = []
    twice = rng.choice(product_ids)
    lines[doubled.id] = [(twice, 1), (rng.choice(product_ids), 2), (twice, 3)]
    first, second = (products[pid] for pid in rng.sample(product_ids, 2))
    price = second.price_cents if second.price_cents != first.price_cents else first.price_cents + 1
    products[second.id] = Product(second.id, second.sku, first.name, price)
    lines[twins.id] = [(first.id, 2), (second.id, 2)]
    flat = [(oid, pid, qty) for oid, order_lines in lines.items() for pid, qty in order_lines]
    # Random ids, so "sorted by item id" is not the order the lines were generated in.
    item_ids = rng.sample(range(1, 10 * len(flat) + 10), len(flat))
    items = [Item(iid, *line) for iid, line in zip(item_ids, flat, strict=True)]
    return Shop(products, orders, items, since)


def expected_report(shop: Shop) -> list[dict[str, Any]]:
    """The reference report, computed from the Python data, not from the database."""
    lines: dict[int, list[Item]] = defaultdict(list)
    for item in sorted(shop.items, key=lambda i: i.id):
        lines[item.order_id].append(item)
    report = []
    for order in sorted(shop.orders, key=lambda o: o.id):
        if order.placed_at < shop.since:
            continue
        items = []
        for item in lines[order.id]:
            product = shop.products[item.product_id]
            items.append(
                {
                    "sku": product.sku,
                    "product": product.name,
                    "quantity": item.quantity,
                    "unit_price_cents": product.price_cents,
                    "line_cents": item.quantity * product.price_cents,
                }
            )
        report.append(
            {
                "order_id": order.id,
                "customer": order.customer,
                "placed_at": order.placed_at,
                "items": items,
                "total_cents": sum(i["line_cents"] for i in items),
            }
        )
    return report


def write_db(shop: Shop, folder: Path) -> Path:
    """Store the shop in a fresh file in the grader's folder. WAL mode, so the bench can
    change the shop between reports while the connections it serves stay open."""
    path = folder / f"shop-{uuid.uuid4().hex[:12]}.db"
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        conn.executemany(
            "INSERT INTO products VALUES (?, ?, ?, ?)",
            [(p.id, p.sku, p.name, p.price_cents) for p in shop.products.values()],
        )
        conn.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)",
            [(o.id, o.customer, o.placed_at) for o in shop.orders],
        )
        conn.executemany(
            "INSERT INTO order_items VALUES (?, ?, ?, ?)",
            [(i.id, i.order_id, i.product_id, i.quantity) for i in shop.items],
        )
        conn.commit()
    finally:
        conn.close()
    return path


def open_read_only(path: Path) -> sqlite3.Connection:
    """A report has no business writing; a read-only connection makes sure it cannot."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))*", re.DOTALL)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_NOT_WORK = frozenset({"begin", "commit", "end", "rollback", "savepoint", "release", "pragma"})


def work_statements(traced: list[str]) -> list[str]:
    """Statements that touch rows: everything but transaction control and PRAGMA.

    Not only SELECTs: a per-row INSERT into a temp table (or a comment in front of a
    SELECT) is still one statement, and one round trip, per row.
    """
    kept = []
    for sql in traced:
        body = _LEADING_COMMENTS.sub("", sql, count=1)
        word = _FIRST_WORD.match(body)
        if word is None or word.group().lower() not in _NOT_WORK:
            kept.append(body)
    return kept


@dataclass(frozen=True)
class Shape:
    """Row counts of this seed's report, to name what a repeated template ran once per."""

    orders: int
    lines: int
    products: int

    def per(self, count: int) -> str:
        """'once per order' and friends, when count matches one of the row counts."""
        if count == self.orders:
            return "once per order"
        if count == self.lines:
            return "once per order line"
        if count == self.products:
            return "once per distinct product (a cache still pays one query per product)"
        return "repeated for pieces of the data, where one statement could fetch it all"


def statement_detail(statements: list[str], shape: Shape, limit: float) -> str:
    """Name the template that ran most often: that is where the round trips go."""
    total = len(statements)
    if total == 0:
        return "no statements on the connection passed in (see extra connections)"
    if total <= limit:
        plural = "statement" if total == 1 else "statements"
        return f"{total} {plural}, none repeated per row: the count no longer grows with N"
    template, runs = Counter(normalize_sql(s) for s in statements).most_common(1)[0]
    if runs == 1:
        return f"{total} different statements; the report needs at most {limit:g}"
    return f"{total:,} statements; '{_clip(template)}' ran {runs:,}×: {shape.per(runs)}"


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def first_difference(expected: list[dict[str, Any]], got: object, shop: Shop) -> str | None:
    """One sentence naming the first place where the candidate's report differs."""
    if not isinstance(got, list):
        return f"order_report returned a {type(got).__name__}; it must return a list of dicts"
    for position, entry in enumerate(got):
        if not isinstance(entry, dict):
            return f"entry {position} of the report is a {type(entry).__name__}, not a dict"
    want_ids = [o["order_id"] for o in expected]
    got_ids = [o.get("order_id") for o in got]
    if want_ids != got_ids:
        return _id_difference(expected, want_ids, got_ids, shop)
    for want, have in zip(expected, got, strict=True):
        where = f"order {want['order_id']}"
        if set(have) != set(want):
            return f"{where}: expected keys {sorted(want)}, got {sorted(have)}"
        for key in ("customer", "placed_at"):
            if have[key] != want[key]:
                return f"{where}: {key} expected {want[key]!r}, got {have[key]!r}"
        problem = _lines_difference(where, want["items"], have["items"])
        if problem:
            return problem
        if have["total_cents"] != want["total_cents"]:
            return (
                f"{where}: total_cents expected {want['total_cents']}, got {have['total_cents']!r}"
            )
    return None


def _id_difference(
    expected: list[dict[str, Any]], want_ids: list[int], got_ids: list[Any], shop: Shop
) -> str:
    wanted, seen = set(want_ids), set(got_ids)
    missing = [oid for oid in want_ids if oid not in seen]
    if missing:
        order = next(o for o in expected if o["order_id"] == missing[0])
        why = (
            ": it has no lines, and an inner JOIN drops such orders (LEFT JOIN keeps them)"
            if not order["items"]
            else ""
        )
        count = f"expected {len(want_ids)} orders, got {len(got_ids)}"
        return f"{count}; order {missing[0]} is missing{why}"
    extra = [oid for oid in got_ids if oid not in wanted]
    if extra:
        placed = {o.id: o.placed_at for o in shop.orders}
        if extra[0] in placed:
            return (
                f"order {extra[0]} was placed {placed[extra[0]]}, before since={shop.since!r}, "
                "and must not be in the report"
            )
        return f"order_id {extra[0]!r} is not an order placed since {shop.since!r}"
    if len(got_ids) != len(seen):
        twice = next(oid for oid in got_ids if got_ids.count(oid) > 1)
        return f"order {twice} appears more than once; each order is one entry with all its lines"
    return "the orders are all there but not sorted by order_id"


def _lines_difference(where: str, want: list[dict[str, Any]], have: object) -> str | None:
    if not isinstance(have, list):
        return f"{where}: items must be a list, got {type(have).__name__}"
    if len(have) != len(want):
        return f"{where}: expected {len(want)} lines, got {len(have)}"
    for number, (line, mine) in enumerate(zip(want, have, strict=True), start=1):
        if not isinstance(mine, dict) or set(mine) != set(line):
            return f"{where}, line {number}: expected a dict with keys {sorted(line)}"
        for key, value in line.items():
            if mine[key] != value:
                return f"{where}, line {number}: {key} expected {value!r}, got {mine[key]!r}"
    return None


class World:
    """The shop behind the database, changed a little before every timed report."""

    def __init__(
        self, shop: Shop, path: Path, rng: random.Random, served: list[SqliteService]
    ) -> None:
        self.shop = shop
        self.path = path
        self.rng = rng
        self.served = served
        self.writer = sqlite3.connect(path)

    def change(self) -> tuple[str, list[dict[str, Any]]]:
        """New prices, a new order, a new date: the next report and its expected value.

        Like a server starting a new session, a transaction a report left open (a temp
        table filled without commit) is rolled back first, so the next report sees the
        changes.
        """
        for db in self.served:
            if db.conn.in_transaction:
                db.conn.rollback()
        rng, shop = self.rng, self.shop
        for pid in rng.sample(sorted(shop.products), 2):
            old = shop.products[pid]
            price = old.price_cents + rng.choice((-1, 1)) * rng.randint(1, 500)
            shop.products[pid] = Product(pid, old.sku, old.name, max(99, price))
            self.writer.execute("UPDATE products SET price_cents = ? WHERE id = ?", (
                shop.products[pid].price_cents, pid))  # fmt: skip
        taken = {o.id for o in shop.orders}
        oid = rng.choice([n for n in range(1, 40 * len(taken)) if n not in taken])
        day, hour, minute = rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
        placed = f"2024-12-{day:02d} {hour:02d}:{minute:02d}"
        order = Order(oid, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", placed)
        shop.orders.append(order)
        self.writer.execute("INSERT INTO orders VALUES (?, ?, ?)", (oid, order.customer, placed))
        used = {i.id for i in shop.items}
        for _ in range(rng.randint(0, 4)):
            iid = rng.choice([n for n in range(1, 20 * len(used)) if n not in used])
            used.add(iid)
            item = Item(iid, oid, rng.choice(sorted(shop.products)), rng.randint(1, 5))
            shop.items.append(item)
            self.writer.execute(
                "INSERT INTO order_items VALUES (?, ?, ?, ?)",
                (item.id, item.order_id, item.product_id, item.quantity),
            )
        self.writer.commit()
        dates = sorted(o.placed_at for o in shop.orders)
        since = dates[int(len(dates) * (1 - rng.uniform(*TIMED_SHARE)))][:10]
        self.shop = Shop(shop.products, shop.orders, shop.items, since)
        return since, expected_report(self.shop)


def grade(ctx: LabContext) -> Grade:
    """Exact report first; then statements on every report, and the timed speedup."""
    rng = ctx.rng("shop")
    shop = build_shop(rng, rng.randint(*GRADE_ORDERS))
    expected = expected_report(shop)
    path = write_db(shop, ctx.workdir)
    mine = SqliteService(open_read_only(path))
    theirs = SqliteService(open_read_only(path))
    handles = {"mine": ctx.serve(mine, "sqlite"), "theirs": ctx.serve(theirs, "sqlite")}

    mark = mine.mark()
    got = ctx.candidate.run("report", handles["mine"], shop.since)
    statements = work_statements(mine.since(mark)[0])
    problem = first_difference(expected, got, shop)
    if problem:
        raise WrongAnswer(problem)
    mark = theirs.mark()
    ctx.baseline.run("report", handles["theirs"], shop.since)
    base_statements = work_statements(theirs.since(mark)[0])

    world = World(shop, path, ctx.rng("changes"), [mine, theirs])
    counts = [len(statements)]

    def run(side: Any, units: list[tuple[str, Any]]) -> list[Any]:
        ours = side is ctx.candidate
        db = mine if ours else theirs
        mark = db.mark()
        out = side.run("reports", handles["mine" if ours else "theirs"], [u[0] for u in units])
        if ours:
            counts.append(len(work_statements(db.since(mark)[0])))
        return out

    def check(unit: tuple[str, Any], got: Any) -> str | None:
        problem = first_difference(unit[1], got, world.shop)
        if problem:
            return (
                f"{problem}. The shop had changed since your previous report (new prices, a "
                "new order, a new date): anything kept from an earlier call is stale"
            )
        return None

    # The figure graded is the most statements of any report: a miss now is final.
    ctx.counted("select_statements", Measured(len(statements), len(base_statements)))
    speed = ctx.speedup(
        "speedup",
        Trial(make=lambda _i: world.change(), run=run, check=check, max_units=1),
        clock="wall",
    )

    lines = sum(len(o["items"]) for o in expected)
    shape = Shape(len(expected), lines, len({i["sku"] for o in expected for i in o["items"]}))
    limit = ctx.goals["select_statements"].threshold(None) or 0
    worst = max(counts)
    detail = statement_detail(statements, shape, limit)
    if worst > len(statements):
        detail += (
            f"; on a later report with changed data your code ran {worst:,} statements: "
            "counted on every report, not the first"
        )
    metrics = {
        "select_statements": Measured(worst, len(base_statements), detail=detail),
        "speedup": speed,
    }
    notes = [
        f"This seed: {shape.orders} orders since {shop.since} with {lines} lines; the starter "
        f"ran {len(base_statements):,} statements (1 + N + N·M = 1 + {shape.orders} + {lines}).",
        "Every statement is a round trip to the database, which runs in another process as "
        "a server does (about 0.2-0.3 ms here, like a database on the same LAN); each timed "
        "report ran on freshly changed data.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def workload(ctx: LabContext) -> Workload:
    """One report over a larger shop, for the profilers."""
    shop = build_shop(ctx.rng("workload"), WORKLOAD_ORDERS)
    db = SqliteService(open_read_only(write_db(shop, ctx.workdir)))
    return Workload("report", (ctx.serve(db, "sqlite"), shop.since))
