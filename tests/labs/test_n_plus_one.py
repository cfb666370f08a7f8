"""The n-plus-one lab through the real check: the starter fails, both taught fixes pass,
and every tempting shortcut fails with a message that says why."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "n-plus-one"
SEED = 424242

STARTER = (LAB_DIR / "starter" / "orders.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "orders.py").read_text()

BATCHED = '''"""Three statements: the orders, all their lines, all the products those lines use."""

from __future__ import annotations

import sqlite3
from typing import Any


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    orders = conn.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id", (since,)
    ).fetchall()
    order_ids = [row[0] for row in orders]
    lines: dict[int, list[tuple[int, int]]] = {order_id: [] for order_id in order_ids}
    rows = conn.execute(
        "SELECT order_id, product_id, quantity FROM order_items"
        f" WHERE order_id IN ({_marks(len(order_ids))}) ORDER BY id",
        order_ids,
    ).fetchall()
    for order_id, product_id, quantity in rows:
        lines[order_id].append((product_id, quantity))
    product_ids = sorted({product_id for _, product_id, _ in rows})
    products = {
        product_id: (sku, name, price)
        for product_id, sku, name, price in conn.execute(
            "SELECT id, sku, name, price_cents FROM products"
            f" WHERE id IN ({_marks(len(product_ids))})",
            product_ids,
        )
    }
    report = []
    for order_id, customer, placed_at in orders:
        items = []
        for product_id, quantity in lines[order_id]:
            sku, name, price = products[product_id]
            items.append({"sku": sku, "product": name, "quantity": quantity,
                          "unit_price_cents": price, "line_cents": quantity * price})
        report.append({"order_id": order_id, "customer": customer, "placed_at": placed_at,
                       "items": items, "total_cents": sum(i["line_cents"] for i in items)})
    return report
'''

LRU_PRODUCTS = '''"""Lines from one JOIN, products from a per-row lookup behind lru_cache."""

from __future__ import annotations

import functools
import sqlite3
from typing import Any


@functools.lru_cache(maxsize=None)
def load_product(conn: sqlite3.Connection, product_id: int) -> tuple[str, str, int]:
    return conn.execute(
        "SELECT sku, name, price_cents FROM products WHERE id = ?", (product_id,)
    ).fetchone()


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    report: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for order_id, customer, placed_at, product_id, quantity in conn.execute(
        "SELECT o.id, o.customer, o.placed_at, i.product_id, i.quantity FROM orders o"
        " LEFT JOIN order_items i ON i.order_id = o.id"
        " WHERE o.placed_at >= ? ORDER BY o.id, i.id",
        (since,),
    ):
        if current.get("order_id") != order_id:
            current = {"order_id": order_id, "customer": customer, "placed_at": placed_at,
                       "items": [], "total_cents": 0}
            report.append(current)
        if product_id is None:
            continue
        sku, name, price = load_product(conn, product_id)
        current["items"].append({"sku": sku, "product": name, "quantity": quantity,
                                 "unit_price_cents": price, "line_cents": quantity * price})
        current["total_cents"] += quantity * price
    return report
'''


def edit(source: str, old: str, new: str) -> str:
    """Replace one piece of a lab file, failing loudly if the lab file changed under us."""
    assert old in source, f"the lab file no longer contains {old!r}"
    return source.replace(old, new)


REPORT_HEAD = "    report: list[dict[str, Any]] = []\n"

SECOND_CONNECTION = edit(
    SOLUTION,
    REPORT_HEAD,
    '    path = conn.execute("PRAGMA database_list").fetchone()[2]\n'
    "    conn = sqlite3.connect(path)\n" + REPORT_HEAD,
)

IN_MEMORY_COPY = edit(
    STARTER,
    "def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n",
    "_COPY: list[sqlite3.Connection] = []\n\n\n"
    "def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n"
    "    if not _COPY:\n"
    '        _COPY.append(sqlite3.connect(":memory:"))\n'
    "        conn.backup(_COPY[0])\n"
    "    conn = _COPY[0]\n",
)

PRODUCT_DICT = edit(
    edit(
        edit(
            STARTER,
            "    orders = conn.execute(\n",
            "    _SEEN.clear()\n    orders = conn.execute(\n",
        ),
        "def load_lines(",
        "_SEEN: dict[int, tuple[str, str, int]] = {}\n\n\ndef load_lines(",
    ),
    "        sku, name, price_cents = load_product(conn, product_id)\n",
    "        if product_id not in _SEEN:  # cleared by every report, so never stale\n"
    "            _SEEN[product_id] = load_product(conn, product_id)\n"
    "        sku, name, price_cents = _SEEN[product_id]\n",
)

TEMP_TABLE_EXECUTEMANY = edit(
    edit(
        edit(
            SOLUTION,
            REPORT_HEAD,
            '    ids = conn.execute("SELECT id FROM orders WHERE placed_at >= ?", (since,))\n'
            '    conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id INTEGER PRIMARY KEY)")\n'
            '    conn.execute("DELETE FROM wanted")\n'
            '    conn.executemany("INSERT INTO wanted VALUES (?)", ids.fetchall())\n' + REPORT_HEAD,
        ),
        "    WHERE o.placed_at >= ?\n",
        "    WHERE o.id IN (SELECT id FROM temp.wanted)\n",
    ),
    "conn.execute(\n        REPORT_SQL, (since,)\n    )",
    "conn.execute(REPORT_SQL)",
)

EXECUTEMANY_SELECT = edit(
    STARTER,
    "    report = []\n",
    "    conn.executemany(\n"
    '        "SELECT product_id, quantity FROM order_items WHERE order_id = ?",\n'
    "        [(row[0],) for row in orders],\n"
    "    )\n"
    "    report = []\n",
)

INNER_JOIN = edit(
    edit(SOLUTION, "LEFT JOIN order_items", "JOIN order_items"),
    "LEFT JOIN products",
    "JOIN products",
)

NAME_KEYED = edit(
    edit(
        BATCHED,
        "            sku, name, price = products[product_id]\n",
        "            sku, name, price = by_name[products[product_id][1]]\n",
    ),
    "    report = []\n",
    "    by_name = {name: (sku, name, price) for sku, name, price in products.values()}\n"
    "    report = []\n",
)

DETACHED_COUNTER = edit(SOLUTION, REPORT_HEAD, "    conn.set_trace_callback(None)\n" + REPORT_HEAD)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson_and_brief(lab, "basic-optimization", 1)
    assert [m.name for m in lab.metrics] == ["select_statements", "speedup"]
    assert lab.metrics[0].deterministic
    assert not lab.metrics[1].deterministic


def test_starter_fails_statements_and_speed(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    metrics = metric_rows(result)
    statements = metrics["select_statements"]
    assert statements.verdict == "fail"
    assert statements.value == statements.baseline
    assert statements.value is not None and statements.value > 500
    assert "from products where id = ?" in statements.detail
    assert "once per order line" in statements.detail
    assert metrics["speedup"].verdict == "fail"
    assert any("1 + N + N·M" in note for note in result.notes)


def test_reference_join_passes(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SOLUTION)
    assert result.verdict == "pass", result.message
    metrics = metric_rows(result)
    assert metrics["select_statements"].value == 1
    assert "none repeated per row" in metrics["select_statements"].detail


def test_batched_in_queries_pass(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, BATCHED)
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["select_statements"].value == 3


def test_second_connection_to_the_same_file_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SECOND_CONNECTION)
    assert result.verdict == "error"
    assert "reachable only through the connection you are given" in result.message
    assert result.where.startswith("orders.py line")


def test_in_memory_copy_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, IN_MEMORY_COPY)
    assert result.verdict == "error"
    assert "reachable only through the connection you are given" in result.message


def test_caching_products_still_runs_a_query_per_order(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, PRODUCT_DICT)
    assert result.verdict == "fail"
    statements = metric_rows(result)["select_statements"]
    assert statements.verdict == "fail"
    assert "from order_items where order_id = ?" in statements.detail
    assert "once per order" in statements.detail


def test_lru_cache_still_pays_one_query_per_product(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LRU_PRODUCTS)
    assert result.verdict == "fail"
    statements = metric_rows(result)["select_statements"]
    assert statements.verdict == "fail"
    assert "once per distinct product" in statements.detail


def test_executemany_into_a_temp_table_counts_every_row(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, TEMP_TABLE_EXECUTEMANY)
    assert result.verdict == "fail"
    statements = metric_rows(result)["select_statements"]
    assert statements.verdict == "fail"
    assert "insert into wanted values (?)" in statements.detail
    assert "once per order" in statements.detail


def test_executemany_of_a_select_is_an_error(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, EXECUTEMANY_SELECT)
    assert result.verdict == "error"
    assert "executemany() can only execute DML statements" in result.message
    assert result.where.startswith("orders.py line")


def test_inner_join_drops_orders_without_lines(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, INNER_JOIN)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result:")
    assert "is missing: it has no lines" in result.message
    assert "LEFT JOIN" in result.message


def test_products_that_share_a_name_are_told_apart(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, NAME_KEYED)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result:")
    assert ", line " in result.message


def test_detaching_a_trace_callback_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    """The grader counts where the database runs: the learner's connection only forwards."""
    result = check(lab, tmp_path, DETACHED_COUNTER)
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["select_statements"].value == 1


def test_a_report_cached_across_calls_is_caught(lab: Lab, tmp_path: Path) -> None:
    """The data changes before every timed report: a remembered report is a wrong one."""
    cached = edit(
        SOLUTION,
        "def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n",
        "_MEMO: list[Any] = []\n\n\n"
        "def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n"
        "    if not _MEMO:\n"
        "        _MEMO.append(_report(conn, since))\n"
        "    return _MEMO[0]\n\n\n"
        "def _report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n",
    )
    result = check(lab, tmp_path, cached)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result:")
    assert "timed repetition" in result.message and "is stale" in result.message
    assert metric_rows(result)["speedup"].verdict == "unmeasured"


def test_hard_coded_report_fails_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    rng = random.Random(f"{SEED}:shop")
    recorded = bench.expected_report(bench.build_shop(rng, rng.randint(*bench.GRADE_ORDERS)))
    source = (
        "import json\n\n"
        f"REPORT = json.loads({json.dumps(json.dumps(recorded))})\n\n\n"
        "def order_report(conn, since):\n"
        "    return REPORT\n"
    )
    result = check(lab, tmp_path, source, seed=SEED + 1)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result:")


def test_counted_metrics_repeat_exactly_for_a_seed(lab: Lab, tmp_path: Path) -> None:
    first = metric_rows(check(lab, tmp_path, PRODUCT_DICT))
    second = metric_rows(check(lab, tmp_path, PRODUCT_DICT))
    for name in ("select_statements",):
        assert (first[name].value, first[name].baseline, first[name].detail) == (
            second[name].value,
            second[name].baseline,
            second[name].detail,
        )


def test_statements_are_counted_whatever_their_disguise() -> None:
    bench = load_bench(LAB_DIR)
    traced = [
        "BEGIN ",
        "/* cached */ SELECT 1",
        "-- note\n  select 2",
        "PRAGMA database_list",
        "INSERT INTO wanted VALUES (7)",
        "COMMIT",
    ]
    assert bench.work_statements(traced) == [
        "SELECT 1",
        "select 2",
        "INSERT INTO wanted VALUES (7)",
    ]


def test_profile_shows_the_per_row_statements(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    calls = {row["function"]: row["ncalls"] for row in report["rows"]}
    executes = [n for function, n in calls.items() if "execute" in function]
    assert executes and max(executes) > 1000


def test_the_starters_connection_cannot_be_borrowed(lab: Lab, tmp_path: Path) -> None:
    """Services answer only the process they were given to: guessing the starter's handle
    (to run the per-row statements where they are not counted) is refused."""
    borrowed = edit(
        STARTER,
        "def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n",
        "def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:\n"
        "    from perfcoach.driverkit import Remote, RemoteConnection\n"
        "    mine = conn._remote\n"
        "    for guess in (mine._handle - 1, mine._handle + 1):\n"
        "        try:\n"
        "            conn = RemoteConnection(Remote(mine._channel, guess))\n"
        '            conn.execute("SELECT 1").fetchall()\n'
        "            break\n"
        "        except sqlite3.DatabaseError:\n"
        "            conn = RemoteConnection(mine)\n",
    )
    result = check(lab, tmp_path, borrowed)
    assert result.verdict == "fail"
    assert metric_rows(result)["select_statements"].verdict == "fail"
