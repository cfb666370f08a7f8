"""Grader for index-strategy: identical answers, no full scans, VM steps, index budget, speed.

The bench generates a year of orders from the attempt's seed, keeps them in Python to
compute every expected answer itself, and writes them once to a SQLite file in the
grader's private folder. The starter and the learner each get a copy. The database runs
here, in the grader, as it would in a database server: the learner's code only ever holds
a RemoteConnection, and every statement it sends is run, traced and counted on this side.

create_indexes(conn) runs first, on a writable connection that may only create or drop
indexes (or ANALYZE) and that closes for good when it returns. The four query functions
then run on a read-only connection: three counted rounds with seeded arguments, one call
per request, so every statement and VM step is attributed to the call that caused it.

* full_scans: how many of the four queries have a plan (EXPLAIN QUERY PLAN of the SQL
  they actually ran, asked by the grader on its own connection) that SCANs the orders
  table: reads all of it, or walks one index in order (all of it, unless a LIMIT stops
  the walk). Deterministic.
* vm_steps: SQLite virtual-machine instructions over the twelve counted calls, counted by
  the grader's progress handler: the work the database did. Deterministic. Timed rounds
  are counted too: a round that does far more work than the counted ones shows.
* index_count: indexes on orders after create_indexes, read from sqlite_master by the
  grader: each one is another B-tree that every INSERT, UPDATE and DELETE must change.
* speedup: the starter's four queries against the learner's, in interleaved pairs, on
  the CPU clock (the subject's, plus the grader's CPU running their SQL). Every timed
  round gets arguments no call has seen before, and every answer is checked.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import uuid
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabContext,
    Measured,
    Refusal,
    SqliteService,
    Subject,
    Trial,
    Workload,
    WrongAnswer,
)

ROWS = 100_000
CUSTOMERS = 10_000
YEAR_START = date(2024, 1, 1)
DAYS = 366
RECENT_DAYS = 10  # orders this young are still mostly pending or paid
CALLS = 3  # counted rounds: argument sets per query
QUERIES = ("customer_orders", "status_totals", "oldest_with_status", "orders_on_day")
COLUMNS = ("id", "customer_id", "status", "created_at", "total_cents")
OLD_STATUS = (("shipped", 80.5), ("cancelled", 12.0), ("paid", 4.0), ("refunded", 3.0))
OLD_PENDING = 0.5  # a few old orders got stuck in pending: the queue's oldest entries
NEW_STATUS = (("paid", 40.0), ("shipped", 30.0), ("cancelled", 5.0), ("pending", 25.0))
TOTALS_STATUS = "cancelled"  # the finance tile's status
QUEUE_STATUSES = ("pending", "pending", "refunded")  # the counted rounds' queues, in order
QUEUE_LIMITS = (20, 50)  # how many of the oldest a queue asks for
INSERTED = 1_000  # rows written to show what the indexes cost on every write
PROFILED_ROUNDS = 15  # the starter's round takes ~15 ms; profilers want ~0.2 s

SCHEMA = """
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, total_cents INTEGER NOT NULL
)
"""
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
_LIKE = re.compile(
    r"\b(?:\w+\.)?(customer_id|status|created_at|total_cents)\s+(?:NOT\s+)?LIKE\b", re.IGNORECASE
)
_NOT_ALIASES = frozenset({"where", "order", "group", "limit", "join", "on", "using", "indexed"})

# The learner's SQL runs here, in the grader, so each connection says what it may do.
# The screens' may read: the file is opened read-only, and this keeps the connection's own
# TEMP database and ATTACH out of reach as well, so every answer is read from the orders
# table the plans are explained against.
_READ_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_RECURSIVE,
        sqlite3.SQLITE_TRANSACTION,
        sqlite3.SQLITE_SAVEPOINT,
    }
)
# create_indexes may build, drop and analyze indexes (which reads the table and writes
# SQLite's own sqlite_master and sqlite_stat tables), and nothing else.
_INDEX_ACTIONS = _READ_ACTIONS | {
    sqlite3.SQLITE_CREATE_INDEX,
    sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_ANALYZE,
    sqlite3.SQLITE_REINDEX,
}
_CATALOG_WRITES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})


Row = tuple[int, int, str, str, int]


def build_orders(rng: random.Random, n: int) -> list[Row]:
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


class Screens:
    """The four screens' answers for any arguments, computed from the generated rows.

    The rows are in created_at order (ties by id), so filtering keeps that order and a
    day or a window is a slice found by bisection. Indexed once here, so that the fresh
    arguments of every timed round cost only the size of their answers.
    """

    def __init__(self, orders: list[Row]) -> None:
        self.orders = orders
        self.stamps = [r[3] for r in orders]
        self.by_customer: dict[int, list[Row]] = defaultdict(list)
        for r in orders:
            self.by_customer[r[1]].append(r)
        self.queues = {  # no queue asks for more than the oldest QUEUE_LIMITS[1]
            status: list(islice((r for r in orders if r[2] == status), QUEUE_LIMITS[1]))
            for status in set(QUEUE_STATUSES)
        }
        cents = [r[4] if r[2] == TOTALS_STATUS else 0 for r in orders]  # the finance tile's
        self.totals_count = [0, *accumulate(c > 0 for c in cents)]  # totals are never 0
        self.totals_cents = [0, *accumulate(cents)]

    def round(self, rng: random.Random, queue_status: str) -> list[Call]:
        """One call of each query with seeded arguments, and the answers the bench expects."""
        customer = rng.randint(1, CUSTOMERS)
        first = rng.randrange(DAYS - 60)
        start = (YEAR_START + timedelta(first)).isoformat()
        end = (YEAR_START + timedelta(first + rng.randint(7, 21))).isoformat()
        lo, hi = bisect_left(self.stamps, start), bisect_left(self.stamps, end)
        limit = rng.randint(*QUEUE_LIMITS)
        day = (YEAR_START + timedelta(rng.randrange(DAYS))).isoformat()
        next_day = (date.fromisoformat(day) + timedelta(1)).isoformat()
        on_day = self.orders[bisect_left(self.stamps, day) : bisect_left(self.stamps, next_day)]
        totals = (
            self.totals_count[hi] - self.totals_count[lo],
            self.totals_cents[hi] - self.totals_cents[lo],
        )
        return [
            Call(
                "customer_orders",
                (customer,),
                [(r[0], r[2], r[3], r[4]) for r in self.by_customer.get(customer, [])],
            ),
            Call("status_totals", (TOTALS_STATUS, start, end), totals),
            Call(
                "oldest_with_status",
                (queue_status, limit),
                [(r[0], r[1], r[3], r[4]) for r in self.queues[queue_status][:limit]],
            ),
            Call("orders_on_day", (day,), [(r[0], r[1], r[2], r[4]) for r in on_day]),
        ]

    def counted_rounds(self, rng: random.Random) -> list[list[Call]]:
        """The CALLS rounds whose work is counted: the same for every check of a seed."""
        return [self.round(rng, status) for status in QUEUE_STATUSES]

    def timed_round(self, rng: random.Random) -> list[Call]:
        """A round for the timing, with arguments of its own."""
        return self.round(rng, rng.choice(QUEUE_STATUSES))


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


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can only read the file: the screens', and the grader's own."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _only_reads(action: int, arg1: Any, arg2: Any, db: Any, source: Any) -> int:
    """sqlite3 authorizer for the screens' connection: reads, and PRAGMAs that only read."""
    if action in _READ_ACTIONS or (action == sqlite3.SQLITE_PRAGMA and arg2 is None):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _only_indexes(action: int, arg1: Any, arg2: Any, db: Any, source: Any) -> int:
    """sqlite3 authorizer for create_indexes: index statements and what they need."""
    if _only_reads(action, arg1, arg2, db, source) == sqlite3.SQLITE_OK:
        return sqlite3.SQLITE_OK
    if action in _INDEX_ACTIONS or (
        action in _CATALOG_WRITES and isinstance(arg1, str) and arg1.startswith("sqlite_")
    ):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class Gate:
    """A database as one subject sees it: it answers only while the grader waits on that
    subject, and says why when it does not.

    Any subject can name any service, so an ungated service would let the learner's code
    send its queries to the starter's connection, where their work counts as the
    starter's. The grader reads one subject's frames at a time, so opening a gate only
    around calls to its owner means only the owner is ever served. Only the SQL methods
    are public: a subject can call nothing else here.
    """

    def __init__(self, service: SqliteService, closed: str, refused: str = "") -> None:
        self._service = service
        self._closed = closed  # why a call outside the owner's turn is refused
        self._refused = refused  # what a statement the authorizer denied means
        self.open = False

    def execute(self, sql: Any, parameters: Any = ()) -> Any:
        """One statement."""
        return self._pass(self._service.execute, sql, parameters)

    def executemany(self, sql: Any, seq: Any) -> Any:
        """One statement per parameter set."""
        return self._pass(self._service.executemany, sql, seq)

    def executescript(self, script: Any) -> Any:
        """Several statements."""
        return self._pass(self._service.executescript, script)

    def commit(self) -> Any:
        """Commit the open transaction."""
        return self._pass(self._service.commit)

    def rollback(self) -> Any:
        """Roll back the open transaction."""
        return self._pass(self._service.rollback)

    def _pass(self, method: Callable[..., Any], *args: Any) -> Any:
        if not self.open:
            raise Refusal(f"ProgrammingError: {self._closed}")
        try:
            return method(*args)
        except Refusal as exc:
            if self._refused and "not authorized" in str(exc):
                raise Refusal(f"OperationalError: {self._refused}") from None
            raise


@contextmanager
def turn(gate: Gate) -> Iterator[None]:
    """The gate open for as long as the grader waits on its owner."""
    gate.open = True
    try:
        yield
    finally:
        gate.open = False


def _work(sql: str) -> str:
    return _LEADING_COMMENTS.sub("", sql, count=1)


def set_up(
    ctx: LabContext, side: Subject, pristine: Path, path: Path, *, yours: bool
) -> list[tuple[str, str]]:
    """Copy the table, run the side's create_indexes on a writable connection served to it,
    and close that connection for good; (name, definition) of every index on orders.
    Anything but index statements fails the check."""
    shutil.copyfile(pristine, path)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a scratch copy: no need to wait for the disk
        service = SqliteService(conn)
        conn.set_authorizer(_only_indexes)
        gate = Gate(
            service,
            "create_indexes has returned, and its connection is closed: each query function "
            "reads through the conn it is passed",
            "create_indexes may only CREATE INDEX, DROP INDEX or ANALYZE: the table and its "
            "data are the bench's",
        )
        mark = service.mark()
        with turn(gate):
            side.run("create_indexes", ctx.serve(gate, "sqlite"))
        traced = [_work(sql) for sql in service.since(mark)[0]]
        for sql in traced:
            if yours and not _ALLOWED_SETUP.match(sql):
                raise WrongAnswer(
                    f"create_indexes ran {_clip(sql)!r}: it may only CREATE INDEX, "
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


class Side:
    """One subject and the read-only database it queries, counted and explained here."""

    def __init__(self, ctx: LabContext, subject: Subject, path: Path) -> None:
        self.subject = subject
        conn = open_read_only(path)
        self.service = SqliteService(conn)
        conn.set_authorizer(_only_reads)  # stricter than the service's own (no ATTACH)
        self.gate = Gate(
            self.service,
            "this connection belongs to another run of the queries: use the conn each "
            "function is given",
            "the screens' connection only reads the orders table: no TEMP tables, no "
            "ATTACH, no changed settings (indexes belong in create_indexes)",
        )
        self.handle = ctx.serve(self.gate, "sqlite")
        self.explainer = open_read_only(path)  # the grader's own: plans are asked here

    def run(self, fn: str, *args: Any) -> Any:
        """A driver call with this side's connection, served only while it runs."""
        with turn(self.gate):
            return self.subject.run(fn, self.handle, *args)

    def plan(self, sql: str) -> list[str]:
        """EXPLAIN QUERY PLAN of a statement the side ran, on the grader's connection."""
        try:
            return [row[3] for row in self.explainer.execute("EXPLAIN QUERY PLAN " + sql)]
        except sqlite3.Error as exc:
            return [f"(no plan: {exc})"]

    def close(self) -> None:
        """Release both connections."""
        self.service.conn.close()
        self.explainer.close()


def _as_rows(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [tuple(v) if isinstance(v, list | tuple) else v for v in value]
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
    same = sorted(want, key=repr) == sorted(rows, key=repr)
    order = " (the same rows in another order: keep the ORDER BY)" if same else ""
    return f"{call.show()}, row {index + 1}: expected {want[index]!r}, got {rows[index]!r}{order}"


def _no_select(call: Call) -> str:
    return (
        f"{call.show()} answered without running a SELECT on conn: the lab measures the "
        "database's work, so each query must ask the database (no answers kept in Python)"
    )


@dataclass
class Run:
    """Everything one side's counted calls showed: steps per query and plans per query."""

    steps: dict[str, int]
    plans: dict[str, list[tuple[str, list[str]]]]  # query -> [(sql, plan lines)]

    @property
    def total(self) -> int:
        """VM steps of all calls."""
        return sum(self.steps.values())


def run_counted(side: Side, rounds: list[list[Call]], *, check: bool) -> Run:
    """Every counted call, one request each, with its steps and the plans of its SQL;
    the candidate's answers are checked against the reference as they come."""
    steps: dict[str, int] = dict.fromkeys(QUERIES, 0)
    plans: dict[str, list[tuple[str, list[str]]]] = {q: [] for q in QUERIES}
    for calls in rounds:
        for call in calls:
            mark = side.service.mark()
            got = side.run("call", call.query, call.args)
            traced, used = side.service.since(mark)
            sql = [_work(s) for s in traced]
            if check:
                problem = first_difference(call, got)
                if problem:
                    raise WrongAnswer(problem)
                if not any(_READS.match(s) for s in sql):
                    raise WrongAnswer(_no_select(call))
            steps[call.query] += used
            for text in sql:
                if not any(text == seen for seen, _ in plans[call.query]):
                    plans[call.query].append((text, side.plan(text)))
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
    liked = _LIKE.findall(text)
    if liked and not fixed:
        return (
            f"{liked[0]} LIKE … cannot use an index on {liked[0]}: SQLite's LIKE ignores case "
            "by default, and an index built with the default BINARY collation is sorted by "
            "exact bytes, so it cannot find a case-insensitive match. Ask for a range on the "
            f"bare column instead ({liked[0]} >= ? AND {liked[0]} < ?, e.g. the day and "
            "date(?, '+1 day')), which that index serves; GLOB, which is case-sensitive, "
            "can use it too"
        )
    column = f"{fixed[0]} (compared with =)" if fixed else "the column this query filters on"
    match = _SCAN.match(line)
    if match and match.group(2):
        name = match.group(2)
        return (
            f"it walks {name} {indexes.get(name, '')} in order to skip a sort, checking each "
            f"entry it passes (all of them, unless a LIMIT is met early): an index is "
            f"searched by its leading columns, and this query needs one that starts with "
            f"{column}"
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
    service = SqliteService(sqlite3.connect(path))
    try:
        service.conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", rows)
        service.conn.rollback()
        return service.vm_steps
    finally:
        service.conn.close()


@dataclass
class TimedWork:
    """What the timed rounds showed beyond their answers: how many there were, and the most
    VM steps per round in one timed call (a call runs one or more rounds)."""

    worst_round: int = 0
    rounds: int = 0


def grade(ctx: LabContext) -> Grade:
    """Identical answers first; then scans, VM steps, index count and the timed speedup."""
    orders = build_orders(ctx.rng("orders"), ROWS)
    screens = Screens(orders)
    rounds = screens.counted_rounds(ctx.rng("calls"))
    pristine = write_db(orders, ctx.workdir)
    base_path = pristine.with_name(f"starter-{pristine.name}")
    cand_path = pristine.with_name(f"yours-{pristine.name}")
    indexes = set_up(ctx, ctx.candidate, pristine, cand_path, yours=True)
    base_indexes = set_up(ctx, ctx.baseline, pristine, base_path, yours=False)
    mine, theirs = Side(ctx, ctx.candidate, cand_path), Side(ctx, ctx.baseline, base_path)
    try:
        cand_run = run_counted(mine, rounds, check=True)
        base_run = run_counted(theirs, rounds, check=False)
        scans, scan_detail = scans_detail(cand_run, dict(indexes))
        base_scans, _ = scans_detail(base_run, {})
        # Scans and indexes are final; the steps graded are never below the counted rounds'.
        ctx.counted("full_scans", Measured(scans, base_scans))
        ctx.counted("index_count", Measured(len(indexes), len(base_indexes)))
        ctx.counted("vm_steps", Measured(cand_run.total, base_run.total))
        later = TimedWork()
        speed = ctx.speedup("speedup", _trial(ctx, screens, mine, theirs, later), clock="cpu")
    finally:
        mine.close()
        theirs.close()
    limit = ctx.goals["index_count"].threshold(None) or 0
    steps_limit = ctx.goals["vm_steps"].threshold(base_run.total) or 0
    steps, detail = cand_run.total, steps_detail(cand_run, base_run, steps_limit, dict(indexes))
    if steps <= steps_limit < later.worst_round * CALLS:
        steps = later.worst_round * CALLS
        detail = (
            f"timed rounds, each with arguments of its own, ran up to {later.worst_round:,} VM "
            f"steps per round; {CALLS} such rounds are {steps:,}, where the {CALLS} counted "
            f"rounds took {cand_run.total:,}. The work is counted on every call, not only the "
            "first ones"
        )
    metrics = {
        "full_scans": Measured(scans, base_scans, detail=scan_detail),
        "vm_steps": Measured(steps, base_run.total, detail=detail),
        "index_count": Measured(
            len(indexes), len(base_indexes), detail=indexes_detail(indexes, cand_run, limit)
        ),
        "speedup": speed,
    }
    new_rows = _new_rows(ctx, len(orders))
    bare, yours = insert_cost(pristine, new_rows), insert_cost(cand_path, new_rows)
    notes = [
        f"This seed: {len(orders):,} orders; each query ran {CALLS} counted times with "
        "different arguments, and the plans are EXPLAIN QUERY PLAN of the SQL your functions "
        "ran."
        + (
            f" Each of the {later.rounds:,} timed rounds had arguments of its own."
            if later.rounds
            else ""
        ),
        f"Write cost: inserting {INSERTED:,} orders took {bare:,} VM steps with no index and "
        f"{yours:,} with your {len(indexes)} ({yours / max(bare, 1):.1f}×).",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _trial(ctx: LabContext, screens: Screens, mine: Side, theirs: Side, later: TimedWork) -> Trial:
    """Timed rounds with fresh arguments; every candidate answer is checked, and every
    candidate call must still ask the database."""

    def run(subject: Subject, units: list[list[Call]]) -> Any:
        side = mine if subject is mine.subject else theirs
        mark = side.service.mark()
        out = side.run("rounds", [[(c.query, c.args) for c in calls] for calls in units])
        if not isinstance(out, list):
            raise WrongAnswer(f"{len(units)} timed rounds came back as {out!r:.80}")
        if side is mine:
            traced, used = side.service.since(mark)
            reads = sum(1 for s in traced if _READS.match(_work(s)))
            if reads < len(QUERIES) * len(units):
                raise WrongAnswer(
                    f"{len(units) * len(QUERIES)} timed calls ran only {reads} SELECTs: "
                    "the lab measures the database's work, so each query must ask the "
                    "database (no answers kept in Python)"
                )
            later.worst_round = max(later.worst_round, used // len(units))
            later.rounds += len(units)
        return out

    def check(calls: list[Call], got: Any) -> str | None:
        if not isinstance(got, list) or len(got) != len(calls):
            return f"a round of {len(calls)} calls returned {got!r}"
        for call, answer in zip(calls, got, strict=True):
            problem = first_difference(call, answer)
            if problem:
                return (
                    f"{problem}. Every timed round asks with seeded arguments of its own: "
                    "an answer kept from an earlier call belongs to other arguments"
                )
        return None

    return Trial(make=lambda i: screens.timed_round(ctx.rng(f"timed-{i}")), run=run, check=check)


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


def workload(ctx: LabContext) -> Workload:
    """PROFILED_ROUNDS rounds of the four calls on the learner's own indexes (built before
    the profile starts)."""
    orders = build_orders(ctx.rng("workload"), ROWS)
    screens = Screens(orders)
    rng = ctx.rng("workload-calls")
    pristine = write_db(orders, ctx.workdir)
    path = pristine.with_name(f"profiled-{pristine.name}")
    set_up(ctx, ctx.candidate, pristine, path, yours=True)
    side = Side(ctx, ctx.candidate, path)
    side.gate.open = True  # a profile has one subject: its connection stays open
    batch = [[(c.query, c.args) for c in screens.timed_round(rng)] for _ in range(PROFILED_ROUNDS)]
    return Workload("rounds", (side.handle, batch))
