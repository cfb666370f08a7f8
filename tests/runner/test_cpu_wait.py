"""A subject's wait for a CPU, read from the kernel: what a busy machine took from it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from perfcoach.runner.grader import SubjectSpec
from tests.runner.graders import grader_for

DRIVER = """
import hashlib
import threading
import time


def spin(module, threads, seconds):
    end = time.monotonic() + seconds
    block = bytes(1 << 20)

    def busy():  # hashing a large buffer lets go of the GIL: the threads run at once
        while time.monotonic() < end:
            hashlib.sha256(block)

    workers = [threading.Thread(target=busy) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return module.ANSWER
"""


@pytest.mark.skipif(not Path("/proc/self/schedstat").exists(), reason="reads schedstat")
def test_threads_that_outnumber_the_cores_are_seen_waiting_after_they_end(
    tmp_path: Path,
) -> None:
    """Two more busy threads than cores, for 0.3 s: at any moment two of them are ready with
    no core to run on, about 0.6 s of waiting in all, however busy the machine (busier only
    adds). Every thread has ended by the time the watch stops, and its wait still counts."""
    grader = grader_for(tmp_path, "lab", DRIVER)
    try:
        subject = grader.spawn(SubjectSpec("candidate", grader.lab_dir, ("answer.py",)))
        subject.ready()
        threads = len(os.sched_getaffinity(subject.proc.pid)) + 2
        with subject.cpu_wait() as waited:
            subject.call("spin", threads, 0.3)
        assert waited.seconds is not None
        assert waited.seconds > 0.3  # a floor: a thread's last 5 ms may go unsampled
    finally:
        grader.close()
