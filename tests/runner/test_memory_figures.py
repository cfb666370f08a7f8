"""The harness's memory figure is the call's own: what the harness allocates after the call
returns (reading its wake-up pipe), and whether the worker thread is gone by then, must not
show up in it, so the same call reads the same bytes every time."""

from __future__ import annotations

from pathlib import Path

from perfcoach.catalog import load_lab
from perfcoach.runner.check import grader_spec
from perfcoach.runner.grader import Grader, SubjectSpec
from tests.helpers import FIXTURE_PACK

CALLS = 20


def test_a_call_that_allocates_nothing_reads_the_same_small_peak_every_time() -> None:
    lab = load_lab(FIXTURE_PACK / "labs" / "sum-lab")
    grader = Grader(grader_spec(lab, lab.starter_dir, 3, "grade"))
    try:
        subject = grader.spawn(SubjectSpec("candidate", lab.starter_dir, lab.files))
        peaks = {subject.call("total", [], memory=True).peak for _ in range(CALLS)}
    finally:
        grader.close()
    assert len(peaks) == 1, f"{CALLS} identical calls read {sorted(peaks)}"
    (peak,) = peaks
    assert peak is not None
    assert 0 < peak < 4096, f"an empty call read {peak} bytes: the harness's own buffers count"


def test_a_call_long_enough_to_be_sampled_reads_the_peak_of_one_too_short_to_be(
    tmp_path: Path,
) -> None:
    """The harness samples traced memory while a call runs (to catch a reset peak); neither
    a sample nor the wake-up before it may leave anything allocated that the call's peak
    would count, so a call read while it sleeps and one too quick to be read (or read at
    any moment of it on a loaded machine) give the same figure."""
    lab = load_lab(FIXTURE_PACK / "labs" / "sum-lab")
    (tmp_path / "work.py").write_text(
        "import time\n\n\n"
        "def total(pause):\n"
        "    block = bytearray(10_000)\n"
        "    time.sleep(pause)\n"
        "    return len(block)\n"
    )
    grader = Grader(grader_spec(lab, lab.starter_dir, 3, "grade"))
    try:
        subject = grader.spawn(SubjectSpec("candidate", tmp_path, lab.files))
        quick = {subject.call("total", 0, memory=True).peak for _ in range(CALLS)}
        sampled = {subject.call("total", 0.03, memory=True).peak for _ in range(5)}
    finally:
        grader.close()
    assert len(quick) == 1 and sampled == quick, f"quick {sorted(quick)}, sampled {sorted(sampled)}"
