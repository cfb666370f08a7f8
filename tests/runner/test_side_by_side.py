"""Subjects work side by side: while the grader waits on one call it serves every subject
with a call in flight (its services and its reply), so untimed work can overlap."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from perfcoach.runner.grader import Grader, SubjectSpec
from perfcoach.runner.sandbox import list_roots, read_roots

DRIVER = """
def wait_for_flag(module, flag):
    while not flag.call("is_set"):
        pass
    return module.ANSWER


def set_flag(module, flag):
    flag.call("set")
    return module.ANSWER + 1
"""


class Flag:
    """A grader-side flag: one subject waits for it, the other sets it."""

    def __init__(self) -> None:
        self.value = False

    def is_set(self) -> bool:
        return self.value

    def set(self) -> None:
        self.value = True


@pytest.fixture
def grader(tmp_path: Path) -> Iterator[Grader]:
    lab_dir = tmp_path / "side"
    lab_dir.mkdir()
    (lab_dir / "driver.py").write_text(DRIVER)
    (lab_dir / "answer.py").write_text("ANSWER = 41\n")
    spec = {
        "lab_dir": str(lab_dir),
        "read_roots": [str(p) for p in read_roots()],
        "list_roots": [str(p) for p in list_roots()],
        "hidden": [],
    }
    made = Grader(spec)
    try:
        yield made
    finally:
        made.close()


def test_a_waiting_call_is_released_by_another_subjects_service_call(grader: Grader) -> None:
    lab_dir = grader.lab_dir
    waiter = grader.spawn(SubjectSpec("candidate", lab_dir, ("answer.py",)))
    setter = grader.spawn(SubjectSpec("candidate-2", lab_dir, ("answer.py",)))
    flag = grader.services.add(Flag())
    other = grader.services.add(Flag())
    waiting = waiter.start("wait_for_flag", flag)
    setting = setter.start("set_flag", other)
    grader.services.objects[other.id] = grader.services.objects[flag.id]  # one flag, two handles

    def deadlock(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("the grader served only the subject it was waiting on")

    previous = signal.signal(signal.SIGALRM, deadlock)
    signal.alarm(60)
    try:
        assert waiting.result().value == 41  # setter's call was served meanwhile
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert setting.result().value == 42
    assert not waiter.in_flight and not setter.in_flight
