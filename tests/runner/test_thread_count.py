"""The subject's thread count is the learner's threads only: the worker thread that ran the
previous request is gone from it, though the kernel lists a finished thread a moment longer.
concurrent-io's threads_alive_max read 1 for the one-by-one starter, once in a CI run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfcoach.runner.grader import Subject, SubjectSpec
from tests.runner.graders import grader_for

DRIVER = """
import threading


def nothing(module):
    return module.ANSWER


def with_threads(module, n):
    stop = threading.Event()
    started = [threading.Thread(target=stop.wait) for _ in range(n)]
    for thread in started:
        thread.start()
    return started, stop


def keep_threads(module, n):
    global RUNNING
    RUNNING = with_threads(module, n)
    return n


def stop_threads(module):
    started, stop = RUNNING
    stop.set()
    for thread in started:
        thread.join()
    return 0
"""


@pytest.fixture
def subject(tmp_path: Path) -> Iterator[Subject]:
    grader = grader_for(tmp_path, "threads", DRIVER)
    try:
        yield grader.spawn(SubjectSpec("candidate", grader.lab_dir, ("answer.py",)))
    finally:
        grader.close()


def test_only_the_main_thread_is_left_after_every_request(subject: Subject) -> None:
    counts = []
    for _ in range(300):
        assert subject.run("nothing") == 41
        counts.append(subject.threads())
    assert set(counts) == {1}


def test_threads_the_learner_keeps_are_counted(subject: Subject) -> None:
    assert subject.run("keep_threads", 3) == 3
    assert subject.threads() == 4
    assert subject.run("stop_threads") == 0
    assert _settles_at(subject, 1)


def _settles_at(subject: Subject, count: int) -> bool:
    """Whether the subject's thread count comes down to count: a thread the learner joined
    has returned, but on a loaded machine the kernel lists it a moment longer (the grader
    takes the lowest of several readings for the same reason, labkit._lingering_threads)."""
    deadline = time.monotonic() + 10
    while subject.threads() != count and time.monotonic() < deadline:
        time.sleep(0.005)
    return subject.threads() == count
