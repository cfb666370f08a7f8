"""Grader for cqrs-projection: a projector fed like a real subscription, then four counts.

The bench writes an event-sourced log of orders from the attempt's seed (each order's
events are versions 1, 2, 3, ... of its stream) and delivers it to the learner's
project(db, events) in batches the way a subscription does: each event up to LATE
positions late, some events a second time (up to 3 x LATE later). The database is a
SQLite file in the grader's private folder, served as a RemoteConnection, so every
statement is run and counted here.

* A crash: the first process (the candidate) is killed right after the first
  COMMIT that changes anything in batch CRASH: from then on the database refuses it (a
  projector that commits nothing in that batch fails: the batch is acknowledged when
  project() returns, so what it applied must be committed by then). Batch CRASH is
  chosen so that the reference projector holds a buffered event delivered for the last
  time in an earlier batch and applied only after this one, and it starts with an event
  the reference applies at once (an item, so applying it twice shows). A second process
  (spawned at the start: it boots meanwhile) runs setup(db) and gets batch CRASH again
  (it was never acknowledged), then the rest.
* Every project() call that returns is an acknowledged batch: changes it left uncommitted
  (a group commit, a commit only when an order changed) are a wrong result. One early
  event that must wait for an earlier version is delivered as a batch of its own, so a
  batch that changes no order is among them (lone_parked).
* The pages: every query call goes to a third process (ctx.spawn) on a connection of its
  own, as a web server's would; it never runs project() or setup(), so a read model kept
  in the projector's memory cannot answer (and a dummy statement per call could pass the
  silent-call count while the answer came from memory).
* Query rounds: after every ROUND_EVERY batches, ROUND_CALLS seeded calls of the three
  queries in one round trip; each answer is compared with the reference's fold of
  what has been delivered so far (each order's versions 1..n up to its first gap), and
  the round's VM steps are counted by the grader's progress handler.
* Catch-up: the back-office list of every status (together, every order's status and
  total), six customers' orders and a sample of order pages.
* Replay twice: the whole log delivered again, in order; the catch-up answers again.
* Rebuild: the same process on an empty database (setup(db) first), the whole log in
  order in big batches; its catch-up answers against the incremental ones.

The starter's figures come from the starter run here, in the grader, on its own
database (no timed metric, so nothing needs a sandbox of its own): its query rounds
give the VM steps the target is a fraction of. Same seed, same counts.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfcoach.labkit import (
    Grade,
    Handle,
    LabBug,
    LabContext,
    Measured,
    Refusal,
    SqliteService,
    Subject,
    Workload,
    WrongAnswer,
    load_module,
)
from perfcoach.verdict import Verdict

ORDERS = 80
CUSTOMERS = 16
ACTIVE = 12  # orders whose streams interleave in the log at any moment
BATCH = 10  # events per delivered batch
LATE = 40  # an event arrives at most this many positions late
DUPLICATES = 0.08  # share of events delivered a second time
ROUND_EVERY = 5  # batches between query rounds
ROUND_CALLS = 6  # query calls per round
REBUILD_BATCH = 200
SAMPLED_PAGES = 12  # order pages in each catch-up check
STATUSES = ("open", "paid", "shipped", "cancelled")
ITEMS = ("item_added", "item_removed")
CRASH = (
    "Crash: the projector process was killed right after this COMMIT (the bench kills "
    "it here on purpose); a new process takes over from what the database holds"
)

NOTHING = object()  # no earlier answer to this call
Event = dict[str, Any]
State = tuple[int, str, int, int]  # customer, status, items, total_cents
Call = tuple[str, tuple[Any, ...]]


def make_log(rng: random.Random) -> list[Event]:
    """Every order's stream, interleaved as ACTIVE orders at a time write to the store."""
    streams: list[list[tuple[str, dict[str, Any]]]] = []
    for _ in range(ORDERS):
        stream: list[tuple[str, dict[str, Any]]] = [
            ("placed", {"customer": rng.randrange(1, CUSTOMERS + 1)})
        ]
        lines: list[dict[str, Any]] = []
        for _ in range(rng.randint(2, 6)):
            line = {
                "sku": f"SKU-{rng.randrange(40):02d}",
                "qty": rng.randint(1, 3),
                "price": rng.randrange(200, 9000, 50),
            }
            lines.append(line)
            stream.append(("item_added", line))
        if rng.random() < 0.4:
            stream.append(("item_removed", dict(rng.choice(lines))))
        fate = rng.random()
        if fate < 0.12:
            stream.append(("cancelled", {}))
        elif fate < 0.85:
            stream.append(("paid", {}))
            if rng.random() < 0.6:
                stream.append(("shipped", {}))
        streams.append(stream)
    log: list[Event] = []
    waiting = list(range(ORDERS))
    active: list[int] = []
    progress = [0] * ORDERS
    while waiting or active:
        while waiting and len(active) < ACTIVE:
            active.append(waiting.pop(0))
        index = rng.randrange(len(active))
        order = active[index]
        kind, data = streams[order][progress[order]]
        progress[order] += 1
        log.append(
            {
                "order_id": 1001 + order,
                "version": progress[order],
                "position": len(log) + 1,
                "type": kind,
                "data": data,
            }
        )
        if progress[order] == len(streams[order]):
            active.pop(index)
    return log


def deliveries(log: list[Event], rng: random.Random) -> list[list[Event]]:
    """The log as a subscription delivers it: late, duplicated, in batches of BATCH."""
    keyed = [(i + rng.uniform(0, LATE), i) for i in range(len(log))]
    keyed += [
        (i + rng.uniform(0, 3 * LATE), i) for i in range(len(log)) if rng.random() < DUPLICATES
    ]
    order = [i for _, i in sorted(keyed)]
    return [[log[i] for i in order[s : s + BATCH]] for s in range(0, len(order), BATCH)]


@dataclass
class Fold:
    """The reference projector: next version only, later ones buffered, older ones ignored."""

    states: dict[int, State] = field(default_factory=dict)
    versions: Counter[int] = field(default_factory=Counter)
    pending: dict[tuple[int, int], tuple[Event, int]] = field(default_factory=dict)

    def deliver(self, batch: list[Event], number: int) -> None:
        """One batch, delivered as batch number `number`."""
        for event in batch:
            key = (event["order_id"], event["version"])
            if event["version"] <= self.versions[key[0]] or key in self.pending:
                continue
            self.pending[key] = (event, number)
            while (nxt := (key[0], self.versions[key[0]] + 1)) in self.pending:
                self.apply(self.pending.pop(nxt)[0])

    def apply(self, event: Event) -> None:
        """Fold one event, in version order."""
        order, kind, data = event["order_id"], event["type"], event["data"]
        self.versions[order] = event["version"]
        if kind == "placed":
            self.states[order] = (data["customer"], "open", 0, 0)
            return
        customer, status, items, total = self.states[order]
        if kind in ITEMS:
            sign = 1 if kind == "item_added" else -1
            items, total = items + sign * data["qty"], total + sign * data["qty"] * data["price"]
        else:
            status = kind
        self.states[order] = (customer, status, items, total)

    def answer(self, name: str, args: tuple[Any, ...]) -> Any:
        """What a query should return from this state."""
        if name == "order_view":
            return self.states.get(args[0])
        if name == "customer_orders":
            return [(o, s[1], s[3]) for o, s in sorted(self.states.items()) if s[0] == args[0]]
        status, limit = args
        return [(o, s[3]) for o, s in sorted(self.states.items()) if s[1] == status][:limit]


@dataclass
class Plan:
    """One seed's scenario: the log, its deliveries, the crash and the query rounds."""

    log: list[Event]
    batches: list[list[Event]]
    crash: int
    rounds: dict[int, list[Call]]  # after batch i (0-based), these calls
    final: list[Call]  # the catch-up check, asked again after the replay and the rebuild
    probe: list[Call]  # one call of each query, alone, for the detail


def make_plan(ctx: LabContext) -> Plan:
    """The scenario for ctx's seed, with a crash batch that tests what it must."""
    log = make_log(ctx.rng("log"))
    batches = lone_parked(deliveries(log, ctx.rng("deliveries")))
    crash = pick_crash(batches)
    rng = ctx.rng("queries")
    orders = sorted({e["order_id"] for e in log})
    rounds: dict[int, list[Call]] = {}
    for after in range(len(batches) // 3, len(batches), ROUND_EVERY):
        if after == crash:
            continue  # the process is gone: the round comes after the redelivery
        calls: list[Call] = []
        for _ in range(ROUND_CALLS):
            kind = rng.randrange(3)
            if kind == 0:
                calls.append(("order_view", (rng.choice(orders),)))
            elif kind == 1:
                calls.append(("customer_orders", (rng.randrange(1, CUSTOMERS + 1),)))
            else:
                calls.append(("orders_with_status", (rng.choice(STATUSES), rng.randint(3, 10))))
        rounds[after] = calls
    # Every order has one status: the four lists show every order's status and total.
    final: list[Call] = [("orders_with_status", (s, ORDERS)) for s in STATUSES]
    final += [("customer_orders", (c,)) for c in rng.sample(range(1, CUSTOMERS + 1), 6)]
    final += [("order_view", (o,)) for o in sorted(rng.sample(orders, SAMPLED_PAGES))]
    probe: list[Call] = [
        ("order_view", (rng.choice(orders),)),
        ("customer_orders", (rng.randrange(1, CUSTOMERS + 1),)),
        ("orders_with_status", ("paid", 10)),
    ]
    return Plan(log, batches, crash, rounds, final, probe)


def lone_parked(batches: list[list[Event]]) -> list[list[Event]]:
    """The batches with the first event (past the first batch) that must wait for an
    earlier version split out as a batch of its own: one that changes no order but still
    has something to keep, which a projector committing only when an order changed leaves
    uncommitted. The order of delivery is unchanged, so the event still waits."""
    fold = Fold()
    for number, batch in enumerate(batches):
        for index, event in enumerate(batch):
            key = (event["order_id"], event["version"])
            waiting = key in fold.pending or event["version"] <= fold.versions[key[0]]
            fold.deliver([event], number)
            if number and not waiting and key in fold.pending:
                parts = [p for p in (batch[:index], [event], batch[index + 1 :]) if p]
                return [*batches[:number], *parts, *batches[number + 1 :]]
    raise LabBug("no event of this seed's stream waits for an earlier version")


def pick_crash(batches: list[list[Event]]) -> int:
    """The first batch past half the stream that has an item the reference applies
    at once (moved to the front of the batch, so the first COMMIT in it changes an order's
    total), while the reference holds an event, delivered for the last time in an earlier
    batch, that it applies only after this batch: a buffer kept in memory loses it, and
    no redelivery brings it back."""
    last_delivered: dict[tuple[int, int], int] = {}
    for number, batch in enumerate(batches):
        for e in batch:
            last_delivered[e["order_id"], e["version"]] = number
    applied_in: dict[tuple[int, int], int] = {}
    fold = Fold()
    for number, batch in enumerate(batches):
        before = dict(fold.versions)
        fold.deliver(batch, number)
        for order, version in fold.versions.items():
            for v in range(before.get(order, 0) + 1, version + 1):
                applied_in[order, v] = number
    fold = Fold()
    for number, batch in enumerate(batches[: len(batches) - 2]):
        lost = any(
            last <= number - 1 and applied_in.get(key, len(batches)) > number
            for key, last in last_delivered.items()
        )
        first = next(
            (
                i
                for i, e in enumerate(batch)
                if e["type"] in ITEMS and e["version"] == fold.versions[e["order_id"]] + 1
            ),
            None,
        )
        if number >= len(batches) // 2 and lost and first is not None:
            batch.insert(0, batch.pop(first))
            return number
        fold.deliver(batch, number)
    raise LabBug("no batch of this seed's stream can carry the crash")


class ProjectorDb(SqliteService):
    """The projector's database as one process sees it: counted, and killed on cue."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.alive = True
        self.armed = False
        self.changes_at_arming = 0
        self.committed = conn.total_changes  # changes made durable so far

    @property
    def uncommitted(self) -> bool:
        """Whether changes are waiting in an open transaction: a crash now loses them."""
        return self.alive and self.conn.in_transaction and self.conn.total_changes > self.committed

    def arm(self) -> None:
        """The next COMMIT that makes a change durable is this process's last."""
        self.armed = True
        self.changes_at_arming = self.conn.total_changes

    def kill(self) -> None:
        """The process is gone: what it had not committed is lost, and it reaches nothing."""
        self.alive = False
        self.armed = False
        if self.conn.in_transaction:
            self.conn.rollback()

    def _run(self, step: Any) -> Any:
        if not self.alive:
            raise Refusal(f"OperationalError: {CRASH}")
        answer = super()._run(step)
        if not self.conn.in_transaction:
            self.committed = self.conn.total_changes
        if (
            self.armed
            and not self.conn.in_transaction
            and self.conn.total_changes > self.changes_at_arming
        ):
            self.kill()
            raise Refusal(f"OperationalError: {CRASH}")
        return answer


def connect(path: Path) -> sqlite3.Connection:
    """A connection to a projector database: no fsync, since a crash here is simulated."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = MEMORY")
    return conn


@dataclass
class Tally:
    """What one side's query rounds showed."""

    steps: int = 0
    calls: int = 0
    silent: int = 0  # calls beyond the statements sent: answered without the database
    per_call: dict[str, int] = field(default_factory=dict)  # one probe call of each query
    wrong: int = 0
    first_wrong: str = ""
    stale: bool = False  # the first wrong answer repeats an earlier answer to the same call


class Side:
    """One side's run: the projector process's driver calls and its database connection,
    and the pages' (another process and connection, where the candidate's run)."""

    def __init__(
        self,
        call: Callable[..., Any],
        db: ProjectorDb,
        pages: tuple[Callable[..., Any], ProjectorDb] | None = None,
    ) -> None:
        self.call = call
        self.db = db
        self.pages_call, self.pages_db = pages or (call, db)
        self.tally = Tally()
        self.answered: dict[Call, Any] = {}  # the last answer to each call
        self.unsent: list[tuple[list[Event], str]] = []  # batches to send, and their names

    def deliver(self, batch: list[Event]) -> None:
        """One batch in a call of its own: up to the crash every call looks the same, so
        nothing tells the learner's code which batch the crash is in."""
        self.call("project", [batch])

    def acknowledged(self, batch: str) -> None:
        """project() has returned, so the subscription counts the batch as done and never
        sends it again: a change it left uncommitted would be lost by a crash now."""
        if self.db.uncommitted:
            raise WrongAnswer(
                f"project(db, events) returned from {batch} with changes it had not "
                "committed: the subscription counts a batch as done when project() returns "
                "and never sends it again, so a crash before a later commit would lose those "
                "events for good. Commit before returning (committing every few batches, or "
                "only when an order changed, saves a little and loses acknowledged events)"
            )

    def queue(self, batch: list[Event], name: str) -> None:
        """A batch sent before the next question (after the crash)."""
        self.unsent.append((batch, name))

    def flush(self) -> None:
        """The queued batches, one project() call each, each seen committed once it returns."""
        for batch, name in self.unsent:
            self.call("project", [batch])
            self.acknowledged(name)
        self.unsent = []

    def ask(self, calls: list[Call], fold: Fold | None, when: str, counted: bool) -> list[Any]:
        """One round of calls in one round trip; counted, and compared with the fold."""
        self.flush()
        mark = self.pages_db.mark()
        got = self.pages_call("query", calls)
        statements, steps = self.pages_db.since(mark)
        if not isinstance(got, list) or len(got) != len(calls):
            got = [got] * len(calls)
        if counted:
            self.tally.steps += steps
            self.tally.calls += len(calls)
            self.tally.silent += max(0, len(calls) - len(statements))
        if fold is not None:
            for (name, args), answer in zip(calls, got, strict=True):
                self.compare(name, args, answer, fold.answer(name, args), when)
        return got

    def probe(self, calls: list[Call]) -> None:
        """Each kind of query once, alone: the VM steps one call of it costs."""
        self.flush()
        for name, args in calls:
            mark = self.pages_db.mark()
            self.pages_call("query", [(name, args)])
            self.tally.per_call[name] = self.pages_db.since(mark)[1]

    def compare(self, name: str, args: tuple[Any, ...], got: Any, want: Any, when: str) -> None:
        """Count a wrong answer, keeping the first one's story."""
        earlier = self.answered.get((name, args), NOTHING)
        self.answered[name, args] = got
        if _same(got, want):
            return
        self.tally.wrong += 1
        if not self.tally.first_wrong:
            self.tally.stale = earlier is not NOTHING and _same(got, earlier)
            shown = ", ".join(repr(a) for a in args)
            self.tally.first_wrong = (
                f"{when}: {name}(db, {shown}) returned {_clip(got)}; the fold of each order's "
                f"delivered versions 1..n (up to its first gap) gives {_clip(want)}"
            )


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list):
        return (
            isinstance(got, list) and [tuple(g) if isinstance(g, list) else g for g in got] == want
        )
    if isinstance(want, tuple) and isinstance(got, list | tuple):
        return tuple(got) == want
    return bool(got == want)


def _clip(value: Any, width: int = 90) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Outcome:
    """The candidate's figures."""

    tally: Tally
    crash_note: str
    replay_changes: int = 0
    replay_first: str = ""
    rebuild_differences: int = 0
    rebuild_first: str = ""


def fresh_db(ctx: LabContext, tag: str) -> Path:
    """A new, empty database file in the grader's private folder."""
    return Path(ctx.workdir) / f"{tag}-{uuid.uuid4().hex}.db"


def subject_call(subject: Subject, handle: Handle) -> Callable[..., Any]:
    """Driver calls on subject, with the database handle first."""
    return lambda fn, *args: subject.run(fn, handle, *args)


def pages(ctx: LabContext, reader: Subject, path: Path) -> tuple[Callable[..., Any], ProjectorDb]:
    """The pages' process on a connection of its own to the database at path."""
    db = ProjectorDb(connect(path))
    return subject_call(reader, ctx.serve(db, "sqlite")), db


def run_candidate(ctx: LabContext, plan: Plan) -> Outcome:
    """The stream through two projector processes with the crash between them, the pages
    asked of a third (as a web server's, it never runs project()), the catch-up check, the
    whole log again, and a rebuild on an empty database."""
    path = fresh_db(ctx, "yours")
    first = ProjectorDb(connect(path))
    successor = ctx.spawn({})  # boots while the first process works
    reader = ctx.spawn({})
    side = Side(
        subject_call(ctx.candidate, ctx.serve(first, "sqlite")), first, pages(ctx, reader, path)
    )
    fold = Fold()
    side.call("setup")
    for number, batch in enumerate(plan.batches[: plan.crash]):
        side.deliver(batch)
        side.acknowledged(f"batch {number + 1}")
        fold.deliver(batch, number)
        if number in plan.rounds:
            side.ask(plan.rounds[number], fold, f"after batch {number + 1}", counted=True)
    first.arm()
    side.deliver(plan.batches[plan.crash])
    if first.alive:
        event = plan.batches[plan.crash][0]
        raise WrongAnswer(
            f"project(db, events) returned from batch {plan.crash + 1} without committing "
            f"any change, though its first event is order {event['order_id']}'s next version "
            f"({event['version']}, {event['type']}): the subscription counts a batch as done "
            "when project() returns, so what it applied must be committed in the database by "
            "then (a read model or a buffer kept in memory is lost when the process dies)"
        )
    crash_note = (
        f"The first process was killed right after its first COMMIT in batch {plan.crash + 1}"
    )
    second = ProjectorDb(connect(path))
    side.db = second
    side.call = subject_call(successor, ctx.serve(second, "sqlite"))
    side.call("setup")
    for number in range(plan.crash, len(plan.batches)):
        batch = plan.batches[number]
        side.queue(batch, f"batch {number + 1}")
        fold.deliver(batch, number)
        if number in plan.rounds and number > plan.crash:
            when = f"after batch {number + 1} (after the crash)"
            side.ask(plan.rounds[number], fold, when, counted=True)
    caught_up = side.ask(plan.final, fold, "after catch-up (after the crash)", counted=False)
    side.probe(plan.probe)
    outcome = Outcome(
        side.tally,
        f"{crash_note}; the second got batch {plan.crash + 1} again (it was never acknowledged).",
    )
    for number, batch in enumerate(chunks(plan.log, BATCH)):
        side.queue(batch, f"batch {number + 1} of the log delivered again")
    again = side.ask(plan.final, None, "", counted=False)
    outcome.replay_changes, outcome.replay_first = differences(
        plan.final, caught_up, again, "after the whole log was delivered again"
    )
    rebuilt_path = fresh_db(ctx, "rebuild")
    rebuilt_db = ProjectorDb(connect(rebuilt_path))
    rebuild = Side(
        subject_call(successor, ctx.serve(rebuilt_db, "sqlite")),
        rebuilt_db,
        pages(ctx, reader, rebuilt_path),
    )
    rebuild.call("setup")
    for number, batch in enumerate(chunks(plan.log, REBUILD_BATCH)):
        rebuild.queue(batch, f"batch {number + 1} of the rebuild")
    rebuilt = rebuild.ask(plan.final, None, "", counted=False)
    outcome.rebuild_differences, outcome.rebuild_first = differences(
        plan.final, caught_up, rebuilt, "rebuilt from an empty database"
    )
    return outcome


def chunks(log: list[Event], size: int) -> list[list[Event]]:
    """The log in order, in batches of size."""
    return [log[s : s + size] for s in range(0, len(log), size)]


def differences(
    calls: list[Call], before: list[Any], after: list[Any], how: str
) -> tuple[int, str]:
    """How many answers differ, and the first one."""
    changed = [
        (call, a, b) for call, a, b in zip(calls, before, after, strict=True) if not _equal(a, b)
    ]
    if not changed:
        return 0, ""
    (name, args), a, b = changed[0]
    shown = ", ".join(repr(x) for x in args)
    return len(changed), (f"{name}(db, {shown}) was {_clip(a)} after catch-up and {_clip(b)} {how}")


def _equal(a: Any, b: Any) -> bool:
    return _same(a, b) if isinstance(b, list | tuple) else bool(a == b)


def run_starter(ctx: LabContext, plan: Plan) -> Tally:
    """The starter's query rounds, run here on its own database: the VM steps to beat."""
    driver = load_module(ctx.lab_dir / "driver.py", "cqrs_projection_driver")
    starter = load_module(ctx.lab_dir / "starter" / "projection.py", "cqrs_projection_starter")
    db = ProjectorDb(connect(fresh_db(ctx, "starter")))
    side = Side(lambda fn, *args: getattr(driver, fn)(starter, db.conn, *args), db)
    side.call("setup")
    for number, batch in enumerate(plan.batches):
        side.queue(batch, f"batch {number + 1}")
        if number in plan.rounds:
            side.ask(plan.rounds[number], None, "", counted=True)
    side.probe(plan.probe)
    db.conn.close()
    return side.tally


def grade(ctx: LabContext) -> Grade:
    """The candidate's stream, crash, catch-up, replay and rebuild; the starter's rounds."""
    plan = make_plan(ctx)
    yours = run_candidate(ctx, plan)
    base = run_starter(ctx, plan)
    tally = yours.tally
    metrics = {
        "wrong_answers": Measured(tally.wrong, 0, detail=wrong_detail(yours)),
        "replay_changes": Measured(yours.replay_changes, 0, detail=replay_detail(yours)),
        "rebuild_differences": Measured(yours.rebuild_differences, 0, detail=rebuild_detail(yours)),
        "query_vm_steps": Measured(
            tally.steps,
            base.steps,
            detail=steps_detail(tally, base),
            untrusted=silent_note(tally),
        ),
    }
    deliveries_count = sum(len(b) for b in plan.batches)
    notes = [
        f"This seed: {len(plan.log):,} events of {ORDERS} orders, delivered as "
        f"{deliveries_count:,} events in {len(plan.batches)} batches of up to {BATCH}, one of "
        f"them a single event that must wait (each event up to "
        f"{LATE} places late, {deliveries_count - len(plan.log)} twice); {tally.calls} counted "
        f"query calls in {len(plan.rounds)} rounds.",
        yours.crash_note,
    ]
    missed = {
        name
        for name, m in metrics.items()
        if ctx.goals[name].verdict(m.value, m.baseline, m.low, m.high) is Verdict.FAIL
    }
    notes += [text for name, text in advice(tally).items() if name in missed]
    return Grade(correct=True, metrics=metrics, notes=notes)


def wrong_detail(yours: Outcome) -> str:
    """The first wrong answer, and when it was asked."""
    tally = yours.tally
    if not tally.wrong:
        return "every answer, during the stream and after catch-up, equals the reference"
    return f"{tally.wrong} wrong; first {tally.first_wrong}"


def advice(tally: Tally) -> dict[str, str]:
    """What usually causes each metric to miss: a note under the table when it does."""
    if tally.stale:
        wrong = (
            "That answer is the one an earlier call with the same arguments got, and the "
            "read model has changed since: every call must ask the database."
        )
    elif "after the crash" in tally.first_wrong:
        wrong = (
            "The projector was killed right after a COMMIT and a new process got the "
            "unacknowledged batch again: whatever it had applied, buffered or checkpointed "
            "must be in the database, committed together in one transaction, or it is lost "
            "or applied twice."
        )
    else:
        wrong = (
            "Events arrive twice and out of order: apply an order's event only when its "
            "version is the next one (stored + 1), keep later versions aside until the gap "
            "fills, and ignore versions already applied."
        )
    wrong += (
        " The pages are asked in a process of their own that never runs project() or setup(),"
        " as a web server's would: each answer must come from the database."
    )
    return {
        "wrong_answers": wrong,
        "replay_changes": (
            "An event the read model already holds must change nothing: compare its version "
            "with the stored one."
        ),
        "rebuild_differences": (
            "The read model must depend only on the events, not on how they were batched or "
            "delivered; setup(db) starts the projector on the rebuild's empty database in the "
            "same process, so whatever the module keeps must be reloaded there."
        ),
        "query_vm_steps": (
            "A query that folds the log, or scans a table, reads every row each time. Keep "
            "read tables the queries can answer from through an index (order_id, customer, "
            "status), updated by the projector as events arrive."
        ),
    }


def replay_detail(yours: Outcome) -> str:
    """What the second delivery of the whole log changed."""
    if not yours.replay_changes:
        return "the whole log delivered again changed no answer"
    return f"{yours.replay_changes} answers changed; {yours.replay_first}"


def rebuild_detail(yours: Outcome) -> str:
    """What the rebuild from an empty database changed."""
    if not yours.rebuild_differences:
        return "a rebuild from an empty database gives the same answers"
    return f"{yours.rebuild_differences} answers differ; {yours.rebuild_first}"


def steps_detail(tally: Tally, base: Tally) -> str:
    """VM steps of one call of the costliest query."""
    if not tally.per_call:
        return "no query was counted"
    worst = max(tally.per_call, key=lambda q: tally.per_call[q])
    return (
        f"{tally.calls} counted query calls; one call of {worst} ran "
        f"{tally.per_call[worst]:,} VM steps at catch-up (the starter's "
        f"{base.per_call.get(worst, 0):,}; counted to the nearest 100)"
    )


def silent_note(tally: Tally) -> str:
    """Queries that sent nothing to the database: the read model is not in it."""
    if not tally.silent:
        return ""
    return (
        f"{tally.silent} of {tally.calls} query calls sent no statement to the database: "
        "each page must be read from the read model there, on every call"
    )


def workload(ctx: LabContext) -> Workload:
    """The stream's first half and one query round, profiled as one call."""
    plan = make_plan(ctx)
    db = ProjectorDb(connect(fresh_db(ctx, "profiled")))
    handle = ctx.serve(db, "sqlite")
    ctx.candidate.run("setup", handle)
    calls = [c for after in sorted(plan.rounds) for c in plan.rounds[after]]
    return Workload("profile_run", (handle, plan.batches[: plan.crash], calls))
