"""The concurrent-io lab through the real check: the starter fails its speedup, bounded
threads and bounded asyncio both pass, and unbounded or out-of-order fixes fail with a
message that says what to change."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from perfcoach.catalog import load_lesson
from perfcoach.catalog.lab import Lab
from perfcoach.labkit import LabContext
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows, metric_verdicts

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "concurrent-io"
SEED = 161803
METRICS = ["in_flight_max", "threads_alive_max", "remote_calls", "speedup"]
COUNTED = METRICS[:3]

STARTER = (LAB_DIR / "starter" / "quotes.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "quotes.py").read_text()

POOL_MAP = '''"""A pool of as many workers as the supplier allows; map keeps the input order."""

from concurrent.futures import ThreadPoolExecutor


def fetch_quotes(client, skus):
    with ThreadPoolExecutor(max_workers=client.max_in_flight) as pool:
        return list(pool.map(client.fetch, skus))
'''

TO_THREAD = '''"""asyncio bounds the calls; the blocking fetch runs in the default executor."""

import asyncio


async def _all(client, skus):
    limit = asyncio.Semaphore(client.max_in_flight)

    async def one(sku):
        async with limit:
            return await asyncio.to_thread(client.fetch, sku)

    return await asyncio.gather(*(one(sku) for sku in skus))


def fetch_quotes(client, skus):
    return list(asyncio.run(_all(client, skus)))
'''

BATCHES = '''"""Eight at a time: within the bound, but each batch waits for its slowest call."""

import asyncio


async def _all(client, skus):
    quotes = []
    for start in range(0, len(skus), client.max_in_flight):
        batch = skus[start : start + client.max_in_flight]
        quotes.extend(await asyncio.gather(*(client.afetch(sku) for sku in batch)))
    return quotes


def fetch_quotes(client, skus):
    return asyncio.run(_all(client, skus))
'''

UNBOUNDED = '''"""Every request at once."""

import asyncio


async def _all(client, skus):
    return await asyncio.gather(*(client.afetch(sku) for sku in skus))


def fetch_quotes(client, skus):
    return list(asyncio.run(_all(client, skus)))
'''

AS_COMPLETED = '''"""Bounded, but the answers are collected as they finish."""

from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_quotes(client, skus):
    with ThreadPoolExecutor(max_workers=client.max_in_flight) as pool:
        futures = [pool.submit(client.fetch, sku) for sku in skus]
        return [future.result() for future in as_completed(futures)]
'''

THREAD_PER_SKU = '''"""A thread per SKU, with a semaphore so only eight call at once."""

import threading


def fetch_quotes(client, skus):
    limit = threading.Semaphore(client.max_in_flight)
    quotes = [None] * len(skus)

    def work(position, sku):
        with limit:
            quotes[position] = client.fetch(sku)

    threads = [threading.Thread(target=work, args=item) for item in enumerate(skus)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return quotes
'''

ASKS_TWICE = POOL_MAP.replace(
    "    with ThreadPoolExecutor",
    "    client.fetch(skus[0])  # warm the connection\n    with ThreadPoolExecutor",
)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson = load_lesson(ROOT / "content" / "2-intermediate" / f"{lab.module}.md")
    assert lesson.id == lab.module == "advanced-profiling"
    assert lesson.level == lab.level == 2
    assert [m.name for m in lab.metrics] == METRICS
    assert [m.deterministic for m in lab.metrics] == [True, True, True, False]
    assert len(lab.hints) == 3
    brief = lab.brief_path.read_text()
    for command in ("start", "check", "hint", "profile"):
        assert f"perfcoach lab {command} concurrent-io" in brief
    assert "perfcoach lab start concurrent-io" in lesson.body


def test_starter_is_correct_but_fails_its_speedup(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STARTER)
    assert result.verdict == "fail"
    assert result.correct is True
    assert metric_verdicts(result) == {
        "in_flight_max": "pass",
        "threads_alive_max": "pass",
        "remote_calls": "pass",
        "speedup": "fail",
    }
    assert metric_rows(result)["in_flight_max"].value == 1
    assert result.message.startswith("speedup:")
    assert any(note.startswith("One call at a time") for note in result.notes)


def test_asyncio_semaphore_passes_with_counts_that_repeat(
    solution_runs: list[CheckResult],
) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    rows = metric_rows(first)
    assert rows["in_flight_max"].value == 8
    assert rows["threads_alive_max"].value == 0
    assert rows["speedup"].verdict == "pass"
    again = metric_rows(second)
    for name in COUNTED:
        assert (rows[name].value, rows[name].baseline, rows[name].detail) == (
            again[name].value,
            again[name].baseline,
            again[name].detail,
        )


@pytest.mark.parametrize(
    "source", [POOL_MAP, TO_THREAD, BATCHES], ids=["pool-map", "to-thread", "batches"]
)
def test_other_bounded_designs_pass(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    rows = metric_rows(result)
    in_flight = rows["in_flight_max"].value
    assert in_flight is not None and 2 <= in_flight <= 8


def test_unbounded_gather_exceeds_the_limit(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, UNBOUNDED)
    assert result.verdict == "fail"
    row = metric_rows(result)["in_flight_max"]
    assert row.verdict == "fail"
    assert row.value == 40
    assert "in-flight limit exceeded: up to 40 calls" in row.detail
    assert "Semaphore(8)" in row.detail
    assert result.message.startswith("calls in flight (max): 40")


def test_as_completed_order_is_named(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, AS_COMPLETED)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: results out of input order: position ")
    assert "as_completed() gives completion order" in result.message


def test_a_thread_per_sku_fails_even_when_bounded(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, THREAD_PER_SKU)
    assert result.verdict == "fail"
    found = metric_verdicts(result)
    assert found["in_flight_max"] == "pass"
    assert found["threads_alive_max"] == "fail"
    row = metric_rows(result)["threads_alive_max"]
    assert row.value is not None and row.value >= 30  # 40 started; the first may be done
    assert "a thread per call grows with the input" in row.detail


def test_asking_twice_is_counted(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, ASKS_TWICE)
    assert result.verdict == "fail"
    row = metric_rows(result)["remote_calls"]
    assert (row.value, row.verdict) == (41, "fail")
    assert "requested more than once" in row.detail


def test_hard_coded_answers_fail_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    goals = {m.name: m.goal for m in lab.metrics}
    basket = bench.make_basket(LabContext(SEED, LAB_DIR, tmp_path, goals).rng("basket"))
    recorded = [basket.answers[sku] for sku in basket.skus]
    source = (
        "import json\n\n"
        f"ANSWERS = json.loads({json.dumps(json.dumps(recorded))})\n\n\n"
        "def fetch_quotes(client, skus):\n"
        "    return ANSWERS\n"
    )
    result = check(lab, tmp_path, source, seed=SEED + 1)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: position 0")


def test_profile_shows_the_waiting(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    top = report["rows"][0]
    assert "sleep" in top["function"]
    assert top["ncalls"] == 40
