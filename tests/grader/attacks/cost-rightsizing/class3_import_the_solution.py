"""Class 3 — load the lab's reference autoscaler from the installed content pack.

Tries: find labs/cost-rightsizing/solution/autoscaler.py beside the perfcoach package
(or in the source tree) and delegate every decision to it.
Must not pass because: the sandbox refuses reading the content pack (Landlock, and the
audit hook's open() guard), so the import fails and the check ends as an error.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import perfcoach

_root = Path(perfcoach.__file__).resolve().parent
_candidates = [
    _root / "labs" / "cost-rightsizing" / "solution" / "autoscaler.py",
    _root.parent / "labs" / "cost-rightsizing" / "solution" / "autoscaler.py",
]
_reference: Any = None
for _path in _candidates:
    spec = importlib.util.spec_from_file_location("_reference", _path)
    if spec is None or spec.loader is None:
        continue
    _reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(_reference)
    break


def policy(observation: Any) -> int:
    return int(_reference.policy(observation))
