"""Runs beside the learner's events.py: summarizes the export file it is told to read.

The bench writes every export into this process's own folder (the only place the sandbox
lets it read), sends the path, and compares the totals and measures the memory itself.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any


def summarize(module: ModuleType, path: str) -> Any:
    """One summary of the export at path, as the learner's code returns it."""
    return module.summarize(Path(path))
