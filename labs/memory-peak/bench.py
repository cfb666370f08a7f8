"""Grader for memory-peak: identical totals, tracemalloc peak graded, RSS shown.

Every measured call reads an export it has never seen: the bench writes each one from
its own seed stream into the grader's private folder (blank lines, malformed lines of
every kind, a last line without a newline), computes the expected totals there with its
own streaming reference, and copies the file into each subject's folder, the only place
its sandbox may read. The driver only passes the path to summarize(); the totals come
back and are compared here.

* First export: one untraced call per side, with the kernel's high-water mark of the
  subject's resident memory (VmHWM, read from outside) reset before it. Its totals are
  the correctness check; the RSS growth is shown in a note. It is the first call in each
  subject, so nothing has grown the heap before it.
* Second export: one call per side with the harness's tracemalloc (memory=True), which
  the learner's code cannot stop, restart or reset unnoticed. traced_peak_kib is graded:
  tracemalloc counts the bytes Python asked for, so the same code and seed give the same
  number every run. The totals are checked again, so a summary cached from the first
  call is wrong here.
* RSS is not a target (it moves with the C allocator and fragmentation), but it is the
  one figure measured outside the process: a tracemalloc peak far below what the kernel
  saw means memory was held where tracemalloc does not look, and is not trusted.
"""

from __future__ import annotations

import random
import shutil
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabBug,
    LabContext,
    Measured,
    Subject,
    Workload,
    WrongAnswer,
    trust,
)

GRADE_LINES = (30_000, 36_000)
WORKLOAD_LINES = 80_000
HEADER = "ts,user_id,event,amount_cents,country"
REVENUE_EVENTS = ("purchase", "refund")
EVENTS = (("view", 55), ("search", 20), ("add_to_cart", 13), ("purchase", 9), ("refund", 3))
COUNTRIES = ("DE", "FR", "NL", "PL", "ES", "IT", "SE", "AT", "BE", "DK", "IE", "PT")
BAD_AMOUNTS = ("", "12.50", "n/a", "1e3", "-", "EUR 19")
NOISE = ("# export resumed after restart", "ts,user_id,event,amount_cents,country")


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


@dataclass(frozen=True)
class Export:
    """One export in the grader's private folder, with what the bench knows about it."""

    path: Path
    n_lines: int
    blank_lines: int
    expected: dict[str, Any]


def _export(ctx: LabContext, salt: str) -> Export:
    """A fresh export for one measured call: its own seed stream, its own file name."""
    rng = ctx.rng(salt)
    n_lines = rng.randint(*GRADE_LINES)
    path = make_export(rng, n_lines, ctx.workdir)
    blank_lines = sum(1 for line in path.read_text(encoding="utf-8").split("\n") if not line)
    return Export(path, n_lines, blank_lines, reference(path))


def _place(subject: Subject, source: Path) -> str:
    """A copy of the export in the subject's own folder, the only one its sandbox may read;
    the grader's copy, which the reference read, stays out of its reach."""
    target = subject.workdir / source.name
    shutil.copyfile(source, target)
    return str(target)


@dataclass(frozen=True)
class Resident:
    """The kernel's view of a subject's resident memory around its first summary, in KiB,
    read by the grader from outside the process (Linux's VmHWM and clear_refs)."""

    boot: int  # the high-water mark from the process's start to just before the call
    start: int  # resident at the start of the call
    high: int  # the high-water mark while the call ran

    @property
    def growth(self) -> int:
        """How far the call raised the resident set."""
        return max(0, self.high - self.start)

    @property
    def lifetime(self) -> int:
        """The most the process ever held, import and call included."""
        return max(self.boot, self.high)


def _rss_calls(ctx: LabContext, export: Export) -> list[tuple[Resident | None, Any]]:
    """One untraced summary per side (candidate, then starter), each with the kernel's
    high-water mark read before it, reset, and read after it (None where the kernel cannot
    say), and what summarize returned. The two run side by side: nothing here is timed,
    and each figure belongs to its own process."""
    sides = (ctx.candidate, ctx.baseline)
    paths = [_place(side, export.path) for side in sides]
    marks = []
    for side in sides:
        side.ready()
        boot = side.peak_rss_kib()
        side.reset_peak_rss()
        marks.append((boot, side.peak_rss_kib()))
    calls = [side.start("summarize", path) for side, path in zip(sides, paths, strict=True)]
    out: list[tuple[Resident | None, Any]] = []
    for side, (boot, start), call in zip(sides, marks, calls, strict=True):
        value = call.result().value
        high = side.peak_rss_kib()
        if boot is None or start is None or high is None:
            out.append((None, value))
        else:
            out.append((Resident(boot, start, high), value))
    return out


def _check(export: Export, got: object, where: str) -> None:
    """Fail with the first total that differs from the bench's own reference."""
    problem = first_difference(export.expected, got, export.blank_lines)
    if problem:
        raise WrongAnswer(where + problem)


def grade(ctx: LabContext) -> Grade:
    """Two fresh exports: the first checks the totals and shows RSS on a fresh heap, the
    second gives the graded tracemalloc peaks; each side reads its own copy of each."""
    first = _export(ctx, "export-0")
    with ThreadPoolExecutor(1) as background:  # written while the subjects read the first
        making = background.submit(_export, ctx, "export-1")
        (rss_yours, got), (rss_starter, _) = _rss_calls(ctx, first)
        _check(first, got, "")
        second = making.result()
    # Side by side again: each tracemalloc peak is its own process's.
    traced = ctx.baseline.start("summarize", _place(ctx.baseline, second.path), memory=True)
    mine = ctx.candidate.call("summarize", _place(ctx.candidate, second.path), memory=True)
    _check(second, mine.value, "on a second, fresh export: ")
    base = traced.result()
    if mine.peak is None or base.peak is None:
        raise LabBug("a call with memory=True came back without a tracemalloc peak")

    kib, base_kib = round(mine.peak / 1024), round(base.peak / 1024)
    limit = ctx.goals["traced_peak_kib"].threshold(base_kib)
    met = limit is not None and kib <= limit
    metrics = {
        "traced_peak_kib": Measured(
            kib,
            base_kib,
            detail=_peak_detail(mine.peak, second.n_lines, met),
            untrusted=trust(mine) or _unseen(kib, base_kib, rss_yours, rss_starter),
        )
    }
    notes = [
        f"This seed: {second.n_lines:,} lines ({second.path.stat().st_size / 2**20:.1f} MiB "
        f"on disk), {second.expected['events']:,} events, {second.expected['malformed']} "
        f"malformed, {second.blank_lines} blank.",
        _rss_note(rss_yours, rss_starter),
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def _unseen(kib: int, base_kib: int, mine: Resident | None, base: Resident | None) -> str:
    """Why the tracemalloc peak cannot be believed when the kernel saw far more memory.

    The kernel's figures come from the untraced call, so code that does less only while
    tracemalloc is on shows here too. They count from the process's start, so memory set
    aside at import and freed during the call (making room under a high-water mark reset
    just before it) counts as well. Python's objects are what grow the starter's RSS
    (about 1.1 KiB per KiB traced), so an honest fix holds little more than its traced
    peak beyond an idle subject (the starter's before its call: processes boot within
    0.2 MiB of each other); the two calls read exports up to 20 % apart in size, hence
    the factor 2, and a quarter of the starter's growth covers the allocator's pages and
    what a module imports.
    """
    if mine is None or base is None:
        return ""
    held = mine.lifetime - base.boot
    if held <= 2 * kib + base.growth / 4:
        return ""
    return (
        f"the kernel saw your process hold {held / 1024:.1f} MiB more than the starter's "
        f"idle process (from its start to the end of your first summary), which a "
        f"tracemalloc peak of {kib:,} KiB cannot explain (the starter's summary: "
        f"+{base.growth / 1024:.1f} MiB for {base_kib:,} KiB). The memory was held where "
        "or when tracemalloc does not look (an anonymous mmap, memory set aside at import, "
        "a C extension's own allocator, code that does less while it is traced): it still "
        "counts"
    )


def _rss_note(mine: Resident | None, base: Resident | None) -> str:
    if mine is None or base is None:
        return "RSS is not shown: this system does not report a process's peak resident memory."
    return (
        f"RSS (the kernel's high-water mark, shown, not a target): yours grew by "
        f"{mine.growth / 1024:.1f} MiB while summarize ran, the starter's by "
        f"{base.growth / 1024:.1f} MiB, each on a fresh heap. RSS counts whole pages the "
        "allocator keeps, so it moves with fragmentation and with what ran before; "
        "tracemalloc counts the bytes Python asked for, which is why it is the graded "
        "number (a peak the kernel's figures contradict is not trusted)."
    )


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


def workload(ctx: LabContext) -> Workload:
    """One summary of a bigger export, for `perfcoach lab profile`; the file is written
    before the profile starts, into the subject's own folder."""
    path = make_export(ctx.rng("workload"), WORKLOAD_LINES, ctx.workdir)
    return Workload("summarize", (_place(ctx.candidate, path),))
