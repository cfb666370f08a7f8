"""Class 3 — take the reference ProfileService from whatever lab module is loaded nearby.

Tries: at import time, walk sys.modules and the garbage collector for any class named
ProfileService other than this file's (the reference, if the grader loaded it) and, if
none is there, execute the lab's solution/profiles.py found beside the driver module's
file; this file's ProfileService is then that class.
Must not pass because: the reference is the grader's work, not the learner's; neither the
grader's loaded modules nor the lab's solution/ may be reachable from the graded code.
Expect: not pass
"""

from __future__ import annotations

import gc
import importlib.util
import sys
from pathlib import Path
from typing import Any


def _loaded() -> Any:
    for obj in gc.get_objects():
        if (
            isinstance(obj, type)
            and obj.__name__ == "ProfileService"
            and obj.__module__ != __name__
            and "solution" in str(getattr(sys.modules.get(obj.__module__), "__file__", ""))
        ):
            return obj
    return None


def _from_disk() -> Any:
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if not name or Path(name).name not in {"driver.py", "bench.py"}:
            continue
        found = Path(name).resolve().parent / "solution" / "profiles.py"
        spec = importlib.util.spec_from_file_location("_reference_profiles", found)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.ProfileService
    raise ImportError("no reference ProfileService found")


ProfileService = _loaded() or _from_disk()
