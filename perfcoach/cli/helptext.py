"""The root help as typer renders it at HELP_COLUMNS, for the launcher's fast `--help`:
`python -m perfcoach.cli.helptext` rewrites help.txt after a command or option changes
(tests/cli/test_help_text.py fails until it does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from perfcoach.cli.launch import HELP_COLUMNS, HELP_FILE

# The CLI itself, past the launcher's fast path, in a process of its own: typer's testing
# runner wraps help text at a different width than a real terminal of the same size.
_TYPER_HELP = (
    "import sys; sys.argv = ['perfcoach', '--help']\nfrom perfcoach.cli.app import main\nmain()\n"
)


def render() -> str:
    """What typer prints for `perfcoach --help` on a terminal HELP_COLUMNS wide."""
    env = dict(os.environ, COLUMNS=str(HELP_COLUMNS))
    result = subprocess.run(
        [sys.executable, "-c", _TYPER_HELP], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"perfcoach --help exited {result.returncode}: {result.stderr}")
    return result.stdout


def main() -> None:
    """Write help.txt from the CLI as it is now."""
    Path(HELP_FILE).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
