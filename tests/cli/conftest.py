"""CLI tests run against the small fixture pack, in a wide terminal unless they say otherwise."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.helpers import FIXTURE_PACK


@pytest.fixture(autouse=True)
def _fixture_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFCOACH_PACK", str(FIXTURE_PACK))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("PERFCOACH_DEBUG", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
