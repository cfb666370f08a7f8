"""Grader for timeline-fanout: a follower graph, a shared store and two app instances.

The store is a counting fake of Redis living in this process (`TimelineStore`), with the
social graph preloaded (`followers:{u}`, `following:{u}`; read-only). Each app instance
is a subject process running the learner's timeline.py behind the lab's driver, and
reaches the store through a handle of its own (`StoreView`): every command is counted
here, per request, where the learner's code cannot skip or reset the count. A request
goes to one instance or the other at random, so nothing kept in one process's memory is
seen by the next request.

The run, drawn from the seed: 1,000 accounts whose follower counts follow Zipf's law (the
most followed account is followed by nearly everyone), a history of posts (published
through the learner's code, no reads), then live traffic at 100 reads per post with a few
deletions. The most followed account posts STAR_POSTS more and one reader (the fan)
follows it alone, so a list of an author's posts cut below CAP shows on the fan's page;
half-way through the reads the second most followed account posts for the first time, so
a reader's celebrities remembered from an earlier page miss it. A str counts one member
per ENTRY_BYTES, so a page or the whole store packed into one string is no cheaper.
Every page is compared with the reference here: the newest CAP posts of the
accounts the user follows, by (time, post id) descending, minus the deleted ones.

* ops_per_read — store commands per page read, mean over the live reads (a pipeline of
  five commands is five: it saves round trips, not work).
* entries_per_read — members and values the store sent back per page read, mean (a str or
  bytes counts one per ENTRY_BYTES: a packed page or timeline is as many as it holds).
* inserts_per_post_mean / _max — members and values written by one publish(), mean and
  most over every post: a post fanned out to 900 timelines is 900.
* longest_sorted_set — members in the largest sorted set the store holds at the end.

The starter's figures come from the starter run here, in the grader, through the same
driver and an identical store: it is the lab's own code.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import random
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from perfcoach.driverkit import LocalRemote
from perfcoach.labkit import (
    Grade,
    LabBug,
    LabContext,
    Measured,
    Refusal,
    Subject,
    Workload,
    WrongAnswer,
    load_module,
)

CAP = 20  # posts on a page: the brief's contract
USERS = 1_000
ZIPF_S = 1.0  # follower popularity by rank: the k-th most followed account ~ 1/k
FOLLOWS = (10, 70)  # accounts each user follows, drawn uniformly
FRIENDS = 0.5  # the share of those picked at random (friends); the rest by popularity
POST_S = 0.5  # posting activity by popularity rank: popular accounts post more
HISTORY_POSTS = 240
HISTORY_SPAN = 48  # history posts' times: 0 .. 47, five to a time unit on average
# The most followed account posts this many times more, spread over the history, and one
# reader (the fan) follows it alone: the fan's page is its newest CAP posts, where a list
# of an author's posts cut below CAP shows.
STAR_POSTS = CAP + 5
READS = 300
READS_PER_POST = 100  # the seed's ratio, kept at this scale
DELETIONS = 4
READERS = 60  # accounts that read during the live traffic: each reads about 5 times
INSTANCES = 2

OPS_PER_READ = 12  # the brief's bounds, also the goals in lab.toml
ENTRIES_PER_READ = 150
INSERTS_MEAN = 75
INSERTS_MAX = 500

GRAPH = ("followers:", "following:")
# A str or bytes counts one member per this many bytes, as a value or as a set's member: a
# post id and its time as text. A page or a whole timeline packed into one string is as
# many members as it holds, as it is on the wire.
ENTRY_BYTES = 16
Member = int | str


# -- the store ----------------------------------------------------------------------------


class SortedSet:
    """Members with scores, kept ordered by (score, member)."""

    __slots__ = ("order", "scores")

    def __init__(self) -> None:
        self.scores: dict[int, float] = {}
        self.order: list[tuple[float, int]] = []

    def add(self, member: int, score: float) -> bool:
        old = self.scores.get(member)
        if old is not None:
            self.order.pop(bisect.bisect_left(self.order, (old, member)))
        self.scores[member] = score
        bisect.insort(self.order, (score, member))
        return old is None

    def remove(self, member: int) -> bool:
        score = self.scores.pop(member, None)
        if score is None:
            return False
        self.order.pop(bisect.bisect_left(self.order, (score, member)))
        return True

    def ranks(self, start: int, stop: int) -> range:
        """Ascending ranks start..stop, Redis-style (inclusive, negative from the end)."""
        n = len(self.order)
        start = max(start + n if start < 0 else start, 0)
        stop = min(stop + n if stop < 0 else stop, n - 1)
        return range(start, stop + 1)


@dataclass
class Cost:
    """What one request cost the store."""

    commands: int = 0
    round_trips: int = 0
    entries: int = 0
    inserts: int = 0


@dataclass
class TimelineStore:
    """The shared store: plain values, sets and sorted sets, and the request being served."""

    values: dict[str, Any] = field(default_factory=dict)
    sets: dict[str, set[Member]] = field(default_factory=dict)
    zsets: dict[str, SortedSet] = field(default_factory=dict)
    cost: Cost = field(default_factory=Cost)

    def load_graph(self, graph: dict[str, set[Member]]) -> None:
        """The social graph service's data, before any request: shared between stores,
        since no command may change it."""
        self.sets.update(graph)

    def longest(self) -> tuple[int, str]:
        """The largest sorted set: its size and key."""
        if not self.zsets:
            return 0, ""
        key = max(self.zsets, key=lambda k: (len(self.zsets[k].scores), k))
        return len(self.zsets[key].scores), key

    # Commands. Each returns wire data; a bad argument raises Refusal.

    def zadd(self, key: Any, mapping: Any) -> int:
        name = _writable(key)
        if not isinstance(mapping, dict) or not mapping:
            raise Refusal("zadd(key, {member: score, …}) takes a non-empty dict")
        entries = [(_post_id(member), _score(score)) for member, score in mapping.items()]
        zset = self.zsets.setdefault(name, SortedSet())
        added = sum(zset.add(member, score) for member, score in entries)
        self.cost.inserts += len(entries)
        return added

    def zrevrange(self, key: Any, start: Any, stop: Any) -> list[tuple[int, float]]:
        return self._range(key, start, stop, descending=True)

    def zrange(self, key: Any, start: Any, stop: Any) -> list[tuple[int, float]]:
        return self._range(key, start, stop, descending=False)

    def zremrangebyrank(self, key: Any, start: Any, stop: Any) -> int:
        zset = self.zsets.get(_writable(key))
        if zset is None:
            return 0
        ranks = zset.ranks(_index(start), _index(stop))
        if not ranks:
            return 0
        gone = zset.order[ranks.start : ranks.stop]
        del zset.order[ranks.start : ranks.stop]
        for _, member in gone:
            del zset.scores[member]
        self._drop_empty(key)
        return len(gone)

    def zrem(self, key: Any, *members: Any) -> int:
        zset = self.zsets.get(_writable(key))
        if zset is None:
            return 0
        removed = sum(zset.remove(_post_id(m)) for m in members)
        self._drop_empty(key)
        return removed

    def zcard(self, key: Any) -> int:
        zset = self.zsets.get(_key(key))
        self.cost.entries += 1
        return 0 if zset is None else len(zset.scores)

    def sadd(self, key: Any, *members: Any) -> int:
        if not members:
            raise Refusal("sadd(key, member, …) needs at least one member")
        name, new = _writable(key), [_member(m) for m in members]
        found = self.sets.setdefault(name, set())
        before = len(found)
        found.update(new)
        self.cost.inserts += _size(new)
        return len(found) - before

    def srem(self, key: Any, *members: Any) -> int:
        found = self.sets.get(_writable(key))
        if found is None:
            return 0
        before = len(found)
        found.difference_update(_member(m) for m in members)
        self._drop_empty(key)
        return before - len(found)

    def smembers(self, key: Any) -> list[Member]:
        out = _ordered(self.sets.get(_key(key), set()))
        self.cost.entries += _size(out)
        return out

    def sismember(self, key: Any, member: Any) -> int:
        self.cost.entries += _size(_member(member))
        return int(member in self.sets.get(_key(key), set()))

    def smismember(self, key: Any, members: Any) -> list[int]:
        if not isinstance(members, list | tuple):
            raise Refusal("smismember(key, [member, …]) takes a list of members")
        found = self.sets.get(_key(key), set())
        asked = [_member(m) for m in members]
        self.cost.entries += _size(asked)
        return [int(m in found) for m in asked]

    def scard(self, key: Any) -> int:
        self.cost.entries += 1
        return len(self.sets.get(_key(key), set()))

    def sinter(self, *keys: Any) -> list[Member]:
        if not keys:
            raise Refusal("sinter(key, …) needs at least one key")
        found = [self.sets.get(_key(k), set()) for k in keys]
        out = _ordered(set.intersection(*found))
        self.cost.entries += _size(out)
        return out

    def get(self, key: Any) -> Any:
        value = self.values.get(_key(key))
        self.cost.entries += 1 if value is None else _size(value)
        return value

    def set(self, key: Any, value: Any) -> bool:
        self.values[_writable(key)] = _value(value)
        self.cost.inserts += _size(value)
        return True

    def delete(self, *keys: Any) -> int:
        found = 0
        for key in keys:
            name = _writable(key)
            for space in (self.values, self.sets, self.zsets):
                if name in space:
                    del space[name]
                    found += 1
        return found

    def _range(self, key: Any, start: Any, stop: Any, descending: bool) -> list[tuple[int, float]]:
        zset = self.zsets.get(_key(key))
        if zset is None:
            return []
        n = len(zset.order)
        ranks = zset.ranks(_index(start), _index(stop))
        if descending:
            picked = zset.order[n - ranks.stop : n - ranks.start] if ranks else []
            picked.reverse()
        else:
            picked = zset.order[ranks.start : ranks.stop]
        self.cost.entries += len(picked)
        return [(m, s) for s, m in picked]

    def _drop_empty(self, key: str) -> None:
        if key in self.zsets and not self.zsets[key].scores:
            del self.zsets[key]
        if key in self.sets and not self.sets[key]:
            del self.sets[key]


COMMANDS = frozenset(
    name for name in vars(TimelineStore) if not name.startswith("_") and name[0].islower()
) - {"load_graph", "longest", "values", "sets", "zsets", "cost"}


def _key(key: Any) -> str:
    if not isinstance(key, str) or not key:
        raise Refusal(f"a key is a non-empty str, not {key!r:.40}")
    return key


def _writable(key: Any) -> str:
    name = _key(key)
    if name.startswith(GRAPH):
        raise Refusal(
            f"{name!r} belongs to the social graph service: followers:* and following:* "
            "are read-only here"
        )
    return name


def _post_id(member: Any) -> int:
    if isinstance(member, bool) or not isinstance(member, int):
        raise Refusal(f"a sorted set's members are ints (post ids), not {member!r:.40}")
    return member


def _member(member: Any) -> Member:
    if isinstance(member, bool) or not isinstance(member, int | str):
        raise Refusal(f"a set's members are ints or strs, not {member!r:.40}")
    return member


def _score(score: Any) -> float:
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise Refusal(f"a score is a finite int or float, not {score!r:.40}")
    return score


def _index(index: Any) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise Refusal(f"a rank is an int, not {index!r:.40}")
    return index


def _value(value: Any) -> Any:
    scalar = str | bytes | int | float
    if isinstance(value, scalar) or (
        isinstance(value, list | tuple) and all(isinstance(v, scalar) for v in value)
    ):
        return list(value) if isinstance(value, tuple) else value
    raise Refusal(f"a value is a str, bytes, int, float or a list of those, not {value!r:.40}")


def _size(value: Any) -> int:
    """Members a value, a set member or a list of them counts as: a str or bytes one per
    ENTRY_BYTES (at least one), anything else one."""
    if isinstance(value, list | tuple):
        return sum(_size(v) for v in value)
    if isinstance(value, str | bytes):
        return max(1, math.ceil(len(value) / ENTRY_BYTES))
    return 1


def _ordered(members: set[Member]) -> list[Member]:
    return sorted(members, key=lambda m: (isinstance(m, str), m))


class StoreView:
    """One instance's connection to the shared store: every public method is a command,
    counted on the request being served; pipeline() is one round trip for the lot."""

    def __init__(self, store: TimelineStore) -> None:
        self._store = store

    def _trip(self, commands: int) -> None:
        cost = self._store.cost
        cost.round_trips += 1
        cost.commands += commands

    def _run(self, name: Any, args: tuple[Any, ...]) -> Any:
        if name not in COMMANDS:
            raise Refusal(f"the store has no command {name!r}")
        method: Callable[..., Any] = getattr(self._store, name)
        return method(*args)

    def pipeline(self, commands: Any) -> list[Any]:
        """Several commands in one round trip; each is a command of work."""
        if not isinstance(commands, list | tuple) or not all(
            isinstance(c, tuple | list) and c and isinstance(c[0], str) for c in commands
        ):
            raise Refusal("pipeline() takes a list of (command, *arguments) tuples")
        self._trip(len(commands))
        return [self._run(str(c[0]).lower(), tuple(c[1:])) for c in commands]


def _command(name: str) -> Callable[..., Any]:
    def command(self: StoreView, *args: Any) -> Any:
        self._trip(1)
        return getattr(self._store, name)(*args)

    command.__name__ = name
    return command


for _name in COMMANDS:
    setattr(StoreView, _name, _command(_name))


# -- the network and its traffic -----------------------------------------------------------


@dataclass(frozen=True)
class Network:
    """Who follows whom, and each account's popularity rank (0 = the most followed)."""

    following: list[frozenset[int]]
    rank: list[int]

    def followers(self) -> list[int]:
        counts = [0] * len(self.following)
        for followees in self.following:
            for followee in followees:
                counts[followee] += 1
        return counts


def network(rng: random.Random) -> Network:
    """Each user follows 10-70 accounts, half at random (friends) and half by Zipf
    popularity: a few accounts are followed by nearly everyone, most by a few dozen."""
    by_rank = list(range(USERS))
    rng.shuffle(by_rank)
    cumulative = list(itertools.accumulate(1 / (r + 1) ** ZIPF_S for r in range(USERS)))
    following: list[frozenset[int]] = []
    everyone = range(USERS)
    for user in everyone:
        want = rng.randint(*FOLLOWS)
        picked = set(rng.sample(everyone, round(want * FRIENDS)))
        picked.discard(user)
        while len(picked) < want:
            drawn = rng.choices(by_rank, cum_weights=cumulative, k=want - len(picked))
            picked.update(drawn)
            picked.discard(user)
        following.append(frozenset(picked))
    following[by_rank[-1]] = frozenset({by_rank[0]})  # the fan: a new account, one star
    rank = [0] * USERS
    for r, user in enumerate(by_rank):
        rank[user] = r
    return Network(following, rank)


@dataclass(frozen=True)
class Request:
    """One request: a page read, a post or a deletion."""

    kind: str  # "timeline" | "publish" | "delete"
    user: int  # the reader, or the author
    post_id: int = 0
    at: int = 0

    def args(self) -> tuple[Any, ...]:
        if self.kind == "timeline":
            return (self.user,)
        if self.kind == "publish":
            return (self.user, self.post_id, self.at)
        return (self.user, self.post_id)


@dataclass(frozen=True)
class Traffic:
    """The history (posts only), then the live requests."""

    history: list[Request]
    live: list[Request]


def traffic(rng: random.Random, net: Network) -> Traffic:
    """Posts by accounts weighted by popularity, and STAR_POSTS more by the most followed,
    at integer times with many ties, ids drawn at random (not in time order); live reads by
    a pool of active readers, the fan among them. Half-way through the reads comes the
    first post ever of the second most followed account (newly famous), whose followers
    have read already."""
    by_rank = sorted(range(USERS), key=lambda u: net.rank[u])
    star, newcomer, fan = by_rank[0], by_rank[1], by_rank[-1]
    posts = HISTORY_POSTS + READS // READS_PER_POST  # the last is the newcomer's first
    weights = [0.0 if u == newcomer else 1 / (net.rank[u] + 1) ** POST_S for u in range(USERS)]
    authors = rng.choices(range(USERS), weights, k=posts)
    ids = rng.sample(range(100_000, 1_000_000), posts + STAR_POSTS)
    writers = authors[:HISTORY_POSTS] + [star] * STAR_POSTS
    times = [rng.randrange(HISTORY_SPAN) for _ in writers]
    mine = ids[:HISTORY_POSTS] + ids[posts:]
    history = sorted(
        (Request("publish", a, p, t) for a, p, t in zip(writers, mine, times, strict=True)),
        key=lambda r: r.at,
    )
    readers = rng.sample([u for u in range(USERS) if net.following[u] and u != fan], READERS - 1)
    readers.append(fan)
    live: list[Request] = [Request("timeline", rng.choice(readers)) for _ in range(READS)]
    now = HISTORY_SPAN
    slots = sorted(rng.sample(range(1, READS), posts - 1 - HISTORY_POSTS + DELETIONS))
    later = slice(HISTORY_POSTS, posts - 1)
    fresh = [Request("publish", a, p, 0) for a, p in zip(authors[later], ids[later], strict=True)]
    doomed = _doomed(rng, net, history)
    writes: list[Request] = []
    for i in range(len(slots)):
        if i % 3 == 2 and doomed:
            writes.append(doomed.pop())
        elif fresh:
            now += rng.choice((0, 0, 1))
            post = fresh.pop(0)
            writes.append(Request("publish", post.user, post.post_id, now))
        else:
            writes.append(doomed.pop())
    for slot, write in sorted(zip(slots, writes, strict=True), key=lambda x: -x[0]):
        live.insert(slot, write)
    live.insert(READS // 2, Request("publish", newcomer, ids[posts - 1], now))
    return Traffic(history, live)


def _doomed(rng: random.Random, net: Network, history: list[Request]) -> list[Request]:
    """Recent posts that will be deleted: half by the most followed accounts (merged at
    read time by any hybrid), half by accounts with few followers (fanned out)."""
    newest_first = history[::-1]
    famous = [r for r in newest_first if net.rank[r.user] < 10][:6]
    plain = [r for r in newest_first if net.rank[r.user] >= 100][:12]
    picked = rng.sample(famous, DELETIONS // 2) + rng.sample(plain, DELETIONS - DELETIONS // 2)
    rng.shuffle(picked)
    return [Request("delete", r.user, r.post_id) for r in picked]


class Reference:
    """The pages as they must be: kept here, never sent anywhere."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.posts: dict[int, list[tuple[int, int]]] = {}  # author -> [(at, id)], any order
        self.author_of: dict[int, int] = {}
        self.at_of: dict[int, int] = {}
        self.deleted: set[int] = set()

    def apply(self, request: Request) -> None:
        if request.kind == "publish":
            self.posts.setdefault(request.user, []).append((request.at, request.post_id))
            self.author_of[request.post_id] = request.user
            self.at_of[request.post_id] = request.at
        elif request.kind == "delete":
            self.deleted.add(request.post_id)

    def newest(self, user: int) -> list[tuple[int, int]]:
        """The newest CAP posts of the user's followees, deleted ones included."""
        everything = (p for f in self.net.following[user] for p in self.posts.get(f, ()))
        return heapq.nlargest(CAP, everything)

    def page(self, user: int) -> list[int]:
        return [p for _, p in self.newest(user) if p not in self.deleted]


# -- running the traffic --------------------------------------------------------------------


class Instance(ABC):
    """An app instance: call(request) runs it there and returns the handler's answer."""

    name: str

    @abstractmethod
    def call(self, request: Request) -> Any:
        """Run request on this instance."""


class Remote(Instance):
    """An instance running the learner's code in a subject process."""

    def __init__(self, subject: Subject, handle: Any, name: str) -> None:
        self.subject = subject
        self.handle = handle
        self.name = name

    def call(self, request: Request) -> Any:
        return self.subject.run(request.kind, self.handle, *request.args())


class Local(Instance):
    """An instance running the starter in this process: a fresh import of its module."""

    def __init__(self, driver: ModuleType, module: ModuleType, view: StoreView, name: str) -> None:
        self.driver = driver
        self.module = module
        self.remote = LocalRemote(lambda method, args: getattr(view, method)(*args))
        self.name = name

    def call(self, request: Request) -> Any:
        return getattr(self.driver, request.kind)(self.module, self.remote, *request.args())


@dataclass
class Outcome:
    """What the store counted over a run."""

    reads: list[Cost] = field(default_factory=list)
    posts: list[tuple[Request, Cost]] = field(default_factory=list)
    longest: tuple[int, str] = (0, "")


def run(
    net: Network, work: Traffic, store: TimelineStore, fleet: list[Instance], rng: random.Random
) -> Outcome:
    """Every request on a random instance; every page compared with the reference, and
    the first wrong one ends the run."""
    ref = Reference(net)
    out = Outcome()
    for request in (*work.history, *work.live):
        instance = rng.choice(fleet)
        store.cost = Cost()
        got = instance.call(request)
        ref.apply(request)
        if request.kind == "publish":
            out.posts.append((request, store.cost))
        elif request.kind == "timeline":
            out.reads.append(store.cost)
            wrong = judge(ref, request.user, got, len(out.reads))
            if wrong:
                raise WrongAnswer(f"{wrong} (on {instance.name})")
    out.longest = store.longest()
    return out


def judge(ref: Reference, user: int, got: Any, nth: int) -> str:
    """'' for the right page, else what is wrong with it and why that usually happens."""
    where = f"read {nth}, user {user}'s page"
    if not isinstance(got, list | tuple):
        kind = getattr(got, "type_name", None) or type(got).__name__
        return (
            f"{where}: timeline() returned a {kind}, not a list of post ids (ints): return "
            "the page itself, a list, newest first"
        )
    odd = [p for p in got if type(p) is not int]
    if odd:
        return (
            f"{where}: timeline() returned a list holding {odd[0]!r:.60}, where a page holds "
            "post ids (ints) only: zrevrange answers (post_id, score) pairs, keep the ids"
        )
    want, got = ref.page(user), list(got)
    if got == want:
        return ""
    if len(got) > CAP:
        return (
            f"{where} held {len(got)} posts: a page holds at most CAP = {CAP}. Merging the "
            "celebrities' posts into the stored timeline makes more than CAP candidates: "
            f"order them all, then keep the newest {CAP}"
        )
    at = ref.at_of
    extra = [p for p in got if p not in want]
    missing = [p for p in want if p not in got]
    for p in extra:
        if p in ref.deleted:
            author = ref.author_of[p]
            fame = ref.net.rank[author]
            whose = f", the {_ordinal(fame + 1)} most followed" if fame < 10 else ""
            return (
                f"{where} showed post {p} (by account {author}{whose}), deleted before this "
                "read. A deleted post must leave every page, including the posts merged in "
                "at read time from the accounts you do not fan out (and a page cached "
                "before the deletion still holds it)"
            )
        if p not in at or ref.author_of[p] not in ref.net.following[user]:
            return f"{where} showed post {p}, which is not a post of an account user {user} follows"
    if missing and extra and any(at[m] == at[x] for m in missing for x in extra):
        m = next(m for m in missing if any(at[m] == at[x] for x in extra))
        x = next(x for x in extra if at[x] == at[m])
        return (
            f"{where} kept post {x} and left out post {m}, both published at time {at[m]}, "
            f"where the page ends: on equal times the larger post id comes first. Order by "
            "(time, post id), both descending, not by time alone"
        )
    if missing:
        p = missing[0]
        author = ref.author_of[p]
        return (
            f"{where} is missing post {p} by account {author} ({_followers(ref, author)} "
            f"followers), published at time {at[p]}: the page showed {len(got)} of the "
            f"{len(want)} posts it should. A page must hold every one of the newest posts "
            "of the accounts followed, whether fanned out at write time or merged at read "
            "time, and reflect every post published before the read (a page cached in the "
            "store or in memory goes stale)"
        )
    if extra:
        return (
            f"{where} showed post {extra[0]}, older than the newest {CAP} posts of the "
            f"accounts user {user} follows. A deleted post's slot stays empty: when "
            "deletions are removed from a timeline before the cap is applied (or a trimmed "
            "timeline keeps older posts after a removal), an older post moves up. Keep "
            "the ids, apply the cap, then leave out the deleted"
        )
    for a, b in zip(got, want, strict=True):
        if a != b:
            if at[a] == at[b]:
                return (
                    f"{where} has posts {a} and {b} in the wrong order: both were published "
                    f"at time {at[a]}, and on equal times the larger post id comes first. "
                    "Order by (time, post id), both descending, not by time alone"
                )
            return (
                f"{where} has post {a} (time {at[a]}) before post {b} (time {at[b]}): a "
                "page is newest first, by (time, post id) descending"
            )
    return f"{where} is not what it should be"


def _followers(ref: Reference, author: int) -> int:
    return sum(author in f for f in ref.net.following)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- the grade -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The five metrics of one run."""

    ops: float
    entries: float
    inserts_mean: float
    inserts_max: int
    longest: int


def figures(out: Outcome) -> Figures:
    reads = max(len(out.reads), 1)
    inserts = [cost.inserts for _, cost in out.posts]
    return Figures(
        ops=round(sum(c.commands for c in out.reads) / reads, 2),
        entries=round(sum(c.entries for c in out.reads) / reads, 1),
        inserts_mean=round(sum(inserts) / max(len(inserts), 1), 2),
        inserts_max=max(inserts, default=0),
        longest=out.longest[0],
    )


def scenario(ctx: LabContext) -> tuple[Network, Traffic]:
    """The graph and the traffic of this check."""
    net = network(ctx.rng("network"))
    return net, traffic(ctx.rng("traffic"), net)


def graph(net: Network) -> dict[str, set[Member]]:
    """The graph's keys as the store holds them: following:{u} and followers:{u}."""
    followers: list[set[Member]] = [set() for _ in net.following]
    for user, followees in enumerate(net.following):
        for followee in followees:
            followers[followee].add(user)
    sets: dict[str, set[Member]] = {}
    for user, followees in enumerate(net.following):
        sets[f"following:{user}"] = set(followees)
        if followers[user]:
            sets[f"followers:{user}"] = followers[user]
    return sets


def fresh_store(sets: dict[str, set[Member]]) -> TimelineStore:
    store = TimelineStore()
    store.load_graph(sets)
    return store


def candidate_fleet(ctx: LabContext, store: TimelineStore) -> list[Instance]:
    """Two instances of the learner's code, each with its own handle on the one store."""
    subjects = [ctx.candidate, *(ctx.spawn({}) for _ in range(INSTANCES - 1))]
    return [
        Remote(s, ctx.serve(StoreView(store)), f"instance {n + 1}") for n, s in enumerate(subjects)
    ]


def starter_fleet(ctx: LabContext, store: TimelineStore) -> list[Instance]:
    """The starter's instances, run here: each a fresh import of the starter."""
    driver = load_module(ctx.lab_dir / "driver.py", "timeline_fanout_driver")
    path = ctx.lab_dir / "starter" / "timeline.py"
    return [
        Local(
            driver,
            load_module(path, f"timeline_fanout_starter_{n}"),
            StoreView(store),
            f"instance {n + 1}",
        )
        for n in range(INSTANCES)
    ]


def grade(ctx: LabContext) -> Grade:
    """The learner's instances, then the starter's, on the same graph and traffic. The
    instances are started first: they boot while the graph is drawn."""
    store = TimelineStore()
    fleet = candidate_fleet(ctx, store)
    net, work = scenario(ctx)
    sets = graph(net)
    store.load_graph(sets)
    mine = run(net, work, store, fleet, ctx.rng("balancer"))
    base_store = fresh_store(sets)
    try:
        base = run(net, work, base_store, starter_fleet(ctx, base_store), ctx.rng("balancer"))
    except WrongAnswer as bug:
        raise LabBug(f"the starter's page was wrong: {bug}") from None
    a, b = figures(mine), figures(base)
    metrics = {
        "ops_per_read": Measured(a.ops, b.ops, detail=ops_detail(mine, a)),
        "entries_per_read": Measured(a.entries, b.entries, detail=entries_detail(a)),
        "inserts_per_post_mean": Measured(a.inserts_mean, b.inserts_mean, detail=mean_detail(a)),
        "inserts_per_post_max": Measured(
            a.inserts_max, b.inserts_max, detail=max_detail(net, mine)
        ),
        "longest_sorted_set": Measured(a.longest, b.longest, detail=longest_detail(mine)),
    }
    return Grade(correct=True, metrics=metrics, notes=notes(net, work, mine))


def notes(net: Network, work: Traffic, out: Outcome) -> list[str]:
    counts = sorted(net.followers(), reverse=True)
    trips = sum(c.round_trips for c in out.reads) / max(len(out.reads), 1)
    return [
        f"This seed: {USERS:,} accounts and {sum(counts):,} follows; the "
        f"most followed have {', '.join(f'{c:,}' for c in counts[:5])} followers, the "
        f"median {counts[len(counts) // 2]}. {len(work.history)} posts of history, then "
        f"{READS:,} page reads, {READS // READS_PER_POST} posts and {DELETIONS} deletions, "
        f"on {INSTANCES} instances.",
        f"Your pages cost {trips:.2f} round trips each on average.",
    ]


def ops_detail(out: Outcome, f: Figures) -> str:
    worst = max((c.commands for c in out.reads), default=0)
    text = f"{f.ops:g} store commands per page read on average, {worst} at most"
    if f.ops <= OPS_PER_READ:
        return text
    return text + (
        ". Fanning out on read costs a command per account followed, on every read, and "
        "reads are 100 times as frequent as posts. Write each post into its followers' "
        "timelines when it is published, so a page is one read; keep only the few "
        "accounts with very many followers to merge at read time (a pipeline saves round "
        "trips, not commands)"
    )


def entries_detail(f: Figures) -> str:
    text = f"{f.entries:g} members or values sent back per page read on average"
    if f.entries <= ENTRIES_PER_READ:
        return text
    return text + (
        f": a page shows {CAP} posts. Reading whole lists (every post of everyone, or "
        f"a timeline kept uncapped) and filtering here costs the store and the network; "
        f"ask for the newest {CAP} of each list you need (zrevrange key 0 {CAP - 1})"
    )


def mean_detail(f: Figures) -> str:
    return f"{f.inserts_mean:g} members or values written per post on average"


def max_detail(net: Network, out: Outcome) -> str:
    if not out.posts:
        return "no post was published"
    request, cost = max(out.posts, key=lambda x: x[1].inserts)
    counts = net.followers()
    text = (
        f"{cost.inserts:,} written by one post, by account {request.user} "
        f"({counts[request.user]:,} followers)"
    )
    if cost.inserts <= INSERTS_MAX:
        return text
    return text + (
        ". Fanning out every post writes one timeline per follower: an account followed "
        "by nearly everyone makes each of its posts a write to nearly every timeline. "
        "Above a follower threshold, keep the post in the author's own list and merge "
        "those lists into the page at read time"
    )


def longest_detail(out: Outcome) -> str:
    size, key = out.longest
    if not key:
        return "no sorted set kept"
    text = f"the largest sorted set, {key!r}, holds {size:,} members"
    if size <= CAP:
        return text
    return text + (
        f": a page shows {CAP} posts, so no list needs more. Trim after every insert "
        f"(zremrangebyrank key 0 -{CAP + 1}) or the store grows with every post forever"
    )


def workload(ctx: LabContext) -> Workload:
    """The history and live traffic of a seeded run on one instance, for `lab profile`."""
    net = network(ctx.rng("workload network"))
    work = traffic(ctx.rng("workload traffic"), net)
    requests = [(r.kind, *r.args()) for r in (*work.history, *work.live)]
    return Workload("replay", (ctx.serve(StoreView(fresh_store(graph(net)))), requests))
