"""measure/: statistics, interleaved timing (on a fake clock), SQL and Python counters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from perfcoach.errors import PerfcoachError
from perfcoach.measure import median_interval, normalize_sql
from perfcoach.measure.profilers import cprofile_top, scalene_top
from perfcoach.measure.timing import (
    Sampler,
    compare_samplers,
    exponent_samplers,
    interleaved_pair,
)
from perfcoach.runner.subject import load_module


class FakeClock:
    """A clock that only moves when a fake workload says it did."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def work(self, seconds: Callable[[], float]) -> Callable[[], None]:
        def run() -> None:
            self.now += seconds()

        return run

    def sampler(self, fn: Callable[[], None]) -> Sampler:
        """n units of fn, timed on this clock: what a lab's subject sampler reports."""

        def sample(units: int) -> float:
            start = self.now
            for _ in range(units):
                fn()
            return self.now - start

        return sample


def test_median_interval_uses_rank_bounds() -> None:
    est = median_interval([5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 7.0, 8.0, 6.0])
    assert est.median == 5.0
    assert (est.low, est.high) == (2.0, 8.0)  # k = floor((9 - 1.96*3)/2) = 1
    assert est.n == 9
    assert est.above(1.9) and not est.above(2.0)
    assert est.below(8.1) and not est.below(8.0)


def test_interleaved_pairs_alternate_their_order() -> None:
    order: list[str] = []

    def side(name: str) -> Callable[[], str]:
        return lambda: order.append(name) or name

    pairs = [interleaved_pair(i, side("a"), side("b")) for i in range(3)]
    assert pairs == [("a", "b")] * 3  # results always come back as (a, b)
    assert order == ["a", "b", "b", "a", "a", "b"]


def test_median_interval_of_few_samples_is_their_range() -> None:
    est = median_interval([3.0, 1.0, 2.0])
    assert (est.low, est.median, est.high) == (1.0, 2.0, 3.0)


def test_compare_reports_the_true_ratio() -> None:
    clock = FakeClock()
    slow = clock.work(lambda: 0.010)
    fast = clock.work(lambda: 0.0005)
    result = compare_samplers(clock.sampler(slow), clock.sampler(fast))
    assert result.ratio.median == pytest.approx(20.0)
    assert result.loops_baseline == 1
    assert result.loops_candidate >= 2  # calibrated to samples of at least 1 ms
    assert result.candidate_s == pytest.approx(0.0005)


def test_compare_interleaves_and_alternates_order() -> None:
    clock = FakeClock()
    calls: list[str] = []

    def tagged(tag: str, cost: float) -> Callable[[], None]:
        def run() -> None:
            calls.append(tag)
            clock.now += cost

        return run

    compare_samplers(
        clock.sampler(tagged("A", 0.006)),
        clock.sampler(tagged("B", 0.006)),
        min_pairs=4,
        max_pairs=4,
    )
    # one calibration call each (already long enough): that is the first pair
    assert calls == ["A", "B", "B", "A", "A", "B", "B", "A"]


def test_compare_adds_pairs_until_settled() -> None:
    clock = FakeClock()
    noise = iter([0.001, 0.004] * 1000)
    noisy = clock.work(lambda: next(noise))
    steady = clock.work(lambda: 0.002)
    seen: list[int] = []

    def settle(est: object) -> bool:
        seen.append(est.n)  # type: ignore[attr-defined]
        return False

    result = compare_samplers(
        clock.sampler(noisy), clock.sampler(steady), settle=settle, min_pairs=5, max_pairs=20
    )
    assert seen == [5, 10, 20]
    assert result.ratio.n == 20


def test_scaling_exponent_tells_linear_from_quadratic() -> None:
    clock = FakeClock()
    linear = {n: clock.sampler(clock.work(lambda n=n: n * 1e-6)) for n in (1000, 2000, 4000)}
    quadratic = {n: clock.sampler(clock.work(lambda n=n: n * n * 1e-9)) for n in (1000, 2000, 4000)}
    assert exponent_samplers(linear).median == pytest.approx(1.0)
    assert exponent_samplers(quadratic).median == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("sql", "template"),
    [
        ("SELECT * FROM items WHERE order_id = 17", "select * from items where order_id = ?"),
        ("select name from c where name = 'O''Brien'", "select name from c where name = ?"),
        ("SELECT * FROM t WHERE id IN (1, 2, 3)", "select * from t where id in (…)"),
        ("SELECT *\n  FROM t\n WHERE x = -2.5;", "select * from t where x = ?"),
        ("SELECT col1 FROM t2", "select col1 from t2"),
    ],
)
def test_normalize_sql(sql: str, template: str) -> None:
    assert normalize_sql(sql) == template


def test_total_calls_keeps_methods_that_share_a_label() -> None:
    import cProfile
    from dataclasses import dataclass

    from perfcoach.measure.profilers import total_calls

    @dataclass
    class A:
        x: int

    @dataclass
    class B:
        y: int

    def make() -> None:
        for i in range(50):
            A(i)
        for i in range(70):
            B(i)

    profiler = cProfile.Profile()
    profiler.runcall(make)
    assert total_calls(profiler) == 1 + 50 + 70  # make() and both generated __init__s


def test_scalene_json_becomes_busiest_learner_lines(tmp_path: Path) -> None:
    learner = tmp_path / "work.py"
    learner.write_text("def f(xs):\n    return [x for x in xs if x in xs]\n")
    out = tmp_path / "profile.json"
    out.write_text(json.dumps({
        "elapsed_time_sec": 0.5,
        "files": {str(learner): {"lines": [
            {"lineno": 1, "n_cpu_percent_python": 0.0, "n_cpu_percent_c": 0.0},
            {"lineno": 2, "n_cpu_percent_python": 70.5, "n_cpu_percent_c": 9.5},
        ]}},
    }))  # fmt: skip
    profile = scalene_top(
        out, [learner], 10, lines_of={str(learner): learner.read_text().splitlines()}
    )
    assert profile["elapsed_s"] == 0.5
    assert profile["rows"] == [{
        "where": "work.py:2", "learner": True, "python_percent": 70.5, "native_percent": 9.5,
        "code": "return [x for x in xs if x in xs]",
    }]  # fmt: skip


def test_unreadable_scalene_output_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "profile.json"
    out.write_text("{not json")
    with pytest.raises(PerfcoachError, match="scalene wrote no readable profile"):
        scalene_top(out, [], 10, lines_of={})


def test_cprofile_top_marks_learner_code(tmp_path: Path) -> None:
    learner = tmp_path / "hot.py"
    learner.write_text("def hot():\n    return sum(leaf(i) for i in range(500))\n\n\n"
                       "def leaf(i):\n    return i\n")  # fmt: skip
    module = load_module(learner, "hot_under_test")
    profile = cprofile_top(module.hot, [learner], 5)
    assert profile["total_calls"] == 1 + 501 + 500 + 1  # hot, genexpr steps, leaf, sum
    leaf = next(r for r in profile["rows"] if r["function"] == "leaf")
    assert leaf == leaf | {"where": "hot.py:5", "learner": True, "ncalls": 500}


def test_profile_table_shows_code_literally() -> None:
    from rich.console import Console

    from perfcoach.console import profile_table

    profile = {
        "kind": "memory", "peak_rss_mib": 20.0, "tracemalloc_peak_bytes": 4096,
        "rows": [{"where": "latency.py:9", "learner": True, "size_bytes": 2048, "count": 3,
                  "code": "self.counts[i] += 1  # [bold]x[/]"}],
    }  # fmt: skip
    out = Console(width=120, record=True)
    out.print(profile_table(profile))
    assert "self.counts[i] += 1  # [bold]x[/]" in out.export_text()
