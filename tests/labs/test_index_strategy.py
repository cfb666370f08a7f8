"""The index-strategy lab through the real check: the starter fails, every taught index
design passes, and each tempting wrong design fails with a message that says why."""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path
from typing import Any

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "index-strategy"
SEED = 515151

STARTER = (LAB_DIR / "starter" / "queries.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "queries.py").read_text()


def with_indexes(*statements: str, source: str = STARTER) -> str:
    """The starter (or source) with create_indexes running exactly these statements."""
    body = "\n".join(f'    conn.execute("{s}")' for s in statements)
    new, count = re.subn(
        r'(def create_indexes.*?"""\n).*?(?=\n\n\ndef )',
        lambda m: m.group(1) + body,
        source,
        flags=re.DOTALL,
    )
    assert count == 1, "create_indexes is no longer where the test expects it"
    return new


def edit(source: str, old: str, new: str) -> str:
    """Replace one piece of a lab file, failing loudly if the lab file changed under us."""
    assert old in source, f"the lab file no longer contains {old!r}"
    return source.replace(old, new)


RANGE_REWRITE = edit(
    with_indexes(
        "CREATE INDEX orders_customer ON orders (customer_id)",
        "CREATE INDEX orders_status_created ON orders (status, created_at)",
        "CREATE INDEX orders_created ON orders (created_at)",
    ),
    '" WHERE date(created_at) = ? ORDER BY id",\n        (day,),',
    "\" WHERE created_at >= ? AND created_at < date(?, '+1 day') ORDER BY id\",\n"
    "        (day, day),",
)
COVERING = with_indexes(
    "CREATE INDEX orders_customer ON orders (customer_id, created_at)",
    "CREATE INDEX orders_status_created ON orders (status, created_at, total_cents)",
    "CREATE INDEX orders_day ON orders (date(created_at))",
)
EVERY_COLUMN = with_indexes(
    "CREATE INDEX orders_customer ON orders (customer_id)",
    "CREATE INDEX orders_status ON orders (status)",
    "CREATE INDEX orders_created ON orders (created_at)",
    "CREATE INDEX orders_total ON orders (total_cents)",
    "CREATE INDEX orders_day ON orders (date(created_at))",
)
WRONG_ORDER = with_indexes(
    "CREATE INDEX orders_customer ON orders (customer_id)",
    "CREATE INDEX orders_created_status ON orders (created_at, status)",
    "CREATE INDEX orders_day ON orders (date(created_at))",
)
SINGLE_COLUMNS = edit(
    RANGE_REWRITE,
    "CREATE INDEX orders_status_created ON orders (status, created_at)",
    "CREATE INDEX orders_status ON orders (status)",
)
FUNCTION_LEFT = with_indexes(
    "CREATE INDEX orders_customer ON orders (customer_id, created_at)",
    "CREATE INDEX orders_status_created ON orders (status, created_at)",
    "CREATE INDEX orders_created ON orders (created_at)",
)
LIKE_PREFIX = edit(
    FUNCTION_LEFT,
    '" WHERE date(created_at) = ? ORDER BY id",\n        (day,),',
    '" WHERE created_at LIKE ? ORDER BY id",\n        (day + "%",),',
)
CACHE_TABLE = with_indexes("CREATE TABLE day_cache AS SELECT * FROM orders")
SECOND_CONNECTION = edit(
    SOLUTION,
    "    count, cents = conn.execute(",
    '    sqlite3.connect(":memory:").close()\n    count, cents = conn.execute(',
)
PYTHON_SIDE = (
    edit(
        SOLUTION,
        "    count, cents = conn.execute(",
        "    if not _ROWS:\n"
        '        _ROWS.extend(conn.execute("SELECT status, created_at, total_cents FROM orders"))\n'
        "    cents = [t for s, c, t in _ROWS if s == status and start <= c < end]\n"
        "    return len(cents), sum(cents)\n"
        "    count, cents = conn.execute(",
    )
    + "\n\n_ROWS: list[tuple[str, str, int]] = []\n"
)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson_and_brief(lab, "database-optimization", 2)
    assert [m.name for m in lab.metrics] == ["full_scans", "vm_steps", "index_count", "speedup"]
    assert all(m.deterministic for m in lab.metrics[:3])
    assert not lab.metrics[3].deterministic


def test_starter_fails_scans_and_steps(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    metrics = metric_rows(result)
    scans = metrics["full_scans"]
    assert scans.verdict == "fail"
    assert scans.value == scans.baseline == 3
    assert scans.detail.startswith("customer_orders: SCAN orders USING INDEX orders_created")
    assert "starts with customer_id" in scans.detail
    steps = metrics["vm_steps"]
    assert steps.verdict == "fail" and steps.value == steps.baseline
    assert "orders_on_day" in steps.detail
    assert "date(created_at) hides the column" in steps.detail
    assert metrics["index_count"].verdict == "pass"
    assert metrics["speedup"].verdict == "fail"


def test_reference_composite_and_expression_indexes_pass(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SOLUTION)
    assert result.verdict == "pass", result.message
    metrics = metric_rows(result)
    assert metrics["full_scans"].value == 0
    steps = metrics["vm_steps"]
    assert steps.value is not None and steps.baseline is not None
    assert steps.value * 60 < steps.baseline  # far inside the 1/20 target
    assert metrics["index_count"].value == 3
    assert any("Write cost" in note for note in result.notes)


def test_range_rewrite_of_the_function_query_passes(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RANGE_REWRITE)
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["full_scans"].value == 0


def test_covering_index_passes(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, COVERING)
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["full_scans"].value == 0


def test_indexing_every_column_exceeds_the_budget(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, EVERY_COLUMN)
    assert result.verdict == "fail"
    indexes = metric_rows(result)["index_count"]
    assert indexes.verdict == "fail" and indexes.value == 5
    assert "over the budget of 3" in indexes.detail
    for name in ("orders_customer", "orders_status", "orders_created", "orders_total"):
        assert name in indexes.detail
    assert "no query used" in indexes.detail and "orders_total" in indexes.detail.split("used")[1]


def test_wrong_column_order_still_scans(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, WRONG_ORDER)
    assert result.verdict == "fail" and result.correct
    scans = metric_rows(result)["full_scans"]
    assert scans.verdict == "fail" and scans.value == 1
    assert scans.detail.startswith(
        "oldest_with_status: SCAN orders USING INDEX orders_created_status"
    )
    assert "(created_at, status)" in scans.detail
    assert "starts with status (compared with =)" in scans.detail


def test_single_column_indexes_read_every_row_of_a_status(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SINGLE_COLUMNS)
    assert result.verdict == "fail" and result.correct
    rows = metric_rows(result)
    assert rows["full_scans"].value == 0
    steps = rows["vm_steps"]
    assert steps.verdict == "fail"
    assert steps.baseline is not None and steps.value is not None
    assert steps.value * 15 > steps.baseline  # far from 1/20
    assert "status_totals" in steps.detail
    assert "add the range column after it in the same index" in steps.detail


def test_function_on_the_column_is_named(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, FUNCTION_LEFT)
    assert result.verdict == "fail"
    scans = metric_rows(result)["full_scans"]
    assert scans.verdict == "fail" and scans.value == 1
    assert scans.detail.startswith("orders_on_day: SCAN orders —")
    assert "date(created_at) hides the column" in scans.detail


def test_create_indexes_may_only_create_indexes(lab: Lab, tmp_path: Path) -> None:
    """Refused where it runs, so the table is never copied, with the rule in the message."""
    result = check(lab, tmp_path, CACHE_TABLE)
    assert result.verdict == "error"
    assert "create_indexes may only CREATE INDEX, DROP INDEX or ANALYZE" in result.message
    assert result.where.startswith("queries.py line")


def test_like_on_the_column_names_the_collation(lab: Lab, tmp_path: Path) -> None:
    """LIKE 'day%' looks like a prefix search, but SQLite's LIKE ignores case by default
    and cannot use an index built with the default (BINARY) collation."""
    result = check(lab, tmp_path, LIKE_PREFIX)
    assert result.verdict == "fail" and result.correct
    scans = metric_rows(result)["full_scans"]
    assert scans.verdict == "fail" and scans.value == 1
    assert scans.detail.startswith("orders_on_day: SCAN orders —")
    assert "SQLite's LIKE ignores case by default" in scans.detail
    assert "default BINARY collation" in scans.detail
    assert "created_at >= ? AND created_at < ?" in scans.detail


def test_answers_kept_in_python_are_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, PYTHON_SIDE)
    assert result.verdict == "fail" and result.correct is False
    assert "answered without running a SELECT on conn" in result.message


def test_a_connection_of_its_own_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SECOND_CONNECTION)
    assert result.verdict == "error"
    assert "reachable only through the connection you are given" in result.message
    assert result.where.startswith("queries.py line")


def test_hard_coded_answers_fail_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    orders = bench.build_orders(random.Random(f"{SEED}:orders"), bench.ROWS)  # ctx.rng("orders")
    rounds = bench.Screens(orders).counted_rounds(random.Random(f"{SEED}:calls"))
    recorded: dict[str, list[Any]] = {}
    for calls in rounds:
        for call in calls:
            recorded.setdefault(call.query, []).append(call.expected)
    source = (
        "import json\n\n"
        f"ANSWERS = json.loads({json.dumps(json.dumps(recorded))})\n"
        "CALLS = {name: 0 for name in ANSWERS}\n\n\n"
        "def create_indexes(conn):\n"
        "    pass\n\n\n"
        "def _answer(conn, name):\n"
        '    conn.execute("SELECT 1").fetchall()\n'
        "    answer = ANSWERS[name][CALLS[name] % len(ANSWERS[name])]\n"
        "    CALLS[name] += 1\n"
        "    return [tuple(row) for row in answer] if name != 'status_totals' else tuple(answer)\n"
        "\n\n"
        "def customer_orders(conn, customer_id):\n"
        "    return _answer(conn, 'customer_orders')\n\n\n"
        "def status_totals(conn, status, start, end):\n"
        "    return _answer(conn, 'status_totals')\n\n\n"
        "def oldest_with_status(conn, status, limit):\n"
        "    return _answer(conn, 'oldest_with_status')\n\n\n"
        "def orders_on_day(conn, day):\n"
        "    return _answer(conn, 'orders_on_day')\n"
    )
    result = check(lab, tmp_path, source, seed=SEED + 1)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: customer_orders(conn, ")


def test_counted_metrics_repeat_exactly_for_a_seed(lab: Lab, tmp_path: Path) -> None:
    first = check(lab, tmp_path, SINGLE_COLUMNS)
    second = check(lab, tmp_path, SINGLE_COLUMNS)
    rows = metric_rows(first), metric_rows(second)
    for name in ("full_scans", "vm_steps", "index_count"):
        a, b = rows[0][name], rows[1][name]
        assert (a.value, a.baseline, a.detail) == (b.value, b.baseline, b.detail)
    assert first.notes[1:] == second.notes[1:]  # the first counts the timed rounds too


def test_profile_shows_the_wait_for_the_database(lab: Lab) -> None:
    """The learner's code spends its time waiting for answers: the work is the database's."""
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    slowest = max(report["rows"], key=lambda row: row["tottime_s"])
    assert "acquire" in slowest["function"]
    assert any("index-strategy/driver.py" in row["where"] for row in report["rows"])


# Attempts to pass without fixing the indexes. Each must fail; the grader's own figures
# (the plans it asks for, the VM steps it counts, the CPU time it reads from the kernel)
# are out of the learner's reach.

FIRST_QUERY = "def customer_orders("
QUERY_FUNCTIONS = ("customer_orders", "status_totals", "oldest_with_status", "orders_on_day")


def before_queries(source: str, code: str) -> str:
    """source with code inserted at module level just before the first query function."""
    return edit(source, FIRST_QUERY, code + "\n\n" + FIRST_QUERY)


def at_every_query(source: str, line: str) -> str:
    """source with line run first in each of the four query functions."""
    for name in QUERY_FUNCTIONS:
        head = re.search(rf'def {name}\(.*?"""\n', source, re.DOTALL)  # to its docstring's end
        assert head is not None, f"{name} is no longer where the test expects it"
        source = source.replace(head.group(0), head.group(0) + f"    {line}\n", 1)
    return source


REPLACED_CLOCKS_AND_DRIVER = before_queries(
    STARTER,
    "import sys\n"
    "import time\n\n"
    "time.perf_counter = time.process_time = time.thread_time = lambda: 0.0\n"
    'DRIVER = sys.modules["perfcoach_lab_driver"]\n'
    "DRIVER.rounds = lambda module, conn, batch: [[None] * 4 for _ in batch]\n"
    "DRIVER._rows = lambda answer: answer",
)
STOPPED_VM_COUNTER = at_every_query(STARTER, "conn.set_progress_handler(None, 0)")
DETACHED_TRACE = at_every_query(SOLUTION, "conn.set_trace_callback(None)")
FORGED_RESULT = before_queries(
    with_indexes("CREATE INDEX orders_forged ON orders (status)").replace(
        '    conn.execute("CREATE INDEX orders_forged ON orders (status)")', "    _forge()"
    ),
    "import os\n"
    "from pathlib import Path\n\n\n"
    "def _forge() -> None:\n"
    '    verdict = \'{"status": "ok", "grade": {"correct": true, "metrics": {}}}\'\n'
    '    for name in ("result.json", ".result.json", "grade.json"):\n'
    "        Path(name).write_text(verdict)\n"
    "    os._exit(0)",
)
REACHES_FOR_THE_REFERENCE = before_queries(
    with_indexes("CREATE INDEX orders_reached ON orders (status)").replace(
        '    conn.execute("CREATE INDEX orders_reached ON orders (status)")',
        "    exec(_reference(), globals())",
    ),
    "import sys\n"
    "from perfcoach.paths import builtin_pack_root\n\n\n"
    "def _reference() -> str:\n"
    "    frame = sys._getframe()\n"
    "    while frame is not None:\n"
    '        assert "expected" not in frame.f_locals, "an expected answer is on the stack"\n'
    "        frame = frame.f_back\n"
    '    assert "perfcoach_lab_bench" not in sys.modules, "the bench is in this process"\n'
    '    solution = builtin_pack_root() / "labs" / "index-strategy" / "solution"\n'
    '    return (solution / "queries.py").read_text()',
)
OTHER_CONNECTIONS = at_every_query(
    before_queries(
        STARTER,
        "from perfcoach.driverkit import Remote, RemoteConnection\n\n\n"
        "def _elsewhere(conn):\n"
        '    """Any other connection the grader serves: the starter\'s, or the setup one."""\n'
        "    own = conn._remote\n"
        "    for handle in range(1, 20):\n"
        "        if handle == own._handle:\n"
        "            continue\n"
        "        other = RemoteConnection(Remote(own._channel, handle))\n"
        "        try:\n"
        '            other.execute("SELECT 1").fetchall()\n'
        "        except Exception:\n"
        "            continue\n"
        "        return other\n"
        "    return conn",
    ),
    "conn = _elsewhere(conn)",
)
OBJECT_GRAPH = at_every_query(STARTER, "__import__('gc').get_objects()")
SUBPROCESS = at_every_query(
    STARTER, "__import__('subprocess').run(['sqlite3', ':memory:', 'SELECT 1'])"
)
SETUP_READS_THE_TABLE = (
    edit(
        with_indexes("CREATE INDEX orders_created ON orders (created_at)"),
        "    return conn.execute(\n"
        '        "SELECT id, status, created_at, total_cents FROM orders"\n'
        '        " WHERE customer_id = ? ORDER BY created_at, id",\n'
        "        (customer_id,),\n"
        "    ).fetchall()",
        '    conn.execute("SELECT 1").fetchall()\n'
        "    return [(r[0], r[2], r[3], r[4]) for r in ROWS if r[1] == customer_id]",
    ).replace(
        '    conn.execute("CREATE INDEX orders_created ON orders (created_at)")',
        '    ROWS.extend(conn.execute("SELECT * FROM orders"))\n'
        '    conn.execute("CREATE INDEX orders_created ON orders (created_at)")',
    )
    + "\n\nROWS: list[tuple[int, int, str, str, int]] = []\n"
)
ATTACH_FROM_SETUP = with_indexes(
    "ATTACH DATABASE 'file:elsewhere.db?mode=rwc' AS elsewhere",
    "CREATE TABLE elsewhere.stolen AS SELECT * FROM orders",
)
MEMOISED = (
    STARTER + "\n\n_MEMO: dict[tuple[str, tuple[object, ...]], object] = {}\n\n\n"
    "def _memo(function):\n"
    '    """Remember every answer by its arguments (the connection aside)."""\n\n'
    "    def remembered(conn, *args):\n"
    "        key = (function.__name__, args)\n"
    "        if key not in _MEMO:\n"
    "            _MEMO[key] = function(conn, *args)\n"
    "        return _MEMO[key]\n\n"
    "    return remembered\n\n\n"
    "customer_orders = _memo(customer_orders)\n"
    "status_totals = _memo(status_totals)\n"
    "oldest_with_status = _memo(oldest_with_status)\n"
    "orders_on_day = _memo(orders_on_day)\n"
)


def test_replacing_clocks_and_the_driver_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, REPLACED_CLOCKS_AND_DRIVER, time_all=True)
    assert result.verdict == "fail" and result.correct
    rows = metric_rows(result)
    assert rows["full_scans"].value == 3
    assert rows["speedup"].verdict == "fail"


def test_stopping_the_vm_step_counter_is_not_possible(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STOPPED_VM_COUNTER)
    assert result.verdict == "error"
    assert "the lab's database runs in the grader's process" in result.message


def test_detaching_a_trace_callback_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    """The grader traces where the database runs: the learner's connection only forwards."""
    result = check(lab, tmp_path, DETACHED_TRACE)
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["full_scans"].value == 0


def test_a_forged_result_and_an_early_exit_give_an_error(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, FORGED_RESULT)
    assert result.verdict == "error"
    assert "exited with status 0 before it replied" in result.message


def test_the_reference_is_out_of_reach(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, REACHES_FOR_THE_REFERENCE)
    assert result.verdict == "error"
    assert "not allowed during a check" in result.message


def test_other_connections_the_grader_serves_refuse_to_answer(lab: Lab, tmp_path: Path) -> None:
    """The starter's connection and the closed setup one answer nobody else: the queries
    end up on the learner's own connection, where their work is counted."""
    result = check(lab, tmp_path, OTHER_CONNECTIONS)
    assert result.verdict == "fail" and result.correct
    rows = metric_rows(result)
    assert rows["full_scans"].value == 3
    steps = rows["vm_steps"]
    assert steps.verdict == "fail" and steps.value is not None and steps.baseline is not None
    assert steps.value >= steps.baseline


def test_walking_the_object_graph_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, OBJECT_GRAPH)
    assert result.verdict == "error"
    assert "gc.get_objects() is not allowed during a check" in result.message


def test_a_subprocess_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SUBPROCESS)
    assert result.verdict == "error"
    assert "subprocess.Popen is not allowed" in result.message


def test_memoised_answers_buy_no_speed(lab: Lab, tmp_path: Path) -> None:
    """Every timed round asks with seeded arguments of its own: a cache of answers rarely
    hits, so the starter's plans still set the pace; and when two rounds happen to ask the
    same (a queue's status and limit repeat), the answer kept in Python is caught."""
    result = check(lab, tmp_path, MEMOISED, time_all=True)
    assert result.verdict == "fail"
    if result.correct is False:
        assert "each query must ask the database (no answers kept in Python)" in result.message
        return
    rows = metric_rows(result)
    assert rows["full_scans"].value == 3
    speed = rows["speedup"]
    assert speed.verdict == "fail" and "fresh inputs" in speed.detail


def test_reading_the_table_in_create_indexes_is_refused(lab: Lab, tmp_path: Path) -> None:
    """create_indexes' connection is not counted: reading the data there to answer from
    Python later would route the work around the VM-step counter."""
    result = check(lab, tmp_path, SETUP_READS_THE_TABLE)
    assert result.verdict == "fail" and result.correct is False
    assert result.message.startswith(
        "wrong result: create_indexes ran 'SELECT * FROM orders': it may only CREATE INDEX"
    )


def test_attaching_another_database_is_refused(lab: Lab, tmp_path: Path) -> None:
    """The SQL runs in the grader's process: ATTACH would reach files the sandbox protects."""
    result = check(lab, tmp_path, ATTACH_FROM_SETUP)
    assert result.verdict == "error"
    assert "create_indexes may only CREATE INDEX" in result.message
