"""The runner gives every kind of learner code a clear verdict, never a hang or a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfcoach.catalog import Lab, load_lab
from perfcoach.runner import run_check
from perfcoach.runner.check import judge
from perfcoach.runner.child import ChildOutcome
from perfcoach.runner.contracts import GraderResult
from tests.helpers import FIXTURE_PACK


@pytest.fixture(scope="module")
def lab() -> Lab:
    return load_lab(FIXTURE_PACK / "labs" / "sum-lab")


def candidate(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "cand"
    folder.mkdir()
    (folder / "work.py").write_text(source)
    return folder


def test_starter_fails_and_solution_passes(lab: Lab) -> None:
    starter = run_check(lab, lab.starter_dir, seed=7)
    assert starter.verdict == "fail"
    assert starter.correct is True
    assert {r.name: r.verdict for r in starter.metrics}["calls"] == "fail"
    assert starter.message.startswith("function calls: 40,0")
    assert "target ≤ baseline/10" in starter.message
    solution = run_check(lab, lab.solution_dir, seed=7)
    assert solution.verdict == "pass"
    assert [r.verdict for r in solution.metrics] == ["pass", "pass"]


def test_deterministic_metric_is_identical_across_runs(lab: Lab) -> None:
    first = run_check(lab, lab.starter_dir, seed=11)
    second = run_check(lab, lab.starter_dir, seed=11)
    assert first.metrics[0].value == second.metrics[0].value
    assert first.metrics[0].baseline == second.metrics[0].baseline


def test_infinite_loop_times_out(tmp_path: Path) -> None:
    root = tmp_path / "sum-lab"
    shutil.copytree(FIXTURE_PACK / "labs" / "sum-lab", root)
    manifest = root / "lab.toml"
    manifest.write_text(manifest.read_text().replace("timeout_s = 20", "timeout_s = 3"))
    quick = load_lab(root)
    endless = "def total(xs):\n    while True:\n        pass\n"
    result = run_check(quick, candidate(tmp_path, endless))
    assert result.verdict == "timeout"
    assert "endless loop" in result.message
    assert result.duration_s < quick.timeout_s + 2


def test_syntax_error_names_the_line(lab: Lab, tmp_path: Path) -> None:
    result = run_check(lab, candidate(tmp_path, "def total(xs):\n    return sum(xs\n\n\n"))
    assert result.verdict == "error"
    assert result.message.startswith("work.py line 2")
    assert "SyntaxError" in result.message


def test_exception_shows_where_and_traceback_tail(lab: Lab, tmp_path: Path) -> None:
    source = "def total(xs):\n    return helper(xs)\n\n\ndef helper(xs):\n    return {}['nope']\n"
    result = run_check(lab, candidate(tmp_path, source))
    assert result.verdict == "error"
    assert result.message == "work.py line 6, in helper: KeyError: 'nope'"
    assert "in helper" in result.notes[0] and "KeyError" in result.notes[0]


def test_huge_allocation_is_oom(lab: Lab, tmp_path: Path) -> None:
    source = "def total(xs):\n    block = bytearray(4 * 1024**3)\n    return sum(xs)\n"
    result = run_check(lab, candidate(tmp_path, source))
    assert result.verdict == "oom"
    assert "work.py line 2" in result.message


def test_megabytes_of_prints_still_get_a_verdict(lab: Lab, tmp_path: Path) -> None:
    source = (
        "for _ in range(50_000):\n    print('x' * 1023)\n\ndef total(xs):\n    return sum(xs)\n"
    )
    result = run_check(lab, candidate(tmp_path, source))
    assert result.verdict == "pass"
    assert result.output_bytes == 50_000 * 1024
    assert len(result.output) < 16_000
    assert "bytes of output cut" in result.output


def test_wrong_answer_fails_with_the_bench_message(lab: Lab, tmp_path: Path) -> None:
    result = run_check(lab, candidate(tmp_path, "def total(xs):\n    return sum(xs) + 1\n"))
    assert result.verdict == "fail"
    assert result.correct is False
    assert result.message.startswith("wrong result: total of 20,000 numbers: expected")


def test_hard_exit_is_an_error(lab: Lab, tmp_path: Path) -> None:
    result = run_check(lab, candidate(tmp_path, "import os\n\ndef total(xs):\n    os._exit(3)\n"))
    assert result.verdict == "error"
    assert "exited with status 3 before it replied" in result.message
    assert "os._exit()" in result.message


def test_sys_exit_is_an_error(lab: Lab, tmp_path: Path) -> None:
    result = run_check(lab, candidate(tmp_path, "import sys\n\ndef total(xs):\n    sys.exit(0)\n"))
    assert result.verdict == "error"
    assert "sys.exit(0)" in result.message


def test_missing_function_is_an_error(lab: Lab, tmp_path: Path) -> None:
    result = run_check(lab, candidate(tmp_path, "def totl(xs):\n    return sum(xs)\n"))
    assert result.verdict == "error"
    assert "AttributeError" in result.message and "total" in result.message


def test_bench_that_forgets_a_metric_is_blamed_on_the_lab(tmp_path: Path) -> None:
    root = tmp_path / "sum-lab"
    shutil.copytree(FIXTURE_PACK / "labs" / "sum-lab", root)
    bench = root / "bench.py"
    bench.write_text(bench.read_text().replace('"speedup": speed', '"speedup_typo": speed'))
    result = run_check(load_lab(root), root / "solution")
    assert result.verdict == "error"
    assert "did not report speedup" in result.message


def test_lab_loaded_from_a_relative_path_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURE_PACK / "labs" / "sum-lab", tmp_path / "sum-lab")
    monkeypatch.chdir(tmp_path)
    lab = load_lab(Path("sum-lab"))
    assert lab.root.is_absolute()
    assert run_check(lab, Path("sum-lab/solution")).verdict == "pass"


def test_the_subjects_cpu_clock_has_sub_millisecond_resolution(tmp_path: Path) -> None:
    """A CPU rlimit would make Linux count process CPU in 4 ms ticks: short calls read 0.
    The grader reads the subject's clock from outside, around each call."""
    root = tmp_path / "sum-lab"
    shutil.copytree(FIXTURE_PACK / "labs" / "sum-lab", root)
    (root / "bench.py").write_text(
        "import random\n"
        "from perfcoach.labkit import Grade, Measured, Workload\n\n"
        "def grade(ctx):\n"
        "    xs = [random.randrange(1000) for _ in range(5000)]\n"
        "    zeros = sum(ctx.candidate.call('total', xs).cpu_s <= 0 for _ in range(200))\n"
        "    metrics = {'calls': Measured(zeros, 1000), 'speedup': Measured(3.0, 1.0)}\n"
        "    return Grade(True, metrics)\n\n"
        "def workload(ctx):\n"
        "    return Workload('total', ([1],))\n"
    )
    result = run_check(load_lab(root), root / "solution")
    assert result.correct and result.metrics[0].value == 0


def test_tracebacks_show_the_learners_frames_and_hide_perfcoachs(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "import json\n\n"
        "def total(xs):\n"
        "    return helper(xs)\n\n\n"
        "def helper(xs):\n"
        "    return json.loads('{not json')\n"
    )
    result = run_check(lab, candidate(tmp_path, source))
    assert result.verdict == "error"
    trace = result.notes[0]
    assert trace.index("in total") < trace.index("in helper") < trace.index("json")
    assert "JSONDecodeError" in trace
    assert "perfcoach" not in trace and "driver.py" not in trace
    monkeypatch.setenv("PERFCOACH_DEBUG", "1")
    debug = run_check(lab, tmp_path / "cand")
    assert "driver.py" in debug.notes[0] and "perfcoach/runner/subject.py" in debug.notes[0]


def test_a_counted_miss_leaves_the_timings_untimed_in_a_learners_check(lab: Lab) -> None:
    """`lab check` stops timing once a counted metric has missed: the verdict is a fail
    whatever a timing says, and the learner is told so (and how to time it anyway)."""
    quick = run_check(lab, lab.starter_dir, seed=7, time_all=False)
    assert quick.verdict == "fail" and quick.correct is True
    rows = {r.name: r for r in quick.metrics}
    assert rows["calls"].verdict == "fail"
    assert rows["speedup"].verdict == "unmeasured" and rows["speedup"].value is None
    assert quick.message.startswith("function calls: 40,0")
    assert quick.notes[0].startswith("Not timed: speedup. function calls already misses")
    assert "perfcoach lab check --full" in quick.notes[0]
    full = {r.name: r for r in run_check(lab, lab.starter_dir, seed=7).metrics}
    assert full["speedup"].verdict in ("fail", "inconclusive", "pass")
    assert full["speedup"].value is not None


REMEMBERED_BY_LENGTH = """
_kept: dict[int, int] = {}


def total(xs):
    if len(xs) not in _kept:
        out = 0
        for x in xs:
            out = add(out, x)
        _kept[len(xs)] = out
    return _kept[len(xs)]


def add(a, b):
    return sum((a, b))
"""


def test_untimed_metrics_still_check_fresh_inputs(lab: Lab, tmp_path: Path) -> None:
    """Left untimed, a timed metric's trial still runs on fresh inputs, checked: an answer
    remembered from an earlier call is a wrong result, as it is when timed."""
    result = run_check(lab, candidate(tmp_path, REMEMBERED_BY_LENGTH), seed=7, time_all=False)
    assert result.verdict == "fail" and result.correct is False
    assert "wrong result" in result.message


def test_a_passing_count_is_always_timed(lab: Lab) -> None:
    result = run_check(lab, lab.solution_dir, seed=7, time_all=False)
    assert result.verdict == "pass"
    assert [r.verdict for r in result.metrics] == ["pass", "pass"]


def test_bench_that_skips_timings_it_owed_is_blamed_on_the_lab(tmp_path: Path) -> None:
    """A bench that records a counted miss, then reports a figure that passes, skipped
    timings the verdict needed: an error of the lab, never a pass."""
    root = tmp_path / "sum-lab"
    shutil.copytree(FIXTURE_PACK / "labs" / "sum-lab", root)
    bench = root / "bench.py"
    source = bench.read_text()
    bench.write_text(
        source.replace(
            'return Grade(True, {"calls": calls, "speedup": speed})',
            'return Grade(True, {"calls": Measured(1, base.calls), "speedup": speed})',
        )
    )
    result = run_check(load_lab(root), root / "starter", seed=7, time_all=False)
    assert result.verdict == "error"
    assert "a bug in the lab" in result.message


def test_untimed_rows_without_a_counted_miss_are_an_error(lab: Lab) -> None:
    """A result that claims its timings were skipped while every count passed (a forged or
    buggy one) gets no verdict but an error."""
    result: GraderResult = {
        "status": "ok",
        "grade": {
            "correct": True,
            "metrics": {
                "calls": {
                    "value": 1.0,
                    "baseline": 40_000.0,
                    "low": None,
                    "high": None,
                    "detail": "",
                    "untrusted": "",
                    "untimed": False,
                },
                "speedup": {
                    "value": None,
                    "baseline": None,
                    "low": None,
                    "high": None,
                    "detail": "",
                    "untrusted": "",
                    "untimed": True,
                },
            },
            "message": "",
            "notes": [],
        },
    }
    verdict = judge(lab, ChildOutcome(result, 0, False, "", 0, 0.1))
    assert verdict.verdict == "error"
    assert "left speedup untimed though no counted metric missed" in verdict.message


def test_a_counted_only_check_repeats_the_counts_and_never_passes(lab: Lab, tmp_path: Path) -> None:
    """counted_only (a repeat run on another seed) checks the result and the counts, times
    nothing, and comes to inconclusive at best: it can never stand in for a pass."""
    result = run_check(lab, lab.solution_dir, seed=7, counted_only=True)
    assert result.verdict == "inconclusive" and result.correct is True
    rows = {r.name: r for r in result.metrics}
    assert rows["calls"].verdict == "pass" and rows["speedup"].verdict == "unmeasured"
    assert result.message.startswith("counted only: speedup not timed")
    remembered = run_check(
        lab, candidate(tmp_path, REMEMBERED_BY_LENGTH), seed=7, counted_only=True
    )
    assert remembered.verdict == "fail" and remembered.correct is False


def test_counted_only_leaves_out_the_timings_of_a_bench_that_times_anyway(
    tmp_path: Path,
) -> None:
    """A bench that never records its counts before timing (they may come from the
    timings, or a live load test times as it serves) is timed even when counted_only is
    asked; the timings still stay out of the verdict, which is inconclusive at best (on a
    busy machine a timed row would otherwise fail a repeat that only checks counts)."""
    root = tmp_path / "sum-lab"
    shutil.copytree(FIXTURE_PACK / "labs" / "sum-lab", root)
    bench = root / "bench.py"
    source = bench.read_text()
    assert source.count("ctx.counted(") == 1
    bench.write_text(source.replace("ctx.counted(", "(lambda _name, measured: measured)("))
    result = run_check(load_lab(root), root / "solution", seed=7, counted_only=True)
    assert result.verdict == "inconclusive", result.message
    assert result.message.startswith("counted only: speedup not timed")
    rows = {r.name: r for r in result.metrics}
    assert rows["calls"].verdict == "pass" and rows["calls"].value is not None
    assert rows["speedup"].verdict == "unmeasured"


def test_forged_untimed_rows_are_an_error_even_when_counted_only_was_asked(lab: Lab) -> None:
    """counted_only excuses untimed timed rows, never an untimed counted row."""
    result: GraderResult = {
        "status": "ok",
        "grade": {
            "correct": True,
            "metrics": {
                name: {
                    "value": None,
                    "baseline": None,
                    "low": None,
                    "high": None,
                    "detail": "",
                    "untrusted": "",
                    "untimed": True,
                }
                for name in ("calls", "speedup")
            },
            "message": "",
            "notes": [],
        },
    }
    verdict = judge(lab, ChildOutcome(result, 0, False, "", 0, 0.1), counted_only=True)
    assert verdict.verdict == "error"


def test_a_perfcoach_folder_in_the_working_directory_is_never_imported(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lab check` run from a checkout of perfcoach (or any folder holding a perfcoach/)
    grades with the installed perfcoach: the grader and the subjects start with python -P,
    so the working directory is not put first on their path."""
    shadow = tmp_path / "perfcoach"
    shadow.mkdir()
    (shadow / "__init__.py").write_text('raise ImportError("the working directory shadowed")\n')
    monkeypatch.chdir(tmp_path)
    result = run_check(lab, lab.solution_dir, seed=7, counted_only=True)
    assert result.verdict == "inconclusive", result.message
    assert result.message.startswith("counted only: speedup not timed")
