"""The cache-aside lab through the real check: the starter fails on backend reads, the
taught caches pass (by hand, with cachetools, write-through, FIFO), and every tempting
shortcut fails with a detail that names what went wrong."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from perfcoach.catalog import load_lesson
from perfcoach.catalog.lab import Lab
from perfcoach.labkit import LabContext
from perfcoach.runner.check import CheckResult
from perfcoach.runner.subject import load_module
from tests.helpers import check_source, load_bench, metric_rows, metric_verdicts

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "cache-aside"
SEED = 314159
METRICS = ["backend_reads_pct", "stale_reads", "expired_reads", "peak_entries"]

STARTER = (LAB_DIR / "starter" / "catalog.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "catalog.py").read_text()


def edit(source: str, old: str, new: str) -> str:
    """Replace one piece of a lab file, failing loudly if the lab file changed under us."""
    assert source.count(old) == 1, f"the lab file no longer contains {old!r} exactly once"
    return source.replace(old, new)


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

WRITE_THROUGH = edit(
    SOLUTION,
    "        self.repository.write(sku, price_cents)\n" + INVALIDATE,
    "        product = self.repository.write(sku, price_cents)\n"
    "        self._entries[sku] = (self.clock(), product)\n"
    "        self._entries.move_to_end(sku)\n"
    "        if len(self._entries) > self.maxsize:\n"
    "            self._entries.popitem(last=False)\n",
)

NO_INVALIDATION = edit(SOLUTION, INVALIDATE, "")

UNBOUNDED = edit(
    SOLUTION,
    "        if len(self._entries) > self.maxsize:\n"
    "            self._entries.popitem(last=False)\n",
    "",
)

TTL_IGNORED = edit(
    SOLUTION,
    "if entry is not None and now - entry[0] < self.ttl:",
    "if entry is not None:",
)

NONE_FOREVER = edit(
    edit(
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

COPIES = edit(
    STARTER,
    "        return self.repository.read(sku)\n",
    "        product = self.repository.read(sku)\n"
    "        if product is None:\n"
    "            return None\n"
    "        return type(product)(product.sku, product.version, product.price_cents)\n",
)

WRITE_BEHIND = edit(
    edit(
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
    lesson = load_lesson(ROOT / "content" / "2-intermediate" / f"{lab.module}.md")
    assert lesson.id == lab.module == "caching-strategies"
    assert lesson.level == lab.level == 2
    assert 4 <= len(lesson.quiz) <= 6
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert len(lab.hints) == 3
    brief = lab.brief_path.read_text()
    for command in ("start", "check", "hint", "profile"):
        assert f"perfcoach lab {command} cache-aside" in brief
    assert "perfcoach lab start cache-aside" in lesson.body
    bench = load_bench(LAB_DIR)
    assert lab.metric("peak_entries").goal.threshold(None) == bench.MAXSIZE


def test_starter_is_correct_but_reads_the_repository_every_time(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STARTER)
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


def test_a_new_seed_is_a_new_workload(lab: Lab, tmp_path: Path) -> None:
    """Nothing about one seed's replay (SKUs, popularity, launches) carries to the next."""
    bench = load_bench(LAB_DIR)
    goals = {m.name: m.goal for m in lab.metrics}
    first, second = (
        bench.build_workload(LabContext(seed, LAB_DIR, tmp_path, goals).rng("replay"), 500)
        for seed in (SEED, SEED + 1)
    )
    assert sorted(first.rows) != sorted(second.rows)
    assert first.ops != second.ops
    assert first.launched != second.launched
    again = bench.build_workload(LabContext(SEED, LAB_DIR, tmp_path, goals).rng("replay"), 500)
    assert again.ops == first.ops


def test_every_launched_sku_is_read_while_absent_and_after(tmp_path: Path) -> None:
    """The None-caching trap needs reads of a SKU before and after update() creates it."""
    bench = load_bench(LAB_DIR)
    workload = bench.build_workload(
        LabContext(SEED, LAB_DIR, tmp_path, {}).rng("replay"), bench.REQUESTS
    )
    for sku in workload.launched:
        assert sku not in workload.rows
        created = next(i for i, op in enumerate(workload.ops) if op.sku == sku and op.kind != "get")
        kinds = [op.kind for op in workload.ops if op.sku == sku]
        assert "get" in kinds[: kinds.index("update")]
        assert any(op.sku == sku and op.kind == "get" for op in workload.ops[created + 1 :])


def test_profile_workload_counts_reads_like_the_check(tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    starter = load_module(LAB_DIR / "starter" / "catalog.py", "cache_aside_starter_for_profile")
    run = bench.workload(starter, LabContext(SEED, LAB_DIR, tmp_path, {}))
    stats = run()
    assert stats.backend_reads == stats.gets > 100_000
