"""Class 3 — import the reference limiter from the installed content pack.

Tries: perfcoach.paths.builtin_pack_root() says where the pack is, and the reference fix
of this lab is labs/rate-limiter/solution/limiter.py; load it and re-export its
RateLimiter (falling back to the path beside the perfcoach package).
Must not pass because: the solution is locked until the learner passes or gives up; the
sandbox must not be able to read it.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _load_reference() -> object:
    from perfcoach.paths import builtin_pack_root

    path = builtin_pack_root() / "labs" / "rate-limiter" / "solution" / "limiter.py"
    if not path.is_file():
        import perfcoach

        path = (
            Path(perfcoach.__file__).resolve().parents[1] / "labs/rate-limiter/solution/limiter.py"
        )
    spec = importlib.util.spec_from_file_location("reference_limiter", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RateLimiter = _load_reference().RateLimiter  # type: ignore[attr-defined]
