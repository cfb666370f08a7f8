"""Shared fixtures: no test may touch the real perfcoach home."""

from __future__ import annotations

import compileall
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Let Ctrl-C reach the commands the tests start; compile perfcoach and the labs'
    graders once, before any worker starts.

    A suite started in the background of a script (`pytest ... &` in a non-interactive
    shell) inherits SIGINT ignored, and so would every perfcoach it starts: the tests that
    press Ctrl-C in `lab check`, `lab watch` and `load` would then wait for nothing.
    Catching it here lets each child start with the default again, as from a terminal.

    Graders and subjects never write bytecode (PYTHONDONTWRITEBYTECODE keeps learners'
    folders clean), so in a fresh clone every one of the suite's thousands of grader and
    subject processes would compile the same modules again.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        return
    compileall.compile_dir(ROOT / "perfcoach", quiet=2)
    for bench in [*ROOT.glob("labs/*/bench.py"), *ROOT.glob("tests/fixtures/*/labs/*/bench.py")]:
        compileall.compile_file(bench, quiet=2)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point PERFCOACH_HOME at a per-test directory so state never leaks between tests."""
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path))
