"""What a subject process may see: the roots it can read, list, and the paths hidden from it.

A subject reads the Python installation (standard library, site-packages) and
perfcoach's own code, lists the folder perfcoach is imported from, and writes its own
temporary folder. Hidden even where those trees contain them: the content pack (lab
benches, drivers, starters, solutions, lessons) and PERFCOACH_HOME (progress.db, every
workspace and backup).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import perfcoach
from perfcoach.catalog.lab import Lab
from perfcoach.paths import home_dir

_SYSTEM = ("/usr", "/lib", "/lib64", "/etc", "/opt")


def read_roots() -> list[Path]:
    """Trees the subject may read: Python, its packages, perfcoach, the system libraries."""
    paths = sysconfig.get_paths()
    roots = {Path(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    prefixes = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        if path.is_dir() and any(p == path or p in path.parents for p in prefixes):
            roots.add(path)
    roots.add(Path(perfcoach.__file__).resolve().parent)
    roots.update(Path(p) for p in _SYSTEM if os.path.isdir(p))
    return sorted(_resolve_all(roots))


def list_roots() -> list[Path]:
    """Folders the subject may list but not read: where `import perfcoach` finds it."""
    return [Path(perfcoach.__file__).resolve().parent.parent]


def hidden(lab: Lab) -> list[Path]:
    """Paths no subject may read, even inside a readable tree."""
    pack = lab.root.parent.parent
    paths = [pack / name for name in ("labs", "content", "checklists")]
    paths.append(lab.root)
    paths.append(home_dir())
    return sorted(_resolve_all(paths))


def _resolve_all(paths: set[Path] | list[Path]) -> set[Path]:
    return {Path(os.path.realpath(p)) for p in paths}
