"""Grader for capacity-planning: each of the learner's seven functions on 200 cases drawn
from the attempt's seed, compared here with perfcoach.sim.capacity.

The cases are new on every check (a fresh seed per attempt), so no table of answers
carries over; the learner's capacity.py runs only in the sandboxed subject, which is sent
the inputs and never an expected value. One row per function counts the cases answered
right, out of CASES:

* a number is right within 2 % of the reference: |yours − reference| / max(|reference|,
  FLOOR). The cases are drawn so that no reference is near 0 (Erlang C ≥ 0.001, every
  time and rate well above FLOOR), so the floor only keeps the ratio defined; NaN, an
  infinity, a non-number or an exception is never right.
* servers_for_p95 and the instance count of fleet_plan are whole servers: right only when
  exact (one server more than 100 is wrong, not "1 % off"), and so are the plan's
  connections. The cases keep their target at least MARGIN away from the P95 with the
  answer and with one server fewer, so any correct way of computing the P95 lands on the
  same count.
* usl_fit is judged on its predictions, not its coefficients (a linearised and a
  nonlinear fit of noisy data differ in α and β, and both are right): N*, X(N*) and X at
  twice the largest node count measured, each within 5 % of the reference fit's. The
  measurement noise (0.3 %, 0.15 % on the repeated one-node run) and node counts that
  reach 1.2–1.8 × the peak keep every correct fit inside that: over 12,000 datasets a
  Gauss-Newton fit of (X(1), α, β) came within 1.5 % of the linearised one, a grid search
  on relative errors within 3.1 %.

Erlang C cases go up to c = 500 (half of them above 150), where A**c / c! overflows. The
e-commerce plan's first case is the seed's own (100,000 requests/s, 85 % cache hits, P95
under 200 ms, 20 connections per instance); the notes say what the learner's plan makes
of it. Everything is a count over seeded inputs: the same code and seed give the same
numbers.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, Workload, WrongAnswer
from perfcoach.sim import capacity as ref

CASES = 200
TOLERANCE = 0.02
USL_TOLERANCE = 0.05
FLOOR = 1e-9  # keeps the relative error defined; no reference comes near it
MARGIN = 0.005  # a whole-server answer's target sits this far from the P95 on either side
NOISE = 0.003  # relative noise of a throughput measurement (USL cases)
ONE_NODE_NOISE = 0.0015  # the one-node run is repeated and averaged: half the noise
LN20 = math.log(20)
SEED_CASE = (100_000.0, 0.85, 0.002, 8, 0.7, 0.2, 0.002, 20, 97)
LESSON = "lesson capacity-planning"


@dataclass(frozen=True)
class Case:
    """One question: the arguments sent, and the reference's answer (kept here)."""

    args: tuple[Any, ...]
    expected: Any


@dataclass(frozen=True)
class Judgement:
    """How one answer compares: its error (inf when it is not a usable answer) and why."""

    error: float
    why: str = ""  # for a non-answer: what came back instead
    exact: bool = False  # a whole number (servers, connections): right only at error 0

    @property
    def right(self) -> bool:
        """Within TOLERANCE, or exact for a whole number: 1 server in 100 is not 1 % off."""
        return self.error == 0 if self.exact else self.error <= TOLERANCE


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def littles_cases(rng: random.Random) -> list[Case]:
    """Rates from 0.1 to a million per second, times from 0.1 ms to 100 s."""
    cases = []
    for _ in range(CASES):
        lam, w = _log_uniform(rng, 0.1, 1e6), _log_uniform(rng, 1e-4, 100.0)
        cases.append(Case((lam, w), ref.littles_law(lam, w)))
    return cases


QUANTILES = (0.5, 0.9, 0.95, 0.99, 0.999)


def mm1_cases(rng: random.Random) -> list[Case]:
    """Utilisation 5–98 %; half the cases ask a usual percentile, half any p in (0.01,
    0.9999), so a multiple of the mean that suits one percentile misses the others."""
    cases = []
    for i in range(CASES):
        mu = _log_uniform(rng, 1.0, 10_000.0)
        lam = mu * rng.uniform(0.05, 0.98)
        p = QUANTILES[i % len(QUANTILES)] if i % 2 == 0 else rng.uniform(0.01, 0.9999)
        cases.append(Case((lam, mu, p), ref.mm1_quantile(lam, mu, p)))
    return cases


def erlang_c_cases(rng: random.Random) -> list[Case]:
    """c from 1 to 500, half above 150; a = c − k√c (k 0.05–2.5), so that C lies between
    about 0.001 and 0.97 and every case is a real question, not a rounding of 0 or 1."""
    cases: list[Case] = []
    while len(cases) < CASES:
        c = rng.randint(151, 500) if len(cases) % 2 else rng.randint(1, 150)
        a = c - rng.uniform(0.05, 2.5) * math.sqrt(c)
        if a <= 0.05 * c:
            a = c * rng.uniform(0.3, 0.95)
        expected = ref.erlang_c(c, a)
        if 1e-3 <= expected <= 0.97:
            cases.append(Case((c, a), expected))
    return cases


def servers_cases(rng: random.Random) -> list[Case]:
    """Offered load 0.3–480 servers' worth, service 2–200 ms, a target 1.15–8 × the P95 of
    the service alone; targets within MARGIN of a P95 on either side are drawn again."""
    cases: list[Case] = []
    while len(cases) < CASES:
        mu = _log_uniform(rng, 5.0, 500.0)
        lam = mu * _log_uniform(rng, 0.3, 480.0)
        t = LN20 / mu * _log_uniform(rng, 1.15, 8.0)
        sizing = ref.servers_for_p95(lam, mu, t)
        if sizing.p95_s <= t * (1 - MARGIN) and sizing.p95_one_fewer_s >= t * (1 + MARGIN):
            cases.append(Case((lam, mu, t), sizing.servers))
    return cases


def usl_peak_cases(rng: random.Random) -> list[Case]:
    """Coefficients of fits from real systems: α 0.001–0.3, β 10⁻⁵–10⁻²."""
    cases = []
    for _ in range(CASES):
        x1 = _log_uniform(rng, 50.0, 20_000.0)
        alpha, beta = rng.uniform(0.001, 0.3), _log_uniform(rng, 1e-5, 1e-2)
        cases.append(Case((x1, alpha, beta), ref.usl_peak(x1, alpha, beta)))
    return cases


@dataclass(frozen=True)
class UslTruth:
    """What a USL dataset was drawn from, for the notes."""

    x1: float
    alpha: float
    beta: float


def usl_measurements(rng: random.Random) -> tuple[list[tuple[int, float]], UslTruth]:
    """7–10 node counts from 1 to 1.2–1.8 × the true peak, roughly geometric, each
    throughput with NOISE (ONE_NODE_NOISE at one node)."""
    alpha, beta = rng.uniform(0.01, 0.08), rng.uniform(2e-4, 2e-3)
    x1 = _log_uniform(rng, 200.0, 5_000.0)
    largest = max(8, round(math.sqrt((1 - alpha) / beta) * rng.uniform(1.2, 1.8)))
    k = rng.randint(7, 10)
    nodes = sorted({1} | {max(2, round(largest ** (i / (k - 1)))) for i in range(1, k)})
    points = []
    for n in nodes:
        noise = ONE_NODE_NOISE if n == 1 else NOISE
        points.append((n, round(x1 * ref.usl(n, alpha, beta) * (1 + rng.gauss(0, noise)), 2)))
    return points, UslTruth(x1, alpha, beta)


def usl_predictions(fit: tuple[float, float, float], largest: int) -> tuple[float, float, float]:
    """N*, X(N*) and X(2 × largest) of a fit (x1, α, β); inf where the fit has no peak."""
    x1, alpha, beta = fit
    try:
        at_double = x1 * ref.usl(2 * largest, alpha, beta)
        if beta <= 0 or alpha >= 1:
            return math.inf, math.inf, at_double
        peak, at_peak = ref.usl_peak(x1, alpha, beta)
    except (ZeroDivisionError, OverflowError, ValueError):  # a learner's absurd coefficients
        return math.inf, math.inf, math.inf
    return peak, at_peak, at_double


def usl_fit_cases(rng: random.Random) -> list[Case]:
    """Noisy measurements; the expected value is the reference fit's three predictions."""
    cases = []
    for _ in range(CASES):
        points, _ = usl_measurements(rng)
        cases.append(Case((points,), usl_predictions(ref.usl_fit(points), points[-1][0])))
    return cases


def fleet_cases(rng: random.Random) -> list[Case]:
    """The seed's case first; then fleets of 1 to a few hundred instances. Every other case
    gets a target the CPU ceiling's count misses (unless it is within 2 % of the service's
    own P95); in all, the P95 target sets the count in about a fifth of the cases, from 1 to
    a dozen instances past the ceiling. Cases within MARGIN of either boundary are drawn
    again. The second plan's pools open exactly max_connections, which fits."""
    cases = [Case(SEED_CASE, ref.fleet_plan(*SEED_CASE))]
    while len(cases) < CASES:
        cpu_s = _log_uniform(rng, 0.0005, 0.05)
        cores = rng.choice((2, 4, 8, 16, 32))
        max_util = rng.uniform(0.5, 0.85)
        rps = cores / cpu_s * _log_uniform(rng, 0.5, 200.0)
        max_util = round(max_util, 3)
        if len(cases) % 2 == 0:  # a target the CPU ceiling's instance count misses
            ceiling = math.ceil(rps * cpu_s / (cores * max_util))
            at_ceiling = ref.instance_p95(rps, ceiling, cores, cpu_s)
            p95_s = max(at_ceiling * rng.uniform(0.75, 0.98), LN20 * cpu_s * 1.02)
        else:
            p95_s = cpu_s * rng.uniform(8.0, 100.0)
        args = (
            round(rps, 1),
            round(rng.uniform(0.5, 0.98), 3),
            cpu_s,
            cores,
            max_util,
            p95_s,
            _log_uniform(rng, 0.0005, 0.02),
            rng.randint(5, 50),
            rng.choice((97, 197, 497, 997, 4997)),
        )
        if _clear_of_boundaries(*args[:6]):
            if len(cases) == 1:  # one plan opens exactly the limit: it fits (≤, not <)
                args = (*args[:8], ref.fleet_plan(*args).connections)
            cases.append(Case(args, ref.fleet_plan(*args)))
    return cases


def _clear_of_boundaries(
    rps: float, _hits: float, cpu_s: float, cores: int, max_util: float, p95_s: float
) -> bool:
    """Whether the instance count is the same however the P95 and ceiling are computed."""
    servers = ref.fleet_plan(rps, 0.0, cpu_s, cores, max_util, p95_s, 0.0, 1, 1).servers
    need = rps * cpu_s / (cores * max_util)
    if abs(need - round(need)) < MARGIN * max(need, 1):
        return False
    if ref.instance_p95(rps, servers, cores, cpu_s) > p95_s * (1 - MARGIN):
        return False
    fewer = servers - 1
    return fewer * cores * max_util <= rps * cpu_s or (
        ref.instance_p95(rps, fewer, cores, cpu_s) >= p95_s * (1 + MARGIN)
    )


MAKERS: dict[str, Callable[[random.Random], list[Case]]] = {
    "littles_law": littles_cases,
    "mm1_quantile": mm1_cases,
    "erlang_c": erlang_c_cases,
    "servers_for_p95": servers_cases,
    "usl_peak": usl_peak_cases,
    "usl_fit": usl_fit_cases,
    "fleet_plan": fleet_cases,
}


def make_questions(ctx: LabContext) -> dict[str, list[Case]]:
    """Every function's cases, each from a stream of its own."""
    return {name: make(ctx.rng(name)) for name, make in MAKERS.items()}


def as_number(value: Any) -> tuple[float, str]:
    """value as a finite float and '', or nan and why it is no answer."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "raised":
        return math.nan, f"raised {value[1]}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan, f"returned {value!r:.60}, not a number"
    try:
        number = float(value)
    except OverflowError:
        return math.nan, "returned an integer too large for a float"
    if math.isnan(number):
        return math.nan, "returned nan"
    if math.isinf(number):
        return math.nan, f"returned {number}"
    return number, ""


def _not_usable(value: Any) -> str:
    """Why value is not a number an answer can be, or ''."""
    return as_number(value)[1]


def relative_error(got: Any, expected: float) -> Judgement:
    """|got − expected| / max(|expected|, FLOOR), or inf with the reason got is no answer."""
    number, why = as_number(got)
    if why:
        return Judgement(math.inf, why)
    error = abs(number - expected) / max(abs(expected), FLOOR)
    return Judgement(error if math.isfinite(error) else math.inf)


def whole_servers(got: Any, expected: int) -> Judgement:
    """0 for the exact count, else the relative error (a count of servers is an integer)."""
    if isinstance(got, float) and got.is_integer():
        got = int(got)
    if not isinstance(got, int) or isinstance(got, bool):
        return Judgement(math.inf, _not_usable(got) or f"returned {got!r:.60}, not a whole number")
    if abs(got - expected) > expected * 1e6:
        return Judgement(math.inf, exact=True)
    return Judgement(abs(got - expected) / expected, exact=True)


def _badness(verdict: Judgement) -> tuple[bool, float]:
    """Orders verdicts: any wrong one before any right one, then by error."""
    return not verdict.right, verdict.error


def worst_of(parts: list[Judgement]) -> Judgement:
    """The worst part of a many-part answer: a wrong part, however small its error."""
    return max(parts, key=_badness)


def pair(got: Any, expected: tuple[float, ...], tolerance: float = TOLERANCE) -> Judgement:
    """Each part of a tuple answer within tolerance (scaled to TOLERANCE for counting)."""
    if isinstance(got, tuple) and got and got[0] == "raised":
        return Judgement(math.inf, f"raised {got[1]}")
    if not isinstance(got, list | tuple) or len(got) != len(expected):
        return Judgement(math.inf, f"returned {got!r:.60}, not {len(expected)} numbers")
    verdicts = [relative_error(g, e) for g, e in zip(got, expected, strict=True)]
    worst = worst_of(verdicts)
    return Judgement(worst.error * TOLERANCE / tolerance, worst.why)


def usl_fit_verdict(got: Any, case: Case) -> Judgement:
    """The learner's coefficients' three predictions against the reference fit's, 5 %."""
    if isinstance(got, tuple) and got and got[0] == "raised":
        return Judgement(math.inf, f"raised {got[1]}")
    if not isinstance(got, list | tuple) or len(got) != 3 or any(_not_usable(g) for g in got):
        return Judgement(math.inf, f"returned {got!r:.60}, not three numbers (X(1), α, β)")
    points = case.args[0]
    fit = as_number(got[0])[0], as_number(got[1])[0], as_number(got[2])[0]
    predicted = usl_predictions(fit, points[-1][0])
    return pair(predicted, case.expected, USL_TOLERANCE)


def fleet_verdict(got: Any, case: Case) -> Judgement:
    """Instances and connections exact, busy connections within 2 %, fits exact."""
    if isinstance(got, tuple) and got and got[0] == "raised":
        return Judgement(math.inf, f"raised {got[1]}")
    if not isinstance(got, list | tuple) or len(got) != 4:
        return Judgement(math.inf, f"returned {got!r:.60}, not (servers, connections, busy, fits)")
    plan: ref.FleetPlan = case.expected
    parts = [
        whole_servers(got[0], plan.servers),
        whole_servers(got[1], plan.connections),
        relative_error(got[2], plan.busy_connections),
        Judgement(0.0 if got[3] is plan.fits else math.inf),
    ]
    return worst_of(parts)


def judge(name: str, got: Any, case: Case) -> Judgement:
    """One answer of function name against its case."""
    if name == "servers_for_p95":
        return whole_servers(got, case.expected)
    if name == "usl_peak":
        return pair(got, case.expected)
    if name == "usl_fit":
        return usl_fit_verdict(got, case)
    if name == "fleet_plan":
        return fleet_verdict(got, case)
    return relative_error(got, case.expected)


@dataclass(frozen=True)
class Row:
    """One function's cases: how many were right, the worst, and every verdict."""

    name: str
    right: int
    verdicts: list[Judgement]
    cases: list[Case]
    answers: list[Any]

    @property
    def worst(self) -> int:
        """Index of the worst case."""
        return max(range(len(self.verdicts)), key=lambda i: _badness(self.verdicts[i]))


def score(name: str, cases: list[Case], answers: list[Any]) -> Row:
    """Judge every answer of one function."""
    verdicts = [judge(name, got, case) for got, case in zip(answers, cases, strict=True)]
    right = sum(v.right for v in verdicts)
    return Row(name, right, verdicts, cases, answers)


def ask(reply_value: Any, questions: dict[str, list[Case]]) -> dict[str, list[Any]]:
    """The subject's answers, checked for shape: one per case for every function."""
    if not isinstance(reply_value, dict):
        raise WrongAnswer(f"the answers came back as {reply_value!r:.80}")
    for name, cases in questions.items():
        got = reply_value.get(name)
        if not isinstance(got, list) or len(got) != len(cases):
            raise WrongAnswer(f"{name}: {len(cases)} cases gave back {got!r:.80}")
    return reply_value


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    text = repr(value)
    return text if len(text) <= 24 else text[:20] + "…"


def _where(row: Row) -> str:
    """The worst case: its inputs, the expected and the learner's answers."""
    i = row.worst
    case, got, verdict = row.cases[i], row.answers[i], row.verdicts[i]
    args = case.args
    answer = verdict.why or f"returned {_fmt(got)}"
    shown = verdict.why or verdict.exact or math.isinf(verdict.error)
    off = "" if shown else f" ({verdict.error:.1%} off)"
    if row.name == "usl_fit":
        points = args[0]
        if isinstance(got, list | tuple) and len(got) == 3 and not any(map(_not_usable, got)):
            fit = float(got[0]), float(got[1]), float(got[2])
            answer = (
                f"returned (X(1), α, β) = {_fmt(fit)}, which predicts (N*, X(N*), X(2×)) ="
                f" {_fmt(usl_predictions(fit, points[-1][0]))}"
            )
        return (
            f"worst: usl_fit({len(points)} points, 1..{points[-1][0]} nodes) {answer},"
            f" expected {_fmt(case.expected)}"
        )
    if row.name == "fleet_plan":
        answer = verdict.why or f"returned {_fmt(got)}"
        return f"worst: fleet_plan{_fmt(args)} {answer}, expected {_fmt(astuple(case.expected))}"
    return f"worst: {row.name}{_fmt(args)} {answer}{off}, expected {_fmt(case.expected)}"


def littles_detail(row: Row) -> str:
    return (
        f"L = λW, with λ in requests/s and W in seconds → {LESSON} § 1. Two laws that always hold"
    )


def mm1_detail(row: Row) -> str:
    ratios = Counter(
        round(got * (mu - lam), 2)
        for (lam, mu, _), got in zip((c.args for c in row.cases), row.answers, strict=True)
        if not _not_usable(got)
    )
    common, seen = ratios.most_common(1)[0] if ratios else (None, 0)
    if seen > CASES // 2 and common is not None:
        return (
            f"{seen} of {CASES} answers are {common:g} × the mean 1/(μ − λ), whatever p is."
            " M/M/1 response time is exponential with rate μ − λ, so its p-quantile is"
            " −ln(1 − p)/(μ − λ): P50 = 0.69 × the mean, P95 = ln 20 ≈ 3.0 ×, P99 ≈ 4.6 ×"
            f" → {LESSON} § 2. One queue: M/M/1 and percentile targets"
        )
    return (
        "M/M/1 response time (wait + service) is exponential with rate μ − λ: P(T > t) ="
        " e^(−(μ − λ)t), and the p-quantile leaves 1 − p above it, so t = −ln(1 − p)/(μ − λ)"
        f" → {LESSON} § 2. One queue: M/M/1 and percentile targets"
    )


def erlang_detail(row: Row) -> str:
    broken = [
        i
        for i, v in enumerate(row.verdicts)
        if math.isinf(v.error) and ("Overflow" in v.why or "nan" in v.why or "inf" in v.why)
    ]
    if broken:
        smallest = min(row.cases[i].args[0] for i in broken)
        kinds = Counter(row.verdicts[i].why.split(":")[0] for i in broken)
        what = ", ".join(f"{k} ×{n}" for k, n in kinds.most_common())
        return (
            f"{len(broken)} cases broke ({what}), the smallest at c = {smallest}: A**c / c!"
            " needs numbers past a float's 1.8e308 (170! alone is 7.3e306), so it raises"
            " OverflowError or turns into inf / inf = nan. Use the Erlang B recursion,"
            " B(k) = A·B(k−1) / (k + A·B(k−1)), which stays between 0 and 1, then"
            f" C = c·B / (c − A(1 − B)) → {LESSON} § 3. Many servers: M/M/c and Erlang C"
        )
    wrong = [i for i, v in enumerate(row.verdicts) if not v.right]
    erlang_b = sum(
        1
        for i in wrong
        if not _not_usable(row.answers[i])
        and math.isclose(row.answers[i], ref.erlang_b(*row.cases[i].args), rel_tol=TOLERANCE)
    )
    if wrong and erlang_b > len(wrong) // 2:
        return (
            f"{erlang_b} of {len(wrong)} wrong answers are Erlang B, the share of requests"
            " lost by c servers with no queue. With a queue nothing is lost and more of them"
            f" wait: C = c·B / (c − A(1 − B)) → {LESSON} § 3. Many servers: M/M/c and Erlang C"
        )
    smallest = min((row.cases[i].args[0] for i in wrong), default=0)
    if wrong and smallest > 100:
        return (
            f"every miss is a pool of {smallest} servers or more, and the small pools are right:"
            " an approximation for big pools (the normal, Halfin–Whitt one is 5–35 % off at"
            " c = 150–500, worst where C is small) or a formula that loses precision as c"
            " grows is not within 2 %. The Erlang B recursion is exact for any c"
            f" → {LESSON} § 3. Many servers: M/M/c and Erlang C"
        )
    return (
        "C = c·B / (c − A(1 − B)), with B carried up from B(0) = 1 by B(k) = A·B(k−1) / (k +"
        " A·B(k−1)), where A = λ/μ is the offered load in Erlangs (not the utilisation A/c)"
        f" → {LESSON} § 3. Many servers: M/M/c and Erlang C"
    )


def servers_detail(row: Row) -> str:
    answers = [(c.args, got) for c, got in zip(row.cases, row.answers, strict=True)]
    utilisation = sum(
        1 for (lam, mu, _), got in answers if got == math.ceil(lam / mu / 0.8 - 1e-12)
    )
    wrong = [i for i, v in enumerate(row.verdicts) if not v.right]
    counts = {i: row.answers[i] for i in wrong if whole_servers(row.answers[i], 1).exact}
    separate = sum(
        1
        for i, got in counts.items()
        if got == math.ceil(answers[i][0][0] / (answers[i][0][1] - LN20 / answers[i][0][2]) - 1e-12)
    )
    unstable = sum(1 for i, got in counts.items() if got <= answers[i][0][0] / answers[i][0][1])
    low = sum(1 for i, got in counts.items() if got < row.cases[i].expected)
    high = sum(1 for i, got in counts.items() if got > row.cases[i].expected)
    if utilisation > CASES // 2:
        return (
            f"{utilisation} of {CASES} answers are ceil(A / 0.8): one utilisation for every"
            " target. Whether 80 % is enough depends on the target against the service time"
            " and on c: big pools meet the same P95 at higher utilisation. Increase c until"
            f" the M/M/c P95 (Erlang C, then the response-time tail) fits → {LESSON} § 3"
        )
    raised = Counter(
        row.verdicts[i].why.split(":")[0] for i in wrong if row.verdicts[i].why.startswith("raised")
    )
    if raised and sum(raised.values()) > len(wrong) // 2:
        what = ", ".join(f"{k} ×{n}" for k, n in raised.most_common())
        return (
            f"{sum(raised.values())} cases {what}. In sizing that usually comes from A**c / c!"
            " (use the Erlang B recursion, carried from c to c + 1) or from a pool of c ≤ A ="
            " λ/μ servers, where cμ − λ is negative and e^(−(cμ − λ)t) overflows: such a pool"
            f" cannot keep up at all, so start the search at floor(A) + 1 → {LESSON} § 3"
        )
    if unstable:
        return (
            f"{unstable} answers have c ≤ A = λ/μ servers: such a pool cannot keep up (its"
            " utilisation is 100 % or more), its queue grows without bound and the M/M/c"
            " formulas mean nothing there (Erlang C leaves [0, 1], cμ − λ turns negative)."
            f" Start the search at floor(A) + 1 → {LESSON} § 3"
        )
    if wrong and separate > len(wrong) // 2:
        return (
            f"{separate} answers size each server as its own M/M/1 queue taking λ/c: separate"
            " queues let a request wait behind a busy server while another idles, so they need"
            " more servers than one shared queue. servers_for_p95 is M/M/c: the P95 of wait +"
            f" service with Erlang C → {LESSON} § 3 (Pooling)"
        )
    if wrong and low > len(wrong) // 2:
        return (
            f"{low} of {len(wrong)} wrong answers have too few servers: the target is for the"
            " P95 of the whole response time, wait + service, and a P95 is neither a mean (for"
            " one server it is ln 20 ≈ 3 × the mean) nor the wait's alone; the queue drains at"
            " cμ − λ, not cμ. Count c as enough when P(T > t) ≤ 0.05 on the M/M/c"
            f" response-time tail → {LESSON} § 3"
        )
    if wrong and high > len(wrong) // 2:
        return (
            f"{high} of {len(wrong)} wrong answers have too many servers: the P95 is of the"
            " response time as a whole, P(T > t) ≤ 0.05 on the M/M/c tail. A request that finds"
            " a free server does not wait (only a share C does), the P95s of the wait and of"
            " the service do not add up, and the answer is the fewest c that meets the target,"
            f" with no spare: a count is right only when exact → {LESSON} § 3"
        )
    return f"the fewest c whose M/M/c P95 (wait + service) is ≤ t → {LESSON} § 3"


def usl_peak_detail(row: Row) -> str:
    linear = sum(
        1
        for c, got in zip(row.cases, row.answers, strict=True)
        if isinstance(got, list | tuple)
        and len(got) == 2
        and not _not_usable(got[1])
        and not _not_usable(got[0])
        and math.isclose(got[1], c.args[0] * got[0], rel_tol=TOLERANCE)
    )
    if linear > CASES // 2:
        return (
            f"{linear} of {CASES} answers give X(N*) = X(1)·N*, as if every node added a whole"
            " node's throughput. At the peak the contention and coherence terms cost the most:"
            f" X(N*) = X(1)·C(N*) with C(N) = N / (1 + α(N − 1) + βN(N − 1)) → {LESSON} §"
            " 4. The Universal Scalability Law"
        )
    wrong = [i for i, v in enumerate(row.verdicts) if not v.right]
    rounded = sum(
        1
        for i in wrong
        if isinstance(row.answers[i], list | tuple)
        and len(row.answers[i]) == 2
        and not _not_usable(row.answers[i][0])
        and float(row.answers[i][0]).is_integer()
    )
    if wrong and rounded > len(wrong) // 2:
        return (
            f"{rounded} of {len(wrong)} wrong answers give a whole number of nodes for N*."
            " N* = √((1 − α)/β) is where the curve peaks, a real number, not a deployment:"
            " rounding moves a peak under 25 nodes by more than 2 %. Round when you plan"
            f" nodes, not in the model → {LESSON} § 4. The Universal Scalability Law"
        )
    return f"N* = √((1 − α)/β), X(N*) = X(1)·C(N*) → {LESSON} § 4"


def usl_fit_detail(row: Row) -> str:
    fits = [
        got
        for got in row.answers
        if isinstance(got, list | tuple) and len(got) == 3 and not any(_not_usable(g) for g in got)
    ]
    no_beta = sum(1 for _, _, beta in fits if beta == 0)
    no_alpha = sum(1 for _, alpha, beta in fits if alpha == 0 and beta != 0)
    if no_beta > CASES // 2:
        return (
            f"{no_beta} of {CASES} fits have β = 0: no coherence cost means no peak, and"
            " throughput that grows forever (linear extrapolation, or Amdahl's law when α > 0)."
            " These systems measured past their peak: fit β too, with N/C(N) − 1 = α(N − 1) +"
            f" βN(N − 1) → {LESSON} § 4. The Universal Scalability Law (Fitting it)"
        )
    if no_alpha > CASES // 2:
        return (
            f"{no_alpha} of {CASES} fits have α = 0: without the contention term the fit"
            " blames everything on β and moves the peak. Fit both coefficients together"
            f" (two unknowns, least squares) → {LESSON} § 4 (Fitting it)"
        )
    return (
        "predictions (N*, X(N*), X at twice the largest node count) within 5 % of a least-squares"
        " fit's. X(N) is the cluster's total throughput as measured, and C(N) = X(N)/X(1): fit"
        " N/C(N) − 1 = α(N − 1) + βN(N − 1) over every point, both coefficients at once"
        f" → {LESSON} § 4 (Fitting it)"
    )


def fleet_detail(row: Row) -> str:
    hot = low = high = busy = pools = fits = 0
    for got, case in zip(row.answers, row.cases, strict=True):
        plan: ref.FleetPlan = case.expected
        if not isinstance(got, list | tuple) or len(got) != 4:
            continue
        servers, connections = got[0], got[1]
        pool_size, max_connections = case.args[7], case.args[8]
        rps, cpu_s, cores, max_utilisation = case.args[0], case.args[2], case.args[3], case.args[4]
        if isinstance(servers, int) and servers < plan.servers:  # a small count: no overflow
            if servers * cores * max_utilisation < rps * cpu_s:
                hot += 1
            else:
                low += 1
        if isinstance(servers, int) and servers > plan.servers:
            high += 1
        if relative_error(got[2], plan.busy_connections).error > TOLERANCE:
            busy += 1
        if isinstance(servers, int) and connections != servers * pool_size:
            pools += 1
        elif isinstance(connections, int) and got[3] is not (connections <= max_connections):
            fits += 1
    parts = []
    if hot:
        parts.append(
            f"{hot} plans run the CPU above max_utilisation: every request, cache hit or not,"
            " costs cpu_s of one core, so the fleet needs at least rps·cpu_s /"
            " (cores·max_utilisation) instances, rounded up to the next whole one (ceil, not"
            " round)"
        )
    if low:
        parts.append(
            f"{low} plans have too few instances: where the P95 target is tight the CPU ceiling"
            " is not enough. Each instance is its own M/M/cores queue (the balancer splits the"
            " traffic evenly, and a request runs on one core for cpu_s): add instances until"
            " its P95 fits"
        )
    if high:
        parts.append(
            f"{high} plans have too many instances: the fewest whose CPU stays at or under the"
            " ceiling and whose per-instance M/M/cores P95 (wait + service) meets the target"
        )
    if busy:
        parts.append(
            f"{busy} plans have the wrong busy connections: Little's law on the database,"
            " the cache misses per second (rps × (1 − hit ratio)) × the query time in seconds"
        )
    if pools:
        parts.append(
            f"{pools} plans count the connections wrong: each instance opens one pool of"
            " pool_size, so connections = instances × pool_size"
        )
    if fits:
        parts.append(
            f"{fits} plans say the wrong thing about fitting: the database's limit counts the"
            " connections the pools open, busy or idle, so fits = connections ≤ max_connections"
        )
    parts.append(f"→ {LESSON} § 6. The seed's e-commerce case")
    return "; ".join(parts)


DETAILS: dict[str, Callable[[Row], str]] = {
    "littles_law": littles_detail,
    "mm1_quantile": mm1_detail,
    "erlang_c": erlang_detail,
    "servers_for_p95": servers_detail,
    "usl_peak": usl_peak_detail,
    "usl_fit": usl_fit_detail,
    "fleet_plan": fleet_detail,
}


def detail(row: Row) -> str:
    """The row's count, its worst case and, when it missed, what usually causes it."""
    head = f"{row.right} of {CASES} right"
    if row.right == CASES:
        return head
    return f"{head}; {_where(row)}. {DETAILS[row.name](row)}"


def seed_note(answer: Any) -> str:
    """What the learner's plan makes of the seed's own case."""
    plan = ref.fleet_plan(*SEED_CASE)
    told = (
        f"{_fmt(answer)}"
        if not isinstance(answer, list | tuple) or len(answer) != 4
        else f"{_fmt(answer[0])} instances, {_fmt(answer[1])} connections, {_fmt(answer[2])}"
        f" busy, fits={_fmt(answer[3])}"
    )
    return (
        "The seed's e-commerce case (100,000 requests/s, 85 % cache hits, 2 ms CPU on 8 cores,"
        f" 70 % CPU ceiling, P95 ≤ 200 ms, 20 connections per instance, 97 usable): yours says"
        f" {told}. The reference plan: {plan.servers} instances, {plan.connections} connections"
        f" against a limit of 97, while only {plan.busy_connections:.0f} are busy: the plan"
        " breaks the connection limit long before it runs out of CPU. Size pools from Little's"
        " law, or put a pooler in front of the database (lesson § 6)."
    )


def grade(ctx: LabContext) -> Grade:
    """Both sides answer the same cases at once; each function's row counts the right ones."""
    questions = make_questions(ctx)
    wire = {name: [case.args for case in cases] for name, cases in questions.items()}
    theirs = ctx.baseline.start("answer", wire)
    mine = ask(ctx.candidate.call("answer", wire).value, questions)
    base = ask(theirs.result().value, questions)
    metrics = {}
    for name, cases in questions.items():
        row, base_row = score(name, cases, mine[name]), score(name, cases, base[name])
        metrics[name] = Measured(row.right, base_row.right, detail=detail(row))
    return Grade(correct=True, metrics=metrics, notes=[seed_note(mine["fleet_plan"][0])])


def workload(ctx: LabContext) -> Workload:
    """Every function on one seed's cases, for `perfcoach lab profile`."""
    questions = make_questions(ctx)
    return Workload(
        "answer", ({name: [c.args for c in cases] for name, cases in questions.items()},)
    )
