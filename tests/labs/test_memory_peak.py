"""The memory-peak lab through the real check: the starter fails its tracemalloc peak,
every streaming fix passes, the tempting half-fixes and edge-row slips fail with a
message that says why, and memory hidden from tracemalloc is caught by the kernel's."""

from __future__ import annotations

import functools
import json
import random
import sys
from pathlib import Path

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from perfcoach.runner.profile import profile
from tests.helpers import check_source, edit_source, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "memory-peak"
ATTACKS = ROOT / "tests" / "grader" / "attacks" / "memory-peak"
SEED = 314159
LINUX = sys.platform.startswith("linux")  # where the kernel reports peak resident memory

STARTER = (LAB_DIR / "starter" / "events.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "events.py").read_text()

CSV_READER = '''"""csv.reader over the open file, with running totals."""

import csv


def summarize(path):
    events = malformed = 0
    count_by_event = {}
    revenue_by_country = {}
    with open(path, encoding="utf-8", newline="") as export:
        rows = csv.reader(export)
        next(rows, None)
        for fields in rows:
            if not fields:
                continue
            if len(fields) != 5:
                malformed += 1
                continue
            _, _, kind, amount, country = fields
            try:
                cents = int(amount)
            except ValueError:
                malformed += 1
                continue
            events += 1
            count_by_event[kind] = count_by_event.get(kind, 0) + 1
            if kind in ("purchase", "refund"):
                revenue_by_country[country] = revenue_by_country.get(country, 0) + cents
    return {"events": events, "malformed": malformed, "count_by_event": count_by_event,
            "revenue_by_country": revenue_by_country}
'''

# Keeps one numeric column of the whole file, but in typed arrays: 9 bytes per revenue
# event instead of a list of int objects, and nothing else per line.
ARRAY_COLUMN = '''"""The revenue column kept in arrays, summed at the end."""

from array import array


def summarize(path):
    countries = []
    country_of = array("B")
    amounts = array("q")
    counts = {}
    malformed = 0
    with open(path, encoding="utf-8") as export:
        next(export, None)
        for line in export:
            line = line.rstrip("\\n")
            if not line:
                continue
            fields = line.split(",")
            if len(fields) != 5:
                malformed += 1
                continue
            try:
                cents = int(fields[3])
            except ValueError:
                malformed += 1
                continue
            counts[fields[2]] = counts.get(fields[2], 0) + 1
            if fields[2] in ("purchase", "refund"):
                if fields[4] not in countries:
                    countries.append(fields[4])
                country_of.append(countries.index(fields[4]))
                amounts.append(cents)
    revenue = {}
    for index, cents in zip(country_of, amounts):
        revenue[countries[index]] = revenue.get(countries[index], 0) + cents
    return {"events": sum(counts.values()), "malformed": malformed,
            "count_by_event": counts, "revenue_by_country": revenue}
'''


PARSE_CALL = "    events, malformed = parse_events(rows)\n"

# `del` once the lists are used: the peak was reached while all three were alive.
DEL_LISTS = edit_source(STARTER, PARSE_CALL, PARSE_CALL + "    del lines, rows\n")

# readlines() instead of iterating over the file: a list of every line, then running totals.
READLINES = edit_source(
    SOLUTION, "        for line in export:\n", "        for line in export.readlines():\n"
)

# The lines are streamed, but every parsed event is still kept in one list.
ONE_LIST = edit_source(
    SOLUTION,
    "    for event in parse(data_lines(path), problems):\n",
    "    events = list(parse(data_lines(path), problems))\n    for event in events:\n",
)

STRIP_LINE = (
    '            line = line.rstrip("\\n")'
    "  # the last line may have no newline: never cut blindly\n"
)
LAST_CHAR_CUT = edit_source(SOLUTION, STRIP_LINE, "            line = line[:-1]\n")
NO_STRIP = edit_source(
    edit_source(SOLUTION, STRIP_LINE, ""),
    "            if line:\n",
    "            if line.strip():\n",
)
BLANK_IS_MALFORMED = edit_source(
    edit_source(
        SOLUTION, "            if line:\n                yield line\n", "            yield line\n"
    ),
    "        if len(fields) != 5:\n",
    "        if len(fields) != 5 or not line:\n",
)
STOPS_TRACING = edit_source(
    SOLUTION,
    "    problems: Counter[str] = Counter()\n",
    "    import tracemalloc\n\n    tracemalloc.stop()\n    problems: Counter[str] = Counter()\n",
)
# readlines(), then the peak reset through a fresh copy of _tracemalloc that the sandbox's
# tripwire never replaced: a few MiB, so the kernel's figures alone would not object.
RESETS_PEAK_BEHIND_THE_SANDBOX = edit_source(
    READLINES,
    "    return {\n",
    "    import importlib\n    import sys\n\n"
    '    sys.modules.pop("_tracemalloc", None)\n'
    '    fresh = importlib.import_module("_tracemalloc")\n'
    "    if fresh.is_tracing():\n"
    "        fresh.reset_peak()\n"
    "    return {\n",
)


check = functools.partial(check_source, seed=SEED)


def peak(result: CheckResult) -> tuple[float | None, float | None]:
    row = metric_rows(result)["traced_peak_kib"]
    return row.value, row.baseline


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson_and_brief(lab, "advanced-profiling", 2)
    assert [m.name for m in lab.metrics] == ["traced_peak_kib"]
    assert lab.metrics[0].deterministic
    assert lab.metrics[0].plausible == (1, 1048576)


def test_starter_fails_its_peak_and_shows_rss(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    row = metric_rows(result)["traced_peak_kib"]
    assert row.verdict == "fail"
    assert row.value is not None and row.baseline is not None
    assert abs(row.value - row.baseline) < row.baseline / 100  # freelists differ slightly
    assert row.value > 12_000
    assert "holds every line at once" in row.detail
    rss = next(note for note in result.notes if note.startswith("RSS"))
    if LINUX:
        assert rss.startswith("RSS (the kernel's high-water mark, shown, not a target)")
        grew = [float(word) for word in rss.split() if word.replace(".", "").isdigit()]
        assert all(mib > 10 for mib in grew[:2]), rss  # both sides hold the file 3 times


@pytest.mark.parametrize(
    "source", [SOLUTION, CSV_READER, ARRAY_COLUMN], ids=["generators", "csv-reader", "array"]
)
def test_streaming_fixes_pass_far_below_the_line(lab: Lab, tmp_path: Path, source: str) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "pass", result.message
    value, baseline = peak(result)
    assert value is not None and baseline is not None
    assert value * 50 < baseline


def test_del_after_use_leaves_the_peak_unchanged(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, DEL_LISTS)
    assert result.verdict == "fail"
    value, baseline = peak(result)
    assert value is not None and baseline is not None
    assert abs(value - baseline) < baseline / 100
    assert "`del` afterwards does not lower a peak" in metric_rows(result)["traced_peak_kib"].detail


@pytest.mark.parametrize("source", [READLINES, ONE_LIST], ids=["readlines", "one-list"])
def test_holding_the_whole_file_in_one_list_still_fails(
    lab: Lab, tmp_path: Path, source: str
) -> None:
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail"
    assert result.correct is True
    value, baseline = peak(result)
    assert value is not None and baseline is not None
    assert baseline / 10 * 1.4 < value < baseline  # better, but clearly above the target


def test_cutting_the_last_character_breaks_the_last_line(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, LAST_CHAR_CUT)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: revenue_by_country has a key")
    assert "line[:-1] cuts its last character" in result.message


def test_forgetting_the_line_ending_is_named(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, NO_STRIP)
    assert result.verdict == "fail"
    assert "the line ending is still attached" in result.message


def test_blank_lines_are_not_malformed(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, BLANK_IS_MALFORMED)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: malformed: expected")
    assert "blank lines: skip them" in result.message


def test_stopping_tracemalloc_is_refused(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, STOPS_TRACING)
    assert result.verdict == "error"
    assert "tracemalloc.stop()" in result.message
    assert "perfcoach lab profile --with memory" in result.message


def test_a_peak_reset_behind_the_sandbox_is_not_trusted(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, RESETS_PEAK_BEHIND_THE_SANDBOX)
    assert result.verdict == "fail"
    assert metric_rows(result)["traced_peak_kib"].verdict == "untrusted"
    assert result.message == (
        "tracemalloc peak, KiB cannot be trusted: tracemalloc's peak was reset while your code ran"
    )


@pytest.mark.skipif(not LINUX, reason="the kernel's resident-memory figures are Linux's")
@pytest.mark.parametrize(
    "attack",
    ["records_in_anonymous_mmap.py", "ballast_freed_on_entry.py", "lean_only_while_traced.py"],
    ids=["mmap", "ballast", "lean-only-while-traced"],
)
def test_memory_tracemalloc_cannot_see_is_not_trusted(
    lab: Lab, tmp_path: Path, attack: str
) -> None:
    result = check(lab, tmp_path, (ATTACKS / attack).read_text())
    assert result.verdict == "fail"
    assert result.correct is True
    row = metric_rows(result)["traced_peak_kib"]
    assert row.verdict == "untrusted"
    assert result.message.startswith("tracemalloc peak, KiB cannot be trusted: the kernel saw")
    assert "where or when tracemalloc does not look" in result.message


@pytest.mark.skipif(not LINUX, reason="the kernel's resident-memory figures are Linux's")
def test_a_read_only_mapping_of_the_file_is_trusted(lab: Lab, tmp_path: Path) -> None:
    alternative = ROOT / "tests" / "grader" / "alternatives" / "memory-peak"
    result = check(lab, tmp_path, (alternative / "mmap_file_readline.py").read_text())
    assert result.verdict == "pass", result.message


def recorded_totals(seed: int, tmp_path: Path) -> str:
    """A learner file returning the totals of the first export a check with seed writes."""
    bench = load_bench(LAB_DIR)
    rng = random.Random(f"{seed}:export-0")
    folder = tmp_path / "recorded"
    folder.mkdir(exist_ok=True)
    recorded = bench.reference(bench.make_export(rng, rng.randint(*bench.GRADE_LINES), folder))
    return (
        "import json\n\n"
        f"TOTALS = json.loads({json.dumps(json.dumps(recorded))})\n\n\n"
        "def summarize(path):\n"
        "    return TOTALS\n"
    )


def test_hard_coded_totals_fail_on_a_new_seed(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, recorded_totals(SEED, tmp_path), seed=SEED + 1)
    assert result.verdict == "fail"
    assert result.message.startswith("wrong result: events: expected")


def test_totals_recorded_for_this_seed_fail_on_its_fresh_export(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, recorded_totals(SEED, tmp_path))
    assert result.verdict == "fail"
    # the first export's totals were right: the second, measured one has new lines
    assert result.message.startswith("wrong result: on a second, fresh export: events:")


def test_the_peak_repeats_exactly_for_a_seed(lab: Lab, tmp_path: Path) -> None:
    first = metric_rows(check(lab, tmp_path, READLINES))["traced_peak_kib"]
    second = metric_rows(check(lab, tmp_path, READLINES))["traced_peak_kib"]
    assert (first.value, first.baseline, first.detail) == (
        second.value,
        second.baseline,
        second.detail,
    )


def test_the_reference_sees_every_awkward_line(tmp_path: Path) -> None:
    bench = load_bench(LAB_DIR)
    path = tmp_path / "tiny.csv"
    path.write_text(
        "ts,user_id,event,amount_cents,country\n"
        "t,u1,purchase,100,DE\n\n\n"
        "t,u2,purchase,12.50,DE\n"
        "t,u3,view,0\n"
        "t,u4,refund,-40,FR,extra\n"
        "# comment\n"
        "t,u5,refund,-40,FR"
    )
    assert bench.reference(path) == {
        "events": 2,
        "malformed": 4,
        "count_by_event": {"purchase": 1, "refund": 1},
        "revenue_by_country": {"DE": 100, "FR": -40},
    }


def test_memory_profile_points_at_the_lists(lab: Lab) -> None:
    report = profile(lab, lab.starter_dir, "memory", seed=SEED)
    assert report["tracemalloc_peak_bytes"] > 40 * 2**20
    assert report["rows"][0]["learner"]
