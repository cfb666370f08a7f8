"""Grader for index-strategy: identical answers, no full scans, VM steps, index budget, speed.

The bench generates a year of orders from the attempt's seed, keeps them in Python to
compute every expected answer itself, and writes them once to a SQLite file in the work
dir. The starter and the learner each get a copy: create_indexes(conn) runs on a
writable connection (which may only create or drop indexes, or ANALYZE), then the four
query functions run on a read-only one, three calls each with seeded arguments.

* full_scans — how many of the four queries have a plan (EXPLAIN QUERY PLAN of the SQL
  they actually ran, as traced) that SCANs the orders table: reads all of it, or walks
  all of one index. Deterministic.
* vm_steps — SQLite virtual-machine instructions over the twelve calls, counted with a
  progress handler: the work the database did. Deterministic.
* index_count — indexes on orders after create_indexes: each one is another B-tree that
  every INSERT, UPDATE and DELETE must change.
* speedup — the starter's four queries against the learner's, interleaved pairs.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import uuid
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer
from perfcoach.measure import SqlCounter, VmSteps

ROWS = 100_000
CUSTOMERS = 10_000
YEAR_START = date(2024, 1, 1)
DAYS = 366
RECENT_DAYS = 10  # orders this young are still mostly pending or paid
CALLS = 3  # argument sets per query
QUERIES = ("customer_orders", "status_totals", "oldest_with_status", "orders_on_day")
COLUMNS = ("id", "customer_id", "status", "created_at", "total_cents")
OLD_STATUS = (("shipped", 80.5), ("cancelled", 12.0), ("paid", 4.0), ("refunded", 3.0))
OLD_PENDING = 0.5  # a few old orders got stuck in pending: the queue's oldest entries
NEW_STATUS = (("paid", 40.0), ("shipped", 30.0), ("cancelled", 5.0), ("pending", 25.0))
INSERTED = 1_000  # rows written to show what the indexes cost on every write
PROFILED_REPEATS = 5  # the twelve calls take ~0.05 s on the starter; profilers want ~0.2 s

SCHEMA = """
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, total_cents INTEGER NOT NULL
)
"""
# Costs a few thousand VM steps: if they do not show, the query detached the counter.
SENTINEL = "SELECT count(*) FROM orders WHERE id <= 2000 /* perfcoach sentinel */"
_DETACHED = (
    "{name} replaced the connection's trace callback or progress handler, which the bench "
    "uses to see the SQL and count the work; leave the connection's callbacks alone"
)
_ALLOWED_SETUP = re.compile(
    r"^(?:create\s+(?:unique\s+)?index|drop\s+index|analyze|reindex|begin|commit|end"
    r"|rollback|savepoint|release)\b",
    re.IGNORECASE,
)
_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))*", re.DOTALL)
_READS = re.compile(r"^(?:select|with)\b", re.IGNORECASE)
_SCAN = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")
_USES_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)")
_ALIAS = re.compile(r"\borders\s+(?:AS\s+)?(\w+)", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\b(.*?)(?:\bGROUP\b|\bORDER\b|\bLIMIT\b|$)", re.IGNORECASE | re.DOTALL)
_WRAPPED = re.compile(
    r"\b(\w+)\s*\(\s*(?:\w+\.)?(customer_id|status|created_at|total_cents)\b", re.IGNORECASE
)
_NOT_ALIASES = frozenset({"where", "order", "group", "limit", "join", "on", "using", "indexed"})


Row = tuple[int, int, str, str, int]


def build_orders(rng: Any, n: int) -> list[Row]:
    """A year of orders, ids given in creation order as a live table gets them; orders of
    the last RECENT_DAYS days are still mostly pending or paid."""
    days = [(YEAR_START + timedelta(d)).isoformat() for d in range(DAYS)]
    clock = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
    minutes = sorted(rng.choices(range(DAYS * 1440), k=n))
    customers = rng.choices(range(1, CUSTOMERS + 1), k=n)
    old_names = [s for s, _ in OLD_STATUS] + ["pending"]
    old = rng.choices(old_names, [w for _, w in OLD_STATUS] + [OLD_PENDING], k=n)
    new = rng.choices([s for s, _ in NEW_STATUS], [w for _, w in NEW_STATUS], k=n)
    totals = rng.choices(range(150, 90_000), k=n)
    recent = (DAYS - RECENT_DAYS) * 1440
    return [
        (
            i + 1,
            customers[i],
            new[i] if minutes[i] >= recent else old[i],
            f"{days[minutes[i] // 1440]} {clock[minutes[i] % 1440]}",
            totals[i],
        )
        for i in range(n)
    ]


@dataclass(frozen=True)
class Call:
    """One call of a query function with its arguments and the answer the bench expects."""

    query: str
    args: tuple[Any, ...]
    expected: Any

    def show(self) -> str:
        """How the call reads in a message, e.g. status_totals(conn, 'refunded', ...)."""
        return f"{self.query}(conn, {', '.join(repr(a) for a in self.args)})"


def make_calls(rng: Any, orders: list[Row]) -> list[list[Call]]:
    """CALLS rounds of the four queries, with answers computed from the Python data.

    The rows are in created_at order (ties by id), so filtering keeps that order, and a
    day is a slice found by bisection."""
    stamps = [r[3] for r in orders]
    rounds = []
    for queue_status in ("pending", "pending", "refunded"):
        customer = rng.randint(1, CUSTOMERS)
        first = rng.randrange(DAYS - 60)
        start = (YEAR_START + timedelta(first)).isoformat()
        end = (YEAR_START + timedelta(first + rng.randint(7, 21))).isoformat()
        window = orders[bisect_left(stamps, start) : bisect_left(stamps, end)]
        cancelled = [r[4] for r in window if r[2] == "cancelled"]
        limit = rng.randint(20, 50)
        queue = [r for r in orders if r[2] == queue_status][:limit]
        day = (YEAR_START + timedelta(rng.randrange(DAYS))).isoformat()
        next_day = (date.fromisoformat(day) + timedelta(1)).isoformat()
        on_day = orders[bisect_left(stamps, day) : bisect_left(stamps, next_day)]
        rounds.append(
            [
                Call(
                    "customer_orders",
                    (customer,),
                    [(r[0], r[2], r[3], r[4]) for r in orders if r[1] == customer],
                ),
                Call("status_totals", ("cancelled", start, end), (len(cancelled), sum(cancelled))),
                Call(
                    "oldest_with_status",
                    (queue_status, limit),
                    [(r[0], r[1], r[3], r[4]) for r in queue],
                ),
                Call("orders_on_day", (day,), [(r[0], r[1], r[2], r[4]) for r in on_day]),
            ]
        )
    return rounds


def write_db(orders: list[Row], folder: Path) -> Path:
    """The table without any index, in a file with an unguessable name."""
    path = folder / f"orders-{uuid.uuid4().hex[:12]}.db"
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to recover
        conn.execute(SCHEMA)
        conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", orders)
        conn.commit()
    finally:
        conn.close()
    return path


def _work(sql: str) -> str:
    return _LEADING_COMMENTS.sub("", sql, count=1)


def set_up(module: ModuleType, pristine: Path, copy: Path) -> list[tuple[str, str]]:
    """Copy the table and run the module's create_indexes on it; returns (name, definition)
    of every index on orders. Anything but index statements is refused."""
    shutil.copyfile(pristine, copy)
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a scratch copy: no need to wait for the disk
        with SqlCounter(conn) as counter:
            module.create_indexes(conn)
            conn.execute(SENTINEL)
        traced = counter.statements
        if not traced or traced[-1] != SENTINEL:
            raise WrongAnswer(_DETACHED.format(name="create_indexes"))
        for sql in traced[:-1]:
            if not _ALLOWED_SETUP.match(_work(sql)):
                raise WrongAnswer(
                    f"create_indexes ran {_clip(_work(sql))!r}: it may only CREATE INDEX, "
                    "DROP INDEX or ANALYZE. The table and its data are the bench's; "
                    "queries must read them from the read-only connection"
                )
        conn.commit()
        return list_indexes(conn)
    finally:
        conn.close()


def list_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, '(columns)') of each index on orders that the code created."""
    found = []
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"
        " AND sql IS NOT NULL ORDER BY name"
    ):
        match = re.search(r"\bON\s+\S+\s*(\(.*)$", " ".join(sql.split()), re.IGNORECASE)
        found.append((name, match.group(1) if match else sql))
    return found


def open_read_only(path: Path) -> sqlite3.Connection:
    """The screens only read; a read-only connection makes sure they cannot build indexes."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


@dataclass
class Observed:
    """What one query function did: its SQL (as traced) and the VM steps it cost."""

    sql: list[str]
    steps: int


def run_measured(module: ModuleType, conn: sqlite3.Connection, call: Call) -> tuple[Any, Observed]:
    """Call one query function under the statement trace and the VM-step counter."""
    function = getattr(module, call.query)
    with SqlCounter(conn) as counter, VmSteps(conn) as vm:
        result = function(conn, *call.args)
        steps = vm.steps
        before = vm.ticks
        conn.execute(SENTINEL).fetchall()
        sentinel_seen = vm.ticks > before
    traced = counter.statements
    if not traced or traced[-1] != SENTINEL or not sentinel_seen:
        raise WrongAnswer(_DETACHED.format(name=call.query))
    sql = [_work(s) for s in traced[:-1]]
    if not any(_READS.match(s) for s in sql):
        raise WrongAnswer(
            f"{call.show()} answered without running a SELECT on conn: the lab measures the "
            "database's work, so each query must ask the database (no answers kept in Python)"
        )
    return result, Observed(sql, steps)


def _as_rows(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [tuple(v) if isinstance(v, list | tuple | sqlite3.Row) else v for v in value]
    return value


def first_difference(call: Call, got: Any) -> str | None:
    """One sentence naming where the answer differs from the expected one."""
    want = call.expected
    if isinstance(want, tuple):
        if not isinstance(got, list | tuple) or tuple(got) != want:
            return f"{call.show()}: expected {want!r}, got {got!r}"
        return None
    if not isinstance(got, list | tuple):
        return f"{call.show()}: expected a list of tuples, got {type(got).__name__}"
    rows = _as_rows(got)
    if rows == want:
        return None
    if len(rows) != len(want):
        return f"{call.show()}: expected {len(want)} rows, got {len(rows)}"
    index = next(i for i, (a, b) in enumerate(zip(want, rows, strict=True)) if a != b)
    same = sorted(want) == sorted(rows)
    order = " (the same rows in another order: keep the ORDER BY)" if same else ""
    return f"{call.show()}, row {index + 1}: expected {want[index]!r}, got {rows[index]!r}{order}"


@dataclass
class Run:
    """Everything one side's twelve calls showed: steps per query and plans per query."""

    steps: dict[str, int]
    plans: dict[str, list[tuple[str, list[str]]]]  # query -> [(sql, plan lines)]

    @property
    def total(self) -> int:
        """VM steps of all calls."""
        return sum(self.steps.values())


def run_all(module: ModuleType, conn: sqlite3.Connection, rounds: list[list[Call]]) -> Run:
    """Every call, checked against the reference, with its steps and query plans."""
    steps: dict[str, int] = dict.fromkeys(QUERIES, 0)
    plans: dict[str, list[tuple[str, list[str]]]] = {q: [] for q in QUERIES}
    for calls in rounds:
        for call in calls:
            got, observed = run_measured(module, conn, call)
            problem = first_difference(call, got)
            if problem:
                raise WrongAnswer(problem)
            steps[call.query] += observed.steps
            for sql in observed.sql:
                if any(sql == seen for seen, _ in plans[call.query]):
                    continue
                lines = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
                plans[call.query].append((sql, lines))
    return Run(steps, plans)


def scan_lines(sql: str, lines: list[str]) -> list[str]:
    """Plan lines that read the whole orders table or the whole of one of its indexes."""
    names = {"orders"}
    names.update(a for a in _ALIAS.findall(sql) if a.lower() not in _NOT_ALIASES)
    return [line for line in lines if (m := _SCAN.match(line)) and m.group(1) in names]


def why_scan(sql: str, line: str, indexes: dict[str, str]) -> str:
    """The reason a SCAN happened, in terms of the lesson."""
    where = _WHERE.search(sql)
    text = where.group(1) if where else ""
    wrapped = [
        f"{fn}({col})"
        for fn, col in _WRAPPED.findall(text)
        if fn.lower() not in ("and", "or", "not", "in")
    ]
    if wrapped:
        return (
            f"{wrapped[0]} hides the column from any index on it: index the expression "
            f"itself, or compare the bare column with a range"
        )
    fixed = [c for c in _EQUALS_ON.findall(text) if c.lower() in COLUMNS]
    column = f"{fixed[0]} (compared with =)" if fixed else "the column this query filters on"
    match = _SCAN.match(line)
    if match and match.group(2):
        name = match.group(2)
        return (
            f"it walks all of {name} {indexes.get(name, '')} to skip a sort, checking every "
            f"entry: an index is searched by its leading columns, and this query needs one "
            f"that starts with {column}"
        )
    return f"no index starts with {column}"


def scans_detail(run: Run, indexes: dict[str, str]) -> tuple[int, str]:
    """How many queries scan, and for the first of them the plan line and why."""
    scanning = []
    for query in QUERIES:
        for sql, lines in run.plans[query]:
            found = scan_lines(sql, lines)
            if found:
                scanning.append((query, sql, found[0]))
                break
    if not scanning:
        return 0, "every query SEARCHes an index; none reads the whole table"
    query, sql, line = scanning[0]
    others = ", ".join(q for q, _, _ in scanning[1:])
    more = f"; also {others}" if others else ""
    return len(scanning), f"{query}: {line} — {why_scan(sql, line, indexes)}{more}"


def steps_detail(run: Run, baseline: Run, limit: float, indexes: dict[str, str]) -> str:
    """Where the VM steps went: the costliest query and its plan, and when the total is
    over the limit, what that plan is missing."""
    query = max(QUERIES, key=lambda q: run.steps[q])
    sql, lines = run.plans[query][0] if run.plans[query] else ("", [])
    share = f"{run.steps[query]:,} of them in {query} (starter {baseline.steps[query]:,})"
    advice = ""
    if run.total > limit:
        scans = scan_lines(sql, lines)
        advice = f" — {why_scan(sql, scans[0], indexes)}" if scans else _search_advice(sql, lines)
    return f"{share}: {'; '.join(lines)}{advice}"


_TERM = re.compile(r"^(.*)([=<>])\?$")
_EQUALS = re.compile(r"(?<![<>!])=")
_EQUALS_ON = re.compile(r"(\w+)\s*(?<![<>!])=\s*[^=]")
_RANGE = re.compile(r"[<>]|\bbetween\b", re.IGNORECASE)


def _search_advice(sql: str, lines: list[str]) -> str:
    where = _WHERE.search(sql)
    text = where.group(1) if where else ""
    for line in lines:
        constraint = re.search(r"\((.*)\)$", line)
        if not line.startswith("SEARCH") or not constraint:
            continue
        ops = {m.group(2) for t in constraint.group(1).split(" AND ") if (m := _TERM.match(t))}
        if "=" not in ops and _EQUALS.search(text):
            return (
                " — only the range narrows the search, and every entry in it is checked:"
                " put the column compared with = first in the index, the range column after it"
            )
        if ops == {"="} and _RANGE.search(text):
            return (
                " — only the = column narrows the search; every row with that value is read"
                " and checked against the range: add the range column after it in the same"
                " index (one query uses one index per table)"
            )
    return ""


def indexes_detail(indexes: list[tuple[str, str]], run: Run, limit: float) -> str:
    """The index list, and which ones no query used."""
    used = {
        name
        for query in QUERIES
        for _, lines in run.plans[query]
        for line in lines
        for name in _USES_INDEX.findall(line)
    }
    listed = ", ".join(f"{name} {cols}" for name, cols in indexes) or "none"
    if len(indexes) <= limit:
        return listed
    unused = [name for name, _ in indexes if name not in used]
    drop = f"; no query used {', '.join(unused)}: drop it" if unused else ""
    return (
        f"{listed} — over the budget of {limit:g}: every index is one more B-tree each INSERT, "
        f"UPDATE and DELETE must change. Let one composite index serve two queries{drop}"
    )


def insert_cost(path: Path, rows: list[Row]) -> int:
    """VM steps to insert rows into the table at path (rolled back): the write cost."""
    conn = sqlite3.connect(path)
    try:
        with VmSteps(conn) as vm:
            conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", rows)
        conn.rollback()
        return vm.steps
    finally:
        conn.close()


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """Identical answers first; then scans, VM steps, index count and the timed speedup."""
    rng = ctx.rng("orders")
    orders = build_orders(rng, ROWS)
    rounds = make_calls(ctx.rng("calls"), orders)
    pristine = write_db(orders, ctx.workdir)
    base_path = pristine.with_name(f"starter-{pristine.name}")
    cand_path = pristine.with_name(f"yours-{pristine.name}")
    set_up(baseline, pristine, base_path)
    before = ctx.events("sqlite3.connect")
    indexes = set_up(candidate, pristine, cand_path)
    opened = ctx.events("sqlite3.connect") - before - 1  # set_up's own connection
    base_conn = open_read_only(base_path)
    cand_conn = open_read_only(cand_path)
    try:
        base_run = run_all(baseline, base_conn, rounds)
        before = ctx.events("sqlite3.connect")
        cand_run = run_all(candidate, cand_conn, rounds)
        speed = ctx.speedup(
            "speedup",
            lambda: _all_rounds(baseline, base_conn, rounds),
            lambda: _all_rounds(candidate, cand_conn, rounds),
            clock="cpu",
        )
        opened += ctx.events("sqlite3.connect") - before
    finally:
        base_conn.close()
        cand_conn.close()
    if opened > 0:
        return Grade(
            correct=False,
            message=(
                f"queries.py opened {opened} sqlite3 connection(s) of its own: use the conn "
                "you are given, which is where the bench counts the work"
            ),
        )
    scans, scan_detail = scans_detail(cand_run, dict(indexes))
    base_scans, _ = scans_detail(base_run, {})
    limit = ctx.goals["index_count"].threshold(None) or 0
    steps_limit = ctx.goals["vm_steps"].threshold(base_run.total) or 0
    metrics = {
        "full_scans": Measured(scans, base_scans, detail=scan_detail),
        "vm_steps": Measured(
            cand_run.total,
            base_run.total,
            detail=steps_detail(cand_run, base_run, steps_limit, dict(indexes)),
        ),
        "index_count": Measured(len(indexes), 1, detail=indexes_detail(indexes, cand_run, limit)),
        "speedup": speed,
    }
    new_rows = _new_rows(ctx, len(orders))
    bare, yours = insert_cost(pristine, new_rows), insert_cost(cand_path, new_rows)
    notes = [
        f"This seed: {len(orders):,} orders; each query ran {CALLS} times with different "
        "arguments, and the plans are EXPLAIN QUERY PLAN of the SQL your functions ran.",
        f"Write cost: inserting {INSERTED:,} orders took {bare:,} VM steps with no index and "
        f"{yours:,} with your {len(indexes)} ({yours / max(bare, 1):.1f}×).",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _all_rounds(module: ModuleType, conn: sqlite3.Connection, rounds: list[list[Call]]) -> None:
    for calls in rounds:
        for call in calls:
            getattr(module, call.query)(conn, *call.args)


def _new_rows(ctx: LabContext, after: int) -> list[Row]:
    rng = ctx.rng("inserts")
    return [
        (
            after + i + 1,
            rng.randint(1, CUSTOMERS),
            "pending",
            f"2025-01-01 {i // 60 % 24:02d}:{i % 60:02d}",
            rng.randint(150, 90_000),
        )
        for i in range(INSERTED)
    ]


def _clip(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """The twelve calls, a few times over, on the module's own indexes (built outside
    the profile); the connection stays open because a profiler may call this again."""
    orders = build_orders(ctx.rng("workload"), ROWS)
    rounds = make_calls(ctx.rng("workload-calls"), orders)
    pristine = write_db(orders, ctx.workdir)
    path = pristine.with_name(f"profiled-{pristine.name}")
    set_up(module, pristine, path)
    conn = open_read_only(path)
    return lambda: [_all_rounds(module, conn, rounds) for _ in range(PROFILED_REPEATS)]
