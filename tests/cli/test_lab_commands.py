"""The learner's loop through the CLI: start, check, hint, solution, reset, profile, progress."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.store import Store
from tests.helpers import FIXTURE_PACK

SOLUTION = FIXTURE_PACK / "labs" / "sum-lab" / "solution" / "work.py"


def work_file() -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab" / "work.py"


def test_help_lists_command_groups(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in ("lab", "progress", "doctor", "dev"):
        assert group in result.output


def test_full_learning_loop(runner: CliRunner) -> None:
    listing = runner.invoke(app, ["lab", "list"])
    assert listing.exit_code == 0
    assert "sum-lab" in listing.output and "not started" in listing.output

    started = runner.invoke(app, ["lab", "start", "sum-lab"])
    assert started.exit_code == 0
    assert str(work_file()) in started.output.replace("\n", "")
    assert work_file().read_text() == (FIXTURE_PACK / "labs/sum-lab/starter/work.py").read_text()
    assert "started" in runner.invoke(app, ["lab", "list"]).output

    failing = runner.invoke(app, ["lab", "check", "sum-lab"])
    assert failing.exit_code == 1
    assert "FAIL" in failing.output
    assert "function calls" in failing.output and "40,0" in failing.output
    assert "perfcoach lab hint sum-lab" in failing.output
    assert "Not timed: speedup" in failing.output and "NOT MEASURED" in failing.output
    assert "failing" in runner.invoke(app, ["lab", "list"]).output
    timed = runner.invoke(app, ["lab", "check", "sum-lab", "--full"])
    assert timed.exit_code == 1 and "Not timed" not in timed.output
    assert "interleaved pairs" in timed.output

    hint = runner.invoke(app, ["lab", "hint", "sum-lab"])
    assert hint.exit_code == 0 and "hint 1 of 3" in hint.output

    shutil.copyfile(SOLUTION, work_file())
    passing = runner.invoke(app, ["lab", "check", "sum-lab", "--seed", "42"])
    assert passing.exit_code == 0, passing.output
    assert "PASS" in passing.output and "seed 42" in passing.output
    assert "passed" in runner.invoke(app, ["lab", "list"]).output

    with Store.open() as db:
        attempts = db.attempts("sum-lab")
    assert [a.verdict for a in attempts] == ["pass", "fail", "fail"]
    assert attempts[0].seed == 42 and attempts[0].hints_used == 1
    assert attempts[0].metrics["calls"]["value"] == 4  # the driver, total(), sum() and a lambda
    assert attempts[2].metrics["calls"]["verdict"] == "fail"
    assert attempts[2].metrics["speedup"]["verdict"] == "unmeasured"
    assert attempts[1].metrics["speedup"]["value"] is not None

    solution = runner.invoke(app, ["lab", "solution", "sum-lab"])
    assert solution.exit_code == 0 and "return sum(xs)" in solution.output

    progress = runner.invoke(app, ["progress"])
    assert progress.exit_code == 0
    assert "1/1" in progress.output and "attempts 3" in progress.output
    assert "streak 1 day" in progress.output
    assert "next: perfcoach lesson show fixture-basics" in progress.output

    history = runner.invoke(app, ["lab", "history", "sum-lab"])
    assert history.exit_code == 0 and history.output.count("PASS") == 1


def test_unknown_lab_is_a_usage_error(runner: CliRunner) -> None:
    for command in ("start", "check", "hint", "solution", "reset", "profile", "show", "history"):
        result = runner.invoke(app, ["lab", command, "no-such-lab"])
        assert result.exit_code == 2, command
        assert "unknown lab 'no-such-lab' (labs: sum-lab)" in result.output
        assert "Traceback" not in result.output


def test_check_before_start_says_how_to_start(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lab", "check", "sum-lab"])
    assert result.exit_code == 2
    assert "run 'perfcoach lab start sum-lab'" in result.output


def test_workspace_file_replaced_by_a_folder(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    work_file().unlink()
    work_file().mkdir()
    result = runner.invoke(app, ["lab", "check", "sum-lab"])
    assert result.exit_code == 2
    assert "has no work.py" in result.output


def test_start_keeps_edits_and_force_backs_them_up(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    work_file().write_text("# my edit\n")
    again = runner.invoke(app, ["lab", "start", "sum-lab"])
    assert "kept" in again.output
    assert work_file().read_text() == "# my edit\n"
    forced = runner.invoke(app, ["lab", "start", "sum-lab", "--force"])
    assert forced.exit_code == 0 and "saved in" in forced.output
    [backup] = list((work_file().parent / ".backup").glob("*/work.py"))
    assert backup.read_text() == "# my edit\n"
    assert work_file().read_text() != "# my edit\n"


def test_reset_asks_and_backs_up(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    work_file().write_text("# edited\n")
    declined = runner.invoke(app, ["lab", "reset", "sum-lab"], input="n\n")
    assert declined.exit_code == 1
    assert work_file().read_text() == "# edited\n"
    unattended = subprocess.run(
        [sys.executable, "-m", "perfcoach", "lab", "reset", "sum-lab"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert unattended.returncode == 2
    assert "add --yes to confirm" in unattended.stderr
    assert work_file().read_text() == "# edited\n"
    accepted = runner.invoke(app, ["lab", "reset", "sum-lab", "--yes"])
    assert accepted.exit_code == 0 and "saved in" in accepted.output
    assert "def add" in work_file().read_text()


def test_hints_run_out_and_are_recorded_once(runner: CliRunner) -> None:
    for n in (1, 2, 3):
        assert f"hint {n} of 3" in runner.invoke(app, ["lab", "hint", "sum-lab"]).output
    last = runner.invoke(app, ["lab", "hint", "sum-lab"])
    assert "all 3 hints are revealed" in last.output and "--give-up" in last.output
    with Store.open() as db:
        assert db.hints_revealed("sum-lab") == 3


def test_solution_is_locked_until_give_up(runner: CliRunner) -> None:
    locked = runner.invoke(app, ["lab", "solution", "sum-lab"])
    assert locked.exit_code == 2 and "--give-up" in locked.output
    assert "return sum(xs)" not in locked.output
    given = runner.invoke(app, ["lab", "solution", "sum-lab", "--give-up"])
    assert given.exit_code == 0 and "return sum(xs)" in given.output
    with Store.open() as db:
        progress = db.lab_progress("sum-lab")
    assert progress.gave_up and progress.solution_viewed


def test_profile_cprofile_and_memory(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    cprof = runner.invoke(app, ["lab", "profile", "sum-lab", "--with", "cprofile"])
    assert cprof.exit_code == 0, cprof.output
    assert "cProfile" in cprof.output and "work.py:12" in cprof.output  # add(), the hot spot
    memory = runner.invoke(app, ["lab", "profile", "sum-lab", "--with", "memory"])
    assert memory.exit_code == 0, memory.output
    assert "peak RSS" in memory.output and "MiB" in memory.output
    assert "kernel high-water mark, untraced run" in " ".join(memory.output.split())


def test_profile_scalene_reports_lines_of_learner_code(runner: CliRunner) -> None:
    """scalene samples the CPU every 10 ms; on a heavily loaded machine a short run can come
    back with no sample of the learner's lines, and perfcoach then says to run it again,
    which is what this test does (once)."""
    runner.invoke(app, ["lab", "start", "sum-lab"])
    for _ in range(2):
        result = runner.invoke(app, ["lab", "profile", "sum-lab", "--with", "scalene"])
        assert result.exit_code == 0, result.output
        assert "scalene" in result.output
        if "run it again" not in result.output:
            break
    assert "work.py:" in result.output


def test_profile_rejects_unknown_profiler(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    result = runner.invoke(app, ["lab", "profile", "sum-lab", "--with", "perf"])
    assert result.exit_code == 2 and "unknown profiler 'perf'" in result.output


def test_profile_of_broken_code_is_one_line(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    work_file().write_text("def total(xs):\n    raise ValueError('boom')\n")
    result = runner.invoke(app, ["lab", "profile", "sum-lab"])
    assert result.exit_code == 1
    assert "work.py line 2, in total: ValueError: boom" in result.output
    assert "Traceback" not in result.output


def test_no_color_and_narrow_terminal(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    env = {"NO_COLOR": "1", "FORCE_COLOR": "1", "COLUMNS": "50"}
    result = runner.invoke(app, ["lab", "check", "sum-lab"], env=env)
    assert result.exit_code == 1
    colours = [
        code
        for seq in re.findall(r"\x1b\[([0-9;]*)m", result.stdout)
        for code in seq.split(";")
        if code.isdigit() and 30 <= int(code) <= 97
    ]
    assert colours == []
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert max(len(line) for line in plain.splitlines()) <= 50


def test_lessons_are_listed_rendered_and_marked_read(runner: CliRunner) -> None:
    before = runner.invoke(app, ["lesson", "list"])
    assert before.exit_code == 0
    assert "fixture-basics" in before.output and "sum-lab" in before.output
    shown = runner.invoke(app, ["lesson", "show", "fixture-basics"])
    assert shown.exit_code == 0
    assert "Fixture basics" in shown.output and "perfcoach lab start sum-lab" in shown.output
    with Store.open() as db:
        assert db.lessons_read() == {"fixture-basics"}
    assert "yes" in runner.invoke(app, ["lesson", "list"]).output
    unknown = runner.invoke(app, ["lesson", "show", "nope"])
    assert unknown.exit_code == 2 and "unknown lesson 'nope'" in unknown.output


def test_a_seed_past_what_an_attempt_can_store_is_a_usage_error(runner: CliRunner) -> None:
    """2^63 ran the whole check, then could not be stored: the attempt was lost."""
    assert runner.invoke(app, ["lab", "start", "sum-lab"]).exit_code == 0
    result = runner.invoke(app, ["lab", "check", "sum-lab", "--seed", str(2**63)])
    assert result.exit_code == 2 and "--seed" in result.output
    largest = runner.invoke(app, ["lab", "check", "sum-lab", "--seed", str(2**63 - 1)])
    assert largest.exit_code == 1, largest.output  # the starter fails, and the attempt is kept
    with Store.open() as db:
        assert [a.seed for a in db.attempts("sum-lab")] == [2**63 - 1]


def test_a_full_disk_during_lab_start_leaves_the_lab_not_started(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A starter file cut short used to stay behind, and the lab then counted as started."""
    import errno

    from perfcoach.report import output

    class FullDisk:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.fd = fd

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            os.close(self.fd)

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fdopen", FullDisk)
    result = runner.invoke(app, ["lab", "start", "sum-lab"])
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "Traceback" not in result.output
    folder = Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab"
    assert not any(folder.iterdir())
    monkeypatch.undo()
    assert "not started" in runner.invoke(app, ["lab", "list"]).output


def test_a_scalene_profile_without_samples_in_learner_code_says_so() -> None:
    """On a loaded machine scalene once sampled none of the learner's lines: the table
    was empty and said nothing."""
    from rich.console import Console

    from perfcoach.console import profile_table

    out = Console(record=True, width=100)
    out.print(profile_table({"kind": "scalene", "elapsed_s": 1.63, "rows": []}))
    text = " ".join(out.export_text().split())
    assert "scalene took no CPU samples in your code" in text
    assert "--with cprofile" in text
