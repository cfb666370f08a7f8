"""Where perfcoach reads content and keeps state, resolved the same way everywhere."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "PERFCOACH_HOME"
PACK_ENV = "PERFCOACH_PACK"
_PACK_MARKER = "labs"


def home_dir() -> Path:
    """The state directory: $PERFCOACH_HOME, else the platform's user data dir."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("perfcoach", appauthor=False))


def db_path() -> Path:
    """The progress database inside the state directory."""
    return home_dir() / "progress.db"


def cache_dir() -> Path:
    """What perfcoach can always rebuild (the parsed content pack): safe to delete."""
    return home_dir() / "cache"


def workspace_root() -> Path:
    """Where learners' copies of lab starters live."""
    return home_dir() / "workspace"


def builtin_pack_root() -> Path:
    """The built-in content pack: inside the installed package, else the repo root.

    A wheel carries labs/, content/ and checklists/ as perfcoach/pack/; a source
    checkout keeps them at the repository root, one level above the package.
    """
    env = os.environ.get(PACK_ENV)
    if env:
        return Path(env).expanduser().resolve()
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "pack", package_dir.parent):
        if (candidate / _PACK_MARKER).is_dir():
            return candidate
    return package_dir / "pack"
