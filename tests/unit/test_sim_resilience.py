"""The resilience engine on its own: the scenario a seed draws, what the dependency does
with a call, and the actions simulate() refuses to believe."""

from __future__ import annotations

import random
from typing import Any

import pytest

from perfcoach.sim import resilience as sim


def _scenario(seed: int = 7) -> sim.Scenario:
    return sim.scenario(random.Random(seed))


def test_a_seed_draws_the_same_scenario_of_waves_and_faults() -> None:
    sc = _scenario()
    assert sc == _scenario()
    assert sc != _scenario(8)
    times = [t for t, _ in sc.arrivals]
    assert times == sorted(times)
    waves = {t: sum(1 for other in times if other == t) for t in times}
    assert set(waves.values()) == {sim.WAVE_SIZE}
    windows = [*sc.spikes, *sc.bursts]
    for start, end in sc.outages:
        assert all(not (a < end + sim.RECOVERY_S and start < b) for a, b in windows)
    assert len(sc.bad_keys) == sim.BAD_KEYS


def test_no_fixed_wait_fits_every_outage_of_a_seed() -> None:
    """One outage from each length range, in an order that changes with the seed, each
    after the previous one's recovery allowance and some normal traffic: a wait (or an
    open period) that ends within the allowance after one outage misses another."""
    orders = set()
    for seed in range(40):
        sc = _scenario(seed)
        lengths = [end - start for start, end in sc.outages]
        assert len(lengths) == len(sim.OUTAGE_LENGTHS_S)
        for length, (lo, hi) in zip(sorted(lengths), sim.OUTAGE_LENGTHS_S, strict=True):
            assert lo <= length <= hi
        assert max(lengths) - min(lengths) > 2 * sim.RECOVERY_S
        for (_, end), (start, _) in zip(sc.outages, sc.outages[1:], strict=False):
            assert start - end >= sim.RECOVERY_S + sim.GAP_S[0]
        orders.add(tuple(sorted(range(3), key=lengths.__getitem__)))
    assert len(orders) == 6


def test_an_outage_call_hangs_and_a_timeout_frees_only_the_client() -> None:
    sc = _scenario()
    start = sc.outages[0][0] + 1
    first = next(i for i, (t, _) in enumerate(sc.arrivals) if t >= start)
    dependency = sim.Dependency(sc)
    hung = dependency.call(first, 0, start, 1e9)
    assert (hung.kind, hung.end) == (sim.ERROR, start + sim.HANG_S)
    cut = dependency.call(first, 1, start, 0.25)
    assert (cut.kind, cut.end, cut.busy_until) == (sim.TIMEOUT, start + 0.25, start + sim.HANG_S)


def test_a_saturated_dependency_refuses_at_once() -> None:
    sc = _scenario()
    start = sc.outages[0][1] + 5
    dependency = sim.Dependency(sc)
    calls = [dependency.call(0, n, start, 10.0) for n in range(sim.SLOTS + 1)]
    assert all(c.busy_until > c.start for c in calls[: sim.SLOTS])
    refused = calls[-1]
    assert (refused.kind, refused.end, refused.busy_until) == (
        sim.ERROR,
        start + sim.MIN_CALL_S,
        start,
    )


def test_a_bad_shard_fails_every_call_in_a_burst() -> None:
    sc = _scenario()
    start = sc.bursts[0][0] + 1
    bad = next(i for i, (_, key) in enumerate(sc.arrivals) if key in sc.bad_keys)
    dependency = sim.Dependency(sc)
    assert {dependency.call(bad, n, start + n, 10.0).kind for n in range(5)} == {sim.ERROR}


def _answering(kind: str, value: Any = None) -> sim.Policy:
    """A client that answers every request at once, the same way, and never calls."""

    def policy(batch: sim.Batch) -> Any:
        _, horizon, events = batch
        answers = [("answer", e[1], e[2], kind, value) for e in events if e[0] == "arrive"]
        return horizon, answers

    return policy


def test_figures_of_a_client_that_never_calls() -> None:
    sc = _scenario()
    out = sim.simulate(sc, _answering(sim.FAILED))
    assert len(out.answered) == len(sc.arrivals)
    assert out.calls == []
    assert out.success_pct(sc) == 0
    assert out.outage_calls(sc) == 0
    assert out.amplification(sc) == 0
    assert out.retry_wave() == 0
    assert out.p99_s(sc) == 0
    assert out.fallback_pct(sc) == 0


@pytest.mark.parametrize(
    ("policy", "why"),
    [
        (_answering(sim.FRESH, "k1@v0-00000000"), "with a value its call did not return"),
        (_answering(sim.FALLBACK, "k1@v0-00000000"), "a value the dependency had not returned"),
        (lambda batch: (batch[1] + 1, []), "said it handled events up to"),
        (lambda batch: (batch[1], [("call", batch[0], 0, 0.0)]), "timeout 0.0"),
        (lambda batch: (batch[1], [("answer", batch[0], 10_000, "failed", None)]), "not arrived"),
    ],
)
def test_an_action_the_client_could_not_take_stops_the_run(policy: sim.Policy, why: str) -> None:
    with pytest.raises(sim.BadAction, match=why):
        sim.simulate(_scenario(), policy)
