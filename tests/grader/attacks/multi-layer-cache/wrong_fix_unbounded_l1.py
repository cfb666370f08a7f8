"""Wrong fix — the right layering with an L1 that never evicts.

Tries: a plain dict as L1: every profile an instance ever read stays.
Must not pass because: l1_maxsize is 100; a cache without eviction grows with the
number of users an instance has seen.
Expect: fail on peak_l1_entries
"""

from __future__ import annotations

from typing import Any


class ProfileService:
    """One app instance: L1 (LRU, local) → L2 (shared) → database."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self._l1: dict[int, Any] = {}  # "memory is cheap"
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
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy; the next read fetches the new version."""
        self._l1.pop(user_id, None)
