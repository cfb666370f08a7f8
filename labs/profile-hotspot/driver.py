"""Runs beside the learner's log_report.py: builds the reports of the logs it is sent.

The grader writes every log, knows every expected report and compares them; this file
only calls build_report and hands back what it returned. For a counted report it also
returns the list of lines as the call left it (the grader checks it was not changed), and
the CPU time of this thread and of the whole process while build_report ran: the harness's
profiler counts the calls of this thread only, so CPU spent on other threads means work
the count missed. (The grader also reads the process's CPU from the kernel, from outside.)
"""

from __future__ import annotations

from time import process_time, thread_time  # bound before the learner's module exists
from types import ModuleType
from typing import Any


def report(module: ModuleType, lines: list[str]) -> tuple[Any, list[str], float, float]:
    """One report: what build_report returned, the lines after the call, and the CPU
    seconds this thread and the whole process spent while it ran."""
    thread, process = thread_time(), process_time()
    got = module.build_report(lines)
    return got, lines, thread_time() - thread, process_time() - process


def reports(module: ModuleType, logs: list[list[str]]) -> list[Any]:
    """One report per log: a timed round trip."""
    return [module.build_report(lines) for lines in logs]
