"""Correct alternative — an LFU L1, and the writing instance keeps the version it wrote.

Tries: cachetools.LFUCache(maxsize=l1_maxsize) as L1 (the least frequently used profile
goes when full: hot users stay put under Zipf traffic); reads go L1 → L2 → database and
fill both layers on the way back. update() writes the database, stores the returned
version in L2, broadcasts the key (every instance, this one included, drops its copy),
and then puts that same new Profile in this instance's own L1: it was handed to this
instance, and it is the newest version there is.
Must pass because: no instance serves an old version (the others dropped theirs; this
one holds the newest), L1 stays within l1_maxsize, each L1 miss asks L2 once, and the
database is read only when L2 lacks a key.
Expect: pass
"""

from __future__ import annotations

from typing import Any

from cachetools import LFUCache


class ProfileService:
    """One app instance: L1 (LFU, local) → L2 (shared) → database."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self._l1: LFUCache[int, Any] = LFUCache(maxsize=l1_maxsize)
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
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, set L2 to the new version, broadcast, keep it locally."""
        profile = self.db.write(user_id, display_name)
        self.l2.set(user_id, profile)
        self.bus.publish(user_id)
        self._l1[user_id] = profile  # after the broadcast, which dropped our old copy

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy; the next read finds the new one in L2."""
        self._l1.pop(user_id, None)
