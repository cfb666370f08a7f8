"""Class 4 — an L1 that never evicts, with the live-profile count clamped to l1_maxsize.

Tries: the right layering and invalidation (L1 → L2 → database, L2 key deleted and the
key broadcast on update), with a plain dict as L1 that keeps every profile the instance
ever read. The peak-L1 figure is made in this process from a per-instance count of
live profiles, kept on the object the fakes share (found on the database passed in);
after every get() this file writes that count back down to l1_maxsize if it went over.
Must not pass because: each instance holds far more than l1_maxsize profiles; the
grader's instruments in the learner's process must not be writable by the code they
measure.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


def _counts(db: Any) -> dict[str, int] | None:
    for value in vars(db).values():
        alive = getattr(value, "alive", None)
        if isinstance(alive, dict):
            return alive
    return None


class ProfileService:
    """One app instance: an unbounded L1 → L2 → database."""

    def __init__(self, name: str, db: Any, l2: Any, bus: Any, l1_maxsize: int) -> None:
        self.name = name
        self.db = db
        self.l2 = l2
        self.bus = bus
        self.l1_maxsize = l1_maxsize
        self._l1: dict[int, Any] = {}
        self._alive = _counts(db)
        bus.subscribe(self._invalidate)

    def _clamp(self) -> None:
        alive = self._alive
        if alive is not None and alive.get(self.name, 0) > self.l1_maxsize:
            alive[self.name] = self.l1_maxsize

    def get(self, user_id: int) -> Any:
        """The user's current profile."""
        profile = self._l1.get(user_id)
        if profile is None:
            profile = self.l2.get(user_id)
            if profile is None:
                profile = self.db.read(user_id)
                self.l2.set(user_id, profile)
            self._l1[user_id] = profile
        self._clamp()
        return profile

    def update(self, user_id: int, display_name: str) -> None:
        """Write the database, then invalidate L2 and every instance's L1."""
        self.db.write(user_id, display_name)
        self.l2.delete(user_id)
        self.bus.publish(user_id)
        self._clamp()

    def _invalidate(self, user_id: int) -> None:
        """Bus subscriber: drop the local copy."""
        self._l1.pop(user_id, None)
