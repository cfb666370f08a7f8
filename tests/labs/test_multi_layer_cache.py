"""The multi-layer-cache lab through the real check: the starter (L1 + database) fails,
L1 over L2 with an invalidation broadcast passes with either L1 and either L2 update (and
with a refresh from L2 in the invalidation callback), each tempting shortcut fails with a
detail that names the instance, the user and the fix, and code that tries to pass without
the layering (patching the driver, forging the result, reaching other instances or the
fakes' storage, memoising) does not pass."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows, metric_verdicts
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

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

# The passing alternative: update() sets L2 to the new version, and every instance
# that holds the user refreshes its L1 copy from L2 in the callback. No stale reads, no
# database reads; the callback's L2 reads are not lookups for a read.
REFRESH_IN_CALLBACK = edit(
    SOLUTION,
    (
        "        self.db.write(user_id, display_name)\n" + DELETE_L2,
        "        self.l2.set(user_id, self.db.write(user_id, display_name))\n",
    ),
    (
        "        self._l1.pop(user_id, None)\n",
        "        if user_id in self._l1:\n            self._l1[user_id] = self.l2.get(user_id)\n",
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
    lesson_and_brief(lab, "caching-strategies", 2)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    bench = load_bench(LAB_DIR)
    assert lab.metric("peak_l1_entries").goal.threshold(None) == bench.L1_MAXSIZE


def test_starter_is_correct_but_every_l1_miss_reads_the_database(starter_run: CheckResult) -> None:
    result = starter_run
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


def test_refreshing_from_l2_in_the_callback_passes(lab: Lab, tmp_path: Path) -> None:
    """L2 reads made by the invalidation callback are not lookups for a read: per L1 miss,
    get() still asks L2 exactly once."""
    result = check(lab, tmp_path, REFRESH_IN_CALLBACK)
    assert result.verdict == "pass", result.message
    rows = metric_rows(result)
    assert rows["db_reads_pct"].value == 0
    assert rows["l2_lookups_per_l1_miss"].value == 1
    assert "more outside get(), in invalidation callbacks" in rows["l2_lookups_per_l1_miss"].detail
    latency = rows["mean_latency_ms"]
    assert latency.value is not None and latency.baseline is not None
    assert latency.value * 10 < latency.baseline


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


class TestPassingWithoutLayers:
    """Attempts to pass without building the two layers the lab asks for: none may pass."""

    def test_patching_the_drivers_identity_check_does_not_hide_sharing(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        """One L1 for every instance, with the driver's object check replaced through
        sys.modules: which instance was handed each profile is known where the log goes."""
        patched = MODULE_LEVEL_L1 + (
            "\n\nimport sys  # noqa: E402\n\n"
            "for _module in list(sys.modules.values()):\n"
            "    if hasattr(_module, 'World') and hasattr(_module, '_served'):\n"
            "        _module.World.issued = lambda self, profile: profile.issue\n"
        )
        result = check(lab, tmp_path, patched)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "the instances share memory" in result.message

    def test_a_silenced_event_log_is_caught(self, lab: Lab, tmp_path: Path) -> None:
        """The starter, with the fakes' logging replaced so no database read is reported."""
        silenced = STARTER + (
            "\n\nimport sys  # noqa: E402\n\n"
            "for _module in list(sys.modules.values()):\n"
            "    if hasattr(_module, 'World') and hasattr(_module, '_served'):\n"
            "        def _quiet(self, kind, user_id, value, name):\n"
            "            self.events += 1\n"
            "            return self.events\n\n"
            "        _module.World.event = _quiet\n"
        )
        result = check(lab, tmp_path, silenced)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "leave the rest alone" in result.message

    def test_a_forged_result_file_and_exit_is_an_error(self, lab: Lab, tmp_path: Path) -> None:
        forged = edit(
            STARTER,
            (
                "        profile = self._l1.get(user_id)\n",
                "        import json, os\n"
                "        with open('result.json', 'w') as out:\n"
                "            json.dump({'status': 'ok', 'grade': {'correct': True}}, out)\n"
                "        os._exit(0)\n"
                "        profile = self._l1.get(user_id)\n",
            ),
        )
        result = check(lab, tmp_path, forged)
        assert result.verdict == "error"
        assert "os._exit()" in result.message

    def test_the_solution_file_is_out_of_reach(self, lab: Lab, tmp_path: Path) -> None:
        reach = (
            "from perfcoach.paths import builtin_pack_root\n\n"
            "_path = builtin_pack_root() / 'labs' / 'multi-layer-cache' / 'solution'\n"
            "exec(compile((_path / 'profiles.py').read_text(), 'solution', 'exec'))\n"
        )
        result = check(lab, tmp_path, reach)
        assert result.verdict == "error"
        assert "not allowed during a check" in result.message

    def test_borrowing_another_instances_l1_through_the_stack_is_sharing(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        """The replay's frame holds all four instances: an L1 miss that looks in the other
        instances' L1 before asking L2 serves their objects, as shared memory would."""
        borrowing = edit(
            SOLUTION,
            (
                "        if profile is None:\n            profile = self.l2.get(user_id)\n",
                "        if profile is None:\n"
                "            frame = sys._getframe(1)\n"
                "            while 'services' not in frame.f_locals:\n"
                "                frame = frame.f_back\n"
                "            for other in frame.f_locals['services'].values():\n"
                "                profile = profile or other._l1.get(user_id)\n"
                "        if profile is None:\n"
                "            profile = self.l2.get(user_id)\n",
            ),
            ("from typing import Any\n", "import sys\nfrom typing import Any\n"),
        )
        result = check(lab, tmp_path, borrowing)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "the instances share memory" in result.message

    @pytest.mark.parametrize(
        "number",
        ["0", "world.events + 1"],
        ids=["made-up-profile", "number-off-the-log"],
    )
    def test_reading_l2s_storage_instead_of_calling_it_is_caught(
        self, lab: Lab, tmp_path: Path, number: str
    ) -> None:
        """No L1 and no L2 call: profiles built from the fake L2's dict, free of latency."""
        peeking = edit(
            SOLUTION,
            (
                "        profile = self._l1.get(user_id)\n",
                "        stored = self.l2._data.get(user_id)\n"
                "        if stored is not None:\n"
                "            world = self.l2._world\n"
                f"            return world.issue(user_id, *stored, {number})\n"
                "        profile = self._l1.get(user_id)\n",
            ),
        )
        result = check(lab, tmp_path, peeking)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "not a Profile from the database or L2" in result.message

    def test_walking_the_object_graph_is_refused(self, lab: Lab, tmp_path: Path) -> None:
        hunting = edit(
            STARTER,
            (
                "        bus.subscribe(self._invalidate)\n",
                "        bus.subscribe(self._invalidate)\n"
                "        import gc\n"
                "        try:\n"
                "            gc.get_objects()\n"
                "        except RuntimeError:\n"
                "            pass\n",
            ),
        )
        result = check(lab, tmp_path, hunting)
        assert result.verdict == "fail"
        assert metric_verdicts(result)["db_reads_pct"] == "fail"
        assert any("refused" in note and "introspection" in note for note in result.notes)

    def test_reading_in_a_subprocess_is_refused(self, lab: Lab, tmp_path: Path) -> None:
        spawning = edit(
            STARTER,
            (
                "        profile = self._l1.get(user_id)\n",
                "        import subprocess, sys\n"
                "        subprocess.run([sys.executable, '-c', 'pass'], check=True)\n"
                "        profile = self._l1.get(user_id)\n",
            ),
        )
        result = check(lab, tmp_path, spawning)
        assert result.verdict == "error"
        assert "is not allowed: a check runs in one process" in result.message

    def test_memoising_reads_per_instance_is_stale_and_unbounded(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        """functools.lru_cache(maxsize=None) per instance: every answer kept forever, never
        told about an update. Caching is the lesson: the check says what this one misses."""
        memo = (
            "import functools\n\n\n"
            "class ProfileService:\n"
            "    def __init__(self, name, db, l2, bus, l1_maxsize):\n"
            "        self.db = db\n"
            "        self.get = functools.lru_cache(maxsize=None)(self._read)\n\n"
            "    def _read(self, user_id):\n"
            "        return self.db.read(user_id)\n\n"
            "    def update(self, user_id, display_name):\n"
            "        self.db.write(user_id, display_name)\n"
        )
        result = check(lab, tmp_path, memo)
        assert result.verdict == "fail"
        rows = metric_rows(result)
        assert rows["stale_reads"].verdict == "fail"
        assert "publish the key on the bus" in rows["stale_reads"].detail
        assert rows["peak_l1_entries"].verdict == "fail"


def test_a_new_seed_is_a_new_workload() -> None:
    bench = load_bench(LAB_DIR)
    first, second = (
        bench.build_workload(random.Random(f"{seed}:replay"), 500) for seed in (SEED, SEED + 1)
    )
    assert sorted(first.rows) != sorted(second.rows)
    assert first.ops != second.ops


def test_profile_counts_database_reads(lab: Lab) -> None:
    """The brief points at ncalls of db.read and l2.get in the profile."""
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    reads = [row["ncalls"] for row in report["rows"] if row["function"] == "read"]
    assert reads and reads[0] > 10_000
