"""The suite's grading slice: a developer's run makes a share of every lab's grading tests,
`.ci/run` makes the rest, and together they make each one exactly once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import slicing
from tests.slicing import Choice

ROOT = Path(__file__).resolve().parents[2]

# 30 labs of 3 to 80 grading tests each, a few other tests, and each lab's proof.
LABS = {f"lab-{n}": 3 + (n * 37) % 78 for n in range(30)}
GRADING = [(lab, f"{lab}::check[{i}]") for lab, count in LABS.items() for i in range(count)]
OTHERS = [f"cli::test_{i}" for i in range(40)] + [f"{lab}::proof" for lab in LABS]
TESTS = [test_id for _, test_id in GRADING] + OTHERS
KEYS = dict((test_id, (lab, test_id)) for lab, test_id in GRADING)


def key(test_id: str) -> tuple[str, str] | None:
    return KEYS.get(test_id)


def run(mode: str, rotation: int, changed: tuple[str, ...] = ()) -> list[str]:
    kept, dropped = slicing.select(TESTS, Choice(mode, rotation, "test", changed), key)
    assert sorted(kept + dropped) == sorted(TESTS)
    return kept


@pytest.mark.parametrize("rotation", [0, 7, 0x51C3BC9])
def test_the_slice_and_the_rest_make_every_test_exactly_once(rotation: int) -> None:
    developer, ci = run("slice", rotation), run("rest", rotation)
    assert not set(developer) & set(ci)
    assert sorted(developer + ci) == sorted(TESTS)
    assert set(OTHERS) <= set(developer)  # the proofs and every other test: every run


def test_a_slice_holds_a_share_of_every_lab_and_the_slices_cover_all() -> None:
    slices = slicing.slices_for(len(GRADING))
    assert (len(GRADING), slices) == (1287, 7)  # in slices of 200 at most
    seen: list[str] = []
    for rotation in range(slices):
        graded = [test_id for test_id in run("slice", rotation) if test_id in KEYS]
        assert len(graded) <= slicing.SLICE_TESTS
        labs = {KEYS[test_id][0] for test_id in graded}
        assert labs >= {lab for lab, count in LABS.items() if count >= slices}
        seen += graded
    assert sorted(seen) == sorted(KEYS)


def test_twice_the_labs_keep_the_slice_the_same_size() -> None:
    doubled = GRADING + [(f"{lab}-2", f"{test_id}-2") for lab, test_id in GRADING]
    chosen = slicing.in_slice(doubled, Choice("slice", 3, "test"))
    assert len(chosen) <= slicing.SLICE_TESTS
    assert len(chosen) >= slicing.SLICE_TESTS * 0.9


def test_a_changed_lab_is_graded_in_full_by_the_slice_and_left_out_of_the_rest() -> None:
    developer = run("slice", 4, changed=("lab-5",))
    ci = run("rest", 4, changed=("lab-5",))
    lab5 = {test_id for lab, test_id in GRADING if lab == "lab-5"}
    assert lab5 <= set(developer)
    assert not lab5 & set(ci)
    assert sorted(developer + ci) == sorted(TESTS)


def test_all_keeps_everything() -> None:
    assert run("all", 0) == TESTS


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for path in (
        "labs/hot-path/bench.py",
        "perfcoach/runner/check.py",
        "perfcoach/tui/app.py",
        "perfcoach/simtext.py",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x = 1\n")
    (tmp_path / "tests/labs").mkdir(parents=True)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return tmp_path


def test_the_slice_follows_the_commit(repo: Path) -> None:
    choice = slicing.choose("slice", repo)
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout
    assert (choice.mode, choice.rotation) == ("slice", int(head[:8], 16))
    assert f"commit {head[:7]}" in slicing.header(choice)


def test_uncommitted_changes_widen_the_run(repo: Path) -> None:
    (repo / "perfcoach/tui/app.py").write_text("x = 2\n")  # a face: still a slice
    (repo / "perfcoach/simtext.py").write_text("x = 2\n")  # not perfcoach/sim/
    (repo / "labs/hot-path/bench.py").write_text("x = 2\n")
    (repo / "tests/labs/test_load_test.py").write_text("x = 2\n")
    choice = slicing.choose("slice", repo)
    assert choice.mode == "slice"
    assert choice.changed_labs == ("hot-path", "load-test")
    assert "in full for the changed labs hot-path, load-test" in slicing.header(choice)
    (repo / "tests/grader").mkdir()
    (repo / "tests/grader/README.md").write_text("how the corpus works\n")
    assert slicing.choose("slice", repo).mode == "slice"
    (repo / "perfcoach/runner/check.py").write_text("x = 2\n")
    choice = slicing.choose("slice", repo)
    assert choice.mode == "all"
    assert "the grader has uncommitted changes" in slicing.header(choice)
    assert slicing.choose("rest", repo).mode == "rest"
    assert slicing.choose("3", repo).mode == "slice"


def test_without_git_the_first_slice_is_made(tmp_path: Path) -> None:
    choice = slicing.choose("slice", tmp_path)
    assert (choice.mode, choice.rotation, choice.origin) == ("slice", 0, "no git commit")


def test_a_bad_choice_is_a_one_line_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--grading=most", "--co", "-q", "tests/unit"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 4
    assert "--grading must be one of slice, all, rest or a slice number, not 'most'" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
