"""The cache-aside lab through the real check: the starter fails on backend reads, the
taught caches pass (by hand, with cachetools, write-through, FIFO), every tempting
shortcut fails with a detail that names what went wrong, and code that tries to pass
without a cache (patching the driver, forging the result, reaching around the repository
or its log, memoising) does not pass."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, edit_source, load_bench, metric_rows, metric_verdicts
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "cache-aside"
SEED = 314159
METRICS = ["backend_reads_pct", "stale_reads", "expired_reads", "peak_entries"]

STARTER = (LAB_DIR / "starter" / "catalog.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "catalog.py").read_text()


TTLCACHE = '''"""cachetools does the TTL and the LRU eviction; update() deletes."""

from cachetools import TTLCache

_MISSING = object()


class Catalog:
    def __init__(self, repository, clock, maxsize, ttl):
        self.repository = repository
        self._cache = TTLCache(maxsize, ttl, timer=clock)

    def get(self, sku):
        product = self._cache.get(sku, _MISSING)
        if product is _MISSING:
            product = self._cache[sku] = self.repository.read(sku)
        return product

    def update(self, sku, price_cents):
        self.repository.write(sku, price_cents)
        self._cache.pop(sku, None)
'''

FIFO = '''"""A plain dict in insertion order: the oldest entry goes first, hot or not."""


class Catalog:
    def __init__(self, repository, clock, maxsize, ttl):
        self.repository, self.clock, self.maxsize, self.ttl = repository, clock, maxsize, ttl
        self._entries = {}

    def get(self, sku):
        now = self.clock()
        entry = self._entries.get(sku)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        product = self.repository.read(sku)
        self._entries.pop(sku, None)
        self._entries[sku] = (now, product)
        if len(self._entries) > self.maxsize:
            del self._entries[next(iter(self._entries))]
        return product

    def update(self, sku, price_cents):
        self.repository.write(sku, price_cents)
        self._entries.pop(sku, None)
'''

INVALIDATE = "        self._entries.pop(sku, None)\n"

WRITE_THROUGH = edit_source(
    SOLUTION,
    "        self.repository.write(sku, price_cents)\n" + INVALIDATE,
    "        product = self.repository.write(sku, price_cents)\n"
    "        self._entries[sku] = (self.clock(), product)\n"
    "        self._entries.move_to_end(sku)\n"
    "        if len(self._entries) > self.maxsize:\n"
    "            self._entries.popitem(last=False)\n",
)

NO_INVALIDATION = edit_source(SOLUTION, INVALIDATE, "")

UNBOUNDED = edit_source(
    SOLUTION,
    "        if len(self._entries) > self.maxsize:\n"
    "            self._entries.popitem(last=False)\n",
    "",
)

TTL_IGNORED = edit_source(
    SOLUTION,
    "if entry is not None and now - entry[0] < self.ttl:",
    "if entry is not None:",
)

NONE_FOREVER = edit_source(
    edit_source(
        SOLUTION,
        "        product = self.repository.read(sku)\n",
        "        if sku in self._missing:\n"
        "            return None\n"
        "        product = self.repository.read(sku)\n"
        "        if product is None:\n"
        "            self._missing.add(sku)\n"
        "            return None\n",
    ),
    "OrderedDict()\n",
    "OrderedDict()\n        self._missing: set[str] = set()\n",
)

LRU_CACHE = '''"""lru_cache around the repository read: bounded, but no TTL, no invalidation."""

import functools


class Catalog:
    def __init__(self, repository, clock, maxsize, ttl):
        self.repository = repository
        self._read = functools.lru_cache(maxsize=maxsize)(repository.read)

    def get(self, sku):
        return self._read(sku)

    def update(self, sku, price_cents):
        self.repository.write(sku, price_cents)
'''

COPIES = edit_source(
    STARTER,
    "        return self.repository.read(sku)\n",
    "        product = self.repository.read(sku)\n"
    "        if product is None:\n"
    "            return None\n"
    "        return type(product)(product.sku, product.version, product.price_cents)\n",
)

WRITE_BEHIND = edit_source(
    edit_source(
        STARTER, "        self.ttl = ttl\n", "        self.ttl = ttl\n        self.pending = []\n"
    ),
    "        self.repository.write(sku, price_cents)\n",
    "        self.pending.append((sku, price_cents))\n"
    "        if len(self.pending) >= 50:\n"
    "            for pending in self.pending:\n"
    "                self.repository.write(*pending)\n"
    "            self.pending.clear()\n",
)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, _ = lesson_and_brief(lab, "caching-strategies", 2)
    assert 4 <= len(lesson.quiz) <= 6
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    bench = load_bench(LAB_DIR)
    assert lab.metric("peak_entries").goal.threshold(None) == bench.MAXSIZE


def test_starter_is_correct_but_reads_the_repository_every_time(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert metric_verdicts(result) == {
        "backend_reads_pct": "fail",
        "stale_reads": "pass",
        "expired_reads": "pass",
        "peak_entries": "pass",
    }
    reads = metric_rows(result)["backend_reads_pct"]
    assert reads.value == reads.baseline
    assert reads.value is not None and reads.value > 95
    assert "every read goes to the repository" in reads.detail
    assert result.message.startswith("backend reads, % of requests")


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    reads = metric_rows(first)["backend_reads_pct"]
    assert reads.value is not None and reads.baseline is not None
    assert reads.value * 10 < reads.baseline  # a real win, far from the 20 % line
    assert reads.value < 10
    assert "first reads" in reads.detail
    again = metric_rows(second)
    for row in first.metrics:
        assert (row.value, row.baseline, row.detail) == (
            again[row.name].value,
            again[row.name].baseline,
            again[row.name].detail,
        )


@pytest.mark.parametrize(
    "source", [TTLCACHE, WRITE_THROUGH, FIFO], ids=["ttlcache", "write-through", "fifo"]
)
def test_other_correct_caches_pass(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    reads = metric_rows(result)["backend_reads_pct"].value
    assert reads is not None and reads < 12  # every taught cache passes with room to spare


def test_no_invalidation_names_the_stale_read(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, NO_INVALIDATION)
    assert result.verdict == "fail"
    assert result.message.startswith("stale reads after update()")
    stale = metric_rows(result)["stale_reads"]
    assert stale.value is not None and stale.value > 100
    assert " served version " in stale.detail
    assert "but update() wrote version " in stale.detail
    assert stale.detail.startswith("SKU-")
    assert "delete it" in stale.detail


def test_unbounded_dict_reports_its_peak(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, UNBOUNDED)
    assert result.verdict == "fail"
    assert metric_verdicts(result)["backend_reads_pct"] == "pass"
    peak = metric_rows(result)["peak_entries"]
    assert peak.verdict == "fail"
    assert peak.value is not None and peak.value > 600
    assert f"{int(peak.value)} products held at once" in peak.detail
    assert "maxsize 400" in peak.detail
    assert result.message.startswith("peak cache entries")


def test_ignoring_the_ttl_says_by_how_much(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, TTL_IGNORED)
    assert result.verdict == "fail"
    assert metric_verdicts(result)["stale_reads"] == "pass"  # update() still invalidates
    expired = metric_rows(result)["expired_reads"]
    assert expired.verdict == "fail"
    assert "s past the TTL of 120 s" in expired.detail
    assert result.message.startswith("reads served after the TTL")


def test_caching_not_found_forever_is_stale_after_the_launch(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, NONE_FOREVER)
    assert result.verdict == "fail"
    stale = metric_rows(result)["stale_reads"]
    assert stale.verdict == "fail"
    assert "served None (not found)" in stale.detail
    assert "but update() wrote version 1" in stale.detail
    expired = metric_rows(result)["expired_reads"]
    assert expired.verdict == "fail"
    assert "None (not found)" in expired.detail


def test_lru_cache_on_the_read_is_neither_fresh_nor_invalidated(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LRU_CACHE)
    assert result.verdict == "fail"
    found = metric_verdicts(result)
    assert found["backend_reads_pct"] == "pass"
    assert found["stale_reads"] == "fail"
    assert found["expired_reads"] == "fail"
    assert found["peak_entries"] == "pass"


def test_copies_of_products_are_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, COPIES)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "not a Product the repository returned" in result.message


def test_write_behind_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, WRITE_BEHIND)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "made the repository writes []" in result.message


class TestPassingWithoutACache:
    """Attempts to pass without building the cache the lab asks for: none may pass."""

    def test_a_frozen_clock_still_expires_on_the_graders_clock(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        """Replacing what the check's clock does changes only what the learner's code sees:
        the grader times every answer from its own list of requests."""
        frozen = edit_source(
            SOLUTION,
            "        self.clock = clock\n",
            "        self.clock = clock\n        type(clock).__call__ = lambda self: 0.0\n",
        )
        result = check(lab, tmp_path, frozen)
        assert result.verdict == "fail"
        expired = metric_rows(result)["expired_reads"]
        assert expired.verdict == "fail"
        assert "s past the TTL of 120 s" in expired.detail

    def test_patching_the_driver_through_sys_modules_is_caught(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        """An unbounded cache that switches off the driver's live-product count and its
        identity check: the answers alone prove how many products were kept."""
        patched = UNBOUNDED + (
            "\n\nimport sys  # noqa: E402\n\n"
            "for _module in list(sys.modules.values()):\n"
            "    if hasattr(_module, 'Tracker') and hasattr(_module, '_served'):\n"
            "        _module.Tracker.add = lambda self, product: None\n"
            "        _module._served = lambda got, tracker: None if got is None else (\n"
            "            got.fetch, got.sku, got.version, got.price_cents)\n"
        )
        result = check(lab, tmp_path, patched)
        assert result.verdict == "fail"
        peak = metric_rows(result)["peak_entries"]
        assert peak.verdict == "untrusted"
        assert "reported at most 0 products alive at once" in peak.detail
        assert result.message.startswith("peak cache entries cannot be trusted")

    def test_a_forged_result_file_and_exit_is_an_error(self, lab: Lab, tmp_path: Path) -> None:
        forged = edit_source(
            STARTER,
            "        return self.repository.read(sku)\n",
            "        import json, os\n"
            "        with open('result.json', 'w') as out:\n"
            "            json.dump({'status': 'ok', 'grade': {'correct': True}}, out)\n"
            "        os._exit(0)\n",
        )
        result = check(lab, tmp_path, forged)
        assert result.verdict == "error"
        assert "os._exit()" in result.message

    def test_the_solution_file_is_out_of_reach(self, lab: Lab, tmp_path: Path) -> None:
        reach = (
            "from perfcoach.paths import builtin_pack_root\n\n"
            "_path = builtin_pack_root() / 'labs' / 'cache-aside' / 'solution' / 'catalog.py'\n"
            "exec(compile(_path.read_text(), 'solution', 'exec'))\n"
        )
        result = check(lab, tmp_path, reach)
        assert result.verdict == "error"
        assert "not allowed during a check" in result.message

    def test_the_request_list_on_the_stack_does_not_replace_the_ttl(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        """A cache without a TTL that reads the replay's requests from the caller's frame to
        drop exactly the SKUs another service changed: never stale, and still expired,
        because a TTL bounds how long an answer may be served, changed or not."""
        clairvoyant = edit_source(
            edit_source(
                TTL_IGNORED,
                "        entry = self._entries.get(sku)\n",
                "        entry = self._entries.get(sku)\n"
                "        if entry is not None and any(\n"
                "            entry[0] < at <= now for at in self._changes().get(sku, ())\n"
                "        ):\n"
                "            entry = None\n",
            ),
            "    def update(",
            "    def _changes(self) -> dict[str, list[float]]:\n"
            "        if not hasattr(self, '_changed'):\n"
            "            frame = sys._getframe(1)\n"
            "            while 'ops' not in frame.f_locals:\n"
            "                frame = frame.f_back\n"
            "            self._changed: dict[str, list[float]] = {}\n"
            "            for at, kind, sku, _price in frame.f_locals['ops']:\n"
            "                if kind == 'external':\n"
            "                    self._changed.setdefault(sku, []).append(at)\n"
            "        return self._changed\n\n"
            "    def update(",
        ).replace(
            "from collections import OrderedDict\n",
            "import sys\nfrom collections import OrderedDict\n",
        )
        result = check(lab, tmp_path, clairvoyant)
        assert result.verdict == "fail"
        assert metric_verdicts(result)["stale_reads"] == "pass"
        expired = metric_rows(result)["expired_reads"]
        assert expired.verdict == "fail"
        assert "the TTL is what bounds how long the cache can miss them" in expired.detail

    def test_products_built_from_the_repositorys_rows_are_not_its_answers(
        self, lab: Lab, tmp_path: Path
    ) -> None:
        private_rows = edit_source(
            STARTER,
            "        return self.repository.read(sku)\n",
            "        row = self.repository._rows.get(sku)\n"
            "        if row is None:\n"
            "            return self.repository.read(sku)\n"
            "        return Product(sku, *row)\n",
        ).replace("class Catalog:", "from perfcoach_lab_driver import Product\n\n\nclass Catalog:")
        result = check(lab, tmp_path, private_rows)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "not a Product the repository returned" in result.message

    def test_a_read_kept_off_the_log_cannot_be_explained(self, lab: Lab, tmp_path: Path) -> None:
        """Issuing a Product the way read() does, minus the log record."""
        unlogged = edit_source(
            STARTER,
            "        return self.repository.read(sku)\n",
            "        repository = self.repository\n"
            "        row = repository._rows.get(sku)\n"
            "        if row is None:\n"
            "            return repository.read(sku)\n"
            "        repository._events += 1\n"
            "        product = Product(sku, *row, repository._events)\n"
            "        repository._tracker.add(product)\n"
            "        return product\n",
        ).replace("class Catalog:", "from perfcoach_lab_driver import Product\n\n\nclass Catalog:")
        result = check(lab, tmp_path, unlogged)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "leave the rest of the repository alone" in result.message

    @pytest.mark.parametrize(
        "tamper",
        [
            "        self.repository._events -= 1\n",
            "        self.repository._log = type('Quiet', (), {'write': lambda *a: None})()\n",
        ],
        ids=["uncount-reads", "silence-the-log"],
    )
    def test_rolling_back_the_repositorys_count_breaks_its_log(
        self, lab: Lab, tmp_path: Path, tamper: str
    ) -> None:
        tampered = edit_source(
            STARTER,
            "        return self.repository.read(sku)\n",
            "        product = self.repository.read(sku)\n" + tamper + "        return product\n",
        )
        result = check(lab, tmp_path, tampered)
        assert result.verdict == "fail"
        assert result.correct is False
        assert "leave the rest of the repository alone" in result.message

    def test_walking_the_object_graph_is_refused(self, lab: Lab, tmp_path: Path) -> None:
        """Looking for a grader-owned counter with gc: refused, and the refusal is reported
        even when the code swallows it."""
        hunting = edit_source(
            STARTER,
            "        self.ttl = ttl\n",
            "        self.ttl = ttl\n"
            "        import gc\n"
            "        try:\n"
            "            for obj in gc.get_objects():\n"
            "                if hasattr(obj, 'backend_reads'):\n"
            "                    obj.backend_reads = 0\n"
            "        except RuntimeError:\n"
            "            pass\n",
        )
        result = check(lab, tmp_path, hunting)
        assert result.verdict == "fail"
        assert metric_verdicts(result)["backend_reads_pct"] == "fail"
        assert any("refused" in note and "introspection" in note for note in result.notes)

    def test_reading_in_a_subprocess_is_refused(self, lab: Lab, tmp_path: Path) -> None:
        spawning = edit_source(
            STARTER,
            "        return self.repository.read(sku)\n",
            "        import subprocess, sys\n"
            "        subprocess.run([sys.executable, '-c', 'pass'], check=True)\n"
            "        return self.repository.read(sku)\n",
        )
        result = check(lab, tmp_path, spawning)
        assert result.verdict == "error"
        assert "is not allowed: a check runs in one process" in result.message

    def test_memoising_every_answer_is_stale_and_expired(self, lab: Lab, tmp_path: Path) -> None:
        """functools.cache on the read: the first answer for a SKU, forever. Caching is the
        lesson, so the check says what such a cache gets wrong, not that it is forbidden."""
        memo = (
            "import functools\n\n\n"
            "@functools.cache\n"
            "def _fetch(repository, sku):\n"
            "    return repository.read(sku)\n\n\n"
            "class Catalog:\n"
            "    def __init__(self, repository, clock, maxsize, ttl):\n"
            "        self.repository = repository\n\n"
            "    def get(self, sku):\n"
            "        return _fetch(self.repository, sku)\n\n"
            "    def update(self, sku, price_cents):\n"
            "        self.repository.write(sku, price_cents)\n"
        )
        result = check(lab, tmp_path, memo)
        assert result.verdict == "fail"
        rows = metric_rows(result)
        assert rows["stale_reads"].verdict == "fail"
        assert "delete it" in rows["stale_reads"].detail
        assert rows["expired_reads"].verdict == "fail"
        assert rows["peak_entries"].verdict == "fail"


def test_a_new_seed_is_a_new_workload() -> None:
    """Nothing about one seed's replay (SKUs, popularity, launches) carries to the next."""
    bench = load_bench(LAB_DIR)
    first, second = (
        bench.build_workload(random.Random(f"{seed}:replay"), 500) for seed in (SEED, SEED + 1)
    )
    assert sorted(first.rows) != sorted(second.rows)
    assert first.ops != second.ops
    assert first.launched != second.launched
    again = bench.build_workload(random.Random(f"{SEED}:replay"), 500)
    assert again.ops == first.ops


def test_every_launched_sku_is_read_while_absent_and_after() -> None:
    """The None-caching trap needs reads of a SKU before and after update() creates it."""
    bench = load_bench(LAB_DIR)
    workload = bench.build_workload(random.Random(f"{SEED}:replay"), bench.REQUESTS)
    for sku in workload.launched:
        assert sku not in workload.rows
        created = next(i for i, op in enumerate(workload.ops) if op.sku == sku and op.kind != "get")
        kinds = [op.kind for op in workload.ops if op.sku == sku]
        assert "get" in kinds[: kinds.index("update")]
        assert any(op.sku == sku and op.kind == "get" for op in workload.ops[created + 1 :])


def test_profile_counts_reads_like_the_check(lab: Lab) -> None:
    """The brief says ncalls of read() is the number of backend reads: one per get()."""
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    reads = [row["ncalls"] for row in report["rows"] if row["function"] == "read"]
    assert reads and reads[0] > 35_000
