"""Wrong fix — on an L1 miss, ask L2 whether it has the key, then ask again for the value.

Tries: the right layering (bounded LRU L1 → L2 → database, L2 deleted and the key
broadcast on update), with the L2 step written the way a Redis "EXISTS then GET" is:
`if self.l2.get(user_id) is not None: profile = self.l2.get(user_id)`. Every answer is
fresh and the database is read only on an L2 miss.
Must not pass because: each L2 call is a network round trip; an L1 hit in L2 costs two
of them, so the L2 lookups per L1 miss are almost 2 instead of exactly 1.
Expect: fail on l2_lookups_per_l1_miss
Says: look L2 up once per miss
"""

from __future__ import annotations

from typing import Any

from cachetools import LRUCache


class ProfileService:
    """One app instance: L1 (LRU) → L2 → database."""

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
        if profile is not None:
            return profile
        if self.l2.get(user_id) is not None:  # the mistake: an existence check first
            profile = self.l2.get(user_id)
        else:
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
        """Bus subscriber: drop the local copy."""
        self._l1.pop(user_id, None)
