"""Grader for warmup: the right count of slow requests, and the settings reads it took.

The settings service runs here, in the grader: every `settings.get()` in the learner's
code is a round trip that this process counts, out of the learner's reach. Each report
gets a fresh window of latencies and a fresh service with a new objective, so an
objective remembered from an earlier report gives a wrong count, and every report's reads
are counted. The primary metric is the most reads any report took: a count, the same for
the same code on any machine. The time of one report is shown in a note, not graded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from perfcoach.labkit import Grade, LabContext, Measured, Refusal, Subject, Workload, WrongAnswer

N_REQUESTS = 2_000
REPORTS = 3  # reports the candidate runs, each with a new window and a new objective
SLO_MS = (150, 400)
KEY = "slo_ms"


@dataclass(frozen=True)
class Window:
    """One report's input: the latencies and the objective the settings service holds."""

    latencies_ms: list[float]
    slo_ms: int

    def slow(self, slo_ms: float | None = None) -> int:
        """The right answer: latencies strictly above the objective (this one or another)."""
        limit = self.slo_ms if slo_ms is None else slo_ms
        return sum(1 for latency in self.latencies_ms if latency > limit)


def make_window(rng: random.Random, earlier: list[int]) -> Window:
    """N_REQUESTS latencies (median about 75 ms, a tail past a second) and an objective whose
    count differs from the count under every earlier report's objective."""
    latencies = [round(min(rng.lognormvariate(4.3, 0.8), 5_000.0), 2) for _ in range(N_REQUESTS)]
    while True:
        slo = rng.randint(*SLO_MS)
        window = Window([x + 0.01 if x == slo else x for x in latencies], slo)
        if all(window.slow(old) != window.slow() for old in earlier):
            return window


class SettingsService:
    """The settings of one report. Only `get` is callable from the subject; the grader
    reads `reads` after the report."""

    def __init__(self, slo_ms: int) -> None:
        self._slo_ms = slo_ms
        self.reads = 0
        self.retired = False

    def get(self, key: object) -> int:
        """One read of a setting: counted."""
        if self.retired:
            raise Refusal(
                "these settings belong to an earlier report: every call of slow_requests "
                "gets its own, use the one passed in"
            )
        if key != KEY:
            raise Refusal(f"the settings service has no {key!r}; the objective is {KEY!r}")
        self.reads += 1
        return self._slo_ms


@dataclass(frozen=True)
class Run:
    """One report: what came back, the reads it took and the grader's time around it."""

    got: object
    reads: int
    wall_s: float


def run_report(ctx: LabContext, side: Subject, window: Window) -> Run:
    """slow_requests on a fresh settings service, timed with the other subject stopped."""
    service = SettingsService(window.slo_ms)
    handle = ctx.serve(service)
    with ctx.grader.only(side):
        reply = side.call("report", handle, window.latencies_ms)
    service.retired = True
    return Run(reply.value, service.reads, reply.wall_s)


def problem(window: Window, run: Run, earlier: list[int]) -> str | None:
    """What is wrong with one report's answer, in the terms that usually explain it."""
    want = window.slow()
    if type(run.got) is not int:
        return f"slow_requests must return an int (a count), got {type(run.got).__name__}"
    if run.got == want:
        return None
    for old in earlier:
        if run.got == window.slow(old):
            return (
                f"got {run.got:,}, the count for {old} ms, the objective of an earlier "
                f"report; this report's is {window.slo_ms} ms ({want:,} slow requests). Read "
                "the objective once per report, not once per process: kept from an earlier "
                "call, it is stale"
            )
    if run.reads == 0:
        return (
            f"got {run.got:,}, expected {want:,}, and the settings were never read: the "
            f"objective changes from report to report (this one is {window.slo_ms} ms), so "
            f'ask settings.get("{KEY}") in every report'
        )
    return (
        f"got {run.got:,}, expected {want:,} requests above the objective of "
        f"{window.slo_ms} ms (slower than: latency > objective)"
    )


def grade(ctx: LabContext) -> Grade:
    """Every report's answer first, then the most reads any report took."""
    rng = ctx.rng("windows")
    earlier: list[int] = []
    runs: list[Run] = []
    first = make_window(rng, earlier)
    window = first
    for number in range(1, REPORTS + 1):
        run = run_report(ctx, ctx.candidate, window)
        wrong = problem(window, run, earlier)
        if wrong:
            raise WrongAnswer(wrong if number == 1 else f"on report {number}: {wrong}")
        runs.append(run)
        earlier.append(window.slo_ms)
        window = make_window(rng, earlier)
    base = run_report(ctx, ctx.baseline, first)
    reads = max(run.reads for run in runs)
    notes = [
        f"Each report: {N_REQUESTS:,} latencies and a new objective; your code ran "
        f"{REPORTS} reports, and the settings service counted every read of each.",
        f"Time of the first report (the grader's clock, shown, not graded): the starter "
        f"{base.wall_s * 1000:,.1f} ms, yours {runs[0].wall_s * 1000:,.1f} ms. The read "
        "count is the same on every run and every machine; the times are not.",
    ]
    return Grade(
        correct=True,
        metrics={
            "settings_reads": Measured(reads, base.reads, detail=_reads(runs)),
        },
        notes=notes,
    )


def _reads(runs: list[Run]) -> str:
    """What the read counts say, and what to do about them."""
    worst = max(run.reads for run in runs)
    if worst <= 1:
        return f"one read of the objective per report, on each of the {len(runs)} reports"
    if worst >= N_REQUESTS:
        return (
            f"{worst:,} reads of the objective for {N_REQUESTS:,} requests: at least one per "
            "request. It is the same for the whole report: read it once, before the loop"
        )
    return (
        f"{worst:,} reads of the objective in one report: it does not change during a "
        "report, so one read, before the loop, is enough"
    )


def workload(ctx: LabContext) -> Workload:
    """One report for `perfcoach lab profile`."""
    window = make_window(ctx.rng("workload"), [])
    return Workload("report", (ctx.serve(SettingsService(window.slo_ms)), window.latencies_ms))
