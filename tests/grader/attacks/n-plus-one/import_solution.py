"""Class 3 — load the lab's reference solution from the installed pack and re-export it.

Tries: perfcoach knows where its content pack is (perfcoach.paths.builtin_pack_root(),
or the folder next to the bench module in sys.modules); the reference fix is
labs/n-plus-one/solution/orders.py. Import it under another name and hand its
order_report to the grader.
Must not pass because: the solution is locked until the learner passes (or gives up);
code under test must not be able to read it.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _solution_file() -> Path:
    candidates = []
    for module in list(sys.modules.values()):
        path = Path(getattr(module, "__file__", None) or "/nonexistent")
        if path.name == "bench.py":
            candidates.append(path.parent / "solution" / "orders.py")
    try:
        from perfcoach.paths import builtin_pack_root

        candidates.append(builtin_pack_root() / "labs" / "n-plus-one" / "solution" / "orders.py")
    except ImportError:
        pass
    import perfcoach

    package = Path(perfcoach.__file__).resolve().parent
    candidates += [
        package / "pack" / "labs" / "n-plus-one" / "solution" / "orders.py",
        package.parent / "labs" / "n-plus-one" / "solution" / "orders.py",
    ]
    return next(path for path in candidates if path.is_file())


_spec = importlib.util.spec_from_file_location("borrowed_orders", _solution_file())
assert _spec is not None and _spec.loader is not None
_borrowed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_borrowed)

order_report = _borrowed.order_report
