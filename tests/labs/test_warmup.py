"""The warm-up lab through the real check: the starter reads the objective once per request
and fails, every way of reading it once per report passes, and a value kept across
reports, a guessed one, or a read that goes around the settings fails with a message that
says what to do."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "warmup"
SEED = 271828

STARTER = (LAB_DIR / "starter" / "slo.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "slo.py").read_text()

LOOP_HOISTED = '''"""The starter's loop, with the read moved above it."""


def slow_requests(latencies_ms, settings):
    slo_ms = settings.get("slo_ms")
    slow = 0
    for latency in latencies_ms:
        if latency > slo_ms:
            slow += 1
    return slow
'''

SORTED_BISECT = '''"""Sort once and find the objective's place: everything right of it is slow."""

import bisect


def slow_requests(latencies_ms, settings):
    ordered = sorted(latencies_ms)
    return len(ordered) - bisect.bisect_right(ordered, settings.get("slo_ms"))
'''

READ_ON_FIRST_USE = '''"""Reads the objective when first needed, then keeps it for this report."""


def slow_requests(latencies_ms, settings):
    slo_ms = None
    slow = 0
    for latency in latencies_ms:
        if slo_ms is None:
            slo_ms = settings.get("slo_ms")
        slow += latency > slo_ms
    return slow
'''

KEPT_IN_A_GLOBAL = '''"""Reads the objective once per process: later reports use the first one's."""

_SLO_MS = None


def slow_requests(latencies_ms, settings):
    global _SLO_MS
    if _SLO_MS is None:
        _SLO_MS = settings.get("slo_ms")
    return sum(1 for latency in latencies_ms if latency > _SLO_MS)
'''

CACHED_HELPER = '''"""functools.cache on a helper without arguments: the first settings win."""

import functools

_current = []


@functools.cache
def _slo_ms():
    return _current[-1].get("slo_ms")


def slow_requests(latencies_ms, settings):
    _current.append(settings)
    return sum(1 for latency in latencies_ms if latency > _slo_ms())
'''

HARD_CODED = '''"""The objective is 250 ms, isn't it? No read at all."""


def slow_requests(latencies_ms, settings):
    return sum(1 for latency in latencies_ms if latency > 250)
'''

EVERY_HUNDRED = '''"""Refreshes the objective every 100 requests, in case it changed."""


def slow_requests(latencies_ms, settings):
    slow = 0
    for index, latency in enumerate(latencies_ms):
        if index % 100 == 0:
            slo_ms = settings.get("slo_ms")
        slow += latency > slo_ms
    return slow
'''

AROUND_THE_WRAPPER = '''"""Calls the service behind settings directly, hoping it is not counted."""


def slow_requests(latencies_ms, settings):
    remote = settings._remote
    return sum(1 for latency in latencies_ms if latency > remote.call("get", "slo_ms"))
'''

SETTINGS_KEPT = '''"""Keeps the first report's settings object and asks it in every later report."""

_first = []


def slow_requests(latencies_ms, settings):
    if not _first:
        _first.append(settings)
    slo_ms = _first[0].get("slo_ms")
    return sum(1 for latency in latencies_ms if latency > slo_ms)
'''

ASKS_FOR_THE_COUNT = '''"""Asks the settings service for its read counter, not the objective."""


def slow_requests(latencies_ms, settings):
    settings.get("reads")
    return 0
'''

RETURNS_A_SHARE = '''"""Returns the share of slow requests instead of the count."""


def slow_requests(latencies_ms, settings):
    slo_ms = settings.get("slo_ms")
    return sum(1 for latency in latencies_ms if latency > slo_ms) / len(latencies_ms)
'''

FORGED_RESULT = '''"""Write a passing result where a grader might look, and leave at once."""

import json
import os


def slow_requests(latencies_ms, settings):
    verdict = {"status": "ok", "verdict": "pass", "grade": {"correct": True, "metrics": {}}}
    for name in ("result.json", "verdict.json", ".result"):
        with open(name, "w") as out:
            json.dump(verdict, out)
    os._exit(0)
'''

READS_THE_SOLUTION = '''"""Run the reference fix from the installed content pack."""

from perfcoach.paths import builtin_pack_root


def slow_requests(latencies_ms, settings):
    path = builtin_pack_root() / "labs" / "warmup" / "solution" / "slo.py"
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace["slow_requests"](latencies_ms, settings)
'''

GC_WALK = '''"""Find the grader's settings service (and its objective) among the live objects."""

import gc


def slow_requests(latencies_ms, settings):
    for obj in gc.get_objects():
        if type(obj).__name__ in ("SettingsService", "Window"):
            return sum(1 for latency in latencies_ms if latency > obj.slo_ms)
    return 0
'''

check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "performance-metrics", 1)
    assert [m.name for m in lab.metrics] == ["settings_reads"]
    assert all(m.deterministic for m in lab.metrics)
    assert "perfcoach lab solution warmup" in brief
    assert f"{load_bench(LAB_DIR).N_REQUESTS:,} latencies" in brief


def test_starter_is_correct_but_reads_once_per_request(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    reads = metric_rows(result)["settings_reads"]
    assert reads.value == reads.baseline == 2_000
    assert "at least one per request" in reads.detail
    assert "read it once, before the loop" in reads.detail


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    reads, again = metric_rows(first)["settings_reads"], metric_rows(second)["settings_reads"]
    assert (reads.value, reads.baseline, reads.detail) == (1, 2_000, again.detail)
    assert again.value == 1
    assert any(note.startswith("Time of the first report") for note in first.notes)


@pytest.mark.parametrize(
    "source",
    [LOOP_HOISTED, SORTED_BISECT, READ_ON_FIRST_USE],
    ids=["loop", "bisect", "first-use"],
)
def test_other_ways_of_reading_once_pass(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["settings_reads"].value == 1


@pytest.mark.parametrize("source", [KEPT_IN_A_GLOBAL, CACHED_HELPER], ids=["global", "cache"])
def test_an_objective_kept_across_reports_is_stale(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail"
    assert result.correct is False
    assert result.message.startswith("wrong result: on report 2: got ")
    assert "the objective of an earlier report" in result.message
    assert "once per report, not once per process" in result.message


def test_a_hard_coded_objective_is_wrong(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, HARD_CODED)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "the settings were never read" in result.message
    assert "the objective changes from report to report" in result.message


def test_refreshing_now_and_then_still_fails_on_reads(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, EVERY_HUNDRED)
    assert result.verdict == "fail"
    assert result.correct is True
    reads = metric_rows(result)["settings_reads"]
    assert reads.value == 20
    assert "does not change during a report" in reads.detail


def test_the_count_is_kept_by_the_service_not_the_wrapper(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, AROUND_THE_WRAPPER)
    assert result.verdict == "fail"
    assert metric_rows(result)["settings_reads"].value == 2_000


def test_settings_kept_from_an_earlier_report_are_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SETTINGS_KEPT)
    assert result.verdict == "error"
    assert "these settings belong to an earlier report" in result.message


def test_only_the_objective_can_be_read(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, ASKS_FOR_THE_COUNT)
    assert result.verdict == "error"
    assert "the settings service has no 'reads'" in result.message


def test_the_result_must_be_a_count(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RETURNS_A_SHARE)
    assert result.verdict == "fail"
    assert "must return an int (a count), got float" in result.message


def test_profile_shows_the_call_count(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    calls = {row["function"]: row["ncalls"] for row in report["rows"]}
    assert calls.get("get") == 2_000


def test_a_forged_result_and_an_early_exit_are_an_error(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, FORGED_RESULT)
    assert result.verdict == "error"
    assert "exited with status 0 before it replied" in result.message


def test_the_solution_cannot_be_read(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, READS_THE_SOLUTION)
    assert result.verdict == "error"
    assert "not allowed during a check" in result.message


def test_walking_the_object_graph_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, GC_WALK)
    assert result.verdict == "error"
    assert "gc.get_objects() is not allowed during a check" in result.message
