"""Class 3 — import the reference router from the installed content pack.

Tries: perfcoach.paths.builtin_pack_root() says where the pack is, and the reference
fix of this lab is labs/sharding/solution/router.py; load it and re-export its
make_router. The bench also runs the router in fresh interpreters, where perfcoach is
importable too, so the same lookup works there.
Must not pass because: the solution is locked until the learner passes or gives up; the
sandbox must not be able to read it.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _load_reference() -> object:
    from perfcoach.paths import builtin_pack_root

    path = builtin_pack_root() / "labs" / "sharding" / "solution" / "router.py"
    if not path.is_file():
        import perfcoach

        path = Path(perfcoach.__file__).resolve().parents[1] / "labs/sharding/solution/router.py"
    spec = importlib.util.spec_from_file_location("reference_router", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_router = _load_reference().make_router  # type: ignore[attr-defined]
