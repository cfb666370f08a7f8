"""Correct alternative — write the new version to L2, and refresh changed L1 entries from it.

Tries: update() writes the database, sets L2 to the version db.write() returned (the
brief allows "setting L2 to the new version"), and broadcasts the key. The bus
subscriber does not just drop its L1 copy: if the instance holds that user, it fetches
the new version from L2 right away, so the next read on that instance is an L1 hit
instead of a miss. A bounded LRU (OrderedDict) is the L1; reads go L1 → L2 → database.
Must pass because: no instance ever serves an old version (each refreshes before
update() returns), L1 stays bounded, every L1 miss asks L2 exactly once, and the
database is read only when L2 lacks a key. The extra L2 calls happen during update(),
not during a read.
Expect: pass
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class ProfileService:
    """One app instance: L1 (LRU, local) → L2 (shared) → database."""

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
        if len(self._l1) > self.l1_maxsize:
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
        """Write the database and L2, then tell every instance."""
        self.l2.set(user_id, self.db.write(user_id, display_name))
        self.bus.publish(user_id)

    def _refresh(self, user_id: int) -> None:
        """Bus subscriber: replace a cached copy with the new version from L2."""
        if user_id not in self._l1:
            return
        fresh = self.l2.get(user_id)
        if fresh is None:
            del self._l1[user_id]
        else:
            self._l1[user_id] = fresh
