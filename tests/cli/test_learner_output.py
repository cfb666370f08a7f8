"""Learner code cannot paint a fake verdict: its output and errors are shown inert and literal."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from perfcoach.catalog import load_lab, load_pack
from perfcoach.cli.app import app
from perfcoach.console import print_check, profile_table
from perfcoach.runner import CheckResult, MetricRow
from perfcoach.store import NewAttempt, Store
from tests.helpers import ACTIVE_CONTROL, FIXTURE_PACK, HOSTILE, MESSAGE, check_source

RAISE_AT_IMPORT = 'raise RuntimeError("\\x1b[32mPASS\\x1b[0m [bold]x[/bold]")\n'


def rendered(show: Callable[[Console], None]) -> str:
    """What show prints on a plain 100-column console."""
    out = Console(file=io.StringIO(), width=100, force_terminal=False)
    show(out)
    return out.file.getvalue()  # type: ignore[attr-defined]


def write_hostile(runner: CliRunner) -> None:
    runner.invoke(app, ["lab", "start", "sum-lab"])
    work = Path(os.environ["PERFCOACH_HOME"]) / "workspace" / "sum-lab" / "work.py"
    work.write_text(HOSTILE)


def test_check_shows_output_and_error_literally(runner: CliRunner) -> None:
    write_hostile(runner)
    result = runner.invoke(app, ["lab", "check", "sum-lab"])
    assert result.exit_code == 1
    assert ACTIVE_CONTROL.search(result.output) is None
    assert "␛[2J␛[H✔ PASS every target met" in result.output
    assert "␛]0;owned␇␀ 10%\n✔ PASS \\x9b2J \\u202eSSAP\\u202c :thumbs_up:" in result.output
    assert f"ERROR work.py line 6, in total: {MESSAGE}" in result.output  # the message
    assert f"\n{MESSAGE}\n" in result.output  # the traceback's last line
    with Store.open() as db:
        [attempt] = db.attempts("sum-lab")
    assert "\x1b[32mPASS" in attempt.message  # stored as it was raised


def test_profile_error_is_inert(runner: CliRunner) -> None:
    write_hostile(runner)
    result = runner.invoke(app, ["lab", "profile", "sum-lab"])
    assert result.exit_code == 1
    assert ACTIVE_CONTROL.search(result.output) is None
    assert f"error: your code failed while profiled: work.py line 6, in total: {MESSAGE}" in (
        result.output
    )


def test_progress_export_prints_stored_messages_safely(runner: CliRunner) -> None:
    message = "wrong result: \x1b[2J \x9b2J \u202eSSAP\u202c \x7f 🎉 مرحبا"
    with Store.open() as db:
        db.record_attempt(NewAttempt("sum-lab", "fail", {}, 0.1, 1, "abc", 0, message=message))
    exported = runner.invoke(app, ["progress", "export"])
    assert exported.exit_code == 0
    assert ACTIVE_CONTROL.search(exported.output.replace("\n", "")) is None
    assert "🎉 مرحبا" in exported.output
    [attempt] = json.loads(exported.output)["tables"]["attempts"]
    assert attempt["message"] == message


def test_a_builtin_lab_check_renders_inert(tmp_path: Path) -> None:
    lab = load_lab(Path(__file__).resolve().parents[2] / "labs" / "n-plus-one")
    source = 'print("\\x1b[2J\\x1b[H✔ PASS every target met")\n' + RAISE_AT_IMPORT
    result = check_source(lab, tmp_path, source, seed=7)
    assert result.verdict == "error"
    text = rendered(lambda out: print_check(out, result, ""))
    assert ACTIVE_CONTROL.search(text) is None
    assert "␛[2J␛[H✔ PASS every target met" in text
    assert f"ERROR {lab.main_file} line 2, in <module>: {MESSAGE}" in text


def test_detail_lines_and_profile_rows_are_inert() -> None:
    lab = load_pack(FIXTURE_PACK).labs["sum-lab"]
    spec = lab.metrics[0]
    row = MetricRow(
        spec.name, spec.title, True, spec.goal, 5, 10, None, None, "fail", "got '\x1b[2J[red]'"
    )
    result = CheckResult("sum-lab", "fail", "wrong result: \x9b1;1H", [row], 1, "abc", 0.1)
    profile = {
        "kind": "scalene",
        "elapsed_s": 0.1,
        "rows": [
            {
                "where": "work.py:3",
                "python_percent": 1.0,
                "native_percent": 0.0,
                "code": 's = "\u202e\x1b]8;;x\x07"',
            }
        ],
    }

    def show(out: Console) -> None:
        print_check(out, result, "")
        out.print(profile_table(profile))

    text = rendered(show)
    assert ACTIVE_CONTROL.search(text) is None
    assert "FAIL wrong result: \\x9b1;1H" in text
    assert "function calls: got '␛[2J[red]'" in text
    assert 's = "\\u202e␛]8;;x␇"' in text
