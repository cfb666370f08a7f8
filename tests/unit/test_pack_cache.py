"""The parsed pack is kept between runs, and never outlives a change to what it was read from."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from perfcoach.catalog import pack_cache
from perfcoach.catalog.pack_cache import cache_file, read_pack_cached
from tests.helpers import FIXTURE_PACK

OLD_NS = 1_600_000_000 * 10**9  # files written long ago: the cache may keep them


def settled_copy(tmp_path: Path) -> Path:
    """A copy of the fixture pack whose files all look old."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), ns=(OLD_NS, OLD_NS))
    return root


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full parse of a pack, in order."""
    calls: list[Path] = []
    real = pack_cache.read_pack

    def counting(root: Path) -> pack_cache.Pack:
        calls.append(root)
        return real(root)

    monkeypatch.setattr(pack_cache, "read_pack", counting)
    return calls


def test_a_pack_read_twice_is_parsed_once(tmp_path: Path, parses: list[Path]) -> None:
    root = settled_copy(tmp_path)
    first = read_pack_cached(root, tmp_path / "cache")
    second = read_pack_cached(root, tmp_path / "cache")
    assert len(parses) == 1
    assert second.labs.keys() == first.labs.keys() == {"sum-lab"}
    assert second.labs["sum-lab"].title == first.labs["sum-lab"].title
    assert cache_file(tmp_path / "cache", root).is_file()


def test_an_edited_file_is_read_afresh(tmp_path: Path, parses: list[Path]) -> None:
    root = settled_copy(tmp_path)
    read_pack_cached(root, tmp_path / "cache")
    manifest = root / "labs" / "sum-lab" / "lab.toml"
    text = manifest.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title"))
    manifest.write_text(text.replace(title, 'title = "Renamed"'))
    os.utime(manifest, ns=(OLD_NS + 1, OLD_NS + 1))
    assert read_pack_cached(root, tmp_path / "cache").labs["sum-lab"].title == "Renamed"
    assert len(parses) == 2


def test_files_written_just_now_are_not_cached(tmp_path: Path, parses: list[Path]) -> None:
    """Two edits of the same size within one tick of the file clock look identical: a pack
    whose files have not settled is read afresh until they have."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root, copy_function=shutil.copy)  # written now
    read_pack_cached(root, tmp_path / "cache")
    read_pack_cached(root, tmp_path / "cache")
    assert len(parses) == 2
    assert not cache_file(tmp_path / "cache", root).exists()


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, parses: list[Path]) -> None:
    root = settled_copy(tmp_path)
    stored = cache_file(tmp_path / "cache", root)
    stored.parent.mkdir()
    stored.write_bytes(b"\x80\x05not a pickle")
    assert read_pack_cached(root, tmp_path / "cache").labs.keys() == {"sum-lab"}
    assert read_pack_cached(root, tmp_path / "cache").labs.keys() == {"sum-lab"}
    assert len(parses) == 1


def test_a_pack_with_problems_is_never_cached(tmp_path: Path, parses: list[Path]) -> None:
    root = settled_copy(tmp_path)
    (root / "labs" / "broken").mkdir()
    (root / "labs" / "broken" / "lab.toml").write_text("not = [toml\n")
    os.utime(root / "labs" / "broken" / "lab.toml", ns=(OLD_NS, OLD_NS))
    for _ in range(2):
        assert read_pack_cached(root, tmp_path / "cache").problems
    assert len(parses) == 2


def test_a_cache_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    root = settled_copy(tmp_path)
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    assert read_pack_cached(root, blocked).labs.keys() == {"sum-lab"}
