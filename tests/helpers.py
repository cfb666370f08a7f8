"""Shared test helpers: the fixture pack and copies of it that tests may break."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"


def copy_pack(tmp_path: Path) -> Path:
    """A private copy of the fixture pack that a test may edit."""
    target = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of old in path: breaks a manifest on purpose."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new))
