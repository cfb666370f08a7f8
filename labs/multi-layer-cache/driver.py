"""Runs beside the learner's profiles.py: four ProfileService instances replay the requests.

The database, the shared L2 and the invalidation bus are in-process fakes, because a
round trip to the grader per L2 call would cost more than the whole replay. They count
nothing themselves: every database read and write and every L2 call is reported to the
grader the moment it happens, through an EventLog, numbered in sequence and tagged with
the instance that made it. Every Profile the database or L2 hands out carries its event
number. The replay returns what each get() served, so the grader can trace every answer
to the call that produced it, on that instance, and count database reads, L2 lookups,
stale reads and simulated latency itself.

What only this process can see is how many profiles each instance keeps alive: each one
is tracked with a weak reference under the instance it was handed to.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from types import ModuleType
from typing import Any


class Profile:
    """One version of a user's profile, as the database returns it. Do not modify it."""

    __slots__ = ("__weakref__", "display_name", "issue", "user_id", "version")

    def __init__(self, user_id: int, version: int, display_name: str, issue: int = 0) -> None:
        self.user_id = user_id
        self.version = version
        self.display_name = display_name
        self.issue = issue  # the event that handed it out; 0 for a profile made elsewhere

    def __repr__(self) -> str:
        return f"Profile({self.user_id}, version={self.version}, {self.display_name!r})"


class World:
    """What the fakes share: the current instance, the event count, the log, the tracking."""

    def __init__(self, log: Any, instances: tuple[str, ...]) -> None:
        self.log = log
        self.current = ""
        self.events = 0
        self.refs: dict[int, weakref.ref[Profile]] = {}
        self.alive = dict.fromkeys(instances, 0)

    def event(self, kind: str, user_id: int, value: int, name: str) -> int:
        """Number the next event and send it to the grader now."""
        self.events += 1
        self.log.write(kind, self.events, user_id, value, name, self.current)
        return self.events

    def issue(self, user_id: int, version: int, name: str, issue: int) -> Profile:
        """A fresh Profile for the current instance, counted while it stays alive."""
        profile = Profile(user_id, version, name, issue)
        owner, refs, alive = self.current, self.refs, self.alive

        def gone(_ref: weakref.ref[Profile]) -> None:
            alive[owner] -= 1
            refs.pop(issue, None)

        alive[owner] += 1
        refs[issue] = weakref.ref(profile, gone)
        return profile

    def issued(self, profile: object) -> int:
        """The event number of a Profile the fakes handed out (the very object), else -1."""
        if type(profile) is not Profile:
            return -1
        ref = self.refs.get(profile.issue)
        return profile.issue if ref is not None and ref() is profile else -1


class Database:
    """The source of truth: read() is slow (20 ms simulated), and every call is logged."""

    def __init__(self, world: World, rows: dict[int, tuple[int, str]]) -> None:
        self._world = world
        self._rows = rows  # user_id -> (version, display_name)

    def read(self, user_id: int) -> Profile:
        """The current profile of user_id."""
        version, name = self._rows[user_id]
        return self._world.issue(
            user_id, version, name, self._world.event("db", user_id, version, name)
        )

    def write(self, user_id: int, display_name: str) -> Profile:
        """Store a new display name; returns the new version."""
        version = self._rows[user_id][0] + 1
        self._rows[user_id] = (version, display_name)
        world = self._world
        return world.issue(
            user_id, version, display_name, world.event("write", user_id, version, display_name)
        )


class SharedCache:
    """The shared L2 (think Redis): every call is a 0.5 ms round trip; it stores copies."""

    def __init__(self, world: World, rows: dict[int, tuple[int, str]]) -> None:
        self._world = world
        self._data = dict(rows)  # warm: it has been running for days

    def get(self, user_id: int) -> Profile | None:
        """A fresh copy of the stored profile, or None."""
        stored = self._data.get(user_id)
        world = self._world
        if stored is None:
            world.event("l2get", user_id, 0, "")
            return None
        version, name = stored
        return world.issue(user_id, version, name, world.event("l2get", user_id, version, name))

    def set(self, user_id: int, profile: Profile) -> None:
        """Store a copy of a profile the database (or L2) returned."""
        world = self._world
        world.event("l2set", user_id, world.issued(profile), "")
        if type(profile) is Profile:
            self._data[user_id] = (profile.version, profile.display_name)

    def delete(self, user_id: int) -> None:
        """Remove a key; the next get() of it returns None."""
        self._world.event("l2delete", user_id, 0, "")
        self._data.pop(user_id, None)


class InvalidationBus:
    """Broadcast to every subscribed instance, synchronously (think Redis pub/sub)."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._subscribers: list[tuple[str, Callable[[Any], object]]] = []

    def subscribe(self, callback: Callable[[Any], object]) -> None:
        """callback(message) runs on this instance for every message anyone publishes."""
        self._subscribers.append((self._world.current, callback))

    def publish(self, message: Any) -> None:
        """Deliver message to every subscriber, the publisher's own included."""
        world = self._world
        publisher = world.current
        for instance, callback in list(self._subscribers):
            world.current = instance
            callback(message)
        world.current = publisher


def _served(got: object, world: World) -> Any:
    """What a get() returned, as plain data: the profile's fields, or a description."""
    if type(got) is Profile:
        return (world.issued(got), got.user_id, got.version, got.display_name)
    try:
        return repr(got)[:120]
    except Exception:  # the learner's own __repr__ may raise: the type still says enough
        return f"a {type(got).__name__} object"


def replay(
    module: ModuleType,
    log: Any,
    rows: dict[int, tuple[int, str]],
    ops: tuple[tuple[str, int, str | None], ...],
    instances: tuple[str, ...],
    l1_maxsize: int,
) -> tuple[list[Any], int, list[int], dict[str, tuple[int, int]]]:
    """Four instances through every op (instance, user_id, display_name or None for a read).

    Returns per get what was served, the event count after construction and after each
    op, and each instance's peak of live profiles (and after which request)."""
    world = World(log, instances)
    db = Database(world, dict(rows))
    l2 = SharedCache(world, rows)
    bus = InvalidationBus(world)
    services = {}
    for name in instances:
        world.current = name
        services[name] = module.ProfileService(
            name=name, db=db, l2=l2, bus=bus, l1_maxsize=l1_maxsize
        )
    built = world.events
    served: list[Any] = []
    marks: list[int] = []
    alive = world.alive
    peaks = {name: (count, 0) for name, count in alive.items()}  # after request 0: built
    for number, (instance, user_id, display_name) in enumerate(ops, start=1):
        world.current = instance
        if display_name is None:
            served.append(_served(services[instance].get(user_id), world))
        else:
            services[instance].update(user_id, display_name)
        marks.append(world.events)
        for name, count in alive.items():
            if count > peaks[name][0]:
                peaks[name] = (count, number)
    return served, built, marks, peaks
