"""Wrong fix — one L1 for all four instances, at module level.

Tries: "why have four caches when one will do": an OrderedDict LRU at module level,
used by every ProfileService, with L2 and the bus used correctly.
Must not pass because: the instances are separate processes in production; they cannot
share memory, and the bench fails a read of another instance's object.
Expect: wrong result
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

_SHARED_L1: OrderedDict[int, Any] = OrderedDict()  # one L1 for every instance in this process


class ProfileService:
    """One app instance; the L1 is shared with the others."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self.l1_maxsize = l1_maxsize
        bus.subscribe(self._invalidate)

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        profile = _SHARED_L1.get(user_id)
        if profile is not None:
            _SHARED_L1.move_to_end(user_id)
            return self._claim(profile)
        profile = self.l2.get(user_id)
        if profile is None:
            profile = self.db.read(user_id)
            self.l2.set(user_id, profile)
        _SHARED_L1[user_id] = profile
        if len(_SHARED_L1) > self.l1_maxsize:
            _SHARED_L1.popitem(last=False)
        return profile

    def _claim(self, profile: Any) -> Any:
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, then invalidate L2 and the shared L1."""
        self.db.write(user_id, display_name)
        self.l2.delete(user_id)
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the shared copy."""
        _SHARED_L1.pop(user_id, None)
