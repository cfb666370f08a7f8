"""Subjects work side by side: while the grader waits on one call it serves every subject
with a call in flight (its services and its reply), so untimed work can overlap."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

import pytest

from perfcoach.runner.grader import Grader, SubjectSpec
from tests.runner.graders import grader_for

DRIVER = """
def wait_for_flag(module, flag):
    while not flag.call("is_set"):
        pass
    return module.ANSWER


def set_flag(module, flag):
    flag.call("set")
    return module.ANSWER + 1


def echo_many(module, service, n):
    return sum(service.call("echo", i) for i in range(n)) + module.ANSWER
"""


class Flag:
    """A grader-side flag: one subject waits for it, the other sets it."""

    def __init__(self) -> None:
        self.value = False

    def is_set(self) -> bool:
        return self.value

    def set(self) -> None:
        self.value = True

    def echo(self, i: int) -> int:
        return i


@pytest.fixture
def grader(tmp_path: Path) -> Iterator[Grader]:
    made = grader_for(tmp_path, "side", DRIVER)
    try:
        yield made
    finally:
        made.close()


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging when the grader stops serving a subject."""

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("a subject's call was never answered")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_waiting_call_is_released_by_another_subjects_service_call(grader: Grader) -> None:
    lab_dir = grader.lab_dir
    waiter = grader.spawn(SubjectSpec("candidate", lab_dir, ("answer.py",)))
    setter = grader.spawn(SubjectSpec("candidate-2", lab_dir, ("answer.py",)))
    flag = grader.services.add(Flag())
    other = grader.services.add(Flag())
    waiting = waiter.start("wait_for_flag", flag)
    setting = setter.start("set_flag", other)
    grader.services.objects[other.id] = grader.services.objects[flag.id]  # one flag, two handles

    with deadline(60):
        assert waiting.result().value == 41  # setter's call was served meanwhile
    assert setting.result().value == 42
    assert not waiter.in_flight and not setter.in_flight


def test_benches_may_wait_on_several_subjects_from_threads(grader: Grader) -> None:
    """Sharding's bench waits on five subjects from five threads: each frame must reach the
    thread that waits for it, however the grader serves the others meanwhile."""
    lab_dir = grader.lab_dir
    subjects = [
        grader.spawn(SubjectSpec(f"candidate-{n}", lab_dir, ("answer.py",))) for n in range(6)
    ]
    services = [grader.services.add(Flag()) for _ in subjects]
    pool = ThreadPoolExecutor(max_workers=6)
    try:
        futures = [
            pool.submit(subject.run, "echo_many", service, 2000)
            for subject, service in zip(subjects, services, strict=True)
        ]
        with deadline(120):
            assert [f.result() for f in futures] == [sum(range(2000)) + 41] * 6
    finally:  # a stuck thread ends when the fixture closes the grader and its sockets
        pool.shutdown(wait=False, cancel_futures=True)
