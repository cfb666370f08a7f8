"""progress export / import / reset through the CLI: merge without duplicates, refuse bad
files touching nothing, and keep a copy before any reset."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.store import NewAttempt, Store


def _seed_progress() -> None:
    with Store.open() as db:
        db.record_attempt(
            NewAttempt("sum-lab", "fail", {"calls": {"value": 20002}}, 1.0, 1, "a", 0)
        )
        db.record_attempt(NewAttempt("sum-lab", "pass", {"calls": {"value": 3}}, 1.0, 2, "b", 1))
        db.reveal_hint("sum-lab", 0)
        db.mark_lesson_read("fixture-basics")


def _export(runner: CliRunner, target: Path) -> dict:
    result = runner.invoke(app, ["progress", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output and "2 attempts" in result.output
    return json.loads(target.read_text())


def test_progress_without_a_subcommand_still_shows_the_summary(runner: CliRunner) -> None:
    _seed_progress()
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 0
    assert "mastery path" in result.output and "attempts 2" in result.output
    for sub in ("export", "import", "reset"):
        assert sub in runner.invoke(app, ["progress", "--help"]).output


def test_export_import_into_another_home_twice(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed_progress()
    runner.invoke(app, ["effort", "new", "checkout", "--goal", "wall < 1s"])
    runner.invoke(app, ["checklist", "tick", "pre", "profile", "--effort", "checkout"])
    me = tmp_path / "me.json"
    document = _export(runner, me)
    assert document["format"] == "perfcoach-progress" and document["format_version"] == 1

    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path / "laptop"))
    first = runner.invoke(app, ["progress", "import", str(me)])
    assert first.exit_code == 0, first.output
    assert "imported 2 attempts, 1 hints, 1 lessons_read, 1 efforts, 1 checklist_ticks" in (
        first.output
    )
    assert str(tmp_path / "laptop" / "progress.db") in first.output
    second = runner.invoke(app, ["progress", "import", str(me)])
    assert second.exit_code == 0
    assert "imported nothing new" in second.output and "skipped 6 row(s)" in second.output
    with Store.open() as db:
        assert len(db.attempts("sum-lab")) == 2
    assert "attempts 2" in runner.invoke(app, ["progress"]).output
    shown = runner.invoke(app, ["checklist", "show", "pre", "--effort", "checkout"])
    assert "[x] profile" in shown.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "is not JSON"),
        ('{"format": "other"}', "is not a perfcoach progress export"),
        ('{"format": "perfcoach-progress", "format_version": 99, "tables": {}}', "version 99"),
        ('{"format": "perfcoach-progress", "format_version": 1, "tables": {"x": []}}', "'x'"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    _seed_progress()
    before = _export(runner, tmp_path / "before.json")["tables"]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = runner.invoke(app, ["progress", "import", str(bad)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert _export(runner, tmp_path / "after.json")["tables"] == before


def test_a_valid_file_with_one_broken_row_imports_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed_progress()
    document = _export(runner, tmp_path / "me.json")
    document["tables"]["attempts"][1]["metrics"] = "not an object"
    (tmp_path / "me.json").write_text(json.dumps(document))
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path / "fresh"))
    result = runner.invoke(app, ["progress", "import", str(tmp_path / "me.json")])
    assert result.exit_code == 2 and "attempts[1]: metrics has the wrong type" in result.output
    with Store.open() as db:
        assert db.attempts() == [] and db.lessons_read() == set()


def test_import_of_a_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["progress", "import", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "nope.json" in result.output


def test_reset_one_lab_keeps_a_copy_that_import_restores(runner: CliRunner) -> None:
    _seed_progress()
    result = runner.invoke(app, ["progress", "reset", "--lab", "sum-lab"])
    assert result.exit_code == 0, result.output
    assert "deleted 2 attempts, 1 hints" in result.output
    backup = Path(re.search(r"first: (\S+\.json)", result.output)[1])  # type: ignore[index]
    assert backup.parent == Path(os.environ["PERFCOACH_HOME"]) / "backups"
    with Store.open() as db:
        assert db.attempts() == [] and db.lessons_read() == {"fixture-basics"}
    restored = runner.invoke(app, ["progress", "import", str(backup)])
    assert restored.exit_code == 0 and "2 attempts" in restored.output
    with Store.open() as db:
        assert len(db.attempts()) == 2


def test_reset_all_needs_yes(runner: CliRunner) -> None:
    _seed_progress()
    refused = runner.invoke(app, ["progress", "reset", "--all"])
    assert refused.exit_code == 2 and "--yes" in refused.output
    neither = runner.invoke(app, ["progress", "reset"])
    assert neither.exit_code == 2 and "--lab ID, or --all --yes" in neither.output
    unknown = runner.invoke(app, ["progress", "reset", "--lab", "nope"])
    assert unknown.exit_code == 2 and "unknown lab 'nope'" in unknown.output
    with Store.open() as db:
        assert len(db.attempts()) == 2
    done = runner.invoke(app, ["progress", "reset", "--all", "--yes"])
    assert done.exit_code == 0 and "reset all lab and lesson progress" in done.output
    with Store.open() as db:
        assert db.attempts() == [] and db.lessons_read() == set()


BAD_VALUES = [
    ("attempts", 0, "started", "yesterday", "started must be a UTC timestamp"),
    ("attempts", 0, "started", "2026-02-30T10:00:00+00:00", "started is not a real date"),
    ("attempts", 0, "duration_s", float("nan"), "duration_s must be a finite number"),
    ("attempts", 0, "duration_s", -1.0, "duration_s must be a finite number of seconds, 0"),
    ("attempts", 0, "seed", 2**70, "seed must be a whole number from 0 to 2^63 - 1"),
    ("attempts", 0, "lab_id", "Sum Lab!", "lab_id must use only a-z, 0-9"),
    ("attempts", 0, "lab_id", "x" * 10_000, "at most 64 characters"),
    ("attempts", 1, "metrics", {"calls": 3}, "metrics calls must be an object"),
    ("attempts", 1, "metrics", {"calls": {"value": "fast"}}, "calls.value must be a finite"),
    ("attempts", 1, "hints_used", -2, "hints_used must be a whole number, 0 or more"),
    ("hints", 0, "revealed_at", "2026-05-17 09:30", "revealed_at must be a UTC timestamp"),
    ("lessons_read", 0, "lesson_id", "../etc", "lesson_id must use only a-z"),
]


@pytest.mark.parametrize(("table", "index", "column", "value", "message"), BAD_VALUES)
def test_a_value_that_would_break_later_commands_is_refused(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    index: int,
    column: str,
    value: object,
    message: str,
) -> None:
    """Each of these was accepted once, then broke `lab list`, `progress`, `lab history` or
    the TUI on every later run; now the file is refused whole, naming the field."""
    _seed_progress()
    document = _export(runner, tmp_path / "me.json")
    document["tables"][table][index][column] = value
    (tmp_path / "me.json").write_text(json.dumps(document))
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path / "fresh"))
    result = runner.invoke(app, ["progress", "import", str(tmp_path / "me.json")])
    assert result.exit_code == 2, result.output
    assert f"tables.{table}[{index}]: " in result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    with Store.open() as db:
        assert db.attempts() == [] and db.lessons_read() == set()
    for command in (["lab", "list"], ["progress"], ["lab", "history", "sum-lab"]):
        assert runner.invoke(app, command).exit_code == 0


def test_a_file_nested_too_deeply_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(
        '{"format": "perfcoach-progress", "tables": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    result = runner.invoke(app, ["progress", "import", str(deep)])
    assert result.exit_code == 2
    assert "nests objects or lists too deeply" in result.output
    assert "Traceback" not in result.output
