"""Grader for stateless-scaling: four app instances, one shared store, carts judged here.

Every app instance is a subject process of its own running the learner's cart_service.py;
a restarted instance is a new process, so whatever the module kept in memory is gone. The
shared store is a counting fake of Redis living in this process (`CartStore`), served to
each instance through a handle of its own (`StoreView`): every command is a round trip
counted here, which the learner's code cannot skip or reset. Shoppers, SKUs and request
times come from the attempt's seed; each session's cart is modelled here, and every cart
an instance returns (a view, a checkout) is compared with the model:

* wrong_items_round_robin / _random / _restart — units of items missing from a returned
  cart (lost) plus units that should not be there (phantom), in three phases with fresh
  shoppers: the balancer sends request i to instance i mod 4; to a random instance; round
  robin again while the instances restart one after another (each replaced by a new
  process). route() may pin a session to an instance (sticky sessions): then the
  balancer obeys it, and the restart is what it cannot survive.
* lost_updates — pairs of requests of one session on two instances, interleaved at the
  level of store commands: the second request starts, and just before its first write
  that follows a read, the first request runs whole (both read, then both write). An
  update that read-modify-writes without an atomic command or a compare-and-set
  overwrites the other's; the cart read after the pair, on a third instance, shows it. A
  checkout that reads the cart and deletes it in two round trips loses a line added in
  between: it is in neither the order nor the cart. Right is what one request after the
  other, in either order, would give.
* store_ops_per_request — round trips to the store of the costliest request in the three
  phases (multi() is one round trip, whatever it holds).
* idle_carts_kept — keys still in the store after every shopper has been idle for
  CART_TTL_S + 60 simulated seconds.

Time is simulated (the store's clock, set before each request); nothing sleeps. Same code
and seed, same counts. The starter's figures come from the starter run here, in the
grader, with the same driver and the same store: it is the lab's own code, and each of its
instances (and each restart) is a fresh import of the module.
"""

from __future__ import annotations

import itertools
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from perfcoach.driverkit import LocalRemote
from perfcoach.labkit import (
    Grade,
    LabContext,
    Measured,
    Refusal,
    Subject,
    Workload,
    WrongAnswer,
    load_module,
)

INSTANCES = 4
CART_TTL_S = 1800  # the brief's contract: a cart lives 30 minutes after its last request
MAX_GAP_S = 1200  # a shopper pauses at most 20 minutes between requests
IDLE_AFTER_S = CART_TTL_S + 60  # when the idle carts are counted
MAX_OPS = 3  # the brief's bound, also the goal in lab.toml
RUNAWAY_OPS = 100  # round trips in one request that end it: a retry loop that cannot win
ROUND_TRIP_MS = 0.5  # the simulated cost of one store round trip
SESSIONS_PER_PHASE = 24
GATE_SESSIONS = 6
PAIR_SESSIONS = 15
PAIR_KINDS = 5  # the same line twice, two lines, a bundle and a line, a removal, a checkout
CATALOGUE = 400
WORKLOAD_SESSIONS = 200
PHASES = ("round_robin", "random", "restart")
PHASE_LABELS = {
    "round_robin": "round robin",
    "random": "random routing",
    "restart": "rolling restart",
}

READS = frozenset({"get", "gets", "exists", "ttl", "hget", "hgetall"})
WRITES = frozenset({"set", "getdel", "delete", "expire", "incr", "hset", "hdel", "hincrby", "cas"})
Scalar = str | bytes | int | float


# -- the store ---------------------------------------------------------------------------


@dataclass
class Entry:
    """One key: a string value or a hash, its version (for cas) and its expiry."""

    value: Any
    version: int
    expires: float | None = None


class CartStore:
    """A Redis-like store with a simulated clock: string keys, hashes, expiry, versions."""

    def __init__(self) -> None:
        self.data: dict[str, Entry] = {}
        self.now = 0.0
        self.versions = itertools.count(1)
        self.expired: dict[str, float] = {}  # keys found expired, and when they expired

    def alive(self) -> list[str]:
        """Keys not expired at the store's clock."""
        return [key for key in list(self.data) if self._entry(key) is not None]

    def _entry(self, key: str) -> Entry | None:
        entry = self.data.get(key)
        if entry is not None and entry.expires is not None and entry.expires <= self.now:
            del self.data[key]
            self.expired[key] = entry.expires
            return None
        return entry

    def _string(self, key: str) -> Entry | None:
        entry = self._entry(key)
        if entry is not None and isinstance(entry.value, dict):
            raise Refusal(f"WRONGTYPE {key!r} holds a hash, not a string")
        return entry

    def _hash(self, key: str) -> Entry | None:
        entry = self._entry(key)
        if entry is not None and not isinstance(entry.value, dict):
            raise Refusal(f"WRONGTYPE {key!r} holds a string, not a hash")
        return entry

    def _touch(self, entry: Entry) -> None:
        entry.version = next(self.versions)

    def run(self, name: str, args: tuple[Any, ...]) -> Any:
        """One command by name."""
        command = COMMANDS.get(name)
        if command is None:
            raise Refusal(f"the store has no command {name!r}")
        return command(self, *args)

    # string keys
    def get(self, key: str) -> Any:
        entry = self._string(_key(key))
        return None if entry is None else entry.value

    def gets(self, key: str) -> tuple[Any, int]:
        entry = self._string(_key(key))
        return (None, 0) if entry is None else (entry.value, entry.version)

    def set(self, key: str, value: Any, ex: int | None = None) -> bool:
        self.data[_key(key)] = Entry(_scalar(value), next(self.versions), self._until(ex))
        return True

    def cas(self, key: str, version: int, value: Any, ex: int | None = None) -> bool:
        entry = self._string(_key(key))
        current = 0 if entry is None else entry.version
        if not isinstance(version, int) or version != current:
            return False
        return self.set(key, value, ex)

    def getdel(self, key: str) -> Any:
        entry = self._string(_key(key))
        if entry is None:
            return None
        del self.data[key]
        return entry.value

    def incr(self, key: str, amount: int = 1) -> int:
        entry = self._string(_key(key))
        if entry is None:
            entry = self.data[key] = Entry(0, 0)
        entry.value = _integer(entry.value) + _integer(amount)
        self._touch(entry)
        return int(entry.value)

    # any key
    def delete(self, *keys: str) -> int:
        found = [key for key in map(_key, keys) if self._entry(key) is not None]
        for key in found:
            del self.data[key]
        return len(found)

    def exists(self, key: str) -> int:
        return int(self._entry(_key(key)) is not None)

    def expire(self, key: str, seconds: int) -> bool:
        entry = self._entry(_key(key))
        if entry is None:
            return False
        entry.expires = self._until(seconds)
        return True

    def ttl(self, key: str) -> int:
        entry = self._entry(_key(key))
        if entry is None:
            return -2
        return -1 if entry.expires is None else int(entry.expires - self.now)

    # hashes
    def hget(self, key: str, field: str) -> Any:
        entry = self._hash(_key(key))
        return None if entry is None else entry.value.get(_key(field))

    def hgetall(self, key: str) -> dict[str, Any]:
        entry = self._hash(_key(key))
        return {} if entry is None else dict(entry.value)

    def hset(self, key: str, field: str, value: Any) -> int:
        entry = self._hash(_key(key))
        if entry is None:
            entry = self.data[key] = Entry({}, 0)
        new = _key(field) not in entry.value
        entry.value[field] = _scalar(value)
        self._touch(entry)
        return int(new)

    def hincrby(self, key: str, field: str, amount: int) -> int:
        entry = self._hash(_key(key))
        if entry is None:
            entry = self.data[key] = Entry({}, 0)
        value = _integer(entry.value.get(_key(field), 0)) + _integer(amount)
        entry.value[field] = value
        self._touch(entry)
        return value

    def hdel(self, key: str, *fields: str) -> int:
        entry = self._hash(_key(key))
        if entry is None:
            return 0
        gone = [f for f in map(_key, fields) if entry.value.pop(f, None) is not None]
        if not entry.value:
            del self.data[key]
        else:
            self._touch(entry)
        return len(gone)

    def _until(self, seconds: Any) -> float | None:
        if seconds is None:
            return None
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds <= 0:
            raise Refusal(f"an expiry must be a positive number of seconds, not {seconds!r}")
        return self.now + seconds


COMMANDS: dict[str, Callable[..., Any]] = {
    name: getattr(CartStore, name) for name in sorted(READS | WRITES)
}


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise Refusal(f"keys and fields are str, not {type(key).__name__}")
    return key


def _scalar(value: Any) -> Scalar:
    if isinstance(value, bool) or not isinstance(value, str | bytes | int | float):
        raise Refusal(
            f"the store keeps str, bytes, int or float values, not {type(value).__name__} "
            "(serialise it, e.g. with json.dumps)"
        )
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise Refusal("not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str | bytes):
        try:
            return int(value)
        except ValueError:
            pass
    raise Refusal(f"ERR value is not an integer: {value!r:.40}")


class StoreView:
    """One instance's connection to the shared store: every public method is a command the
    instance may send, and one round trip counted here (multi: one for the lot).

    An interleaving: when `_cut` is set, the first command that writes after this
    instance has read something first runs `_cut()` (another instance's whole request), so
    both requests read the store before either writes it."""

    def __init__(self, store: CartStore) -> None:
        self._store = store
        self._ops = 0
        self._ops_before = 0
        self._now: float | None = None  # this instance's request's time, when set
        self._cut: Callable[[], None] | None = None
        self._read = False
        self._ops_start = 0  # the count when this instance's current request began

    def _count(self) -> None:
        self._ops += 1
        if self._ops - self._ops_start > RUNAWAY_OPS:
            raise Refusal(
                f"more than {RUNAWAY_OPS} store round trips in one request: a retry loop "
                "that never succeeds? In the interleaving check the other request runs "
                "whole between this one's read and its write, so a lock taken before the "
                "read is never released while it waits: use atomic commands or cas()"
            )

    def _target(self, names: Sequence[str]) -> CartStore:
        writes = any(name not in READS for name in names)
        if writes and self._read and self._cut is not None:
            cut, self._cut = self._cut, None
            cut()  # the other request, between this one's read and its write
        if not writes:
            self._read = True
        if self._now is not None:
            self._store.now = self._now
        return self._store

    def _one(self, name: str, args: tuple[Any, ...]) -> Any:
        self._count()
        return self._target((name,)).run(name, args)

    def multi(self, commands: Any) -> list[Any]:
        """Several commands, atomically, in one round trip."""
        self._count()
        if not isinstance(commands, list | tuple) or not all(
            isinstance(c, tuple) and c and isinstance(c[0], str) for c in commands
        ):
            raise Refusal("multi() takes a list of (command, *arguments) tuples")
        names = [str(c[0]).lower() for c in commands]
        if "multi" in names:
            raise Refusal("multi() cannot hold another multi()")
        target = self._target(names)
        return [target.run(name, tuple(c[1:])) for name, c in zip(names, commands, strict=True)]


def _command(name: str) -> Callable[..., Any]:
    def command(self: StoreView, *args: Any) -> Any:
        return self._one(name, args)

    command.__name__ = name
    return command


for _name in READS | WRITES:
    setattr(StoreView, _name, _command(_name))


# -- shoppers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request: when, whose, what."""

    at: float
    session: str
    kind: str  # add | bundle | remove | view | checkout
    args: tuple[Any, ...] = ()

    def wire(self) -> tuple[Any, ...]:
        return (self.kind, self.session, *self.args)


def session_names(rng: random.Random, count: int) -> list[str]:
    """Session ids nobody can guess, fresh for every phase."""
    return [f"sess-{rng.getrandbits(64):016x}" for _ in range(count)]


def shopper(
    rng: random.Random, session: str, start: float, skus: list[str], max_gap: float
) -> list[Request]:
    """One shopper's requests: adds, bundles, removals and views with pauses up to max_gap,
    then a checkout or (half the time) nothing: the cart is abandoned after a last view."""
    out: list[Request] = []
    held: dict[str, int] = {}
    at = start
    for _ in range(rng.randint(5, 10)):
        roll = rng.random()
        if roll < 0.15 and held:
            sku = rng.choice(sorted(held))
            del held[sku]
            out.append(Request(at, session, "remove", (sku,)))
        elif roll < 0.27:
            bundle = {sku: rng.randint(1, 3) for sku in rng.sample(skus, rng.randint(4, 6))}
            for sku, qty in bundle.items():
                held[sku] = held.get(sku, 0) + qty
            out.append(Request(at, session, "bundle", (bundle,)))
        elif roll < 0.42:
            out.append(Request(at, session, "view"))
        else:
            sku = rng.choice(sorted(held)) if held and rng.random() < 0.3 else rng.choice(skus)
            qty = rng.randint(1, 4)
            held[sku] = held.get(sku, 0) + qty
            out.append(Request(at, session, "add", (sku, qty)))
        at += rng.uniform(1, max_gap)
    out.append(Request(at, session, "checkout" if rng.random() < 0.5 else "view"))
    return out


def traffic(rng: random.Random, sessions: int, max_gap: float) -> list[Request]:
    """Many shoppers at once, their requests merged by time."""
    skus = [f"sku-{n:05d}" for n in rng.sample(range(100_000), CATALOGUE)]
    names = session_names(rng, sessions)
    requests = [
        r for name in names for r in shopper(rng, name, rng.uniform(0, 3 * max_gap), skus, max_gap)
    ]
    return sorted(requests, key=lambda r: (r.at, r.session))


# -- the model and the audit ------------------------------------------------------------


@dataclass
class Tally:
    """What one phase's returned carts got wrong, and what its requests cost."""

    lost: int = 0
    phantom: int = 0
    carts: int = 0
    first: str = ""
    max_ops: int = 0
    worst: str = ""
    ops: int = 0
    requests: int = 0
    expired: str = ""  # the first wrong cart's key, if the store had let it expire

    @property
    def wrong(self) -> int:
        return self.lost + self.phantom


def apply(cart: dict[str, int], request: Request) -> dict[str, int] | None:
    """Change the model cart; the expected answer for a view or a checkout."""
    if request.kind == "add":
        sku, qty = request.args
        cart[sku] = cart.get(sku, 0) + qty
    elif request.kind == "bundle":
        for sku, qty in request.args[0].items():
            cart[sku] = cart.get(sku, 0) + qty
    elif request.kind == "remove":
        cart.pop(request.args[0], None)
    elif request.kind == "view":
        return dict(cart)
    else:
        expected = dict(cart)
        cart.clear()
        return expected
    return None


def as_cart(got: Any, request: Request, where: str) -> dict[str, int]:
    """A returned cart as {sku: quantity > 0}, or a WrongAnswer naming the request."""
    if not isinstance(got, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in got.items()
    ):
        raise WrongAnswer(
            f"{request.kind} for {request.session} on {where} returned {got!r:.80}: "
            "a cart is a dict of sku (str) to quantity (int)"
        )
    return {sku: qty for sku, qty in got.items() if qty != 0}


def compare(
    tally: Tally,
    request: Request,
    got: dict[str, int],
    expected: dict[str, int],
    where: str,
    store: CartStore,
) -> None:
    """Count the units lost and the units that should not be there."""
    tally.carts += 1
    lost = sum(max(0, q - got.get(sku, 0)) for sku, q in expected.items())
    phantom = sum(max(0, q - expected.get(sku, 0)) for sku, q in got.items())
    tally.lost += lost
    tally.phantom += phantom
    if (lost or phantom) and not tally.first:
        tally.first = (
            f"{request.kind} of {request.session} on {where} at {_clock(request.at)} returned "
            f"{_show(got)}, the cart holds {_show(expected)}"
        )
        gone = [(at, key) for key, at in store.expired.items() if request.session in key]
        if gone:
            at, key = max(gone)
            tally.expired = f"{key!r} expired at {_clock(at)}"


def _show(cart: dict[str, int]) -> str:
    if not cart:
        return "nothing"
    items = sorted(cart.items())
    text = ", ".join(f"{qty}× {sku}" for sku, qty in items[:4])
    return text + (f" and {len(items) - 4} more" if len(items) > 4 else "")


def _clock(at: float) -> str:
    minutes, seconds = divmod(int(at), 60)
    return f"{minutes}:{seconds:02d}"


# -- instances ----------------------------------------------------------------------------


class Instance(ABC):
    """An app instance: call(request, view) runs the request there."""

    name: str

    def call(self, request: Request, view: StoreView) -> Any:
        """Run request here and wait for its answer."""
        return self.start(request, view)()

    @abstractmethod
    def start(self, request: Request, view: StoreView) -> Callable[[], Any]:
        """Send request here; what is returned waits for the answer."""

    def view(self, store: CartStore) -> StoreView:
        """This instance's own connection to store."""
        return StoreView(store)


class Remote(Instance):
    """An instance running the learner's code in a subject process."""

    def __init__(self, subject: Subject, name: str) -> None:
        self.subject = subject
        self.name = name
        self.handles: dict[int, Any] = {}
        self.ctx: LabContext | None = None

    def bind(self, ctx: LabContext) -> Remote:
        self.ctx = ctx
        return self

    def start(self, request: Request, view: StoreView) -> Callable[[], Any]:
        assert self.ctx is not None
        handle = self.handles.get(id(view))
        if handle is None:
            handle = self.handles[id(view)] = self.ctx.serve(view)
        view._ops_start = view._ops
        pending = self.subject.start("handle", handle, request.wire())
        return lambda: pending.result().value


class Local(Instance):
    """An instance running the starter in this process: a fresh import of its module."""

    def __init__(self, driver: ModuleType, module: ModuleType, name: str) -> None:
        self.driver = driver
        self.module = module
        self.name = name

    def start(self, request: Request, view: StoreView) -> Callable[[], Any]:
        def dispatch(method: str, args: tuple[Any, ...]) -> Any:
            return getattr(view, method)(*args)

        view._ops_start = view._ops
        value = self.driver.handle(self.module, LocalRemote(dispatch), request.wire())
        return lambda: value


@dataclass
class Fleet:
    """The instances behind the balancer, and where to get a fresh one on a restart."""

    live: list[Instance]
    spares: list[Instance]
    pins: Callable[[list[str]], list[Any]]
    restarts: int = 0
    log: list[str] = field(default_factory=list)

    def restart(self, number: int, at: float) -> None:
        """Replace instance number by a new process: its memory is gone."""
        old = self.live[number]
        self.live[number] = self.spares.pop(0)
        self.restarts += 1
        self.log.append(f"{old.name} restarted at {_clock(at)}")


def routed(
    requests: list[Request], pins: dict[str, int | None], policy: str, rng: random.Random
) -> list[int]:
    """The instance number of every request: the pin if route() gave one, else the policy."""
    out = []
    for i, request in enumerate(requests):
        pin = pins.get(request.session)
        if pin is not None:
            out.append(pin)
        elif policy == "random":
            out.append(rng.randrange(INSTANCES))
        else:
            out.append(i % INSTANCES)
    return out


def get_pins(fleet: Fleet, requests: list[Request]) -> dict[str, int | None]:
    """route() for every session of the phase, checked."""
    sessions = sorted({r.session for r in requests})
    pins = fleet.pins(sessions)
    if not isinstance(pins, list) or len(pins) != len(sessions):
        raise WrongAnswer(f"route() for {len(sessions)} sessions gave back {pins!r:.80}")
    out: dict[str, int | None] = {}
    for session, pin in zip(sessions, pins, strict=True):
        if pin is not None and (
            not isinstance(pin, int) or isinstance(pin, bool) or not 0 <= pin < INSTANCES
        ):
            raise WrongAnswer(
                f"route({session!r}, {INSTANCES}) returned {pin!r}: an instance number "
                f"0..{INSTANCES - 1}, or None"
            )
        out[session] = pin
    return out


def run_phase(
    fleet: Fleet, requests: list[Request], policy: str, rng: random.Random, restart: bool = False
) -> tuple[Tally, CartStore]:
    """Every request to its instance, each answer compared with the model.

    Requests go out in waves: consecutive requests of different sessions on different
    instances run side by side (each view keeps its own request's clock), as a balancer
    sends them; a session's next request waits for the previous one's answer."""
    store = CartStore()
    views: dict[int, StoreView] = {}
    model: dict[str, dict[str, int]] = {}
    tally = Tally()
    pins = get_pins(fleet, requests)
    numbers = routed(requests, pins, policy, rng)
    due = [len(requests) * (k + 1) // (INSTANCES + 1) for k in range(INSTANCES)] if restart else []
    i = 0
    while i < len(requests):
        if due and i >= due[0]:
            due.pop(0)
            fleet.restart(fleet.restarts % INSTANCES, requests[i].at)
        wave: list[tuple[Request, Instance, StoreView, Callable[[], Any]]] = []
        busy: set[int] = set()
        sessions: set[str] = set()
        while i < len(requests) and not (due and i >= due[0]):
            request, number = requests[i], numbers[i]
            if number in busy or request.session in sessions:
                break
            busy.add(number)
            sessions.add(request.session)
            instance = fleet.live[number]
            view = views.get(id(instance))
            if view is None:
                view = views[id(instance)] = instance.view(store)
            view._now = request.at
            before = view._ops
            wave.append((request, instance, view, instance.start(request, view)))
            view._ops_before = before
            i += 1
        for request, instance, view, answer in wave:
            got = answer()
            ops = view._ops - view._ops_before
            tally.ops += ops
            tally.requests += 1
            if ops > tally.max_ops:
                tally.max_ops = ops
                tally.worst = f"{request.kind} ({_describe(request)})"
            expected = apply(model.setdefault(request.session, {}), request)
            if expected is not None:
                where = instance.name
                compare(tally, request, as_cart(got, request, where), expected, where, store)
    store.now = max(r.at for r in requests) + IDLE_AFTER_S
    return tally, store


def _describe(request: Request) -> str:
    if request.kind == "bundle":
        return f"{len(request.args[0])} items"
    return ", ".join(str(a) for a in request.args) or request.session


@dataclass
class Pairs:
    """The interleaved pairs: how many lost an update, and the first one that did."""

    pairs: int = 0
    lost: int = 0
    first: str = ""
    cart_missing: bool = False  # the first wrong pair lost lines neither request touched
    checkout: bool = False  # the first wrong pair was a checkout's


def pair_requests(rng: random.Random) -> list[tuple[list[Request], Request, Request]]:
    """For each session: a cart to start with, then two requests that arrive together."""
    skus = [f"sku-{n:05d}" for n in rng.sample(range(100_000), CATALOGUE)]
    out = []
    for n, session in enumerate(session_names(rng, PAIR_SESSIONS)):
        at = 60.0 * n
        held = rng.sample(skus, 3)
        setup = [Request(at, session, "add", (sku, rng.randint(1, 3))) for sku in held]
        fresh = [s for s in rng.sample(skus, 12) if s not in held]
        kind = n % PAIR_KINDS
        if kind == 0:  # the same line, twice
            first = Request(at + 5, session, "add", (held[0], rng.randint(1, 3)))
            second = Request(at + 5, session, "add", (held[0], rng.randint(1, 3)))
        elif kind == 1:  # two new lines
            first = Request(at + 5, session, "add", (fresh[0], rng.randint(1, 3)))
            second = Request(at + 5, session, "add", (fresh[1], rng.randint(1, 3)))
        elif kind == 2:  # a bundle, and a line
            bundle = {sku: rng.randint(1, 2) for sku in fresh[2:6]}
            first = Request(at + 5, session, "bundle", (bundle,))
            second = Request(at + 5, session, "add", (held[1], rng.randint(1, 3)))
        elif kind == 3:  # a removal, and a new line
            first = Request(at + 5, session, "remove", (held[2],))
            second = Request(at + 5, session, "add", (fresh[6], rng.randint(1, 3)))
        else:  # a new line, and a checkout that reads before the line is added
            first = Request(at + 5, session, "add", (fresh[7], rng.randint(1, 3)))
            second = Request(at + 5, session, "checkout")
        if rng.random() < 0.5 and second.kind != "checkout":
            first, second = second, first
        out.append((setup, first, second))
    return out


def run_pairs(fleet: Fleet, rng: random.Random) -> tuple[Pairs, CartStore]:
    """Each pair on two instances, interleaved: the second request starts, and the first
    runs whole just before the second's first write that follows a read (or after the
    second, if it never reads before writing). Then a view on a third instance, compared
    with both updates applied."""
    store = CartStore()
    views: dict[int, StoreView] = {}

    def view_of(instance: Instance) -> StoreView:
        view = views.get(id(instance))
        if view is None:
            view = views[id(instance)] = instance.view(store)
        return view

    result = Pairs()
    last = 0.0
    for n, (setup, first, second) in enumerate(pair_requests(rng)):
        a, b, c = (fleet.live[(n + k) % INSTANCES] for k in range(3))
        cart: dict[str, int] = {}
        for request in setup:
            store.now = request.at
            apply(cart, request)
            a.call(request, view_of(a))
        store.now = first.at
        late, early = view_of(b), view_of(a)
        late._now = early._now = first.at

        answers: dict[int, Any] = {}

        def cut(
            a: Instance = a,
            first: Request = first,
            early: StoreView = early,
            answers: dict[int, Any] = answers,
        ) -> None:
            answers[id(first)] = a.call(first, early)

        late._cut, late._read = cut, False
        answers[id(second)] = b.call(second, late)
        interleaved = late._cut is None
        if not interleaved:  # the second request never wrote after reading
            late._cut = None
            cut()
        late._now = early._now = None
        checkout = next((r for r in (first, second) if r.kind == "checkout"), None)
        order = None
        if checkout is not None:
            order = as_cart(answers[id(checkout)], checkout, (a if checkout is first else b).name)
        touched = {sku for r in (first, second) for sku in _skus(r)}
        check = Request(first.at + 1, first.session, "view")
        store.now = last = check.at
        got = as_cart(c.call(check, view_of(c)), check, c.name)
        result.pairs += 1
        # Right if the two requests ran one after the other, in either order: the same cart,
        # and a checkout's order as it would have been then.
        serial = [_serially(cart, one, two) for one, two in ((first, second), (second, first))]
        if not any(got == model and order == ordered for model, ordered in serial):
            result.lost += 1
            if not result.first:
                how = (
                    f"{_pair(second)} on {b.name} read the cart, {_pair(first)} on {a.name} "
                    "ran, then the first wrote"
                    if interleaved
                    else f"{_pair(second)} on {b.name}, then {_pair(first)} on {a.name}"
                )
                model, ordered = serial[0]
                if checkout is None:
                    result.first = (
                        f"{how}: the cart then held {_show(got)} instead of {_show(model)}"
                    )
                else:
                    result.first = (
                        f"{how}: the order held {_show(order or {})} and the cart then "
                        f"{_show(got)}; either the order holds {_show(ordered or {})} and the "
                        f"cart {_show(model)}, or the other way round: the added line is "
                        "in one of them, never in neither"
                    )
                result.checkout = checkout is not None
                result.cart_missing = checkout is None and any(
                    got.get(sku, 0) < qty for sku, qty in cart.items() if sku not in touched
                )
    store.now = last + IDLE_AFTER_S
    return result, store


def _skus(request: Request) -> list[str]:
    if request.kind == "bundle":
        return list(request.args[0])
    return [request.args[0]] if request.args else []


def _serially(
    cart: dict[str, int], one: Request, two: Request
) -> tuple[dict[str, int], dict[str, int] | None]:
    """The cart after one then two, and what a checkout among them returned then."""
    model = dict(cart)
    answers = {id(r): apply(model, r) for r in (one, two)}
    ordered = next((answers[id(r)] for r in (one, two) if r.kind == "checkout"), None)
    return model, ordered


def _pair(request: Request) -> str:
    if request.kind == "checkout":
        return "a checkout"
    if request.kind == "add":
        return f"add {request.args[1]}× {request.args[0]}"
    if request.kind == "remove":
        return f"remove {request.args[0]}"
    return f"a bundle of {len(request.args[0])} items"


# -- the grade ----------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything measured on one side (the learner's instances, or the starter's)."""

    phases: dict[str, Tally]
    pairs: Pairs
    idle: int
    idle_example: str
    restarts: list[str]


def one_instance(instance: Instance, rng: random.Random) -> None:
    """Correctness first: a few shoppers on a single instance, short pauses. Every cart must
    be right, or nothing else is measured."""
    store = CartStore()
    view = instance.view(store)
    model: dict[str, dict[str, int]] = {}
    for request in traffic(rng, GATE_SESSIONS, 60):
        store.now = request.at
        got = instance.call(request, view)
        expected = apply(model.setdefault(request.session, {}), request)
        if expected is None:
            continue
        cart = as_cart(got, request, "the only instance")
        if cart != expected:
            raise WrongAnswer(
                f"with a single instance, {request.kind} of {request.session} returned "
                f"{_show(cart)}, the cart holds {_show(expected)}: carts must be right on one "
                "instance before they can be right on four (a TTL shorter than the pauses "
                "between a shopper's requests loses carts too)"
            )


def measure(ctx: LabContext, fleet: Fleet) -> Figures:
    """The three routed phases, the interleaved pairs and the idle count, on one fleet."""
    phases: dict[str, Tally] = {}
    stores: list[CartStore] = []
    for name in PHASES:
        requests = traffic(ctx.rng(f"phase {name}"), SESSIONS_PER_PHASE, MAX_GAP_S)
        policy = "random" if name == "random" else "round_robin"
        tally, store = run_phase(
            fleet, requests, policy, ctx.rng(f"routing {name}"), restart=name == "restart"
        )
        phases[name] = tally
        stores.append(store)
    pairs, store = run_pairs(fleet, ctx.rng("pairs"))
    stores.append(store)
    kept = [key for s in stores for key in s.alive()]
    example = ""
    if kept:
        key = kept[0]
        owner = next(s for s in stores if key in s.data)
        ttl = owner.data[key].expires
        example = f"e.g. {key!r}, " + (
            "written without an expiry"
            if ttl is None
            else f"set to expire {ttl - owner.now + IDLE_AFTER_S:,.0f} s after its last write"
        )
    return Figures(phases, pairs, len(kept), example, list(fleet.log))


def grade(ctx: LabContext) -> Grade:
    """One instance first; then four, through three phases, the pairs and the idle count."""
    extra = [ctx.spawn({}) for _ in range(2 * INSTANCES - 1)]  # booting meanwhile
    first = Remote(ctx.candidate, "instance 1").bind(ctx)
    one_instance(first, ctx.rng("one instance"))
    live: list[Instance] = [first]
    live += [Remote(s, f"instance {n + 2}").bind(ctx) for n, s in enumerate(extra[:3])]
    spares: list[Instance] = [
        Remote(s, f"instance {n + 1} (restarted)").bind(ctx) for n, s in enumerate(extra[3:])
    ]

    def pins(sessions: list[str]) -> list[Any]:
        return list(ctx.candidate.run("routes", sessions, INSTANCES))

    mine = measure(ctx, Fleet(live, spares, pins))
    base = measure(ctx, starter_fleet(ctx))
    metrics: dict[str, Measured] = {}
    for name in PHASES:
        tally, theirs = mine.phases[name], base.phases[name]
        metrics[f"wrong_items_{name}"] = Measured(
            tally.wrong, theirs.wrong, detail=phase_detail(name, tally)
        )
    metrics["lost_updates"] = Measured(
        mine.pairs.lost, base.pairs.lost, detail=pairs_detail(mine.pairs)
    )
    worst = max((t.max_ops for t in mine.phases.values()), default=0)
    metrics["store_ops_per_request"] = Measured(
        worst,
        max(t.max_ops for t in base.phases.values()),
        detail=ops_detail(mine, worst),
    )
    metrics["idle_carts_kept"] = Measured(mine.idle, base.idle, detail=idle_detail(mine))
    requests = sum(t.requests for t in mine.phases.values())
    ops = sum(t.ops for t in mine.phases.values())
    notes = [
        f"This seed: {INSTANCES} instances, {SESSIONS_PER_PHASE} new shoppers per phase, "
        f"{requests:,} requests in the three phases, {mine.pairs.pairs} interleaved pairs; "
        f"{ops:,} store round trips in all, {ops / max(requests, 1):.2f} per request "
        f"({ops / max(requests, 1) * ROUND_TRIP_MS:.2f} ms of simulated store time each at "
        f"{ROUND_TRIP_MS} ms a round trip).",
    ]
    if mine.restarts:
        notes.append("Rolling restart: " + "; ".join(mine.restarts) + ".")
    return Grade(correct=True, metrics=metrics, notes=notes)


def phase_detail(name: str, tally: Tally) -> str:
    """Units lost and phantom in one phase, the first wrong cart, and why it happens."""
    label = PHASE_LABELS[name]
    if not tally.wrong:
        return f"all {tally.carts} carts returned in the {label} phase were right"
    text = (
        f"{tally.lost} units lost and {tally.phantom} phantom over {tally.carts} carts "
        f"returned; the first: {tally.first}. "
    )
    if tally.expired:
        return text + (
            f"Its key {tally.expired}, while the shopper was still shopping: a cart lives "
            f"CART_TTL_S ({CART_TTL_S} s) after the shopper's last request of any kind, so "
            "every request (views included) must push the expiry back, not only the first"
        )
    if name == "restart":
        return text + (
            "A restarted instance is a new process: whatever it kept in memory is gone, and "
            "a session pinned to it (sticky sessions) loses its cart. Keep the cart in the "
            "shared store"
        )
    return text + (
        "Each instance is a separate process with its own memory: a cart kept in a "
        "module-level dict (or cached there) exists only on the instance that wrote it, "
        "and the balancer sends the next request elsewhere. Keep the cart in the shared "
        "store and read it from there on every request"
    )


def pairs_detail(pairs: Pairs) -> str:
    """How many interleaved pairs lost an update, and the first one."""
    if not pairs.lost:
        return f"both updates kept in all {pairs.pairs} interleaved pairs"
    if pairs.cart_missing:
        return (
            f"{pairs.lost} of {pairs.pairs} pairs went wrong; the first: {pairs.first}. Lines "
            "neither request touched were missing too: the third instance did not see the "
            "cart at all, so it lives in one process's memory. Keep it in the shared store"
        )
    if pairs.checkout:
        return (
            f"{pairs.lost} of {pairs.pairs} pairs lost an update; the first: {pairs.first}. The "
            "checkout read the cart, then deleted it: the line added in between went with it. "
            "Read and delete in one multi(), or delete with cas() on the version you read and "
            "retry when another write came first"
        )
    return (
        f"{pairs.lost} of {pairs.pairs} pairs lost an update; the first: {pairs.first}. Both "
        "requests read the cart, then both wrote it back: the second write erased the first. "
        "Change the cart with atomic commands (HINCRBY, HDEL), or write it with cas() on the "
        "version you read and retry when another write came first"
    )


def ops_detail(mine: Figures, worst: int) -> str:
    """The costliest request, and what to do about it."""
    where = next((t.worst for t in mine.phases.values() if t.max_ops == worst and t.worst), "none")
    text = f"the costliest request: {where}, {worst} round trip(s) to the store"
    if worst <= MAX_OPS:
        return text
    return (
        text + f", above {MAX_OPS}. Each store call is a network round trip: a call per item "
        "in a loop makes a bundle cost one per item. Send the commands of one request "
        "together with multi([...]) (one round trip, atomic)"
    )


def idle_detail(mine: Figures) -> str:
    """Keys that outlived their shoppers."""
    if not mine.idle:
        return (
            f"no key left after every shopper was idle {IDLE_AFTER_S // 60} minutes: "
            "abandoned carts expire by themselves"
        )
    return (
        f"{mine.idle} keys still in the store after every shopper was idle "
        f"{IDLE_AFTER_S // 60} minutes ({mine.idle_example}). Abandoned carts are never "
        f"deleted by anyone: give every cart key an expiry of CART_TTL_S ({CART_TTL_S} s), "
        "and push it back on every request (EXPIRE, or ex= on set/cas)"
    )


def starter_fleet(ctx: LabContext) -> Fleet:
    """The starter's instances, run here: each one a fresh import of the starter."""
    driver = load_module(ctx.lab_dir / "driver.py", "stateless_scaling_driver")
    path = ctx.lab_dir / "starter" / "cart_service.py"
    fresh = itertools.count(1)

    def instance(name: str) -> Instance:
        return Local(driver, load_module(path, f"stateless_scaling_starter_{next(fresh)}"), name)

    live = [instance(f"instance {n + 1}") for n in range(INSTANCES)]
    spares = [instance(f"instance {n + 1} (restarted)") for n in range(INSTANCES)]
    probe = live[0]
    assert isinstance(probe, Local)

    def pins(sessions: list[str]) -> list[Any]:
        return list(driver.routes(probe.module, sessions, INSTANCES))

    return Fleet(live, spares, pins)


def workload(ctx: LabContext) -> Workload:
    """A day's shoppers on one instance, for `perfcoach lab profile`."""
    requests = traffic(ctx.rng("workload"), WORKLOAD_SESSIONS, MAX_GAP_S)
    return Workload("shop", (ctx.serve(StoreView(CartStore())), [r.wire() for r in requests]))
