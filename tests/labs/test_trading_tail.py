"""The trading-tail capstone through the real check: the starter is right but fails every
counted row (cycles, housekeeping collections, churn), the reference passes with counts
that repeat, and the bench's reference book, stream and collector figures behave as the
brief says. Alternatives, wrong fixes and attacks are in tests/grader (one check each)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from tests.helpers import load_bench, metric_rows, metric_verdicts
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "trading-tail"
SEED = 271828
COUNTED = ["full_collections", "cyclic_garbage", "order_bytes"]
METRICS = [*COUNTED, "p99_ratio"]

STARTER = (LAB_DIR / "starter" / "orderbook.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "orderbook.py").read_text()

bench = load_bench(LAB_DIR)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, brief = lesson_and_brief(lab, "trading-tail", 5)
    assert 4 <= len(lesson.quiz) <= 5
    assert [m.name for m in lab.metrics] == METRICS
    assert [m.deterministic for m in lab.metrics] == [True, True, True, False]
    assert "gc.freeze()" in brief and "gc.disable()" in brief


def test_starter_is_right_but_fails_every_counted_row(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail", result.message
    assert result.correct is True
    verdicts = metric_verdicts(result)
    assert all(verdicts[name] == "fail" for name in COUNTED), verdicts
    rows = metric_rows(result)
    assert rows["full_collections"].value == rows["full_collections"].baseline == 10
    garbage = rows["cyclic_garbage"]
    assert garbage.value == garbage.baseline and garbage.value is not None
    assert garbage.value > 1000  # every order leaves its cycles behind
    assert result.message.startswith("full collections per 10k orders")


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    assert metric_verdicts(first) == dict.fromkeys(METRICS, "pass")
    assert second.correct is True  # counted only: the P99 is not timed again
    assert all(metric_verdicts(second)[name] == "pass" for name in COUNTED)
    rows, again = metric_rows(first), metric_rows(second)
    for name in COUNTED:
        assert rows[name].value == again[name].value, name
        assert rows[name].baseline == again[name].baseline, name
    assert rows["full_collections"].value == 0
    assert rows["cyclic_garbage"].value == 0
    allocated = rows["order_bytes"]
    assert allocated.value is not None and allocated.baseline is not None
    assert allocated.value * 5 < allocated.baseline  # the target is a third


def naive_match(orders: list[Any]) -> list[tuple[int, int, int, int]]:
    """Price-time priority by brute force: the resting orders in one list, scanned whole."""
    resting: list[list[Any]] = []  # [arrival, order id, side, price, remaining]
    trades = []
    for arrival, order in enumerate(orders):
        if order[0] == "C":
            resting = [r for r in resting if r[1] != order[1]]
            continue
        side, qty = order[2], order[-1]
        price = order[3] if order[0] == "L" else None
        while qty:
            crossing = [
                r
                for r in resting
                if r[2] != side
                and (price is None or (r[3] <= price if side == "B" else r[3] >= price))
            ]
            if not crossing:
                break
            best = min(crossing, key=lambda r: (r[3] if side == "B" else -r[3], r[0]))
            fill = min(qty, best[4])
            trades.append((order[1], best[1], best[3], fill))
            best[4] -= fill
            qty -= fill
            if not best[4]:
                resting.remove(best)
        if qty and price is not None:
            resting.append([arrival, order[1], side, price, qty])
    return trades


def test_the_reference_book_is_price_time_priority() -> None:
    for seed in range(3):
        day = bench.Stream(random.Random(seed))
        orders = day.take(1500)
        assert bench.ReferenceBook().run(orders) == naive_match(orders)


def test_every_stream_has_the_awkward_cases() -> None:
    day = bench.Stream(random.Random(5))
    orders = day.take(3000)
    kinds = {order[0] for order in orders}
    assert kinds == {"L", "M", "C"}
    trades = bench.ReferenceBook().run(orders)
    placed = {order[1]: order[-1] for order in orders if order[0] != "C"}
    filled: dict[int, int] = {}
    for taker, _, _, qty in trades:
        filled[taker] = filled.get(taker, 0) + qty
    assert any(0 < filled[i] < placed[i] for i in filled)  # partial fills
    ids = set(placed)
    assert any(order[0] == "C" and order[1] not in ids for order in orders)  # unknown ids
    prices = {trade[2] for trade in trades}
    assert len(prices) > 5  # the book trades across several levels


def test_a_wrong_trade_names_the_order_and_the_rule() -> None:
    orders = [("L", 1, "S", 100, 5), ("L", 2, "S", 99, 5), ("L", 3, "B", 101, 7)]
    expected = bench.ReferenceBook().run(orders)
    assert expected == [(3, 2, 99, 5), (3, 1, 100, 2)]
    message = bench.first_difference(orders, expected, [(3, 1, 100, 5), (3, 2, 99, 2)])
    assert message is not None
    assert message.startswith("trade 1: expected (taker 3, maker 2, price 99, qty 5)")
    assert "Price first" in message


def test_a_collector_left_off_fails_whatever_it_counted() -> None:
    quiet = {
        "collections": [0, 0, 0],
        "collected": 0,
        "left": 0,
        "hidden": 0,
        "frozen": 0,
        "enabled": False,
        "threshold": 700,
    }
    busy = dict(quiet, collections=[50, 4, bench.STREAM // 1000], collected=20_000, enabled=True)
    full = bench.full_collections(quiet, busy)
    assert full.value == 0 and full.baseline == 10  # one per 1,000 orders, per 10k
    assert "switched off" in full.untrusted
    thawed = bench.cyclic_garbage(dict(quiet, enabled=True, hidden=3_000), busy)
    assert (
        thawed.value == 3_000 * 1_000 / bench.STREAM
        and "hidden from the collector by gc.freeze()" in thawed.detail
    )
