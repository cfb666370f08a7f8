"""Class 4 — read the shared cache's storage directly instead of calling l2.get().

Tries: the bench's L2 keeps its rows in a plain dict and hands out profiles through a
helper on the object it calls its world, which tags each one with the instance that
asked and the layer "L2". get() reads that dict and calls the helper itself, so no L2
call is made, no latency is charged, and the read counts as an "L1 hit". There is no L1
at all; a key missing from L2 is looked up for real (one counted l2.get(), as the bench
wants for every miss), read from the database and written back with l2.set().
Must not pass because: every read is an uncounted L2 round trip in disguise; the grader's
fakes must expose only their public API to the learner's code.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


class ProfileService:
    """One app instance, reading L2's memory directly."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        bus.subscribe(self._invalidate)

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        stored = vars(self.l2).get("_data", {}).get(user_id)
        world = vars(self.l2).get("_world")
        if stored is not None and world is not None:
            return world.issue(user_id, *stored, "L2")
        profile = self.l2.get(user_id)  # a real, counted lookup when the key is not in L2
        if profile is None:
            profile = self.db.read(user_id)
            self.l2.set(user_id, profile)
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, then invalidate L2 and every instance."""
        self.db.write(user_id, display_name)
        self.l2.delete(user_id)
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Nothing local to drop."""
