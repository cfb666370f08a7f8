"""User profiles for the web tier: one ProfileService per app instance, four instances.

Each instance is a separate process behind a load balancer; requests for the same user
land on any of them. What the instances share is passed in:

    db.read(user_id)                 -> Profile   slow: the profile query (20 ms)
    db.write(user_id, display_name)  -> Profile   the new version, just stored
    l2.get(user_id)                  -> Profile | None   shared cache, 0.5 ms per call
    l2.set(user_id, profile)                      store a Profile the db (or l2) returned
    l2.delete(user_id)
    bus.subscribe(callback)          callback(message) runs on this instance for every
    bus.publish(message)             message any instance publishes (its own included)

Two layers: a bounded LRU in this process (L1, free) over the shared L2 (one round trip),
over the database. A read fills each layer on its way back, so one instance's database
read serves every instance after it. An update deletes the key from L2 and broadcasts it
on the bus, so every instance drops its L1 copy: L1 hits never ask L2, and an L1 that is
not told keeps serving the old version.
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
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy; the next read fetches the new version."""
        self._l1.pop(user_id, None)
