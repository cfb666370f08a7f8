"""Wrong fix — the broadcast, but L2 keeps the old version.

Tries: update() writes the database and publishes the key on the bus; every L1 drops
it, and the next read refills from L2.
Must not pass because: L2 still holds the old profile, so the refill brings the old
name back.
Expect: fail on stale_reads
"""

from __future__ import annotations

from typing import Any

from cachetools import LRUCache


class ProfileService:
    """One app instance: L1 (LRU, local) → L2 (shared) → database."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self._l1: LRUCache[int, Any] = LRUCache(maxsize=l1_maxsize)
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
        """Write the database, then invalidate L2 and every instance's L1."""
        self.db.write(user_id, display_name)
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy; the next read fetches the new version."""
        self._l1.pop(user_id, None)
