"""Wrong fix — the invalidation message sent as text, while L1 is keyed by the integer id.

Tries: the right layering (bounded LRU L1 → L2 → database, L2 key deleted on update),
with the bus used "the Redis pub/sub way": update() publishes f"profile:{user_id}", and
the subscriber drops the key it received, as it received it. The L1's keys are the
integer user ids that get() was called with, so the pop never finds anything.
Must not pass because: no instance's L1 (the writer's own included) ever drops the
updated user; their L1 hits keep serving the old name.
Expect: fail on stale_reads
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
        self._l1: LRUCache[Any, Any] = LRUCache(maxsize=l1_maxsize)
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
        """Write the database, delete the key from L2, announce the change."""
        self.db.write(user_id, display_name)
        self.l2.delete(user_id)
        self.bus.publish(f"profile:{user_id}")

    def _invalidate(self, message: Any) -> None:
        """Bus subscriber: drop the key named in the message (the mistake: it is text)."""
        self._l1.pop(message, None)
