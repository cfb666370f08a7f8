"""Class 3 — load the lab's reference solution from the content pack and use it.

Tries: from the driver's file (found in sys.modules), walks to ../solution/projection.py
and executes it as this module's code.
Must not pass because: the sandbox refuses reading the content pack; the learner's code
can reach only its own folder.
Expect: not pass
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

_driver = next(m for m in list(sys.modules.values()) if callable(getattr(m, "profile_run", None)))
_reference = Path(_driver.__file__).parent / "solution" / "projection.py"
_space: dict[str, Any] = {"__name__": "reference"}
exec(compile(_reference.read_text(), str(_reference), "exec"), _space)

setup = _space["setup"]
project = _space["project"]
order_view = _space["order_view"]
customer_orders = _space["customer_orders"]
orders_with_status = _space["orders_with_status"]
