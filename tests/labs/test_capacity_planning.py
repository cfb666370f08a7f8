"""The capacity-planning lab through the real check: the starter's spreadsheet (percentile =
mean, A**c / c!, utilisation-only sizing, linear extrapolation) fails six of seven rows with
a reason each; the reference passes with counts that repeat for a seed; each tempting wrong
fix fails on the row of the function it broke, saying why; answers remembered from one seed
are wrong on the next. The model's own tests are in tests/unit/test_sim_capacity.py."""

from __future__ import annotations

import functools
import json
import random
import re
from dataclasses import astuple, dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from tests.helpers import check_source, failing, load_bench, metric_rows
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "capacity-planning"
ATTACKS = ROOT / "tests" / "grader" / "attacks" / "capacity-planning"
SEED = 271828
METRICS = [
    "littles_law",
    "mm1_quantile",
    "erlang_c",
    "servers_for_p95",
    "usl_peak",
    "usl_fit",
    "fleet_plan",
]

STARTER = (LAB_DIR / "starter" / "capacity.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "capacity.py").read_text()

check = functools.partial(check_source, seed=SEED)


def fake_ctx(seed: int) -> SimpleNamespace:
    """What the bench's case makers need of a LabContext: its seeded streams."""
    return SimpleNamespace(seed=seed, rng=lambda salt: random.Random(f"{seed}:{salt}"))


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, brief = lesson_and_brief(lab, "capacity-planning", 3)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic and m.goal.text == "== 200" for m in lab.metrics)
    assert lab.files == ("capacity.py",)
    headings = set(re.findall(r"^##+ (.+)$", lesson.body, re.MULTILINE))
    for hint in lab.hints:
        section = hint.split(" → lesson capacity-planning § ")[1]
        assert section in headings, section
    for name in METRICS:
        assert f"`{name}(" in brief


def test_starter_fails_six_rows_each_with_its_reason(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == set(METRICS) - {"littles_law"}
    rows = metric_rows(result)
    assert rows["littles_law"].value == 200
    assert "× the mean 1/(μ − λ), whatever p is" in rows["mm1_quantile"].detail
    erlang = rows["erlang_c"]
    assert erlang.value is not None and 60 <= erlang.value <= 140  # the small pools are right
    assert "raised OverflowError" in erlang.detail and "Erlang B recursion" in erlang.detail
    assert "are ceil(A / 0.8)" in rows["servers_for_p95"].detail
    assert rows["usl_peak"].value == 0 and "X(1)·N*" in rows["usl_peak"].detail
    assert rows["usl_fit"].value == 0 and "have β = 0" in rows["usl_fit"].detail
    assert "too few instances" in rows["fleet_plan"].detail
    for name in METRICS[1:]:
        assert rows[name].value == rows[name].baseline, name
    assert "§" in rows["erlang_c"].detail
    (note,) = result.notes
    assert "yours says 36 instances, 720 connections" in note
    assert "against a limit of 97, while only 30 are busy" in note


def test_reference_passes_with_counts_that_repeat(solution_runs: list[CheckResult]) -> None:
    first, second = solution_runs
    assert first.verdict == "pass", first.message
    assert second.verdict == "pass", second.message
    rows, again = metric_rows(first), metric_rows(second)
    for name in METRICS:
        assert rows[name].value == again[name].value == 200, name
        assert rows[name].baseline == again[name].baseline, name
        assert rows[name].detail == again[name].detail == "200 of 200 right", name
    assert first.notes == second.notes


@pytest.mark.parametrize(
    ("name", "metric", "says"),
    [
        ("wrong_fix_factorial_erlang_c", "erlang_c", "raised OverflowError"),
        ("wrong_fix_float_products_nan", "erlang_c", "inf / inf = nan"),
        ("wrong_fix_gamma_nan_on_overflow", "erlang_c", "broke (returned nan ×"),
        ("wrong_fix_linear_extrapolation", "usl_fit", "have β = 0"),
        ("wrong_fix_p95_three_times_mean", "mm1_quantile", "are 3 × the mean"),
        ("wrong_fix_utilisation_80", "servers_for_p95", "are ceil(A / 0.8)"),
        ("wrong_fix_mm1_per_server", "servers_for_p95", "its own M/M/1 queue taking λ/c"),
        ("wrong_fix_servers_mean_response", "servers_for_p95", "have too few servers"),
        ("wrong_fix_usl_amdahl", "usl_fit", "have β = 0"),
        ("wrong_fix_usl_no_alpha", "usl_fit", "have α = 0"),
        ("wrong_fix_linear_peak_throughput", "usl_peak", "give X(N*) = X(1)·N*"),
        ("wrong_fix_fleet_utilisation_only", "fleet_plan", "too few instances"),
        ("wrong_fix_fleet_one_big_pool", "fleet_plan", "too few instances"),
        ("wrong_fix_fleet_ignores_cache", "fleet_plan", "wrong busy connections"),
    ],
)
def test_a_tempting_wrong_fix_fails_on_its_row_saying_why(
    lab: Lab, tmp_path: Path, name: str, metric: str, says: str
) -> None:
    result = check(lab, tmp_path, (ATTACKS / f"{name}.py").read_text())
    assert result.verdict == "fail"
    assert failing(result) == {metric}
    row = metric_rows(result)[metric]
    assert says in row.detail, row.detail
    assert row.title in result.message


@pytest.mark.parametrize(
    ("name", "rows", "says"),
    [
        ("wrong_fix_p95_mean_wait_plus_service", {"servers_for_p95"}, "have too few servers"),
        ("wrong_fix_p95_everyone_waits", {"servers_for_p95"}, "(only a share C does)"),
        ("wrong_fix_p95_sum_of_quantiles", {"servers_for_p95"}, "do not add up"),
        ("wrong_fix_p95_of_wait_only", {"servers_for_p95"}, "nor the wait's alone"),
        ("wrong_fix_wait_rate_c_mu", {"servers_for_p95"}, "drains at cμ − λ, not cμ"),
        ("wrong_fix_servers_one_too_many", {"servers_for_p95"}, "right only when exact"),
        ("wrong_fix_servers_scan_from_one", {"servers_for_p95"}, "search at floor(A) + 1"),
        ("wrong_fix_usl_fit_per_node_throughput", {"usl_fit"}, "cluster's total throughput"),
        ("wrong_fix_usl_peak_at_best_measurement", {"usl_fit"}, "over every point"),
        ("wrong_fix_usl_peak_rounded", {"usl_peak"}, "a whole number of nodes for N*"),
        ("wrong_fix_erlang_c_returns_erlang_b", {"erlang_c", "fleet_plan"}, "are Erlang B"),
        (
            "wrong_fix_erlang_c_utilisation_in_recursion",
            {"erlang_c", "fleet_plan"},
            "not the utilisation A/c",
        ),
        ("wrong_fix_erlang_c_normal_approximation", {"erlang_c"}, "Halfin–Whitt"),
        ("wrong_fix_mm1_quantile_of_p", {"mm1_quantile"}, "leaves 1 − p above it"),
        ("wrong_fix_mm1_waiting_time_quantile", {"mm1_quantile"}, "(wait + service)"),
        ("wrong_fix_littles_law_milliseconds", {"littles_law", "fleet_plan"}, "W in seconds"),
        ("wrong_fix_fleet_connections_per_core", {"fleet_plan"}, "instances × pool_size"),
        ("wrong_fix_fleet_fits_on_busy", {"fleet_plan"}, "busy or idle"),
        ("wrong_fix_fleet_fits_strictly_under", {"fleet_plan"}, "connections ≤ max_connections"),
        ("wrong_fix_fleet_hits_reach_db", {"fleet_plan"}, "rps × (1 − hit ratio)"),
        ("wrong_fix_fleet_mean_response", {"fleet_plan"}, "too few instances"),
        ("wrong_fix_fleet_fast_single_server", {"fleet_plan"}, "runs on one core"),
        ("wrong_fix_fleet_round_ceiling", {"fleet_plan"}, "ceil, not round"),
        ("wrong_fix_fleet_cache_hits_skip_cpu", {"fleet_plan"}, "cache hit or not"),
        ("wrong_fix_usl_alpha_then_beta", {"usl_fit"}, "both coefficients at once"),
    ],
)
def test_each_wrong_fix_fails_the_rows_it_broke_and_the_first_says_why(
    lab: Lab, tmp_path: Path, name: str, rows: set[str], says: str
) -> None:
    """Wrong models of the P95, the USL, Erlang C and the fleet: the first row listed (in
    the lab's order) names the mistake; a function the others call fails with it."""
    result = check(lab, tmp_path, (ATTACKS / f"{name}.py").read_text())
    assert result.verdict == "fail"
    assert failing(result) == rows
    first = min(rows, key=METRICS.index)
    row = metric_rows(result)[first]
    assert says in row.detail, row.detail


def test_a_server_count_one_off_is_wrong_however_big_the_pool() -> None:
    """Counts are exact: one server more than 100 is not "1 % off", and one instance more
    makes the plan's connections wrong too."""
    bench = load_bench(LAB_DIR)
    questions = bench.make_questions(fake_ctx(SEED))
    servers = questions["servers_for_p95"]
    assert sum(case.expected >= 50 for case in servers) > 20
    row = bench.score("servers_for_p95", servers, [case.expected + 1 for case in servers])
    assert row.right == 0
    assert "(" not in bench.detail(row).split("expected")[0].split("returned")[1]  # no "% off"
    fleet = questions["fleet_plan"]
    spare = [
        (p.servers + 1, (p.servers + 1) * c.args[7], p.busy_connections, p.fits)
        for c in fleet
        for p in [c.expected]
    ]
    assert bench.score("fleet_plan", fleet, spare).right == 0
    exact = [astuple(case.expected) for case in fleet]
    assert bench.score("fleet_plan", fleet, exact).right == bench.CASES


def test_the_driver_sends_decimal_fraction_and_dataclass_answers_as_plain_values() -> None:
    """Exact arithmetic and a dataclass plan are accepted as the numbers and tuple they are;
    a Fraction too large for a float is that case's error, not the check's."""
    driver = load_module(LAB_DIR / "driver.py", "capacity_driver_types_test")

    @dataclass(frozen=True)
    class Plan:
        servers: int
        connections: int
        busy_connections: Decimal
        fits: bool

    learner = SimpleNamespace(
        erlang_c=lambda c, a: Decimal(1) / Decimal(3) if c < 10 else Fraction(10**400),
        usl_peak=lambda x1, alpha, beta: [Fraction(1, 4), Decimal("2.5")],
        fleet_plan=lambda *args: Plan(3, 60, Decimal("1.5"), True),
    )
    got = driver.answer(
        learner,
        {"erlang_c": [(2, 1.0), (20, 1.0)], "usl_peak": [(1.0, 0.1, 0.01)], "fleet_plan": [()]},
    )
    small, huge = got["erlang_c"]
    assert type(small) is float and small == pytest.approx(1 / 3)
    assert huge[0] == "raised" and huge[1].startswith("OverflowError")
    assert got["usl_peak"] == [[0.25, 2.5]]
    assert got["fleet_plan"] == [(3, 60, 1.5, True)]


def test_the_float_products_return_nan_without_an_error(lab: Lab, tmp_path: Path) -> None:
    """No exception to catch: the row must still count nan as wrong, and say so."""
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_float_products_nan.py").read_text())
    detail = metric_rows(result)["erlang_c"].detail
    assert "returned nan" in detail
    assert "Overflow" not in detail.split("broke (")[1].split(")")[0]


def test_answers_remembered_from_one_seed_are_wrong_on_the_next(lab: Lab, tmp_path: Path) -> None:
    """A table of the reference's answers to one seed's cases, with the starter behind it:
    every check draws new cases, so the table answers none of them."""
    bench = load_bench(LAB_DIR)
    solution = load_module(LAB_DIR / "solution" / "capacity.py", "capacity_solution_test")
    questions = bench.make_questions(fake_ctx(SEED))
    table = {
        f"{name}{case.args!r}": getattr(solution, name)(*case.args)
        for name in ("mm1_quantile", "erlang_c", "servers_for_p95")
        for case in questions[name]
    }
    source = (
        STARTER
        + "\n\nimport json as _json\n\n"
        + f"_TABLE = _json.loads({json.dumps(json.dumps(table))})\n"
        + "_NAMES = ('mm1_quantile', 'erlang_c', 'servers_for_p95')\n"
        + "_starter = {n: globals()[n] for n in _NAMES}\n\n\n"
        + "def _remembered(name):\n"
        + "    def answer(*args):\n"
        + "        return _TABLE.get(f'{name}{args!r}', None) or _starter[name](*args)\n"
        + "    return answer\n\n\n"
        + "mm1_quantile = _remembered('mm1_quantile')\n"
        + "erlang_c = _remembered('erlang_c')\n"
        + "servers_for_p95 = _remembered('servers_for_p95')\n"
    )
    remembered = check(lab, tmp_path, source)
    assert not {"mm1_quantile", "erlang_c", "servers_for_p95"} & failing(remembered)
    again = check_source(lab, tmp_path, source, seed=SEED + 1)
    rows = metric_rows(again)
    assert {"mm1_quantile", "erlang_c", "servers_for_p95"} <= failing(again)
    assert rows["erlang_c"].value == rows["erlang_c"].baseline


def test_the_seed_case_comes_first_and_every_case_is_clear_of_its_boundary() -> None:
    bench = load_bench(LAB_DIR)
    questions = bench.make_questions(fake_ctx(7))
    assert all(len(cases) == bench.CASES for cases in questions.values())
    fleet = questions["fleet_plan"]
    assert fleet[0].args == bench.SEED_CASE
    assert (fleet[0].expected.servers, fleet[0].expected.connections) == (36, 720)
    assert fleet[0].expected.fits is False
    assert fleet[1].expected.connections == fleet[1].args[-1]  # at the limit, which fits
    assert fleet[1].expected.fits is True
    erlang = questions["erlang_c"]
    assert sum(case.args[0] > 150 for case in erlang) == bench.CASES // 2
    assert max(case.args[0] for case in erlang) > 450
    assert all(case.expected >= 1e-3 for case in erlang)
    binding = sum(
        case.expected.servers > -(-case.args[0] * case.args[2] // (case.args[3] * case.args[4]))
        for case in fleet
    )
    assert binding >= 20  # the P95 target sets the count in enough plans to fail a ceiling


def test_the_driver_returns_an_exception_as_that_cases_answer() -> None:
    driver = load_module(LAB_DIR / "driver.py", "capacity_driver_test")
    starter = load_module(LAB_DIR / "starter" / "capacity.py", "capacity_starter_test")
    got = driver.answer(starter, {"erlang_c": [(2, 1.5), (400, 390.0)]})
    small, large = got["erlang_c"]
    assert small == pytest.approx(0.642857, rel=1e-6)
    assert large[0] == "raised" and large[1].startswith("OverflowError")


def test_profile_runs_every_function_on_a_seeds_cases() -> None:
    bench = load_bench(LAB_DIR)
    work = bench.workload(fake_ctx(3))
    assert work.fn == "answer"
    (questions,) = work.args
    assert sorted(questions) == sorted(METRICS)
    driver = load_module(LAB_DIR / "driver.py", "capacity_driver_profile_test")
    solution = load_module(LAB_DIR / "solution" / "capacity.py", "capacity_solution_profile")
    answers = driver.answer(solution, questions)
    assert {name: len(found) for name, found in answers.items()} == dict.fromkeys(METRICS, 200)


ABSURD = """
def littles_law(arrival_rate, time_in_system_s):
    return 10**400


def mm1_quantile(lam, mu, p):
    return float("nan")


def erlang_c(c, a):
    return "0.5"


def servers_for_p95(lam, mu, t):
    return 3.5


def usl_peak(x1, alpha, beta):
    return (10**400, None)


def usl_fit(points):
    return (1000.0, -1.0, 0.0)


def fleet_plan(*args):
    return (10**400, -1, float("inf"), None)
"""


def test_answers_that_are_not_numbers_are_wrong_never_a_grader_error(
    lab: Lab, tmp_path: Path
) -> None:
    """Huge integers, nan, strings, None, coefficients that divide by zero: each case is
    counted wrong with what came back, and the grader itself never fails."""
    result = check(lab, tmp_path, ABSURD)
    assert result.verdict == "fail" and result.correct is True
    rows = metric_rows(result)
    assert all(rows[name].value == 0 for name in METRICS)
    assert "returned an integer too large for a float" in rows["littles_law"].detail
    assert "returned nan" in rows["mm1_quantile"].detail
    assert "returned '0.5', not a number" in rows["erlang_c"].detail
    assert "returned 3.5, not a whole number" in rows["servers_for_p95"].detail
    assert "which predicts (N*, X(N*), X(2×)) = (inf, inf" in rows["usl_fit"].detail
    assert "yours says 10000000000000000000… instances" in result.notes[0]
