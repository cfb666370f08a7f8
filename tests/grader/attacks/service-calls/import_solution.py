"""Class 3 — import the reference page.py from the installed content pack.

Tries: perfcoach.paths.builtin_pack_root() says where the pack is, and the reference fix
of this lab is labs/service-calls/solution/page.py; load it and re-export render_page
(falling back to the path beside the perfcoach package).
Must not pass because: the solution is locked until the learner passes or gives up; the
sandbox must not be able to read it.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any


def _load_reference() -> Any:
    from perfcoach.paths import builtin_pack_root

    path = builtin_pack_root() / "labs" / "service-calls" / "solution" / "page.py"
    if not path.is_file():
        import perfcoach

        path = Path(perfcoach.__file__).resolve().parents[1] / "labs/service-calls/solution/page.py"
    spec = importlib.util.spec_from_file_location("reference_page", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_page = _load_reference().render_page
