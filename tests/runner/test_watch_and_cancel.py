"""Saving a file is noticed once per save; a cancelled check stops its child at once."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from perfcoach.catalog import load_lab
from perfcoach.runner import run_check
from perfcoach.runner.child import Cancelled
from perfcoach.runner.watch import FileWatcher
from tests.helpers import FIXTURE_PACK


def test_watcher_reports_each_save_once(tmp_path: Path) -> None:
    target = tmp_path / "work.py"
    target.write_text("a = 1\n")
    watcher = FileWatcher([target])
    assert not watcher.changed()
    target.write_text("a = 22\n")
    assert watcher.changed()
    assert not watcher.changed()


def test_watcher_sees_replace_by_rename_and_deletion(tmp_path: Path) -> None:
    target = tmp_path / "work.py"
    target.write_text("a = 1\n")
    watcher = FileWatcher([target])
    temp = tmp_path / ".work.py.swp"
    temp.write_text("a = 2\n")
    os.replace(temp, target)
    assert watcher.changed()
    target.unlink()
    assert watcher.changed()


def test_cancel_kills_a_running_check(tmp_path: Path) -> None:
    lab = load_lab(FIXTURE_PACK / "labs" / "sum-lab")
    (tmp_path / "work.py").write_text("def total(xs):\n    while True:\n        pass\n")
    cancel = threading.Event()
    started = threading.Timer(0.5, cancel.set)
    started.start()
    with pytest.raises(Cancelled):
        run_check(lab, tmp_path, cancel=cancel)
