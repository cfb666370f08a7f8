"""Grader for memory-peak: identical totals, tracemalloc peak graded, RSS shown.

The bench writes a seeded event export into the work dir (blank lines, malformed lines of
every kind, a last line without a newline), computes the expected totals with its own
streaming reference, and passes each side the file's path.

* traced_peak_kib: tracemalloc's peak while summarize() runs, in KiB. tracemalloc counts
  the bytes Python's allocator hands out, so the same code and seed give the same number
  every run: it is graded.
* RSS (memory-profiler) is measured too, and shown in a note. It counts the pages the
  process holds, which depends on the C allocator, on what ran before and on memory freed
  but not yet returned to the OS, so any target on it would be either meaningless or
  flaky. It is measured first, for your code and then the starter, before anything else
  has grown the heap.
"""

from __future__ import annotations

import os
import random
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer
from perfcoach.measure import peak_memory

GRADE_LINES = (30_000, 36_000)
WORKLOAD_LINES = 80_000
HEADER = "ts,user_id,event,amount_cents,country"
REVENUE_EVENTS = ("purchase", "refund")
EVENTS = (("view", 55), ("search", 20), ("add_to_cart", 13), ("purchase", 9), ("refund", 3))
COUNTRIES = ("DE", "FR", "NL", "PL", "ES", "IT", "SE", "AT", "BE", "DK", "IE", "PT")
BAD_AMOUNTS = ("", "12.50", "n/a", "1e3", "-", "EUR 19")
NOISE = ("# export resumed after restart", "ts,user_id,event,amount_cents,country")
_STOPPED = (
    "summarize stopped or cleared tracemalloc, which the bench uses to measure its peak; "
    "leave tracemalloc alone"
)


def make_export(rng: random.Random, n_lines: int, folder: Path) -> Path:
    """A seeded export with every kind of awkward line the brief promises.

    About 0.6 % blank lines (some in pairs), 0.8 % malformed lines: fields missing, an
    extra field, an amount int() refuses, a stray comment or repeated header. The last
    line is a valid purchase with no newline after it, so `line[:-1]` or a forgotten
    rstrip changes a country key.
    """
    clock = rng.randrange(366 * 86_400)
    users = [f"u{rng.randrange(10_000, 99_999)}" for _ in range(max(50, n_lines // 20))]
    kinds = [k for k, _ in EVENTS]
    weights = [w for _, w in EVENTS]
    lines = [HEADER]
    for _ in range(n_lines - 2):
        roll = rng.random()
        if roll < 0.004:
            lines.append("")
            continue
        if roll < 0.006:
            lines.extend(("", ""))
            continue
        clock += rng.randint(0, 4)
        kind = rng.choices(kinds, weights)[0]
        amount = _amount(rng, kind)
        line = f"{_stamp(clock)},{rng.choice(users)},{kind},{amount},{rng.choice(COUNTRIES)}"
        if roll < 0.008:
            lines.append(line.rsplit(",", rng.randint(1, 2))[0])  # fields missing
        elif roll < 0.010:
            lines.append(f"{line},{rng.choice(('retry', 'v2', ''))}")  # one field too many
        elif roll < 0.013:
            fields = line.split(",")
            fields[3] = rng.choice(BAD_AMOUNTS)
            lines.append(",".join(fields))
        elif roll < 0.014:
            lines.append(rng.choice(NOISE))
        else:
            lines.append(line)
    clock += 1
    lines.append(f"{_stamp(clock)},{rng.choice(users)},purchase,{_amount(rng, 'purchase')},"
                 f"{rng.choice(COUNTRIES)}")  # fmt: skip
    path = folder / f"events-{uuid.uuid4().hex[:12]}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _amount(rng: random.Random, kind: str) -> int:
    if kind == "purchase":
        return rng.randint(199, 49_999)
    if kind == "refund":
        return -rng.randint(199, 19_999)
    return 0


def _stamp(clock: int) -> str:
    day, rest = divmod(clock, 86_400)
    month, mday = divmod(day, 28)
    return (
        f"2024-{month % 12 + 1:02d}-{mday + 1:02d}T"
        f"{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}"
    )


def reference(path: Path) -> dict[str, Any]:
    """The expected totals, streamed by the bench itself: never the learner's code."""
    events = malformed = 0
    counts: Counter[str] = Counter()
    revenue: Counter[str] = Counter()
    with open(path, encoding="utf-8", newline="") as export:
        export.readline()
        for raw in export:
            line = raw[:-1] if raw.endswith("\n") else raw
            if not line:
                continue
            fields = line.split(",")
            amount = _as_int(fields[3]) if len(fields) == 5 else None
            if amount is None:
                malformed += 1
                continue
            events += 1
            counts[fields[2]] += 1
            if fields[2] in REVENUE_EVENTS:
                revenue[fields[4]] += amount
    return {
        "events": events,
        "malformed": malformed,
        "count_by_event": dict(counts),
        "revenue_by_country": dict(revenue),
    }


def _as_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def first_difference(want: dict[str, Any], got: object, blank_lines: int) -> str | None:
    """The first total that differs, said so that it points at the likely edge row."""
    if not isinstance(got, dict):
        return f"summarize must return a dict, got {type(got).__name__}"
    if set(got) != set(want):
        return f"the result must have exactly the keys {sorted(want)}, got {sorted(got)}"
    for key in ("events", "malformed"):
        if got[key] != want[key]:
            return f"{key}: expected {want[key]:,}, got {got[key]!r}" + _why(
                key, want[key], got[key], blank_lines
            )
    for key in ("count_by_event", "revenue_by_country"):
        mine = got[key]
        if not isinstance(mine, dict):
            return f"{key} must be a dict, got {type(mine).__name__}"
        stray = sorted(set(mine) - set(want[key]), key=str)
        if stray:
            return f"{key} has a key {stray[0]!r} that is not in the file" + _stray(stray[0])
        for name, value in sorted(want[key].items()):
            if mine.get(name) != value:
                return f"{key}[{name!r}]: expected {value:,}, got {mine.get(name)!r}"
    return None


def _why(key: str, want: int, got: object, blank_lines: int) -> str:
    if not isinstance(got, int):
        return ""
    if key == "malformed" and got - want == blank_lines:
        return (
            f". The file has {blank_lines} blank lines: skip them, they are not malformed"
            " (read from a file, a blank line is '\\n', which splits into one field)"
        )
    if key == "malformed" and got - want == 1:
        return ". One too many: is the header (the first line) counted as malformed?"
    if key == "events" and want - got == 1:
        return ". One event is missing: the last line has no newline after it; is it counted?"
    return ""


def _stray(name: object) -> str:
    if isinstance(name, str) and name.endswith(("\n", "\r")):
        return ": the line ending is still attached. Strip it (line.rstrip('\\n')) before split"
    if isinstance(name, str) and any(c.startswith(name) for c in COUNTRIES):
        return (
            ": a country cut short. The last line has no newline, so line[:-1] cuts its last"
            " character; line.rstrip('\\n') removes only a newline that is there"
        )
    return ""


def _traced(module: ModuleType, path: Path) -> tuple[Any, int]:
    """summarize(path) under tracemalloc: its result and its peak in bytes."""

    def run() -> tuple[Any, bool]:
        result = module.summarize(path)
        return result, tracemalloc.is_tracing()

    (result, still_tracing), peak = peak_memory(run)
    if not still_tracing:
        raise WrongAnswer(_STOPPED)
    return result, peak


def rss_mib(module: ModuleType, path: Path) -> tuple[float, float]:
    """memory-profiler's peak RSS while summarize(path) runs, and its growth over the start."""
    import psutil
    from memory_profiler import memory_usage

    start = psutil.Process(os.getpid()).memory_info().rss / 2**20
    peak = float(memory_usage((module.summarize, (path,), {}), interval=0.01, max_usage=True))
    return peak, max(0.0, peak - start)


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """RSS shown first (fresh heap), then exact totals, then the tracemalloc peaks."""
    rng = ctx.rng("export")
    n_lines = rng.randint(*GRADE_LINES)
    path = make_export(rng, n_lines, ctx.workdir)
    expected = reference(path)
    blank_lines = sum(1 for line in path.read_text(encoding="utf-8").split("\n") if not line)

    rss_yours = rss_mib(candidate, path)
    rss_starter = rss_mib(baseline, path)
    got, peak = _traced(candidate, path)
    problem = first_difference(expected, got, blank_lines)
    if problem:
        raise WrongAnswer(problem)
    _, base_peak = _traced(baseline, path)

    kib, base_kib = round(peak / 1024), round(base_peak / 1024)
    limit = ctx.goals["traced_peak_kib"].threshold(base_kib)
    metrics = {
        "traced_peak_kib": Measured(
            kib, base_kib, detail=_peak_detail(peak, n_lines, limit is not None and kib <= limit)
        )
    }
    notes = [
        f"This seed: {n_lines:,} lines ({path.stat().st_size / 2**20:.1f} MiB on disk), "
        f"{expected['events']:,} events, {expected['malformed']} malformed, "
        f"{blank_lines} blank.",
        f"RSS (memory-profiler, shown, not graded): yours peaked at {rss_yours[0]:.1f} MiB "
        f"(+{rss_yours[1]:.1f} MiB while it ran), the starter at {rss_starter[0]:.1f} MiB "
        f"(+{rss_starter[1]:.1f} MiB). RSS counts whole pages the allocator keeps, so it moves "
        "with fragmentation and with what ran before; tracemalloc counts the bytes Python "
        "asked for, which is why it is the graded number.",
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _peak_detail(peak: int, n_lines: int, met: bool) -> str:
    per_line = peak / n_lines
    if met:
        return f"{per_line:,.1f} bytes per line of the file at the peak"
    return (
        f"{per_line:,.0f} bytes per line of the file at the peak: something still holds "
        "every line at once (a list of lines, rows or events; `del` afterwards does not "
        "lower a peak that was already reached). `perfcoach lab profile memory-peak "
        "--with memory` shows which line allocates it"
    )


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """One summary of a bigger export, for `perfcoach lab profile`; the file is written here,
    outside the profile."""
    path = make_export(ctx.rng("workload"), WORKLOAD_LINES, ctx.workdir)
    return lambda: module.summarize(path)
