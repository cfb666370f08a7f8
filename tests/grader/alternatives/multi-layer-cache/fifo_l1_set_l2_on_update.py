"""Correct alternative — the starter's FIFO L1, with L2 in between and L2 set on update.

Tries: keep the starter's dict L1 that drops the oldest insertion (not LRU), read
L1 → L2 → database, and on update() store the version db.write() returned in L2 before
the broadcast, instead of deleting it.
Must pass because: the brief says both the starter's own L1 and setting L2 to the new
version pass (a few more L2 calls than LRU).
Expect: pass
"""

from __future__ import annotations

from typing import Any


class ProfileService:
    """One app instance: a FIFO L1 in front of L2 and the database."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self.l1_maxsize = l1_maxsize
        self._l1: dict[int, Any] = {}
        bus.subscribe(self._invalidate)

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        profile = self._l1.get(user_id)
        if profile is None:
            profile = self.l2.get(user_id)
            if profile is None:
                profile = self.db.read(user_id)
                self.l2.set(user_id, profile)
            self._l1[user_id] = profile
            if len(self._l1) > self.l1_maxsize:
                del self._l1[next(iter(self._l1))]
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, put the new version in L2, tell every instance."""
        self.l2.set(user_id, self.db.write(user_id, display_name))
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy."""
        self._l1.pop(user_id, None)
