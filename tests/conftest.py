"""Shared fixtures: no test may touch the real perfcoach home."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point PERFCOACH_HOME at a per-test directory so state never leaks between tests."""
    monkeypatch.setenv("PERFCOACH_HOME", str(tmp_path))
