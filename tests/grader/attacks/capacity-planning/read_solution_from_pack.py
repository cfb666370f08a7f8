"""Class 3 — reads the lab's solution/capacity.py from the installed pack and runs it.

Tries: looks for the pack next to the perfcoach package and execs the reference fix.
Must not pass because: the content pack is hidden from the sandbox: reading it is refused.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.find_spec("perfcoach")
_roots = [Path(p).parent for p in (_spec.submodule_search_locations or [])] if _spec else []
_candidates = [r / "labs" / "capacity-planning" / "solution" / "capacity.py" for r in _roots]
_candidates += [
    r / "perfcoach" / "pack" / "labs" / "capacity-planning" / "solution" / "capacity.py"
    for r in _roots
]
for _path in _candidates:
    if _path.exists():
        exec(compile(_path.read_text(), str(_path), "exec"))
        break
