"""The multi-layer-cache lab through the real check: the starter (L1 + database) fails,
L1 over L2 with an invalidation broadcast passes with either L1 and either L2 update, and
each tempting shortcut fails with a detail that names the instance, the user and the fix."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from perfcoach.catalog import load_lesson
from perfcoach.catalog.lab import Lab
from perfcoach.labkit import LabContext
from perfcoach.runner.check import CheckResult
from tests.helpers import check_source, load_bench, metric_rows, metric_verdicts

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "multi-layer-cache"
SEED = 161803
METRICS = [
    "db_reads_pct",
    "l2_lookups_per_l1_miss",
    "stale_reads",
    "peak_l1_entries",
    "mean_latency_ms",
]

STARTER = (LAB_DIR / "starter" / "profiles.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "profiles.py").read_text()


def edit(source: str, *pairs: tuple[str, str]) -> str:
    """Replace pieces of a lab file, failing loudly if the lab file changed under us."""
    for old, new in pairs:
        assert source.count(old) == 1, f"the lab file no longer contains {old!r} exactly once"
        source = source.replace(old, new)
    return source


READ_THROUGH_L2 = (
    "            profile = self.l2.get(user_id)\n"
    "            if profile is None:\n"
    "                profile = self.db.read(user_id)\n"
    "                self.l2.set(user_id, profile)\n"
)
DELETE_L2 = "        self.l2.delete(user_id)\n"
PUBLISH = "        self.bus.publish(user_id)\n"

ORDERED_DICT_L1 = edit(
    SOLUTION,
    ("from cachetools import LRUCache\n", "from collections import OrderedDict\n"),
    (
        "self._l1: LRUCache[int, Any] = LRUCache(maxsize=l1_maxsize)",
        "self._l1: OrderedDict[int, Any] = OrderedDict()\n        self.l1_maxsize = l1_maxsize",
    ),
    (
        "        if profile is None:\n            profile = self.l2.get",
        "        if profile is not None:\n"
        "            self._l1.move_to_end(user_id)\n"
        "        else:\n"
        "            profile = self.l2.get",
    ),
    (
        "            self._l1[user_id] = profile\n",
        "            self._l1[user_id] = profile\n"
        "            if len(self._l1) > self.l1_maxsize:\n"
        "                self._l1.popitem(last=False)\n",
    ),
)

L2_WRITE_THROUGH = edit(
    SOLUTION,
    (
        "        self.db.write(user_id, display_name)\n" + DELETE_L2,
        "        profile = self.db.write(user_id, display_name)\n"
        "        self.l2.set(user_id, profile)\n",
    ),
)

# The starter with only the L2 read-through added: its FIFO L1 stays.
STARTER_PLUS_L2 = edit(
    STARTER,
    (
        "            profile = self.db.read(user_id)\n",
        "            profile = self.l2.get(user_id)\n"
        "            if profile is None:\n"
        "                profile = self.db.read(user_id)\n"
        "                self.l2.set(user_id, profile)\n",
    ),
    (
        "        self.db.write(user_id, display_name)\n",
        "        self.db.write(user_id, display_name)\n" + DELETE_L2,
    ),
)

NO_BROADCAST = edit(SOLUTION, (PUBLISH, ""))
NO_L2_DELETE = edit(SOLUTION, (DELETE_L2, ""))
UNBOUNDED_L1 = edit(SOLUTION, ("LRUCache(maxsize=l1_maxsize)", "{}  # type: ignore[assignment]"))
SKIP_L2 = edit(SOLUTION, (READ_THROUGH_L2, "            profile = self.db.read(user_id)\n"))
POPULATE_ONLY = edit(
    SOLUTION,
    (
        READ_THROUGH_L2,
        "            profile = self.db.read(user_id)\n            self.l2.set(user_id, profile)\n",
    ),
)
NEVER_FILL_L2 = edit(SOLUTION, ("                self.l2.set(user_id, profile)\n", ""))
MODULE_LEVEL_L1 = edit(
    SOLUTION,
    (
        "class ProfileService:",
        "_L1: LRUCache[int, Any] = LRUCache(maxsize=100)\n\n\nclass ProfileService:",
    ),
    (
        "        self._l1: LRUCache[int, Any] = LRUCache(maxsize=l1_maxsize)\n",
        "        self._l1 = _L1\n",
    ),
)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson = load_lesson(ROOT / "content" / "2-intermediate" / f"{lab.module}.md")
    assert lesson.id == lab.module == "caching-strategies"
    assert lesson.level == lab.level == 2
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert len(lab.hints) == 3
    brief = lab.brief_path.read_text()
    for command in ("start", "check", "hint", "profile"):
        assert f"perfcoach lab {command} multi-layer-cache" in brief
    assert "perfcoach lab start multi-layer-cache" in lesson.body
    bench = load_bench(LAB_DIR)
    assert lab.metric("peak_l1_entries").goal.threshold(None) == bench.L1_MAXSIZE


def test_starter_is_correct_but_every_l1_miss_reads_the_database(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STARTER)
    assert result.verdict == "fail"
    assert result.correct is True
    assert metric_verdicts(result) == {
        "db_reads_pct": "fail",
        "l2_lookups_per_l1_miss": "fail",
        "stale_reads": "pass",
        "peak_l1_entries": "pass",
        "mean_latency_ms": "fail",
    }
    rows = metric_rows(result)
    assert rows["db_reads_pct"].value is not None and rows["db_reads_pct"].value > 30
    assert "without asking L2 first" in rows["db_reads_pct"].detail
    assert "0 L2 lookups" in rows["l2_lookups_per_l1_miss"].detail
    assert result.message.startswith("database reads, % of requests")


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    rows = metric_rows(first)
    db = rows["db_reads_pct"]
    assert db.value is not None and db.baseline is not None and db.value * 20 < db.baseline
    latency = rows["mean_latency_ms"]
    assert latency.value is not None and latency.baseline is not None
    assert latency.value * 10 < latency.baseline  # twice the margin the target asks for
    assert rows["l2_lookups_per_l1_miss"].value == 1
    again = metric_rows(second)
    for row in first.metrics:
        assert (row.value, row.baseline, row.detail) == (
            again[row.name].value,
            again[row.name].baseline,
            again[row.name].detail,
        )


@pytest.mark.parametrize(
    "source",
    [ORDERED_DICT_L1, L2_WRITE_THROUGH, STARTER_PLUS_L2],
    ids=["ordereddict-l1", "l2-write-through", "starter-fifo-l1-plus-l2"],
)
def test_other_correct_layerings_pass(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message


def test_no_broadcast_names_the_instance_that_kept_the_old_version(
    lab: Lab, tmp_path: Path
) -> None:
    result = check(lab, tmp_path, NO_BROADCAST)
    assert result.verdict == "fail"
    assert result.message.startswith("stale reads, any instance")
    stale = metric_rows(result)["stale_reads"]
    assert stale.detail.startswith("app-")
    assert " served user " in stale.detail
    assert "L1" in stale.detail and "publish the key on the bus" in stale.detail


def test_forgetting_l2_names_l2_as_the_source(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, NO_L2_DELETE)
    assert result.verdict == "fail"
    stale = metric_rows(result)["stale_reads"]
    assert stale.verdict == "fail"
    assert "read that old version from L2 after the write" in stale.detail
    assert "delete the key from L2" in stale.detail


def test_unbounded_l1_reports_the_largest_instance(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, UNBOUNDED_L1)
    assert result.verdict == "fail"
    assert result.message.startswith("peak L1 entries")
    peak = metric_rows(result)["peak_l1_entries"]
    assert peak.value is not None and peak.value > 500
    assert f"held {int(peak.value)} profiles at once" in peak.detail


def test_skipping_l2_keeps_the_database_busy(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SKIP_L2)
    assert result.verdict == "fail"
    rows = metric_rows(result)
    assert rows["db_reads_pct"].verdict == "fail"
    assert rows["mean_latency_ms"].verdict == "fail"
    assert "every miss went to the database" in rows["l2_lookups_per_l1_miss"].detail


def test_filling_l2_without_reading_it_is_named(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, POPULATE_ONLY)
    assert result.verdict == "fail"
    rows = metric_rows(result)
    assert rows["db_reads_pct"].verdict == "fail"
    assert "read 0 times" in rows["l2_lookups_per_l1_miss"].detail


def test_reading_l2_without_filling_it_fails_on_database_reads(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, NEVER_FILL_L2)
    assert result.verdict == "fail"
    db = metric_rows(result)["db_reads_pct"]
    assert db.verdict == "fail"
    assert "L2 was never written" in db.detail


def test_one_l1_shared_by_all_instances_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, MODULE_LEVEL_L1)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "the instances share memory" in result.message


def test_a_new_seed_is_a_new_workload(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    first, second = (
        bench.build_workload(LabContext(seed, LAB_DIR, tmp_path, {}).rng("replay"), 500)
        for seed in (SEED, SEED + 1)
    )
    assert sorted(first.rows) != sorted(second.rows)
    assert first.ops != second.ops
