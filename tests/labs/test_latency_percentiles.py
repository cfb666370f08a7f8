"""The latency-percentiles lab through the real check: the starter fails memory and speed,
three kinds of histogram pass, each tempting shortcut fails on the row that explains it,
and answers kept from an earlier call fail the timed refreshes."""

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
LAB_DIR = ROOT / "labs" / "latency-percentiles"
SEED = 161803
METRICS = ["peak_memory", "percentile_error", "speedup"]

STARTER = (LAB_DIR / "starter" / "latency.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "latency.py").read_text()

HDR_STYLE = '''"""HDR-style: a power-of-two range per exponent, split into 128 equal sub-buckets."""

from __future__ import annotations

import math

SUB = 128  # sub-buckets per power of two: each at most 1/128 of its values wide
LOW_EXP = -20  # 2**-20 ms is far below any latency
HIGH_EXP = 20  # 2**20 ms is over 17 minutes


class LatencyRecorder:
    def __init__(self) -> None:
        self.counts = [0] * ((HIGH_EXP - LOW_EXP) * SUB)
        self.total = 0

    def record(self, ms: float) -> None:
        mantissa, exponent = math.frexp(ms)  # ms = mantissa * 2**exponent, 0.5 <= mantissa < 1
        self.counts[(exponent - LOW_EXP) * SUB + int((mantissa - 0.5) * 2 * SUB)] += 1
        self.total += 1

    def count(self) -> int:
        return self.total

    def percentile(self, p: float) -> float:
        rank = max(1, math.ceil(p / 100 * self.total))
        seen = 0
        for index, n in enumerate(self.counts):
            seen += n
            if seen >= rank:
                exponent, sub = divmod(index, SUB)
                low = math.ldexp(0.5 + sub / (2 * SUB), exponent + LOW_EXP)
                high = math.ldexp(0.5 + (sub + 1) / (2 * SUB), exponent + LOW_EXP)
                return (low + high) / 2
        raise ValueError("no latencies recorded yet")
'''

GEOMETRIC_BISECT = '''"""A fixed list of geometric bucket bounds, searched with bisect."""

from __future__ import annotations

import math
from bisect import bisect_left

BOUNDS = [0.01 * 1.01**i for i in range(1700)]  # 0.01 ms .. ~200 s, each 1 % above the last


class LatencyRecorder:
    def __init__(self) -> None:
        self.counts = [0] * (len(BOUNDS) + 1)
        self.total = 0

    def record(self, ms: float) -> None:
        self.counts[bisect_left(BOUNDS, ms)] += 1
        self.total += 1

    def count(self) -> int:
        return self.total

    def percentile(self, p: float) -> float:
        rank = max(1, math.ceil(p / 100 * self.total))
        seen = 0
        for index, n in enumerate(self.counts):
            seen += n
            if seen >= rank:
                if index == 0:
                    return BOUNDS[0]
                return math.sqrt(BOUNDS[index - 1] * BOUNDS[index])
        raise ValueError("no latencies recorded yet")
'''

LAZY_SORT = '''"""Keeps every sample, sorts only when something new arrived since the last query."""

from __future__ import annotations

import math


class LatencyRecorder:
    def __init__(self) -> None:
        self.samples: list[float] = []
        self.dirty = False

    def record(self, ms: float) -> None:
        self.samples.append(ms)
        self.dirty = True

    def count(self) -> int:
        return len(self.samples)

    def percentile(self, p: float) -> float:
        if self.dirty:
            self.samples.sort()
            self.dirty = False
        return self.samples[max(1, math.ceil(p / 100 * len(self.samples))) - 1]
'''

RESERVOIR = '''"""A uniform reservoir sample of 10,000 latencies (Algorithm R)."""

from __future__ import annotations

import math
import random

SIZE = 10_000


class LatencyRecorder:
    def __init__(self) -> None:
        self.sample: list[float] = []
        self.seen = 0

    def record(self, ms: float) -> None:
        self.seen += 1
        if len(self.sample) < SIZE:
            self.sample.append(ms)
        else:
            slot = random.randrange(self.seen)
            if slot < SIZE:
                self.sample[slot] = ms

    def count(self) -> int:
        return self.seen

    def percentile(self, p: float) -> float:
        ordered = sorted(self.sample)
        return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]
'''

LINEAR_BUCKETS = '''"""Equal-width buckets: one per millisecond up to the one-minute timeout."""

from __future__ import annotations

import math

WIDTH_MS = 1.0
BUCKETS = 60_001


class LatencyRecorder:
    def __init__(self) -> None:
        self.counts = [0] * BUCKETS
        self.total = 0

    def record(self, ms: float) -> None:
        self.counts[min(int(ms / WIDTH_MS), BUCKETS - 1)] += 1
        self.total += 1

    def count(self) -> int:
        return self.total

    def percentile(self, p: float) -> float:
        rank = max(1, math.ceil(p / 100 * self.total))
        seen = 0
        for index, n in enumerate(self.counts):
            seen += n
            if seen >= rank:
                return (index + 0.5) * WIDTH_MS
        raise ValueError("no latencies recorded yet")
'''

WRONG_COUNT = SOLUTION.replace(
    "        return sum(self.counts.values())\n", "        return len(self.counts)\n"
)

# Exact on the million (every checkpoint has its own count), but an answer computed once
# is reused by any recorder that has recorded as many latencies: across timed calls.
ANSWERS_BY_COUNT = (
    SOLUTION.replace(
        "    def percentile(self, p: float) -> float:\n",
        "    def percentile(self, p: float) -> float:\n"
        "        key = (self.count(), p)\n"
        "        if key not in _SEEN:\n"
        "            _SEEN[key] = self._percentile(p)\n"
        "        return _SEEN[key]\n\n"
        "    def _percentile(self, p: float) -> float:\n",
    )
    + "\n\n_SEEN: dict[tuple[int, float], float] = {}\n"
)

# The reference histogram, and every latency also written to a file "for later".
LOGGED_TO_A_FILE = (
    SOLUTION.replace(
        "        self.counts: dict[int, int] = {}  # bucket index -> latencies in it\n",
        "        self.counts: dict[int, int] = {}  # bucket index -> latencies in it\n"
        '        self.log = open(f"latencies-{id(self)}.bin", "wb")  # noqa: SIM115\n',
    )
    .replace(
        "        bucket = math.ceil(math.log(ms) * _PER_LOG)\n",
        '        self.log.write(struct.pack("d", ms))\n'
        "        bucket = math.ceil(math.log(ms) * _PER_LOG)\n",
    )
    .replace("import math\n", "import math\nimport struct\n", 1)
)

# In milliseconds where seconds were meant: every answer a thousand times too large.
IN_SECONDS = SOLUTION.replace(
    "        return 2 * GAMMA**bucket / (GAMMA + 1)\n",
    "        return 2000 * GAMMA**bucket / (GAMMA + 1)\n",
)


check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, _ = lesson_and_brief(lab, "performance-metrics", 1)
    assert 4 <= len(lesson.quiz) <= 6
    assert [m.name for m in lab.metrics] == METRICS
    assert [m.deterministic for m in lab.metrics] == [True, True, False]


def test_starter_is_exact_but_fails_memory_and_speed(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert metric_verdicts(result) == {
        "peak_memory": "fail",
        "percentile_error": "pass",
        "speedup": "fail",
    }
    memory = metric_rows(result)["peak_memory"]
    assert memory.value is not None and memory.value > 15 * 2**20  # ~20 bytes per latency
    assert "samples are kept" in memory.detail
    assert metric_rows(result)["percentile_error"].value == 0
    assert result.message.startswith("tracemalloc peak")
    assert any(note.startswith("Memory:") for note in result.notes)


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    assert metric_verdicts(first) == dict.fromkeys(METRICS, "pass")
    memory = metric_rows(first)["peak_memory"]
    assert memory.value is not None and memory.baseline is not None
    assert memory.value * 50 < memory.baseline  # far from the 1/20 line
    error = metric_rows(first)["percentile_error"]
    assert error.value is not None and error.value < 0.005
    for name in ("peak_memory", "percentile_error"):
        a, b = metric_rows(first)[name], metric_rows(second)[name]
        assert (a.value, a.baseline, a.detail) == (b.value, b.baseline, b.detail)


@pytest.mark.parametrize(
    "source", [HDR_STYLE, GEOMETRIC_BISECT], ids=["hdr-sub-buckets", "geometric-bisect"]
)
def test_other_histograms_pass(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    memory = metric_rows(result)["peak_memory"]
    assert memory.value is not None and memory.baseline is not None
    assert memory.value * 50 < memory.baseline


def test_keeping_samples_and_sorting_lazily_fails_memory(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LAZY_SORT, time_all=True)
    assert result.verdict == "fail"
    found = metric_verdicts(result)
    assert found["peak_memory"] == "fail"
    assert found["percentile_error"] == "pass"  # exact, and fast enough...
    assert found["speedup"] == "pass"  # a refresh sorts only the second that arrived
    assert result.message.startswith("tracemalloc peak")  # ...but memory grows with traffic
    assert "samples are kept" in metric_rows(result)["peak_memory"].detail


def test_a_reservoir_sample_misses_the_tail(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RESERVOIR)
    assert result.verdict == "fail"
    error = metric_rows(result)["percentile_error"]
    assert error.verdict == "fail"
    assert metric_rows(result)["peak_memory"].verdict == "pass"
    assert error.detail.startswith("worst: P99.9 after")
    assert "A sample of the stream keeps too few of those" in error.detail
    assert error.value is not None and error.value > 0.05


def test_equal_width_buckets_are_too_coarse_for_fast_requests(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LINEAR_BUCKETS)
    assert result.verdict == "fail"
    error = metric_rows(result)["percentile_error"]
    assert error.verdict == "fail"
    assert error.detail.startswith("worst: P50 after")
    assert "log or geometric buckets" in error.detail
    assert result.message.startswith("worst percentile error")


def test_a_wrong_count_is_a_wrong_result(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, WRONG_COUNT)
    assert result.verdict == "fail"
    assert result.correct is False
    assert result.message.startswith("wrong result: after ")
    assert "calls to record(), count() returned" in result.message


def test_answers_kept_across_calls_fail_the_timed_refreshes(lab: Lab, tmp_path: Path) -> None:
    assert ANSWERS_BY_COUNT != SOLUTION
    result = check(lab, tmp_path, ANSWERS_BY_COUNT)
    assert result.verdict == "fail"
    assert result.correct is False
    assert result.message.startswith("wrong result: on a timed repetition with fresh input")
    assert "an answer kept from an earlier call (or another recorder)" in result.message


def test_latencies_written_to_a_file_make_the_peak_untrusted(lab: Lab, tmp_path: Path) -> None:
    assert "struct.pack" in LOGGED_TO_A_FILE
    result = check(lab, tmp_path, LOGGED_TO_A_FILE)
    assert result.verdict == "fail"
    memory = metric_rows(result)["peak_memory"]
    assert memory.verdict == "untrusted"
    assert memory.value is not None and memory.value * 100 < 20 * 2**20  # tracemalloc saw little
    assert "your process wrote 7.6 MiB" in memory.detail
    assert "latencies kept outside Python's memory are still kept" in memory.detail
    assert metric_verdicts(result)["percentile_error"] == "pass"


def test_an_answer_past_the_timeout_is_a_wrong_result(lab: Lab, tmp_path: Path) -> None:
    assert IN_SECONDS != SOLUTION
    result = check(lab, tmp_path, IN_SECONDS)
    assert result.verdict == "fail"
    assert result.correct is False
    assert "more than twice the 60,000 ms timeout" in result.message


def test_hard_coded_percentiles_fail_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    stream = bench.make_stream(random.Random(f"{SEED}:stream"), bench.STREAM)  # ctx.rng("stream")
    recorded = bench.exact_percentiles(stream)
    source = (
        f"ANSWERS = {recorded!r}\n\n\n"
        "class LatencyRecorder:\n"
        "    def __init__(self):\n"
        "        self.n = 0\n\n"
        "    def record(self, ms):\n"
        "        self.n += 1\n\n"
        "    def count(self):\n"
        "        return self.n\n\n"
        "    def percentile(self, p):\n"
        "        return ANSWERS.get(self.n, ANSWERS[1])[p]\n"
    )
    result = check(lab, tmp_path, source, seed=SEED + 1)
    assert result.verdict == "fail"
    assert metric_rows(result)["percentile_error"].verdict == "fail"


def test_the_stream_travels_as_two_byte_positions_drawn_from_the_right_pool() -> None:
    bench = load_bench(LAB_DIR)
    rng = random.Random("positions")
    values, positions = bench.make_positions(rng, 200_000)
    mix = bench.traffic(random.Random("positions"), 200_000)  # the same first draws
    start, end = mix.incident
    half = 1 << bench.STREAM_BITS
    assert len(values) == 2 * half
    assert max(positions[:start]) < half <= min(positions[start:end])
    assert max(positions[end:]) < half
    assert len(set(positions[:start])) > 0.9 * half  # ~95 % seen after ~3x as many draws
    wire = bench.encode_positions(positions)
    assert len(wire) == bench.POSITION * len(positions)
    pool = bench.nested_pool(values)
    for at in (0, 1, start, end - 1, len(positions) - 1):
        high, low = wire[2 * at], wire[2 * at + 1]
        assert pool[high][low] == values[positions[at]]


def test_every_seed_puts_p50_among_cache_hits_and_p999_in_the_slow_tail() -> None:
    bench = load_bench(LAB_DIR)
    for seed in (1, 2, 3):
        stream = bench.make_stream(random.Random(f"{seed}:stream"), bench.STREAM)
        exact = bench.exact_percentiles(stream)
        values, positions = bench.make_positions(random.Random(f"{seed}:stream"), bench.STREAM)
        assert bench.exact_from_positions(values, positions) == exact  # what grade() uses
        final = exact[bench.STREAM]
        assert final[50.0] < 1.0  # a linear 1 ms bucket cannot resolve it
        assert 250.0 <= final[99.9] <= bench.TIMEOUT_MS  # inside the thin tail


def test_cprofile_shows_the_sorting(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "cprofile", seed=SEED)
    top = report["rows"][0]
    assert "sorted" in top["function"]
