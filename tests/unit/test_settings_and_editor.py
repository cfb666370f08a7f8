"""Settings kept in the perfcoach home, and the editor found the way git finds one."""

from __future__ import annotations

import sys
from pathlib import Path

from perfcoach.editor import find_editor
from perfcoach.settings import Settings, read_settings, settings_path, write_settings


def test_settings_round_trip_in_the_home(tmp_path: Path) -> None:
    assert read_settings() == Settings()
    written = write_settings(Settings(theme="textual-light"))
    assert written == settings_path() == tmp_path / "settings.json"
    assert read_settings() == Settings(theme="textual-light")


def test_unreadable_settings_give_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json")
    assert read_settings() == Settings()
    (tmp_path / "settings.json").write_text('{"theme": 3}')
    assert read_settings() == Settings()


def fake_editor(folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\n")
    path.chmod(0o755)
    return path


def test_editor_order_visual_editor_nano_vi(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    vi = fake_editor(bin_dir, "vi")
    env = {"PATH": str(bin_dir)}
    assert find_editor({**env, "VISUAL": "code --wait", "EDITOR": "vim"}) == ["code", "--wait"]
    assert find_editor({**env, "VISUAL": " ", "EDITOR": "vim -n"}) == ["vim", "-n"]
    assert find_editor(env) == [str(vi)]
    nano = fake_editor(bin_dir, "nano")
    assert find_editor(env) == [str(nano)]
    assert find_editor({"PATH": str(tmp_path / "empty")}) is None
