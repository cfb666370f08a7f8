"""Grader for service-calls: every call, its simulated start and end, counted here.

The page's four services (users, cart, prices, recommendations) run in this process, a
fresh set per page (`PageServices`). The learner's render_page runs in the subject on an
event loop the driver owns: a call is queued there, and when every task of the handler
is waiting the driver sends the queued calls here and asks for the next answer
(`advance`). This process stamps each call with its simulated clock as it arrives, moves
the clock to the earliest end among the calls in flight, and answers those. So:

* concurrency cannot be faked: two calls overlap only if both were sent before either
  was answered, and the data a call needs (the cart's SKUs) exists in the subject only
  after the answer that carries it, at that answer's time;
* the clock cannot be faked: it moves only here, to the end of a call in flight; the
  subject's copy (client.now()) is for the handler to read;
* a deadline is the call's `timeout`, applied here: a call runs until its service
  answers or its timeout runs out, whichever comes first.

Each page's figures come from its own call records: calls, calls in flight per service,
the page's simulated time (the clock when render_page returned), calls started at or
after the page's deadline or left running past it, and whether the page was served, by
its deadline, when recommendations were down or hanging. Latencies are drawn from the
seed per page and per call's arguments, so the same code and seed give the same numbers,
and nothing sleeps.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, Refusal, Subject, Workload, WrongAnswer

MS = 1000  # the clock counts microseconds
DEADLINE_MS = 200
MAX_IN_FLIGHT = 4  # per service, per page: the services' terms
MAX_BATCH = 20  # skus per prices.get_many
N_PAGES = 40
KINDS = {"healthy": 26, "hanging": 7, "down": 7}  # what recommendations does on a page
ITEMS = (8, 40)
USERS = 12
CATALOG = 600
MAX_CALLS = 400  # per page: past this the page is stopped (a retry loop at zero cost)
MAX_ADVANCES = 2000
SLACK_US = 1  # a timeout of deadline − client.now() may round to 1 µs past the deadline
MIN_RECS_SHOWN = 0.25  # of the pages on which recommendations were up: optional, not absent
STOPPED = "stopped this page: "  # the driver's prefix when the services refused a call
LATENCY_MS = {
    "users.get": (20, 40),
    "cart.get": (20, 40),
    "prices.get": (8, 16),
    "prices.get_many": (25, 33),  # plus 0.5 ms a sku
    "recommendations.healthy": (30, 60),
    "recommendations.hanging": (2000, 5000),
    "recommendations.down": (1, 3),  # then it refuses
}
METHODS = {  # each takes one argument
    ("users", "get"),
    ("cart", "get"),
    ("prices", "get"),
    ("prices", "get_many"),
    ("recommendations", "for_user"),
}
FIRST = ("Aino", "Bram", "Chloé", "Dev", "Esi", "Farid", "Greta", "Hiro", "Ines", "Jonas")
LAST = ("Berg", "Costa", "Dahl", "Eze", "Fujita", "Gray", "Haas", "Ivanova", "Jaffe")


@dataclass(frozen=True)
class PageData:
    """One page request and everything its services know, drawn from the seed."""

    index: int
    kind: str
    user_id: str
    user: dict[str, Any]
    cart: list[dict[str, Any]]
    prices: dict[str, int]
    recommendations: list[str]
    salt: str

    def request(self) -> dict[str, Any]:
        """What render_page receives."""
        return {"user_id": self.user_id, "deadline": DEADLINE_MS / 1000}

    def expected(self, recommendations: list[str] | None) -> dict[str, Any]:
        """The page the handler must return, given what its recommendations call got."""
        lines = [[i["sku"], i["qty"], self.prices[i["sku"]]] for i in self.cart]
        return {
            "user": dict(self.user),
            "lines": lines,
            "total_cents": sum(qty * cents for _, qty, cents in lines),
            "recommendations": recommendations,
        }


def make_pages(rng: random.Random, n: int = N_PAGES) -> list[PageData]:
    """n pages for users from a small pool (each user comes back with a new cart, new
    prices and new points, so nothing is reusable from page to page)."""
    kinds = [kind for kind, count in KINDS.items() for _ in range(count * n // N_PAGES)]
    kinds += ["healthy"] * (n - len(kinds))
    rng.shuffle(kinds)
    users = [f"u-{rng.randrange(10_000):04d}-{k}" for k in range(USERS)]
    names = {u: f"{rng.choice(FIRST)} {rng.choice(LAST)}" for u in users}
    pages = []
    for index, kind in enumerate(kinds):
        user_id = rng.choice(users)
        skus = rng.sample(range(CATALOG), rng.randint(*ITEMS))
        cart = [{"sku": f"sku-{s:04d}", "qty": rng.randint(1, 3)} for s in skus]
        pages.append(
            PageData(
                index=index,
                kind=kind,
                user_id=user_id,
                user={"id": user_id, "name": names[user_id], "points": rng.randrange(50_000)},
                cart=cart,
                prices={i["sku"]: rng.randint(199, 49_999) for i in cart},
                recommendations=[f"sku-{s:04d}" for s in rng.sample(range(CATALOG), 4)],
                salt=f"{rng.random()}",
            )
        )
    return pages


@dataclass
class CallRecord:
    """One call as the service saw it (times in simulated µs since the request arrived)."""

    ticket: int
    name: str  # "prices.get_many"
    start: int
    end: int  # when it answered, or its timeout ran out
    outcome: str  # "ok", "deadline" or "unavailable"
    value: Any
    timeout: bool  # the call carried a timeout
    cut: int | None = None  # when its timeout would stop it; None: it had none (or inf)


@dataclass
class PageServices:
    """The four services of one page, and its simulated clock. Only advance and flush are
    callable from the subject; the records are read here once the page has returned."""

    data: PageData
    now: int = 0
    calls: list[CallRecord] = field(default_factory=list)
    in_flight: list[tuple[int, int, CallRecord]] = field(default_factory=list)  # heap by end
    in_flight_max: Counter[str] = field(default_factory=Counter)
    advances: int = 0
    retired: bool = False

    def advance(self, sends: Any) -> list[Any]:
        """Register the calls sent, move the clock to the next end, answer what ends then."""
        self._register(sends)
        self.advances += 1
        if self.advances > MAX_ADVANCES:
            raise Refusal(f"more than {MAX_ADVANCES} waits on one page: the page was stopped")
        if not self.in_flight:
            return [self.now, []]
        self.now = self.in_flight[0][0]
        done = []
        while self.in_flight and self.in_flight[0][0] == self.now:
            _, _, call = heapq.heappop(self.in_flight)
            done.append([call.ticket, call.outcome, call.value])
        return [self.now, done]

    def flush(self, sends: Any) -> None:
        """Register calls the handler started but never waited for: they count too."""
        self._register(sends)

    def _register(self, sends: Any) -> None:
        if self.retired:
            raise Refusal("these services belong to an earlier page: use this page's client")
        if not isinstance(sends, list):
            raise Refusal("malformed call batch")
        seen = {c.ticket for c in self.calls}
        for send in sends:
            if not (isinstance(send, list) and len(send) == 5):
                raise Refusal("malformed call")
            ticket, service, method, args, timeout = send
            if not isinstance(ticket, int) or ticket in seen:
                raise Refusal("malformed call: each call needs a new ticket")
            seen.add(ticket)
            if (service, method) not in METHODS or not isinstance(args, list):
                raise Refusal(f"no such call {service}.{method}")
            if len(args) != 1:
                raise Refusal(f"{service}.{method} takes one argument, got {len(args)}")
            if timeout is not None and (
                isinstance(timeout, bool)
                or not isinstance(timeout, int | float)
                or math.isnan(timeout)
            ):
                raise Refusal(f"timeout must be seconds or None, not {timeout!r}")
            if len(self.calls) >= MAX_CALLS:
                raise Refusal(
                    f"more than {MAX_CALLS} calls on one page: the page was stopped (a retry "
                    "loop without a limit?)"
                )
            self._start(ticket, f"{service}.{method}", args[0], timeout)

    def _start(self, ticket: int, name: str, arg: Any, timeout: float | None) -> None:
        """Stamp the call with the clock; work out when and how it ends."""
        latency, outcome, value = self._answer(name, arg)
        end = self.now + latency
        cut = None
        if timeout is not None and timeout != math.inf:
            cut = self.now + round(max(0.0, timeout) * 1_000_000)
            if cut < end:
                end, outcome = cut, "deadline"
                value = f"{name}: the timeout of {max(0.0, timeout) * 1000:.1f} ms ran out"
        call = CallRecord(ticket, name, self.now, end, outcome, value, timeout is not None, cut)
        self.calls.append(call)
        heapq.heappush(self.in_flight, (end, ticket, call))
        service = name.split(".")[0]
        busy = sum(1 for _, _, c in self.in_flight if c.name.startswith(service + "."))
        self.in_flight_max[service] = max(self.in_flight_max[service], busy)

    def _answer(self, name: str, arg: Any) -> tuple[int, str, Any]:
        """(latency µs, outcome, value) of a call, the same every time it is repeated."""
        d = self.data
        skus = isinstance(arg, list) and all(isinstance(sku, str) for sku in arg)
        key = sorted(set(arg)) if name == "prices.get_many" and skus else arg
        rng = random.Random(f"{d.salt}:{name}:{key!r}")  # a batch's order changes nothing
        if name in ("users.get", "cart.get", "recommendations.for_user") and arg != d.user_id:
            raise Refusal(f"{name}({arg!r}): this page is for user {d.user_id!r}")
        if name == "users.get":
            return _latency(rng, name), "ok", dict(d.user)
        if name == "cart.get":
            return _latency(rng, name), "ok", [dict(i) for i in d.cart]
        if name == "prices.get":
            if not isinstance(arg, str) or arg not in d.prices:
                raise Refusal(f"prices.get({arg!r}): not a sku of this page's cart")
            return _latency(rng, name), "ok", d.prices[arg]
        if name == "prices.get_many":
            if not isinstance(arg, list) or not all(isinstance(s, str) for s in arg):
                raise Refusal("prices.get_many takes a list of skus")
            if len(arg) > MAX_BATCH:
                raise Refusal(
                    f"prices.get_many takes at most {MAX_BATCH} skus (client.max_batch), got "
                    f"{len(arg)}: split the cart into batches"
                )
            unknown = [s for s in arg if s not in d.prices]
            if unknown:
                raise Refusal(f"prices.get_many: {unknown[0]!r} is not in this page's cart")
            latency = _latency(rng, name) + len(set(arg)) * MS // 2
            return latency, "ok", {s: d.prices[s] for s in arg}
        key = f"recommendations.{d.kind}"
        if d.kind == "down":
            return _latency(rng, key), "unavailable", "recommendations: service unavailable"
        return _latency(rng, key), "ok", list(d.recommendations)


def _latency(rng: random.Random, key: str) -> int:
    low, high = LATENCY_MS[key]
    return rng.randint(low * MS, high * MS)


@dataclass
class PageRun:
    """One page on one side: what came back and what its services saw."""

    data: PageData
    result: list[Any]
    services: PageServices

    @property
    def time(self) -> int:
        """The page's simulated time: the clock when render_page returned."""
        return self.services.now

    @property
    def recs(self) -> list[Any] | None:
        """What the handler's recommendations calls got, if one answered before the page
        returned (a call left running when it returned gave the page nothing)."""
        got = [
            c.value
            for c in self.services.calls
            if c.name == "recommendations.for_user" and c.outcome == "ok" and c.end <= self.time
        ]
        return got[0] if got else None

    def after_deadline(self) -> list[CallRecord]:
        """Calls started at or after the deadline, or free to run past it: no timeout, or
        one that reaches past the deadline, whether or not the service took that long (a
        fast answer on these pages does not make a stale timeout right)."""
        deadline = DEADLINE_MS * MS
        return [
            c
            for c in self.services.calls
            if c.start >= deadline
            or c.end > deadline
            or c.cut is None
            or c.cut > deadline + SLACK_US
        ]

    def served(self) -> bool:
        """Returned a page, by its deadline (its content is checked separately)."""
        return self.result[0] == "page" and self.time <= DEADLINE_MS * MS


def play(ctx: LabContext, side: Subject, pages: list[PageData]) -> list[PageRun]:
    """Every page, in order, each with a fresh set of services retired once it returns."""
    runs = []
    for data in pages:
        services = PageServices(data)
        result = side.run("page", ctx.serve(services), data.request(), [MAX_IN_FLIGHT, MAX_BATCH])
        services.retired = True
        if not (isinstance(result, list | tuple) and len(result) == 2):
            raise WrongAnswer(f"page {data.index + 1}: the driver's reply was {result!r}")
        runs.append(PageRun(data, list(result), services))
        if result[0] == "error" and str(result[1]).startswith(STOPPED):
            break  # a stopped page is a wrong result: the pages after it change nothing
    return runs


def plain(value: Any) -> Any:
    """Tuples as lists, recursively, so a page of tuples compares equal to one of lists."""
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def first_problem(runs: list[PageRun]) -> str | None:
    """The first page that is wrong, and what is wrong with it."""
    for run in runs:
        d, where = run.data, f"page {run.data.index + 1} (user {run.data.user_id})"
        if run.result[0] == "error":
            if str(run.result[1]).startswith(STOPPED):
                return f"{where}: the grader {run.result[1]}"
            if d.kind == "healthy":
                return (
                    f"{where}: render_page raised {run.result[1]}, on a page where every "
                    "service answered. A required call (users, cart, prices) must succeed: "
                    "give it the time left until the deadline, not less"
                )
            continue  # a page not served: counted by degraded_pages_served
        got = plain(run.result[1])
        if not isinstance(got, dict):
            return f"{where}: render_page must return a dict, got {type(got).__name__}"
        calls = {c.name for c in run.services.calls}
        if d.kind == "healthy" and "recommendations.for_user" not in calls:
            return (
                f"{where}: the page never called recommendations.for_user, and the service "
                "was up: a page shows recommendations whenever they arrive in time"
            )
        want = plain(d.expected(run.recs))
        for key in ("user", "lines", "total_cents", "recommendations"):
            if got.get(key) != want[key]:
                return (
                    f"{where}: {key} should be {_short(want[key])}, got {_short(got.get(key))}"
                    + _hint(key, want[key], got.get(key), run)
                )
        if set(got) != set(want):
            return f"{where}: the page's keys should be {sorted(want)}, got {sorted(got)}"
    healthy = [run for run in runs if run.data.kind == "healthy"]
    shown = [run for run in healthy if run.recs is not None]
    if len(shown) < MIN_RECS_SHOWN * len(healthy):
        return (
            f"recommendations answered in 30–60 ms on {len(healthy)} pages, and your pages "
            f"showed them on {len(shown)}: optional means the page goes out without them "
            "when they are slow or down, not always. Give the optional call the time left "
            f"(or a budget of its own that lets them show on at least "
            f"{MIN_RECS_SHOWN:.0%} of those pages)"
        )
    return None


def _hint(key: str, want: Any, got: Any, run: PageRun) -> str:
    """What usually makes this part of a page differ."""
    if key == "recommendations" and run.recs is not None:
        return " (your recommendations call answered: put what it returned on the page)"
    if key == "recommendations" and got == []:
        return (
            " (no recommendations call of yours answered before the page returned: None "
            "says so; an empty list would say the service answered with nothing)"
        )
    if key == "recommendations":
        return (
            " (no recommendations call of yours answered before the page returned: the page "
            "shows None then, never recommendations from another page)"
        )
    if (
        key == "lines"
        and isinstance(got, list)
        and sorted(map(repr, got)) == sorted(map(repr, want))
    ):
        return ": the right lines in another order. Keep the cart's order (batches answer "
        "in any order: look each sku up in the prices you gathered)"
    if key == "total_cents":
        return ": the total is the sum of qty × cents over the lines"
    return (
        ". Every page has its own user points, cart and prices: take them from this "
        "page's answers, never from an earlier page"
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def grade(ctx: LabContext) -> Grade:
    """The same pages for the starter and the candidate, then the counts of each."""
    pages = make_pages(ctx.rng("pages"))
    mine = play(ctx, ctx.candidate, pages)
    problem = first_problem(mine)
    if problem:
        raise WrongAnswer(problem)
    base = play(ctx, ctx.baseline, pages)
    healthy = [k for k, d in enumerate(pages) if d.kind == "healthy"]
    degraded = [k for k, d in enumerate(pages) if d.kind != "healthy"]
    my_path = sum(mine[k].time for k in healthy) / len(healthy)
    base_path = sum(base[k].time for k in healthy) / len(healthy)
    ratio = my_path / base_path
    calls = [len(r.services.calls) for r in mine]
    flights = [max(r.services.in_flight_max.values(), default=0) for r in mine]
    late = [c for r in mine for c in r.after_deadline()]
    served = [k for k in degraded if mine[k].served()]
    base_served = [k for k in degraded if base[k].served()]
    metrics = {
        "calls_per_page": Measured(
            max(calls), max(len(r.services.calls) for r in base), detail=_calls(mine)
        ),
        "in_flight_max": Measured(
            max(flights),
            max(max(r.services.in_flight_max.values(), default=0) for r in base),
            detail=_in_flight(mine),
        ),
        "critical_path_ratio": Measured(
            round(ratio, 4), 1.0, detail=_path(mine, healthy, my_path, base_path, ratio)
        ),
        "calls_after_deadline": Measured(
            len(late), sum(len(r.after_deadline()) for r in base), detail=_late(mine)
        ),
        "degraded_pages_served": Measured(
            round(100 * len(served) / len(degraded), 1),
            round(100 * len(base_served) / len(degraded), 1),
            detail=_degraded(mine, degraded, served),
        ),
    }
    counts = Counter(d.kind for d in pages)
    notes = [
        f"This seed: {len(pages)} pages for {len({d.user_id for d in pages})} users, carts "
        f"of {min(len(d.cart) for d in pages)}–{max(len(d.cart) for d in pages)} items, a "
        f"{DEADLINE_MS} ms deadline each; recommendations answered on {counts['healthy']}, "
        f"hung on {counts['hanging']} and refused every call on {counts['down']}. Simulated "
        f"latencies: users and cart 20–40 ms, prices.get 8–16 ms an item, prices.get_many "
        f"25–33 ms + 0.5 ms a sku, recommendations 30–60 ms when up.",
        f"Your pages made {sum(calls)} calls in all ({sum(calls) / len(calls):.1f} a page); "
        f"the starter's {sum(len(r.services.calls) for r in base)}.",
    ]
    bare = [k for k in healthy if mine[k].recs is None]
    if bare:
        notes.append(
            f"{len(bare)} of the {len(healthy)} pages on which recommendations were up went "
            f"out without them (first: page {bare[0] + 1}): their call had not answered when "
            "the page returned, or its timeout cut it. That is the optional budget's trade: "
            "a page on time, sometimes without its side panel."
        )
    return Grade(correct=True, metrics=metrics, notes=notes)


def _calls(runs: list[PageRun]) -> str:
    worst = max(runs, key=lambda r: len(r.services.calls))
    names = Counter(c.name for c in worst.services.calls)
    made = ", ".join(f"{n} × {name}" for name, n in names.most_common())
    text = (
        f"at most {len(worst.services.calls)} calls on a page (page {worst.data.index + 1}: {made})"
    )
    if names["prices.get"] > 1:
        text += (
            f": one prices.get per cart item is the cross-service N+1. prices.get_many takes "
            f"up to {MAX_BATCH} skus a call, so a {len(worst.data.cart)}-item cart needs "
            f"{-(-len(worst.data.cart) // MAX_BATCH)} calls"
        )
    elif names["prices.get_many"] > -(-len(worst.data.cart) // MAX_BATCH):
        text += (
            f": {names['prices.get_many']} price batches for a {len(worst.data.cart)}-item "
            f"cart. prices.get_many takes up to {MAX_BATCH} skus a call (client.max_batch), "
            f"so {-(-len(worst.data.cart) // MAX_BATCH)} calls cover it: fill each batch "
            "(or split the cart evenly into that many)"
        )
    elif max(names.values()) > 2:
        name, n = names.most_common(1)[0]
        text += (
            f": {name} {n} times on one page. A retry is a new call: retry only while the "
            "deadline allows, and never a service that refuses (it is down)"
        )
    return text


def _in_flight(runs: list[PageRun]) -> str:
    worst = max(runs, key=lambda r: max(r.services.in_flight_max.values(), default=0))
    service, n = worst.services.in_flight_max.most_common(1)[0]
    if n > MAX_IN_FLIGHT:
        return (
            f"{n} calls in flight at once to {service} (page {worst.data.index + 1}); each "
            f"service takes at most {MAX_IN_FLIGHT} from one page (client.max_in_flight). "
            "Starting one call per item at once moves the queue into the service: batch "
            f"the calls, and bound them with asyncio.Semaphore({MAX_IN_FLIGHT})"
        )
    if n <= 1:
        return "one call at a time: nothing overlaps"
    return f"at most {n} calls at once to one service, within its {MAX_IN_FLIGHT}"


def _chain(run: PageRun) -> str:
    """The longest chain of the page: each call started when the one before it answered."""
    calls = run.services.calls
    ended = [c for c in calls if c.end <= run.time]
    if not ended:
        return "no call"
    chain = [max(ended, key=lambda c: (c.end, -c.ticket))]
    while chain[-1].start > 0:
        before = [c for c in calls if c.end == chain[-1].start]
        if not before:
            break
        chain.append(before[0])
    chain.reverse()
    shown = [f"{c.name} {c.start / MS:.0f}–{c.end / MS:.0f} ms" for c in chain]
    if len(shown) > 6:
        shown = [*shown[:3], f"… {len(shown) - 5} more …", *shown[-2:]]
    return " → ".join(shown)


def _path(runs: list[PageRun], healthy: list[int], mine: float, base: float, ratio: float) -> str:
    slowest = max((runs[k] for k in healthy), key=lambda r: r.time)
    text = (
        f"{mine / MS:.1f} simulated ms a page against the starter's {base / MS:.1f}, on the "
        f"{len(healthy)} pages where every service answered. Your slowest, page "
        f"{slowest.data.index + 1} ({slowest.time / MS:.0f} ms): {_chain(slowest)}"
    )
    if ratio > 1 / 3:
        text += (
            ". Calls that need nothing from each other still wait for each other: users and "
            "recommendations need only the user id, prices only the cart. Start them "
            "together (asyncio.gather, a TaskGroup), so the page costs its longest chain, "
            "cart → prices, not the sum"
        )
    return text


def _late(runs: list[PageRun]) -> str:
    late = [(r, c) for r in runs for c in r.after_deadline()]
    if not late:
        return (
            f"no call started at or after the {DEADLINE_MS} ms deadline, and every call's "
            "timeout ended by it"
        )
    deadline = DEADLINE_MS * MS
    started = [(r, c) for r, c in late if c.start >= deadline]
    running = [(r, c) for r, c in late if c.start < deadline and c.end > deadline]
    loose = [(r, c) for r, c in late if c.start < deadline and c.end <= deadline]
    parts = []
    for group, what in ((running, "ran"), (loose, "could run")):
        if not group:
            continue
        r, c = group[0]
        why = (
            "it carried no timeout"
            if c.cut is None
            else f"its timeout reached to {c.cut / MS:.0f} ms: a timeout is the time left "
            "when the call starts, so compute it then (computed before waiting for a "
            "semaphore, on another clock, or a fixed constant, it is too long)"
        )
        answered = (
            f" to {c.end / MS:.0f} ms"
            if what == "ran"
            else f", answered at {c.end / MS:.0f} ms this time"
        )
        parts.append(
            f"{len(group)} {what} past the deadline (first: page {r.data.index + 1}, "
            f"{c.name} from {c.start / MS:.0f} ms{answered}: {why})"
        )
    if running or loose:
        parts[-1] += (
            ". Pass each call timeout=deadline − client.now(), so the service stops when "
            "the page gives up (asyncio.timeout and wait_for measure real time and never "
            "fire here)"
        )
    if started:
        r, c = started[0]
        parts.append(
            f"{len(started)} started at or after it (first: page {r.data.index + 1}, {c.name} "
            f"at {c.start / MS:.0f} ms): nobody reads their answer. Check the time left "
            "before every call, retries included, and skip (or degrade) when none is left"
        )
    return f"{len(late)} calls after the {DEADLINE_MS} ms deadline: " + "; ".join(parts)


def _degraded(runs: list[PageRun], degraded: list[int], served: list[int]) -> str:
    text = (
        f"{len(served)} of the {len(degraded)} pages on which recommendations hung or were "
        f"down were served by the {DEADLINE_MS} ms deadline"
    )
    missed = [runs[k] for k in degraded if k not in served]
    failed = [r for r in missed if r.result[0] == "error"]
    late = [r for r in missed if r.result[0] != "error"]
    if failed:
        r = failed[0]
        text += (
            f"; {len(failed)} failed (first: page {r.data.index + 1}, recommendations "
            f"{r.data.kind}: render_page raised {r.result[1]}). Recommendations are "
            "optional: catch the optional call's TimeoutError and ConnectionError and serve "
            "the page with recommendations None"
        )
    if late:
        r = late[0]
        text += (
            f"; {len(late)} went out after the deadline (first: page {r.data.index + 1}, "
            f"recommendations {r.data.kind}, served at {r.time / MS:.0f} ms): the page "
            "waited for a service that hung. Give the optional call the time left, as its "
            "timeout"
        )
    return text


def workload(ctx: LabContext) -> Workload:
    """One page with a healthy recommendations service, for `lab profile`."""
    data = next(d for d in make_pages(ctx.rng("workload")) if d.kind == "healthy")
    services = PageServices(data)
    return Workload("page", (ctx.serve(services), data.request(), [MAX_IN_FLIGHT, MAX_BATCH]))
