"""Correct alternative — no L1 at all: every read asks the shared L2, then the database.

Tries: the simplest correct design the brief mentions: get() asks L2 and, on a miss,
reads the database and fills L2; update() writes the database and deletes the key from
L2. Nothing is cached in the instance, so the bus has nothing to invalidate.
Must pass because: the brief says it passes, "at almost twice the reference's latency"
(every read costs one L2 round trip, 0.5 ms, still far under starter / 5).
Expect: pass
"""

from __future__ import annotations

from typing import Any


class ProfileService:
    """One app instance that keeps nothing locally."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.db = db
        self.l2 = l2

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        profile = self.l2.get(user_id)
        if profile is None:
            profile = self.db.read(user_id)
            self.l2.set(user_id, profile)
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, then drop the key from L2."""
        self.db.write(user_id, display_name)
        self.l2.delete(user_id)
