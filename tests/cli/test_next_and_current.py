"""`perfcoach next`, the current lab (check/hint/watch without an id) and the solution diff."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.store import Store
from tests.helpers import ACTIVE_CONTROL, FIXTURE_PACK, HOSTILE, add_lab, copy_pack

SOLUTION = FIXTURE_PACK / "labs" / "sum-lab" / "solution" / "work.py"


def work_file(lab_id: str = "sum-lab") -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "workspace" / lab_id / "work.py"


@pytest.fixture
def two_labs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    root = copy_pack(tmp_path)
    add_lab(root, "sum-lab-two", order=2, title="Sum, the sequel")
    monkeypatch.setenv("PERFCOACH_PACK", str(root))
    return root


def test_next_walks_the_path_lesson_then_labs_in_order(runner: CliRunner, two_labs: Path) -> None:
    lesson = runner.invoke(app, ["next"])
    assert lesson.exit_code == 0, lesson.output
    assert "Fixture basics" in lesson.output
    assert "then: lab sum-lab" in lesson.output
    with Store.open() as db:
        assert db.lessons_read() == {"fixture-basics"}

    first = runner.invoke(app, ["next"])
    assert first.exit_code == 0 and "Sum without the detour" in first.output
    assert work_file().is_file()
    again = runner.invoke(app, ["next"])  # not passed yet: still the same lab, edits kept
    assert "Sum without the detour" in again.output and "kept" in again.output

    shutil.copyfile(SOLUTION, work_file())
    passed = runner.invoke(app, ["lab", "check"])
    assert passed.exit_code == 0, passed.output
    assert "next lab: sum-lab-two (Sum, the sequel, level 1)" in passed.output

    second = runner.invoke(app, ["next"])
    assert "Sum, the sequel" in second.output and work_file("sum-lab-two").is_file()
    shutil.copyfile(SOLUTION, work_file("sum-lab-two"))
    last = runner.invoke(app, ["lab", "check"])
    assert last.exit_code == 0, last.output
    assert "★ level 1 Fundamentals complete" in last.output
    assert "the last lab left to pass" in last.output

    done = runner.invoke(app, ["next"])
    assert done.exit_code == 0 and "the path is done" in done.output


def test_without_an_id_commands_act_on_the_current_lab(runner: CliRunner, two_labs: Path) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab-two"])
    runner.invoke(app, ["lab", "start", "sum-lab"])
    hint = runner.invoke(app, ["lab", "hint"])
    assert hint.exit_code == 0 and "hint 1 of 3" in hint.output
    failed = runner.invoke(app, ["lab", "check", "sum-lab-two"])  # a check makes it current
    assert failed.exit_code == 1 and "sum-lab-two" in failed.output
    runner.invoke(app, ["lab", "hint"])
    with Store.open() as db:
        assert db.hints_revealed("sum-lab") == 1
        assert db.hints_revealed("sum-lab-two") == 1
        assert [a.lab_id for a in db.attempts()] == ["sum-lab-two"]
        assert db.current_lab() == "sum-lab-two"
    listing = runner.invoke(app, ["lab", "list"]).output
    [row] = [line for line in listing.splitlines() if "(current)" in line]
    assert "sum-lab-two" in row


def test_no_current_lab_is_one_clear_line(runner: CliRunner) -> None:
    for command in (["lab", "check"], ["lab", "hint"], ["lab", "watch"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: no current lab yet")
        assert "perfcoach next" in result.stderr and "Traceback" not in result.output


def test_a_current_lab_gone_from_the_pack_is_a_clear_error(
    runner: CliRunner, two_labs: Path
) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab-two"])
    shutil.rmtree(two_labs / "labs" / "sum-lab-two")
    result = runner.invoke(app, ["lab", "check"])
    assert result.exit_code == 2
    assert "the current lab 'sum-lab-two' is not in the content pack" in result.stderr


def test_help_says_what_the_current_lab_is(runner: CliRunner) -> None:
    for command in ("check", "hint", "watch"):
        text = runner.invoke(app, ["lab", command, "--help"]).output
        assert "the current lab" in text and "last started" in text
    assert "next" in runner.invoke(app, ["--help"]).output


def test_solution_diff_after_a_pass(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    locked = runner.invoke(app, ["lab", "solution", "sum-lab", "--diff"])
    assert locked.exit_code == 2 and "unlocks after a pass" in locked.stderr
    work_file().write_text(SOLUTION.read_text() + "\n\n# my note\n")
    assert runner.invoke(app, ["lab", "check"]).exit_code == 0
    diff = runner.invoke(app, ["lab", "solution", "sum-lab", "--diff"])
    assert diff.exit_code == 0, diff.output
    assert "--- yours/work.py" in diff.output and "+++ reference/work.py" in diff.output
    assert "-# my note" in diff.output
    shutil.copyfile(SOLUTION, work_file())
    same = runner.invoke(app, ["lab", "solution", "sum-lab", "--diff"])
    assert "your code is the reference, line for line" in same.output
    with Store.open() as db:
        assert not db.lab_progress("sum-lab").gave_up


def test_diff_without_your_file_says_so_and_records_nothing(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lab", "solution", "sum-lab", "--give-up", "--diff"])
    assert result.exit_code == 2
    assert "perfcoach lab start sum-lab" in result.stderr
    with Store.open() as db:
        assert not db.lab_progress("sum-lab").solution_viewed


def test_solution_diff_shows_your_code_inert(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    runner.invoke(app, ["lab", "solution", "sum-lab", "--give-up"])
    work_file().write_text("# \x1b]0;owned\x07 \u202eSSAP\u202c \x9b2J\n" + HOSTILE)
    diff = runner.invoke(app, ["lab", "solution", "sum-lab", "--diff"])
    assert diff.exit_code == 0, diff.output
    assert "-    raise RuntimeError" in diff.output and "SSAP" in diff.output
    assert not ACTIVE_CONTROL.search(diff.output)
