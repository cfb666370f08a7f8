"""Class 3 — load the lab's own reference solution from disk and run it as this catalog.

Tries: the driver that replays the requests is a module in sys.modules whose file sits
in the lab's folder; the reference catalog is next to it, in solution/catalog.py. At
import time this file finds that folder, executes the reference there and re-exports its
Catalog, so the learner writes no cache at all.
Must not pass because: the reference is the grader's, not the learner's work; the lab's
solution/ must be out of reach of the code being graded.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any


def _reference() -> Any:
    folders = {Path(__file__).resolve().parent}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if name and Path(name).name in {"driver.py", "bench.py"}:
            folders.add(Path(name).resolve().parent)
    for arg in sys.argv:
        folders.add(Path(arg).resolve().parent)
    for folder in list(folders):
        for up in (folder, *folder.parents):
            found = up / "solution" / "catalog.py"
            if not found.is_file():
                found = up / "labs" / "cache-aside" / "solution" / "catalog.py"
            if found.is_file():
                spec = importlib.util.spec_from_file_location("_reference_catalog", found)
                if spec is None or spec.loader is None:
                    continue
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return module.Catalog
    raise ImportError("no reference catalog found")


Catalog = _reference()
