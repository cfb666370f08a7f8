"""The playground's presets: inside their parameters' bounds, readable in a narrow picker,
and giving the numbers the lessons that link to them quote."""

from __future__ import annotations

import pytest

from perfcoach.sim.playground import Result
from perfcoach.sim.presets import PARAMETERS, PRESETS, SIMULATIONS, nudge, read_value, run
from perfcoach.simtext import cell


def test_every_preset_sets_each_parameter_within_its_bounds() -> None:
    assert set(SIMULATIONS) == set(PARAMETERS) == {p.simulation for p in PRESETS.values()}
    for preset in PRESETS.values():
        params = PARAMETERS[preset.simulation]
        assert len(preset.values) == len(params), preset.name
        for param, value in zip(params, preset.values, strict=True):
            assert param.low <= value <= param.high, (preset.name, param.name)
            assert value == int(value) or not param.whole, (preset.name, param.name)
        assert len(preset.title) <= 22, preset.name  # the picker is 27 columns, arrow included


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [("keys", "1,000", 1000.0), ("keys", " 2_000 ", 2000.0), ("skew", "0.5", 0.5)],
)
def test_a_typed_number_is_read(name: str, text: str, value: float) -> None:
    [param] = [p for p in PARAMETERS["cache"] if p.name == name]
    assert read_value(param, text) == value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("keys", "1.5", "keys must be a whole number, not '1.5'"),
        ("keys", "", "keys must be a whole number, not ''"),
        ("skew", "lots", "skew must be a number, not 'lots'"),
        ("skew", "nan", "skew must be from 0 to 3, not nan"),
        ("requests", "100000", "requests must be from 1,000 to 50,000, not 100,000"),
    ],
)
def test_a_bad_value_is_one_line(name: str, text: str, message: str) -> None:
    [param] = [p for p in PARAMETERS["cache"] if p.name == name]
    with pytest.raises(ValueError) as caught:  # ParameterError is one
        read_value(param, text)
    assert str(caught.value) == message


def test_a_nudge_moves_one_step_and_stays_within_the_bounds() -> None:
    [skew] = [p for p in PARAMETERS["cache"] if p.name == "skew"]
    assert [nudge(skew, 0.2, 1), nudge(skew, 2.95, 1), nudge(skew, 0, -1)] == [0.3, 3.0, 0.0]
    for param in (p for params in PARAMETERS.values() for p in params):
        assert 0 < param.step < param.high - param.low, param.name
        assert param.step == int(param.step) or not param.whole, param.name


POLICIES = ("round_robin", "least_outstanding", "two_choices")


def column(result: Result, table: str, key: str) -> list[str]:
    """One column of a result's table, as the playground shows it."""
    [data] = [t for t in result.tables if t.key == table]
    index = [c.key for c in data.columns].index(key)
    kind = data.columns[index].kind
    return [cell(kind, row[index]) for row in data.rows]


def test_the_numbers_the_lessons_quote() -> None:
    """The lessons quote these; tests/tui/test_playground.py checks the others they quote
    on screen."""
    short_ttl = run("cache", PRESETS["cache-short-ttl"].values)
    assert column(short_ttl, "sizes", "ttl")[4:] == ["51.4%"] * 4  # 200 entries and up
    pool = run("queue", PRESETS["queue-pool"].values)
    assert column(pool, "response", "p99_ms")[-1] == "48.9"
    four = run("queue", PRESETS["queue-four"].values)
    assert column(four, "response", "p99_ms")[8] == "185"  # 90 %
    assert column(four, "response", "erlang_p99_ms")[8] == "122"
    usl = run("usl", PRESETS["usl-lesson"].values).figures
    assert (f"{usl['fit_alpha']:.3g}", f"{usl['fit_beta']:.3g}") == ("0.0544", "0.000991")
    assert (f"{usl['fit_n_star']:.3g}", f"{usl['n_star']:.3g}") == ("30.9", "30.8")
    assert f"{run('usl', PRESETS['usl-crosstalk'].values).figures['n_star']:.2g}" == "9.9"
    one_vnode = run("shard", PRESETS["shard-one-vnode"].values)
    moved = [float(v.rstrip("%")) for v in column(one_vnode, "moved", "ring")]
    assert (min(moved), max(moved)) == (2.5, 64.3)
    spread = [float(v) for v in column(one_vnode, "balance", "ring")]
    assert (f"{min(spread):.1f}", f"{max(spread):.1f}") == ("2.3", "3.0")
    two_slow = run("lb", PRESETS["lb-two-slow"].values)
    at_70 = column(two_slow, "utilisations", "utilisation").index("70.0%")
    quoted = [column(two_slow, "utilisations", f"{p}_p99_ms")[at_70] for p in POLICIES]
    assert quoted == ["967", "103", "121"]  # scalability-patterns, "See it in the playground"
    equal = run("lb", PRESETS["lb-equal"].values)
    p99s = [column(equal, "utilisations", f"{policy}_p99_ms") for policy in POLICIES]
    for row in zip(*p99s, strict=True):
        assert max(map(float, row)) < 2 * min(map(float, row))  # "within a factor of two"
