"""The multi-region simulation: the scenario keeps its promises (a write in flight when the
primary freezes, a slowdown before it, a wake inside the run), the coordinator's lease rule
holds whatever is asked of it, the storage's fencing check decides split brain, and waiting
for a position is what keeps read-your-writes, on the engine alone with wire-level answers."""

from __future__ import annotations

import random
from typing import Any

import pytest

from perfcoach.sim import multi_region as sim


def deployment(*, token: bool, wait: bool) -> sim.Decider:
    """Wire-level answers: local reads (waiting for the session's write or not), the primary
    committing with a token or unfenced, and a coordinator asking for fr on every tick."""
    floor: dict[int, int] = {}

    def decide(batch: sim.Batch) -> Any:
        answers = []
        for _at, region, session, write in batch.pages:
            verdict = None
            if write is not None and write[1] is not None:
                verdict = write[1][2] if token else True
                floor[session] = write[0]
            position = floor.get(session, 0) if wait else 0
            answers.append((verdict, [(region, position)] * sim.READS))
        late = [node[2] if token else True for _pos, node in batch.checks]
        return "fr", answers, late

    return decide


@pytest.mark.parametrize("seed", range(1, 5))
def test_the_scenario_keeps_its_promises(seed: int) -> None:
    sc = sim.scenario(random.Random(seed))
    in_flight = [
        p
        for p in sc.pages
        if p.writes
        and sim.check_time(p, sim.HOME) < sc.freeze
        and sc.freeze < sim.check_time(p, sim.HOME) + sim.COMMIT_MS
    ]
    assert in_flight
    assert sc.wake + sim.REJOIN_MS < sim.RUN_MS
    for start, delay in sc.congestion.values():
        assert 1_500 <= sc.freeze - start <= 2_500 and 3_500 <= delay <= 4_500


def test_no_promotion_while_the_lease_holds() -> None:
    sc = sim.scenario(random.Random(3))
    out = sim.simulate(sc, deployment(token=True, wait=True))
    assert out.promoted == "fr" and out.promoted_at is not None
    lease_end = sc.freeze + sim.LEASE_MS - sim.RENEW_MS
    assert lease_end <= out.promoted_at <= sc.freeze + sim.LEASE_MS + sim.TICK_MS


def test_the_storage_refuses_the_old_epoch_and_only_then() -> None:
    sc = sim.scenario(random.Random(5))
    fenced = sim.simulate(sc, deployment(token=True, wait=True))
    unfenced = sim.simulate(sc, deployment(token=False, wait=True))
    assert fenced.split_brain == 0
    assert unfenced.split_brain > 1  # the write in flight, and those queued while frozen
    assert fenced.failover_ms == unfenced.failover_ms < sim.LEASE_MS + 2 * sim.TICK_MS


def test_a_read_that_waits_for_its_write_sees_it() -> None:
    sc = sim.scenario(random.Random(7))
    waiting = sim.simulate(sc, deployment(token=True, wait=True))
    blind = sim.simulate(sc, deployment(token=True, wait=False))
    assert waiting.ryw_violations == 0 and blind.ryw_violations > 20
    assert max(waiting.crossings) == 1 and max(blind.crossings) == 1


def test_promoting_before_the_slow_stream_drains_loses_its_writes() -> None:
    sc = sim.scenario(random.Random(9))
    out = sim.simulate(sc, deployment(token=True, wait=True))
    assert out.lost > 10 and out.lost_span_ms > sim.LAG_BOUND_MS


def test_an_answer_of_the_wrong_kind_stops_the_run() -> None:
    sc = sim.scenario(random.Random(1))

    def decide(batch: sim.Batch) -> Any:
        return None, [(None, [("eu-west-1", 0)] * sim.READS) for _ in batch.pages], []

    with pytest.raises(sim.BadDecision) as bad:
        sim.simulate(sc, decide)
    assert bad.value.what == "route_read" and bad.value.answer == ("eu-west-1", 0)


def test_nothing_sent_before_the_wake_tells_when_it_comes() -> None:
    """Positions follow from when a write reached the primary, never from the wake: a write
    queued at the frozen primary must not carry the hidden schedule to the subject."""
    sc = sim.scenario(random.Random(2))
    inner = deployment(token=True, wait=True)
    latest: list[float] = []

    def decide(batch: sim.Batch) -> Any:
        if batch.now + sim.TICK_MS <= sc.wake:
            sent = [write[0] for *_, write in batch.pages if write is not None]
            latest.append(max(sent, default=0) / 1000 - batch.now)
        return inner(batch)

    sim.simulate(sc, decide)
    assert 0 < max(latest) < sim.TICK_MS + sim.WORK_MS + sim.RTT_MS["va", "sg"]
