"""Shared fixtures: no test may touch the real perfcoach home."""

from __future__ import annotations

import compileall
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Compile perfcoach and the labs' graders once, before any worker starts.

    Graders and subjects never write bytecode (PYTHONDONTWRITEBYTECODE keeps learners'
    folders clean), so in a fresh clone every one of the suite's thousands of grader and
    subject processes would compile the same modules again.
    """
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        return
    compileall.compile_dir(ROOT / "perfcoach", quiet=2)
    for bench in [*ROOT.glob("labs/*/bench.py"), *ROOT.glob("tests/fixtures/*/labs/*/bench.py")]:
        compileall.compile_file(bench, quiet=2)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point PERFCOACH_HOME at a per-test directory so state never leaks between tests."""
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path))
