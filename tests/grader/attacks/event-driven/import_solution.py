"""Class 3 — import the reference orders.py from the installed content pack.

Tries: perfcoach.paths.builtin_pack_root() says where the pack is, and the reference fix
of this lab is labs/event-driven/solution/orders.py; load it and re-export its functions
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

    path = builtin_pack_root() / "labs" / "event-driven" / "solution" / "orders.py"
    if not path.is_file():
        import perfcoach

        path = (
            Path(perfcoach.__file__).resolve().parents[1] / "labs/event-driven/solution/orders.py"
        )
    spec = importlib.util.spec_from_file_location("reference_orders", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_reference = _load_reference()
setup = _reference.setup
create_order = _reference.create_order
relay = _reference.relay
charge_payment = _reference.charge_payment
reserve_stock = _reference.reserve_stock
send_confirmation = _reference.send_confirmation
