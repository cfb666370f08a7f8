"""Class 3 — load the lab's reference solution from the content pack and use its price().

Tries: reading labs/load-test/solution/shop.py from the installed pack and running it.
Must not pass because: the sandbox hides the content pack (solutions, benches) from the
learner's process; the read fails and the check reports the error.
Expect: not pass
"""

from __future__ import annotations

from perfcoach.paths import builtin_pack_root

_path = builtin_pack_root() / "labs" / "load-test" / "solution" / "shop.py"
exec(compile(_path.read_text(), str(_path), "exec"))
