"""The index-strategy lab through the real check: the starter fails, every taught index
design passes, and each tempting wrong design fails with a message that says why."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from perfcoach.catalog import load_lesson
from perfcoach.catalog.goals import Goal
from perfcoach.catalog.lab import Lab
from perfcoach.labkit import Grade, LabContext, WrongAnswer, install_audit_hook
from perfcoach.runner.subject import load_module
from tests.helpers import check_source, load_bench, metric_rows

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


def grade_directly(lab: Lab, tmp_path: Path, source: str) -> Grade:
    """The bench's grade() in this process, with a speed goal that settles at once: for
    wrong designs whose counted metrics are the point, not their timing."""
    install_audit_hook()
    folder = tmp_path / f"direct-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "queries.py").write_text(source)
    goals = {m.name: m.goal for m in lab.metrics}
    goals["speedup"] = Goal.parse(">= 0.000001")
    bench = load_bench(LAB_DIR)
    candidate = load_module(folder / "queries.py", f"candidate_{folder.name.replace('-', '_')}")
    baseline = load_module(LAB_DIR / "starter" / "queries.py", "baseline_queries")
    return bench.grade(candidate, baseline, LabContext(SEED, LAB_DIR, folder, goals))


def verdict(lab: Lab, grade: Grade, name: str) -> bool | None:
    """Whether one counted metric of a direct grade meets its goal."""
    measured = grade.metrics[name]
    return next(m.goal for m in lab.metrics if m.name == name).met(
        measured.value, measured.baseline
    )


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson = load_lesson(ROOT / "content" / "2-intermediate" / f"{lab.module}.md")
    assert lesson.level == lab.level == 2
    assert [m.name for m in lab.metrics] == ["full_scans", "vm_steps", "index_count", "speedup"]
    assert all(m.deterministic for m in lab.metrics[:3])
    assert not lab.metrics[3].deterministic
    assert len(lab.hints) == 3
    brief = lab.brief_path.read_text()
    for command in ("start", "check", "hint", "profile"):
        assert f"perfcoach lab {command} index-strategy" in brief
    assert "perfcoach lab start index-strategy" in lesson.body


def test_starter_fails_scans_and_steps(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STARTER)
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
    grade = grade_directly(lab, tmp_path, COVERING)
    assert grade.correct
    assert grade.metrics["full_scans"].value == 0
    assert verdict(lab, grade, "vm_steps") and verdict(lab, grade, "index_count")


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
    grade = grade_directly(lab, tmp_path, WRONG_ORDER)
    assert grade.correct
    scans = grade.metrics["full_scans"]
    assert scans.value == 1
    assert scans.detail.startswith(
        "oldest_with_status: SCAN orders USING INDEX orders_created_status"
    )
    assert "(created_at, status)" in scans.detail
    assert "starts with status (compared with =)" in scans.detail


def test_single_column_indexes_read_every_row_of_a_status(lab: Lab, tmp_path: Path) -> None:
    grade = grade_directly(lab, tmp_path, SINGLE_COLUMNS)
    assert grade.correct
    assert grade.metrics["full_scans"].value == 0
    steps = grade.metrics["vm_steps"]
    assert verdict(lab, grade, "vm_steps") is False
    assert steps.baseline is not None and steps.value * 15 > steps.baseline  # far from 1/20
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
    result = check(lab, tmp_path, CACHE_TABLE)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: create_indexes ran 'CREATE TABLE day_cache")


def test_answers_kept_in_python_are_refused(lab: Lab, tmp_path: Path) -> None:
    with pytest.raises(WrongAnswer, match="answered without running a SELECT"):
        grade_directly(lab, tmp_path, PYTHON_SIDE)


def test_a_connection_of_its_own_is_refused(lab: Lab, tmp_path: Path) -> None:
    grade = grade_directly(lab, tmp_path, SECOND_CONNECTION)
    assert not grade.correct
    assert "sqlite3 connection(s) of its own: use the conn" in grade.message


def test_hard_coded_answers_fail_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    goals = {m.name: m.goal for m in lab.metrics}
    ctx = LabContext(SEED, LAB_DIR, tmp_path, goals)
    rounds = bench.make_calls(ctx.rng("calls"), bench.build_orders(ctx.rng("orders"), bench.ROWS))
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
    first = grade_directly(lab, tmp_path, SINGLE_COLUMNS)
    second = grade_directly(lab, tmp_path, SINGLE_COLUMNS)
    for name in ("full_scans", "vm_steps", "index_count"):
        a, b = first.metrics[name], second.metrics[name]
        assert (a.value, a.baseline, a.detail) == (b.value, b.baseline, b.detail)
    assert first.notes == second.notes
