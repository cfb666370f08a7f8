"""The learner's preferences (the TUI's theme), kept in the perfcoach home beside progress.db."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from perfcoach.errors import PerfcoachError
from perfcoach.paths import home_dir

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Settings:
    """What perfcoach remembers between runs; None means 'the default'."""

    theme: str | None = None


def settings_path() -> Path:
    """Where the settings live: in the home, so tests and --home keep their own."""
    return home_dir() / SETTINGS_FILE


def read_settings() -> Settings:
    """The saved settings; a missing or unreadable file gives the defaults, since a
    preference is never worth refusing to start over."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    theme = data.get("theme") if isinstance(data, dict) else None
    return Settings(theme=theme if isinstance(theme, str) else None)


def write_settings(settings: Settings) -> Path:
    """Save the settings whole (write, then rename), so a crash never leaves half a file."""
    path = settings_path()
    temporary = path.with_name(f".{SETTINGS_FILE}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        raise PerfcoachError(f"cannot save settings to {path}: {exc.strerror or exc}") from None
    return path
