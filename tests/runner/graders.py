"""A grader over a throw-away lab: a driver written by the test and `answer.py` (ANSWER = 41)
for the subjects to import, with the sandbox's real read and list roots."""

from __future__ import annotations

from pathlib import Path

from perfcoach.runner.grader import Grader
from perfcoach.runner.sandbox import list_roots, read_roots


def grader_for(tmp_path: Path, name: str, driver: str) -> Grader:
    """A Grader whose lab is tmp_path/name; the caller closes it."""
    lab_dir = tmp_path / name
    lab_dir.mkdir()
    (lab_dir / "driver.py").write_text(driver)
    (lab_dir / "answer.py").write_text("ANSWER = 41\n")
    spec = {
        "lab_dir": str(lab_dir),
        "read_roots": [str(p) for p in read_roots()],
        "list_roots": [str(p) for p in list_roots()],
        "hidden": [],
    }
    return Grader(spec)
