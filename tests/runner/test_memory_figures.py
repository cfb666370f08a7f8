"""The harness's memory figure is the call's own: what the harness allocates after the call
returns (reading its wake-up pipe), and whether the worker thread is gone by then, must not
show up in it, so the same call reads the same bytes every time."""

from __future__ import annotations

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
