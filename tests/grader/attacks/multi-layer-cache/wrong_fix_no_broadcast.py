"""Wrong fix — L1 → L2 → database done right, but update() drops only its own L1 copy.

Tries: update() writes the database, deletes the key from L2 and from this instance's
L1, and skips the bus "because L2 is already fixed".
Must not pass because: the other instances' L1 hits never ask L2; they keep serving the
old name.
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
        self.l2.delete(user_id)
        self._l1.pop(user_id, None)  # our own copy; the others expire... some day

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy; the next read fetches the new version."""
        self._l1.pop(user_id, None)
