"""The load-balancing simulation: the scenario keeps its promises (round robin stable
outside the windows, speeds that shift, health that flips at a check), the same decisions
give the same numbers, and the figures follow from the events on small, exact cases."""

from __future__ import annotations

import random

import pytest

from perfcoach.sim import load_balancing as sim


def one_server_per_tick(server: int) -> sim.Balancer:
    """A balancer that sends everything to one server."""
    return lambda batch: [server] * len(batch.arrivals)


@pytest.mark.parametrize("seed", range(1, 6))
def test_round_robin_is_stable_outside_the_windows(seed: int) -> None:
    sc = sim.scenario(random.Random(seed))
    assert 0.85 < max(sc.round_robin_utilisation()) < 0.95
    assert sc.speeds != sc.later
    slow = {s for s, v in enumerate(sc.speeds) if v < 0.95}
    assert len(slow) == 2 and slow != {s for s, v in enumerate(sc.later) if v < 0.95}
    assert not sc.gray.covers(sc.crash.start) and sc.gray.end < sc.crash.start


def test_same_scenario_and_choices_give_the_same_numbers() -> None:
    sc = sim.scenario(random.Random(11), requests=2_000)

    def least() -> sim.Balancer:
        counts = [0] * sim.SERVERS

        def balancer(batch: sim.Batch) -> list[int]:
            for server, _latency, _ok in batch.responses:
                counts[server] -= 1
            placed = []
            for _ in batch.arrivals:
                server = min(range(sim.SERVERS), key=lambda s: (not batch.healthy[s], counts[s]))
                counts[server] += 1
                placed.append(server)
            return placed

        return balancer

    first, again = sim.simulate(sc, least()), sim.simulate(sc, least())
    assert first.latencies == again.latencies and first.max_queue == again.max_queue
    assert first.sent_to_down == 0


def test_the_health_view_flips_at_the_check_after_the_crash() -> None:
    sc = sim.scenario(random.Random(3))
    down = sc.crash.server
    assert sc.healthy(sc.crash.start - 1)[down] is True
    checks = [sc.health_phase + k * sim.HEALTH_PERIOD_MS for k in range(200)]
    first = min(t for t in checks if t >= sc.crash.start)
    assert sc.healthy(first)[down] is False
    assert sc.healthy(first - 0.001)[down] is True
    back = min(t for t in checks if t >= sc.crash.end)
    assert sc.healthy(back)[down] is True


def _tiny(arrivals: tuple[float, ...], demands: tuple[float, ...]) -> sim.Scenario:
    """Two servers at speed 1 and 0.5, no gray window, a crash of server 1 at 100-200 ms."""
    return sim.Scenario(
        speeds=(1.0, 0.5),
        later=(1.0, 0.5),
        shift=1e9,
        gray=sim.Window(0, 1e9, 1e9),
        crash=sim.Window(1, 100.0, 200.0),
        health_phase=50.0,
        arrivals=arrivals,
        demands=demands,
    )


def test_a_fifo_server_queues_and_a_slower_one_takes_longer() -> None:
    sc = _tiny((1.0, 2.0, 3.0), (10.0, 10.0, 10.0))
    out = sim.simulate(sc, one_server_per_tick(0))
    assert out.latencies == [10.0, 19.0, 28.0]  # each waits for the one before
    assert out.max_queue == 3 and out.max_queue_at == (0, 3.0)
    slow = sim.simulate(sc, one_server_per_tick(1))
    assert slow.latencies[0] == 20.0  # half speed: twice the time


def test_a_crashed_server_fails_fast_and_counts_only_after_its_check() -> None:
    # health checks at 50, 250, 450 ms ... (HEALTH_PERIOD_MS = 200): the crash at 100 ms is
    # seen from the check at 250 ms, after the server is back: nothing counts as sent to down
    sc = _tiny((90.0, 120.0, 150.0, 260.0), (40.0, 1.0, 1.0, 1.0))
    out = sim.simulate(sc, one_server_per_tick(1))
    assert out.ok == [False, False, False, True]  # in service at the crash, then refused
    assert out.latencies[:3] == [sim.FAILED_MS] * 3
    assert out.sent_before_check == 2 and out.sent_to_down == 0
    assert out.failed == 3


def test_a_decision_that_is_not_a_server_is_refused() -> None:
    sc = _tiny((1.0, 2.0), (1.0, 1.0))
    with pytest.raises(sim.BadDecision):
        sim.simulate(sc, lambda batch: [True] * len(batch.arrivals))
    with pytest.raises(sim.BadDecision) as short:
        sim.simulate(sc, lambda batch: [])
    assert short.value.count == 2


def test_a_batch_carries_only_what_a_balancer_observes() -> None:
    sc = _tiny((1.0, sim.TICK_MS + 5), (1.0, 1.0))
    seen: list[tuple[object, ...]] = []

    def recording(batch: sim.Batch) -> list[int]:
        seen.append(batch.wire())
        return [0] * len(batch.arrivals)

    sim.simulate(sc, recording)
    second = (sim.TICK_MS, [(0, 1.0, True)], (True, True), [sim.TICK_MS + 5])
    assert seen == [(0.0, [], (True, True), [1.0]), second]
