"""The replication simulation: the scenario keeps its promises (spikes under the lag bound, a
stall far past it, one disturbance per replica), replicas apply the log in order and never
ahead of the primary, and the counts follow from the reads on small, exact cases."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from perfcoach.sim import replication as sim


def _every_read_to(target: Any) -> sim.Router:
    return lambda batch: [target] * batch.reads


@pytest.mark.parametrize("seed", range(1, 6))
def test_spikes_stay_under_the_bound_and_the_stall_goes_far_past_it(seed: int) -> None:
    sc = sim.scenario(random.Random(seed))
    assert sorted([w.replica for w in sc.spikes] + [sc.stall.replica]) == [0, 1, 2]
    windows = sorted([*sc.spikes, sc.stall], key=lambda w: w.start)
    assert all(a.end + a.peak < b.start for a, b in itertools.pairwise(windows))
    for w in sc.spikes:
        lags = [sc.lag(w.replica, w.start + t) for t in range(0, 4_000, 10)]
        assert 1_000 < max(lags) < sim.LAG_BOUND_MS
    stalled = [sc.lag(sc.stall.replica, t) for t in range(0, int(sim.DURATION_MS), 10)]
    assert max(stalled) > sim.STALE_MS + 1_000


@pytest.mark.parametrize("seed", [1, 2])
def test_replicas_apply_the_log_in_order_and_never_ahead_of_the_primary(seed: int) -> None:
    sc = sim.scenario(random.Random(seed))
    for applies in sc.applies:
        assert list(applies) == sorted(applies)
        assert all(a >= c for a, c in zip(applies, sc.commits, strict=True))
    for at in range(0, int(sim.DURATION_MS), 50):
        assert all(sc.applied(r, at) <= sc.primary(at) for r in range(sim.REPLICAS))
    assert [op.position for op in sc.ops if op.write] == list(range(1, len(sc.commits) + 1))


def _tiny() -> sim.Scenario:
    """Session 1 writes at 10 ms; replica 0 applies it at 20 ms, replica 1 at 400 ms, and
    replica 2 never (stalled from 0 to 10 s). Session 1 reads at 150, 300 and 500 ms;
    session 2 (new) reads at 2,600 ms, when replica 2 is 2.59 s behind."""
    ops = (
        sim.Op(10.0, 1, 1),
        sim.Op(150.0, 1, 0),
        sim.Op(300.0, 1, 0),
        sim.Op(500.0, 1, 0),
        sim.Op(2_600.0, 2, 0),
    )
    return sim.Scenario(
        ops=ops,
        commits=(10.0,),
        applies=((20.0,), (400.0,), (10_000.0,)),
        spikes=(),
        stall=sim.Window(2, 0.0, 10_000.0),
        bases=(10.0, 390.0, 0.0),
    )


def test_counts_follow_from_the_reads_on_an_exact_case() -> None:
    sc = _tiny()
    plan = iter([0, 1, 1, 2])
    out = sim.simulate(sc, lambda batch: [next(plan) for _ in range(batch.reads)])
    assert out.reads == 4 and out.per_replica == [1, 2, 1] and out.to_primary == 0
    # at 300 ms replica 1 (position 0) misses the write, and goes back from position 1
    assert [(at, target) for at, _, target, _, _ in out.ryw] == [(300.0, 1)]
    assert [(at, target) for at, _, target, _, _ in out.monotonic] == [(300.0, 1)]
    assert [(at, target) for at, _, target, _ in out.stale] == [(2_600.0, 2)]
    assert out.load_ratio == pytest.approx(2 * 3 / 4)


def test_a_read_that_goes_back_in_time_is_monotonic_not_read_your_writes() -> None:
    sc = sim.Scenario(
        ops=(sim.Op(10.0, 1, 1), sim.Op(50.0, 2, 0), sim.Op(150.0, 2, 0)),
        commits=(10.0,),
        applies=((20.0,), (400.0,), (400.0,)),
        spikes=(),
        stall=sim.Window(2, 0.0, 0.0),
        bases=(10.0, 390.0, 390.0),
    )
    plan = iter([0, 1])
    out = sim.simulate(sc, lambda batch: [next(plan) for _ in range(batch.reads)])
    assert not out.ryw
    assert [(at, position, before) for at, _, _, position, before in out.monotonic] == [
        (150.0, 0, 1)
    ]


def test_the_router_hears_each_answer_before_the_sessions_next_operation() -> None:
    sc = _tiny()
    heard: list[tuple[float, tuple[tuple[int, Any, int], ...]]] = []

    def router(batch: sim.Batch) -> list[Any]:
        heard.append((batch.now, batch.answers))
        return [sim.PRIMARY] * batch.reads

    out = sim.simulate(sc, router)
    assert out.primary_share == 100.0 and out.load_ratio == sim.REPLICAS
    assert [a for now, a in heard if a] == [((1, "primary", 1),)] * 3 + [((2, "primary", 1),)]
    assert [now for now, a in heard if a] == [200.0, 400.0, 600.0, 2_700.0]


def test_same_scenario_and_decisions_give_the_same_numbers() -> None:
    sc = sim.scenario(random.Random(7))
    runs = []
    for _ in range(2):
        draw = random.Random(3).randrange
        out = sim.simulate(sc, lambda b, d=draw: [d(sim.REPLICAS) for _ in range(b.reads)])
        runs.append((out.per_replica, out.ryw, out.monotonic, out.stale))
    assert runs[0] == runs[1]


@pytest.mark.parametrize("answer", ["Primary", True, 3, -1, 1.0, None])
def test_an_answer_that_is_not_a_target_stops_the_run(answer: object) -> None:
    with pytest.raises(sim.BadDecision) as bad:
        sim.simulate(_tiny(), _every_read_to(answer))
    assert bad.value.answer == answer and bad.value.count is None


def test_a_wrong_number_of_answers_stops_the_run() -> None:
    with pytest.raises(sim.BadDecision) as bad:
        sim.simulate(_tiny(), lambda batch: [0] * (batch.reads + 1))
    assert (bad.value.at, bad.value.count) == (0.0, 0)
