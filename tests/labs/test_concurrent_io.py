"""The concurrent-io lab through the real check: the starter fails its speedup, bounded
threads and bounded asyncio both pass, and unbounded or out-of-order fixes fail with a
message that says what to change."""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, load_bench, metric_rows, metric_verdicts
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

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

THREAD_PER_SKU_HIDDEN = THREAD_PER_SKU.replace(
    "import threading\n",
    "import threading\n\nthreading.active_count = lambda: 1  # what the old counter asked\n",
)

ASKS_TWICE = POOL_MAP.replace(
    "    with ThreadPoolExecutor",
    "    client.fetch(skus[0])  # warm the connection\n    with ThreadPoolExecutor",
)

# Attempts to pass without fixing anything. Each must fail, with a message that tells an
# honest learner what is wrong where the message can be asserted.

REPLACES_CLOCKS_AND_GRADER = '''"""One at a time, the clocks, driver and bench replaced."""

import sys
import time

time.perf_counter = lambda: 0.0
time.monotonic = lambda: 0.0
time.process_time = lambda: 0.0
time.sleep = lambda seconds: None
_driver = sys.modules.get("perfcoach_lab_driver")
if _driver is not None:
    _driver.quotes = lambda module, supplier, skus, limit: []
_bench = sys.modules.get("perfcoach_lab_bench")
if _bench is not None:
    _bench.grade = lambda ctx: None


def fetch_quotes(client, skus):
    return [client.fetch(sku) for sku in skus]
'''

CLIENT_ANSWERS_ITSELF = '''"""Patch the driver's client so a request never leaves the process."""

import sys

_driver = sys.modules["perfcoach_lab_driver"]
_driver.SupplierClient.fetch = lambda self, sku: {"sku": sku, "price_cents": 999, "in_stock": True}


def fetch_quotes(client, skus):
    return [client.fetch(sku) for sku in skus]
'''

FORGED_RESULT = '''"""Write a passing result where a grader might look, and leave at once."""

import json
import os


def fetch_quotes(client, skus):
    verdict = {"status": "ok", "verdict": "pass", "grade": {"correct": True, "metrics": {}}}
    for name in ("result.json", "verdict.json", ".result"):
        with open(name, "w") as out:
            json.dump(verdict, out)
    os._exit(0)
'''

STACK_WALK = '''"""Look up the call stack for the supplier's answers before asking for them."""

import inspect
import sys


def _answers_in(namespace, skus):
    for value in list(namespace.values()):
        if isinstance(value, dict) and all(sku in value for sku in skus):
            return [value[sku] for sku in skus]
        answers = getattr(value, "answers", None)
        if isinstance(answers, dict) and all(sku in answers for sku in skus):
            return [answers[sku] for sku in skus]
    return None


def fetch_quotes(client, skus):
    for info in inspect.stack():
        found = _answers_in(info.frame.f_locals, skus) or _answers_in(info.frame.f_globals, skus)
        if found:
            return found
    frame = sys._getframe()
    while frame is not None:
        found = _answers_in(frame.f_locals, skus)
        if found:
            return found
        frame = frame.f_back
    return [client.fetch(sku) for sku in skus]
'''

READS_THE_SOLUTION = '''"""Run the reference fix from the installed content pack."""

from perfcoach.paths import builtin_pack_root


def fetch_quotes(client, skus):
    path = builtin_pack_root() / "labs" / "concurrent-io" / "solution" / "quotes.py"
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace["fetch_quotes"](client, skus)
'''

GC_WALK = '''"""Find the grader's supplier (or its tally) among the live objects."""

import gc


def fetch_quotes(client, skus):
    for obj in gc.get_objects():
        if type(obj).__name__ in ("Supplier", "Tally", "Basket"):
            return [obj.answers[sku] for sku in skus]
    return [client.fetch(sku) for sku in skus]
'''

SUBPROCESS_FETCH = '''"""Do the waiting in another process, where no thread counter looks."""

import subprocess
import sys


def fetch_quotes(client, skus):
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return [client.fetch(sku) for sku in skus]
'''

# The case: two in flight, and quotes remembered from earlier calls.
QUOTE_CACHE = '''"""Two requests in flight, and every quote remembered for the next call."""

from concurrent.futures import ThreadPoolExecutor

_QUOTES = {}


def fetch_quotes(client, skus):
    missing = [sku for sku in skus if sku not in _QUOTES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for sku, quote in zip(missing, pool.map(client.fetch, missing)):
            _QUOTES[sku] = quote
    return [_QUOTES[sku] for sku in skus]
'''

BOUNDED_QUOTE_CACHE = QUOTE_CACHE.replace("max_workers=2", "max_workers=client.max_in_flight")
# Its first call takes over a second anywhere, as a loaded machine makes the others take.
SERIAL_QUOTE_CACHE = QUOTE_CACHE.replace("max_workers=2", "max_workers=1")

CLIENT_KEPT = '''"""A pool of 8 on the client of the first call, kept for every later call."""

from concurrent.futures import ThreadPoolExecutor

_CLIENT = []


def fetch_quotes(client, skus):
    if not _CLIENT:
        _CLIENT.append(client)
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(_CLIENT[0].fetch, skus))
'''


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson_and_brief(lab, "advanced-profiling", 2)
    assert [m.name for m in lab.metrics] == METRICS
    assert [m.deterministic for m in lab.metrics] == [True, True, True, False]


def test_starter_is_correct_but_fails_its_speedup(starter_run: CheckResult) -> None:
    result = starter_run
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
    assert "each on a fresh basket" in rows["speedup"].detail
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


def test_threads_are_counted_from_outside_the_process(lab: Lab, tmp_path: Path) -> None:
    """The grader counts the process's threads in /proc: a patched threading changes nothing."""
    result = check(lab, tmp_path, THREAD_PER_SKU_HIDDEN)
    assert result.verdict == "fail"
    row = metric_rows(result)["threads_alive_max"]
    assert row.verdict == "fail" and row.value is not None and row.value >= 30


def test_asking_twice_is_counted(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, ASKS_TWICE)
    assert result.verdict == "fail"
    row = metric_rows(result)["remote_calls"]
    assert (row.value, row.verdict) == (41, "fail")
    assert "requested more than once" in row.detail


def test_hard_coded_answers_fail_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    basket = bench.make_basket(random.Random(f"{SEED}:basket"))
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


def test_speedup_detail_names_the_runs_the_verdict_uses(
    solution_runs: list[CheckResult],
) -> None:
    detail = metric_rows(solution_runs[0])["speedup"].detail
    runs = int(re.search(r"over (\d+) runs", detail).group(1))  # type: ignore[union-attr]
    slowest = "your slowest run" if runs <= 7 else "your second-slowest run"
    assert f"It passes when {slowest} is at least 4× faster than the starter" in detail
    assert "starter" in detail and "one run" in detail


def test_which_runs_the_interval_ends_are() -> None:
    """The wording follows the ranks median_interval takes its ends from."""
    bench = load_bench(LAB_DIR)
    assert bench._ranks(1) == ("your only run", "it")
    assert bench._ranks(3) == ("your slowest run", "even your fastest run")
    assert bench._ranks(7) == ("your slowest run", "even your fastest run")
    assert bench._ranks(9) == ("your second-slowest run", "even your second-fastest run")


def test_baskets_carry_skus_over_at_new_prices() -> None:
    """What makes a remembered quote wrong instead of merely unused."""
    bench = load_bench(LAB_DIR)
    rng = random.Random("carry")
    first = bench.make_basket(rng)
    second = bench.make_basket(rng, first)
    carried = set(first.skus) & set(second.skus)
    assert len(carried) == bench.CARRIED and len(set(second.skus)) == bench.N_SKUS
    for sku in carried:
        assert first.answers[sku]["price_cents"] != second.answers[sku]["price_cents"]


def test_profile_shows_the_waiting(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    calls = {row["function"]: row["ncalls"] for row in report["rows"]}
    top = report["rows"][0]
    assert "acquire" in top["function"]  # the wait for each answer
    assert calls.get("fetch") == 40


# Attempts to pass without fixing anything.


def test_replacing_clocks_driver_and_bench_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    """Time is the grader's clock; the driver's entry points and the bench are out of reach."""
    result = check(lab, tmp_path, REPLACES_CLOCKS_AND_GRADER)
    assert result.verdict == "fail"
    assert result.correct is True
    rows = metric_rows(result)
    assert rows["in_flight_max"].value == 1
    assert rows["speedup"].verdict == "fail"
    assert rows["speedup"].value is not None and rows["speedup"].value < 2


def test_a_client_that_answers_itself_is_wrong(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, CLIENT_ANSWERS_ITSELF)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: position 0")


def test_a_forged_result_and_an_early_exit_are_an_error(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, FORGED_RESULT)
    assert result.verdict == "error"
    assert "exited with status 0 before it replied" in result.message
    assert "os._exit()" in result.message


def test_the_answers_are_not_on_the_stack(lab: Lab, tmp_path: Path) -> None:
    """Nothing found above fetch_quotes: it falls back to one call at a time, and fails."""
    result = check(lab, tmp_path, STACK_WALK)
    assert result.verdict == "fail"
    assert result.correct is True
    assert metric_rows(result)["speedup"].verdict == "fail"


def test_the_solution_cannot_be_read(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, READS_THE_SOLUTION)
    assert result.verdict == "error"
    assert "not allowed during a check" in result.message
    assert result.where.startswith("quotes.py line")


def test_walking_the_object_graph_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, GC_WALK)
    assert result.verdict == "error"
    assert "gc.get_objects() is not allowed during a check" in result.message


def test_another_process_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, SUBPROCESS_FETCH)
    assert result.verdict == "error"
    assert "subprocess.Popen is not allowed" in result.message


@pytest.mark.parametrize(
    "source",
    [SERIAL_QUOTE_CACHE, QUOTE_CACHE, BOUNDED_QUOTE_CACHE],
    ids=["one-in-flight", "two-in-flight", "eight-in-flight"],
)
def test_quotes_remembered_across_calls_are_stale(lab: Lab, tmp_path: Path, source: str) -> None:
    """Every run has a fresh basket, some SKUs at new prices: a quote cache returns old ones,
    however slow its first run was (a slow first run used to settle the timing and end the
    check before any second basket was asked for)."""
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: on run 2, with a fresh basket: position ")
    assert "the quote" in result.message and "had in an earlier call" in result.message
    assert "anything kept from an earlier call is stale" in result.message
    assert metric_rows(result)["speedup"].verdict == "unmeasured"


def test_a_client_kept_from_an_earlier_call_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, CLIENT_KEPT)
    assert result.verdict == "error"
    assert "this client was given to an earlier call of fetch_quotes" in result.message
