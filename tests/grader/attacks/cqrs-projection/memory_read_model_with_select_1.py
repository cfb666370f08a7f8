"""Class 4 — the read model in Python dicts, refolded in setup(); each page runs `SELECT 1`
so that no call is silent, and returns the answer from memory.

Tries: the database is asked once per page call (a statement that reads nothing), which
was all the silent-call check looked for; the answers come from the projector's memory.
Must not pass because: the pages are asked in a process of their own, on a connection of
their own, that never runs project() or setup().
Expect: fail on wrong_answers
Says: each answer must come from the database
"""

from __future__ import annotations

import json
from typing import Any

_orders: dict = {}
_versions: dict = {}
_pending: dict = {}


def setup(db) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS events (order_id INTEGER, version INTEGER,"
        " type TEXT, data TEXT, PRIMARY KEY (order_id, version))"
    )
    db.commit()
    _orders.clear()
    _versions.clear()
    _pending.clear()
    for oid, v, kind, data in db.execute(
        "SELECT order_id, version, type, data FROM events ORDER BY order_id, version"
    ).fetchall():
        _feed(oid, v, kind, json.loads(data))


def _fold(oid, kind, d):
    if kind == "placed":
        _orders[oid] = {"customer": d["customer"], "status": "open", "items": 0, "total": 0}
    elif kind in ("item_added", "item_removed"):
        s = 1 if kind == "item_added" else -1
        o = _orders[oid]
        o["items"] += s * d["qty"]
        o["total"] += s * d["qty"] * d["price"]
    else:
        _orders[oid]["status"] = kind


def _feed(oid, v, kind, d):
    stored = _versions.get(oid, 0)
    if v <= stored:
        return
    _pending[(oid, v)] = (kind, d)
    while (oid, stored + 1) in _pending:
        k, dd = _pending.pop((oid, stored + 1))
        _fold(oid, k, dd)
        stored += 1
    _versions[oid] = stored


def project(db, events: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)",
        [(e["order_id"], e["version"], e["type"], json.dumps(e["data"])) for e in events],
    )
    db.commit()
    for e in events:
        _feed(e["order_id"], e["version"], e["type"], e["data"])


def _ask(db, value):
    db.execute("SELECT 1").fetchone()
    return value


def order_view(db, order_id):
    o = _orders.get(order_id)
    ans = None if o is None else [o["customer"], o["status"], o["items"], o["total"]]
    r = _ask(db, ans)
    return None if r is None else tuple(r)


def customer_orders(db, customer):
    ans = [
        [oid, o["status"], o["total"]]
        for oid, o in sorted(_orders.items())
        if o["customer"] == customer
    ]
    return [tuple(x) for x in _ask(db, ans)]


def orders_with_status(db, status, limit):
    ans = [[oid, o["total"]] for oid, o in sorted(_orders.items()) if o["status"] == status][:limit]
    return [tuple(x) for x in _ask(db, ans)]
