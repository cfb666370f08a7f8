"""Runs beside the learner's log_report.py: builds the reports of the logs it is sent.

The grader writes every log, knows every expected report and compares them; this file
only calls build_report and hands back what it returned. For a counted report it also
returns the list of lines as the call left it (the grader checks it was not changed) and
the CPU time of the thread that ran build_report: the harness's profiler counts the calls
of this thread only, so the grader compares that time with the whole process's CPU time,
which it reads from the kernel, to tell whether the work was moved to another thread.
"""

from __future__ import annotations

from time import thread_time  # bound before the learner's module exists
from types import ModuleType
from typing import Any


def report(module: ModuleType, lines: list[str]) -> tuple[Any, list[str], float]:
    """One report: what build_report returned, the lines after the call, this thread's CPU
    seconds spent in it."""
    start = thread_time()
    got = module.build_report(lines)
    return got, lines, thread_time() - start


def reports(module: ModuleType, logs: list[list[str]]) -> list[Any]:
    """One report per log: a timed round trip."""
    return [module.build_report(lines) for lines in logs]
