"""Whatever a person or learner code typed is printed literally by every command that shows it."""

from __future__ import annotations

import html
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.safetext import inert
from perfcoach.store import Efforts, NewMeasurement, Store
from tests.helpers import ACTIVE_CONTROL, FIXTURE_PACK
from tests.user_text import USER_TEXT, from_markdown, markdown_inert, one_line, shows

CASES = pytest.mark.parametrize("text", list(USER_TEXT.values()), ids=list(USER_TEXT))


def invoke(runner: CliRunner, *args: str) -> str:
    """Run a command that must succeed and return what it printed."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def effort_with(runner: CliRunner, text: str) -> None:
    """An effort whose goal, checklist note and measured command all hold text."""
    shown = inert(text)  # what a terminal may be given: the same text unless it has controls
    assert one_line(shown) in invoke(runner, "effort", "new", "e", "--goal", text)
    tick = ["checklist", "tick", "pre", "set-targets", "--effort", "e", "--note", text]
    assert one_line(shown) in invoke(runner, *tick)
    command = [sys.executable, "-c", "pass", text]
    assert shows(invoke(runner, "baseline", "e", "--runs", "1", "--", *command), shown)
    assert shows(invoke(runner, "compare", "e", "--runs", "1", "--", *command), shown)


def strings(node: Any) -> Iterator[str]:
    """Every string anywhere in a decoded JSON document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


@CASES
def test_effort_text_is_shown_literally(runner: CliRunner, text: str) -> None:
    effort_with(runner, text)
    assert shows(invoke(runner, "effort", "list"), text)
    assert shows(invoke(runner, "effort", "show", "e"), text)  # goal and command
    assert shows(invoke(runner, "checklist", "show", "pre", "--effort", "e"), text)


@CASES
def test_effort_text_survives_every_report(runner: CliRunner, text: str) -> None:
    effort_with(runner, text)
    markdown = invoke(runner, "checklist", "export", "--effort", "e", "--format", "md")
    assert "&lt;" not in markdown and "&amp;" not in markdown
    goal = next(line for line in markdown.splitlines() if line.startswith("- **Goal:**"))
    assert one_line(text) in from_markdown(goal)
    assert markdown_inert(goal.removeprefix("- **Goal:**"))
    note = next(line for line in markdown.splitlines() if "(`set-targets`)" in line)
    assert one_line(text) in from_markdown(note)
    assert markdown_inert(note.split("(`set-targets`) — ", 1)[1])
    for line in markdown.splitlines():  # a pipe or newline never adds a table column
        if line.startswith("| ") and "figure" not in line:
            assert line.replace("\\|", "").count("|") in (5, 6)

    page = invoke(runner, "checklist", "export", "--effort", "e", "--format", "html")
    assert "<script>" not in page and "<b>x" not in page
    assert shows(html.unescape(page), text)

    document = invoke(runner, "checklist", "export", "--effort", "e", "--format", "json")
    found = list(strings(json.loads(document)))
    assert found.count(one_line(text)) >= 2  # the goal and the note, kept on one line
    assert any(text in value for value in found if value.startswith(sys.executable))


@CASES
def test_learner_text_is_shown_literally(runner: CliRunner, text: str) -> None:
    invoke(runner, "lab", "start", "sum-lab")
    work = Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab" / "work.py"
    work.write_text(
        f"print({text!r})\n\n\ndef total(xs: list[int]) -> int:\n    raise KeyError({text!r})\n"
    )
    checked = runner.invoke(app, ["lab", "check", "sum-lab"])
    assert checked.exit_code == 1, checked.output
    assert "ERROR work.py line 5, in total: KeyError:" in checked.output
    assert shows(checked.output, text)  # what it printed
    assert f"KeyError: {text!r}" in checked.output  # what it raised, as Python shows it
    assert "ERROR" in invoke(runner, "lab", "history", "sum-lab")
    assert "attempts 1" in invoke(runner, "progress")


def test_terminal_controls_in_user_text_are_inert(runner: CliRunner) -> None:
    typed = "p95 \x1b[2J\x1b]0;owned\x07 \u202eSSAP"
    effort_with(runner, typed)
    for args in (
        ["effort", "list"],
        ["effort", "show", "e"],
        ["checklist", "show", "pre", "--effort", "e"],
    ):
        output = invoke(runner, *args)
        assert ACTIVE_CONTROL.search(output) is None
        assert "p95 ␛[2J␛]0;owned␇ \\u202eSSAP" in output
    export = ["checklist", "export", "--effort", "e", "--format"]
    for fmt in ("md", "html"):
        assert ACTIVE_CONTROL.search(invoke(runner, *export, fmt)) is None
    document = invoke(runner, *export, "json")
    assert ACTIVE_CONTROL.search(document) is None
    assert list(strings(json.loads(document))).count(typed) >= 2  # the same data, escaped


@CASES
def test_an_imported_goal_verdict_is_shown_literally(runner: CliRunner, text: str) -> None:
    effort_with(runner, text)
    with Store.open() as db:
        efforts = Efforts(db)
        [measured] = efforts.measurements("e", kind="compare")
        figures = {**measured.figures, "goal": {"verdict": text, "metric": "wall", "observed": 1.0}}
        efforts.record_measurement(
            NewMeasurement("e", "compare", measured.command, 1, figures), [], ""
        )
    assert shows(invoke(runner, "effort", "show", "e"), text)
    markdown = invoke(runner, "checklist", "export", "--effort", "e", "--format", "md")
    goals = [line for line in markdown.splitlines() if "Goal:" in line and "observed" in line]
    assert goals
    for line in goals:
        assert one_line(text) in from_markdown(line)
        assert markdown_inert(line.split("Goal:", 1)[1].lstrip("* "))


def test_lab_start_prints_a_home_with_brackets(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home [/x] [b]"
    monkeypatch.setenv("PERFCOACH_HOME", str(home))
    assert f"edit:  {home}" in invoke(runner, "lab", "start", "sum-lab")


def test_dev_check_prints_author_and_learner_text_literally(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "pack [/x]"
    shutil.copytree(FIXTURE_PACK, root)
    (root / "labs/sum-lab/solution/work.py").write_text(
        'def total(xs: list[int]) -> int:\n    raise KeyError("[/users/42] [b]")\n'
    )
    result = runner.invoke(app, ["dev", "check", str(root)])
    assert result.exit_code == 1, result.output
    # The title wraps where the terminal ends, inside the path once pytest's numbered
    # folders reach four digits: compared without any whitespace.
    assert "".join(f"quiz lint: {root}".split()) in "".join(result.output.split())
    assert "KeyError: '[/users/42] [b]'" in result.output
