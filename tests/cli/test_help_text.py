"""`perfcoach --help` is printed without importing typer where it comes out the same, and
what it prints is what typer would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from perfcoach.cli import helptext
from perfcoach.cli.launch import HELP_FILE

# Run the console script's entry point; report whether typer was imported.
LAUNCH = (
    "import sys; sys.argv = ['perfcoach', *sys.argv[1:]]\n"
    "from perfcoach.cli.launch import main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    print('typer imported' if 'typer' in sys.modules else 'no typer', file=sys.stderr)\n"
)


def launch(args: list[str], columns: int, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS=str(columns), PERFCOACH_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_help_txt_is_what_typer_prints() -> None:
    assert Path(HELP_FILE).read_text(encoding="utf-8") == helptext.render(), (
        "perfcoach/cli/help.txt is out of date: run `python -m perfcoach.cli.helptext`"
    )


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_root_help_skips_typer_on_a_wide_terminal(tmp_path: Path, flag: str) -> None:
    result = launch([flag], 100, tmp_path)
    assert result.returncode == 0
    assert result.stdout == Path(HELP_FILE).read_text(encoding="utf-8")
    assert result.stderr.strip() == "no typer"


def test_a_narrow_terminal_gets_typer_own_wrapping(tmp_path: Path) -> None:
    result = launch(["--help"], 60, tmp_path)
    assert result.returncode == 0
    assert result.stderr.strip() == "typer imported"
    assert result.stdout != Path(HELP_FILE).read_text(encoding="utf-8")
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


def test_other_commands_still_go_through_typer(tmp_path: Path) -> None:
    result = launch(["lab", "--help"], 100, tmp_path)
    assert result.returncode == 0
    assert "typer imported" in result.stderr
    assert "Usage: perfcoach lab" in result.stdout


COLLECTOR = (
    "import gc, sys; sys.argv = ['perfcoach', *sys.argv[1:]]\n"
    "import perfcoach.cli.app as cli\n"
    "cli.main = lambda: print('collector', 'on' if gc.isenabled() else 'off')\n"
    "from perfcoach.cli.launch import main\n"
    "main()\n"
    "print('after', 'on' if gc.isenabled() else 'off')\n"
)


@pytest.mark.parametrize("args", [["lab", "list"], ["--help"]])
def test_commands_run_with_the_collector_on(args: list[str], tmp_path: Path) -> None:
    """Start-up runs without garbage collections, but no command does."""
    env = dict(os.environ, COLUMNS="100", PERFCOACH_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "collector off" not in done.stdout
    assert done.stdout.strip().endswith("after on")
