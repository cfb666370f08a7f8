"""The rightsizing engine: the boot delay, cancellations, billing and the SLO count follow
the brief to the interval; answers no cloud API takes are refused; the policy sees each
interval once, in order, after it happened; and the week changes with the seed."""

from __future__ import annotations

import itertools
import random

import pytest

from perfcoach.sim import rightsizing as sim

FLAT = sim.Scenario(tuple([150.0] * sim.INTERVALS), 150.0, ())


def _scripted(plan: dict[int, int]) -> sim.Policy:
    """Answer plan[t] at interval t, and otherwise keep the fleet as it is."""

    def policy(obs: sim.Observation) -> int:
        return plan.get(obs.t, obs.running + obs.booting)

    return policy


def test_a_launch_boots_through_the_next_interval_and_is_billed_while_it_boots() -> None:
    out = sim.simulate(FLAT, _scripted({0: 2, 10: 6}))
    assert out.serving[:2] == [sim.START_FLEET, 2]  # a scale-in takes effect at once
    assert (out.serving[11], out.billed[11]) == (2, 6)  # four instances booting
    assert (out.serving[12], out.billed[12]) == (6, 6)
    assert out.actions == [(0, 2 - sim.START_FLEET), (10, 4)]


def test_a_scale_in_cancels_instances_still_booting() -> None:
    out = sim.simulate(FLAT, _scripted({0: 2, 10: 6, 11: 3}))
    assert out.serving[12] == 3
    assert out.billed[12] == 3
    assert (out.launched, out.terminated) == (4, sim.START_FLEET - 2 + 3)


def test_an_interval_misses_when_its_load_exceeds_the_serving_instances() -> None:
    out = sim.simulate(FLAT, _scripted({0: 2, 100: 1}))
    assert out.misses(FLAT) == list(range(101, sim.INTERVALS))
    assert out.min_serving() == 1
    assert out.slo_miss_pct(FLAT) == pytest.approx(100 * (sim.INTERVALS - 101) / sim.INTERVALS)


def test_cost_is_a_share_of_the_fixed_peak_fleet_and_actions_are_counted_per_day() -> None:
    fixed = sim.simulate(FLAT, _scripted({}))
    assert fixed.cost_pct() == 100
    assert fixed.cost() == pytest.approx(sim.PEAK_FLEET * 24 * 7 * sim.PRICE_PER_HOUR)
    assert fixed.actions_per_day() == 0
    busy = sim.simulate(FLAT, _scripted({t: 2 + t % 2 for t in range(sim.PER_DAY)}))
    assert busy.actions_by_day() == [sim.PER_DAY, 0, 0, 0, 0, 0, 0]
    assert busy.actions_per_day() == pytest.approx(sim.PER_DAY / 7)


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (2.5, "not an int"),
        (True, "a bool is not an instance count"),
        (-1, "a negative instance count"),
        (sim.QUOTA + 1, "more than the account's quota"),
        (("bad", "None"), "not an int"),
    ],
)
def test_answers_no_cloud_api_takes_are_refused(answer: object, why: str) -> None:
    with pytest.raises(sim.BadDecision, match=why) as raised:
        sim.simulate(FLAT, lambda obs: answer if obs.t == 7 else 4)
    assert raised.value.at == 7


def test_the_policy_sees_each_interval_once_in_order_after_it_happened() -> None:
    sc = sim.scenario(random.Random(3))
    seen: list[tuple[int, float]] = []

    def policy(obs: sim.Observation) -> int:
        seen.append((obs.t, obs.load))
        assert len(obs.wire()) == 4
        return 10

    sim.simulate(sc, policy)
    assert seen == list(enumerate(sc.load))


def test_a_spike_rises_holds_and_decays_in_steps() -> None:
    spike = sim.Spike(start=10, rise=2, plateau=3, decay=3, level=3_000.0)
    assert spike.end == 18
    assert [spike.lift(t) for t in range(9, 19)] == [0, 0.5, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0]
    assert (spike.day, spike.clock, spike.hours) == ("Monday", "00:50", 8 * 5 / 60)


def test_the_week_and_its_spikes_change_with_the_seed() -> None:
    weeks = [sim.scenario(random.Random(seed)) for seed in range(40)]
    assert sim.scenario(random.Random(0)) == weeks[0]
    spikes = [s for w in weeks for s in w.spikes]
    assert len({s.start for s in spikes}) > 100
    assert {s.day for s in spikes} == set(sim.DAY_NAMES)  # weekends too
    assert {s.start % sim.PER_DAY // (6 * 12) for s in spikes} == {0, 1, 2, 3}  # nights too
    levels = [s.level for s in spikes]
    assert max(levels) - min(levels) > 800
    for w in weeks:
        assert len(w.load) == sim.INTERVALS
        assert len(w.spikes) == sim.SPIKES
        assert all(b.start >= a.end + sim.SPIKE_GAP for a, b in itertools.pairwise(w.spikes))
        assert w.spikes[-1].end <= sim.INTERVALS
        for s in w.spikes:
            held = w.load[s.start + s.rise : s.start + s.rise + s.plateau]
            assert min(held) > 1.5 * w.weekday_peak  # the spike towers over the day
            assert w.spike_at(s.start) == s and w.spike_at(s.end) is None
        assert max(w.load) <= sim.PEAK_FLEET * sim.PER_INSTANCE_RPS  # the starter carries it
        nights = [day * sim.PER_DAY + 36 for day in range(7)]  # 03:00 each day
        quiet = [w.load[t] for t in nights if w.spike_at(t) is None]
        assert max(quiet) < w.weekday_peak / 8


def test_clock_names_the_end_of_an_interval() -> None:
    assert sim.clock(0) == "Monday 00:05"
    assert sim.clock(sim.PER_DAY + 107) == "Tuesday 09:00"
    assert sim.clock(sim.INTERVALS - 2) == "Sunday 23:55"
