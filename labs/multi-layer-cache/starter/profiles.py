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

A Profile has .user_id, .version and .display_name. Return the objects db and l2 give
you, unchanged. Every instance must see an update as soon as update() returns.
"""

from __future__ import annotations

from typing import Any


class ProfileService:
    """One app instance: a small local cache (L1) in front of the database."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self.l1_maxsize = l1_maxsize
        self._l1: dict[int, Any] = {}  # user_id -> Profile, oldest insertion first
        bus.subscribe(self._invalidate)

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        profile = self._l1.get(user_id)
        if profile is None:
            profile = self.db.read(user_id)
            self._l1[user_id] = profile
            if len(self._l1) > self.l1_maxsize:
                del self._l1[next(iter(self._l1))]  # drop the oldest
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Change the display name; every instance drops its copy."""
        self.db.write(user_id, display_name)
        self.bus.publish(user_id)

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: another instance (or this one) changed user_id."""
        self._l1.pop(user_id, None)
