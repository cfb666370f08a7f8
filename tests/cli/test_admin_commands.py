"""doctor, dev check and the handling of a broken progress DB."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from tests.helpers import FIXTURE_PACK, add_lab, copy_pack, edit


def db_file() -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "progress.db"


def test_doctor_on_a_healthy_machine(runner: CliRunner) -> None:
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    for part in ("python", "home", "content pack", "progress db", "scalene", "memory_profiler"):
        assert part in result.output
    assert "FAIL" not in result.output
    assert "sandbox: a sandboxed subject ran and answered" in result.output
    for layer in ("landlock", "seccomp", "parent-death signal", "cpu clock"):
        assert f"{layer}:" in result.output


def test_broken_db_gets_a_clear_error_then_repair(runner: CliRunner) -> None:
    db_file().parent.mkdir(parents=True, exist_ok=True)
    db_file().write_text("this is not a database\n" * 100)
    listing = runner.invoke(app, ["lab", "list"])
    assert listing.exit_code == 1
    assert "perfcoach doctor --repair" in listing.output
    assert "Traceback" not in listing.output
    assert db_file().read_text().startswith("this is not a database")

    doctor = runner.invoke(app, ["doctor"])
    assert doctor.exit_code == 1 and "--repair" in doctor.output

    repaired = runner.invoke(app, ["doctor", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "repaired" in repaired.output
    [backup] = list(db_file().parent.glob("progress.db.broken-*"))
    assert backup.read_text().startswith("this is not a database")
    assert runner.invoke(app, ["lab", "list"]).exit_code == 0


def test_dev_check_proves_the_fixture_pack(runner: CliRunner) -> None:
    result = runner.invoke(app, ["dev", "check", str(FIXTURE_PACK), "--runs", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.count("sum-lab") >= 2
    assert "1 lab(s) proven (2 run(s) each)" in result.output


def test_dev_check_catches_a_solution_that_fails(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    (root / "labs/sum-lab/solution/work.py").write_text(
        (root / "labs/sum-lab/starter/work.py").read_text()
    )
    result = runner.invoke(app, ["dev", "check", str(root)])
    assert result.exit_code == 1
    assert "solution should pass" in result.output


def test_dev_check_catches_a_starter_that_passes(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    edit(root / "labs/sum-lab/lab.toml", 'goal = "<= baseline / 10"', 'goal = "<= baseline * 1"')
    edit(root / "labs/sum-lab/lab.toml", 'goal = ">= 2"', 'goal = ">= 0.01"')
    result = runner.invoke(app, ["dev", "check", str(root)])
    assert result.exit_code == 1
    assert "sum-lab run 1: starter should fail its targets, got pass" in result.output


def test_dev_check_reports_invalid_manifest(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    edit(root / "labs/sum-lab/lab.toml", "timeout_s = 20", "timeout_s = 3\nspeed = 1")
    result = runner.invoke(app, ["dev", "check", str(root)])
    assert result.exit_code == 1
    assert "key 'speed'" in result.output and "not a known key" in result.output


def test_dev_check_on_a_missing_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["dev", "check", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_home_option_overrides_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    result = runner.invoke(app, ["--home", str(other), "lab", "start", "sum-lab"])
    assert result.exit_code == 0
    assert (other / "workspace" / "sum-lab" / "work.py").is_file()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("perfcoach ")


def test_a_broken_lab_does_not_block_the_others(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_pack(tmp_path)
    shutil.copytree(root / "labs/sum-lab", root / "labs/half-done")
    (root / "labs/half-done/lab.toml").unlink()
    monkeypatch.setenv("PERFCOACH_PACK", str(root))
    result = runner.invoke(app, ["lab", "list"])
    assert result.exit_code == 0
    assert "sum-lab" in result.stdout
    assert "warning: broken lab left out: half-done; 1 problem(s)" in result.stderr


def test_dev_check_takes_several_labs(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_pack(tmp_path)
    add_lab(root, "sum-lab-two", order=2)
    result = runner.invoke(
        app, ["dev", "check", str(root), "--lab", "sum-lab", "--lab", "sum-lab-two"]
    )
    assert result.exit_code == 0, result.output
    assert "2 lab(s) proven" in result.output


def test_doctor_says_a_home_that_is_a_file_is_a_problem(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "not-a-folder"
    home.write_text("notes\n")
    monkeypatch.setenv("PERFCOACH_HOME", str(home))
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert f"FAIL home: {home} is a file, not a folder" in " ".join(result.output.split())
    assert home.read_text() == "notes\n"


def test_doctor_repair_reports_rows_recovered_and_lost(runner: CliRunner) -> None:
    from perfcoach.store import NewAttempt, Store

    db_file().parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db_file()) as store:
        for i in range(2000):
            store.record_attempt(
                NewAttempt(
                    lab_id="lab",
                    verdict="fail",
                    metrics={"i": i},
                    duration_s=1.0,
                    seed=i,
                    code_hash="0" * 16,
                    hints_used=0,
                    message="x" * 200,
                )
            )
    os.truncate(db_file(), db_file().stat().st_size // 2)
    result = runner.invoke(app, ["doctor", "--repair"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    found = re.search(r"attempts ([\d,]+) \(([\d,]+) lost\)", text)
    assert found, text
    recovered, lost = (int(number.replace(",", "")) for number in found.groups())
    assert recovered > 500 and 2000 - 40 <= recovered + lost <= 2000
    with Store.open(db_file()) as store:
        assert len(store.attempts()) == recovered
