"""Wrong fix — refresh-on-invalidate, with the broadcast sent before L2 has the new version.

Tries: the refresh design the brief allows (set L2 to the version db.write() returned,
and have the bus subscriber reload its L1 copy from L2 instead of dropping it), written
in the order "tell everyone first, then fix the shared cache": update() writes the
database, publishes the key, and only then calls l2.set(). Reads go L1 → L2 → database
with a bounded LRU L1.
Must not pass because: the bus is synchronous, so every subscriber reloads from L2 while
L2 still holds the old profile; each instance that held the user keeps the old name in
its L1, and L1 hits never ask L2 again.
Expect: fail on stale_reads
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class ProfileService:
    """One app instance: L1 (LRU) → L2 → database, L1 refreshed from L2 on invalidation."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self.l1_maxsize = l1_maxsize
        self._l1: OrderedDict[int, Any] = OrderedDict()
        bus.subscribe(self._refresh)

    def _keep(self, user_id: int, profile: Any) -> None:
        self._l1[user_id] = profile
        self._l1.move_to_end(user_id)
        while len(self._l1) > self.l1_maxsize:
            self._l1.popitem(last=False)

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        profile = self._l1.get(user_id)
        if profile is not None:
            self._l1.move_to_end(user_id)
            return profile
        profile = self.l2.get(user_id)
        if profile is None:
            profile = self.db.read(user_id)
            self.l2.set(user_id, profile)
        self._keep(user_id, profile)
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, broadcast, then store the new version in L2."""
        profile = self.db.write(user_id, display_name)
        self.bus.publish(user_id)  # the mistake: subscribers reload before L2 is set
        self.l2.set(user_id, profile)

    def _refresh(self, user_id: int) -> None:
        """Bus subscriber: reload a held profile from L2 rather than lose it."""
        if user_id in self._l1:
            fresh = self.l2.get(user_id)
            if fresh is None:
                del self._l1[user_id]
            else:
                self._l1[user_id] = fresh
