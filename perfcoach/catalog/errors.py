"""Catalog errors name the file and the key, so a pack author can fix them at once."""

from __future__ import annotations

from pathlib import Path

from perfcoach.errors import PerfcoachError


class CatalogError(PerfcoachError):
    """One problem in a content pack, located by file and (when known) key."""

    def __init__(self, path: Path | str, problem: str, key: str | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.problem = problem
        where = f"{self.path}" + (f": key '{key}'" if key else "")
        super().__init__(f"{where}: {problem}")


class PackInvalid(PerfcoachError):
    """A pack with one or more problems; the message lists them all."""

    def __init__(self, root: Path, problems: list[CatalogError]) -> None:
        self.root = root
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"content pack {root} has {len(problems)} problem(s):\n{lines}")
