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
  exact. The cases keep their target at least MARGIN away from the P95 with the answer and
  with one server fewer, so any correct way of computing the P95 lands on the same count.
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
    """The seed's case first; then fleets of 1 to a few hundred instances where the CPU
    ceiling sets the count in about half the cases and the P95 target in the others.
    Cases within MARGIN of either boundary are drawn again."""
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
        return Judgement(math.inf)
    return Judgement(abs(got - expected) / expected)


def worst_of(parts: list[Judgement]) -> Judgement:
    """The worst part of a many-part answer."""
    return max(parts, key=lambda v: v.error)


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
        return max(range(len(self.verdicts)), key=lambda i: self.verdicts[i].error)


def score(name: str, cases: list[Case], answers: list[Any]) -> Row:
    """Judge every answer of one function."""
    verdicts = [judge(name, got, case) for got, case in zip(answers, cases, strict=True)]
    right = sum(v.error <= TOLERANCE for v in verdicts)
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
    off = "" if verdict.why or math.isinf(verdict.error) else f" ({verdict.error:.1%} off)"
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
    return f"the p-quantile of an exponential with rate μ − λ → {LESSON} § 2"


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
    return f"C(c, A) for c up to 500 → {LESSON} § 3. Many servers: M/M/c and Erlang C"


def servers_detail(row: Row) -> str:
    answers = [(c.args, got) for c, got in zip(row.cases, row.answers, strict=True)]
    utilisation = sum(
        1 for (lam, mu, _), got in answers if got == math.ceil(lam / mu / 0.8 - 1e-12)
    )
    separate = sum(
        1 for (lam, mu, t), got in answers if got == math.ceil(lam / (mu - LN20 / t) - 1e-12)
    )
    wrong = [i for i, v in enumerate(row.verdicts) if v.error > 0]
    high = sum(
        1
        for i in wrong
        if isinstance(row.answers[i], int) and row.answers[i] > row.cases[i].expected
    )
    if utilisation > CASES // 2:
        return (
            f"{utilisation} of {CASES} answers are ceil(A / 0.8): one utilisation for every"
            " target. Whether 80 % is enough depends on the target against the service time"
            " and on c: big pools meet the same P95 at higher utilisation. Increase c until"
            f" the M/M/c P95 (Erlang C, then the response-time tail) fits → {LESSON} § 3"
        )
    if separate > len(wrong) // 2 and wrong:
        return (
            f"{separate} answers size each server as its own M/M/1 queue taking λ/c: separate"
            " queues let a request wait behind a busy server while another idles, so they need"
            " more servers than one shared queue. servers_for_p95 is M/M/c: the P95 of wait +"
            f" service with Erlang C → {LESSON} § 3 (Pooling)"
        )
    low = sum(
        1
        for i in wrong
        if isinstance(row.answers[i], int) and row.answers[i] < row.cases[i].expected
    )
    if wrong and low > len(wrong) // 2:
        return (
            f"{low} of {len(wrong)} wrong answers have too few servers: the target is for the"
            " P95 of the response time, not its mean (for one server the P95 is ln 20 ≈ 3 ×"
            " the mean). Count c as enough when P(T > t) ≤ 0.05 on the M/M/c response-time"
            f" tail → {LESSON} § 3"
        )
    if wrong and high > len(wrong) // 2:
        return (
            f"{high} of {len(wrong)} wrong answers have too many servers: the P95 is of the"
            " response time (wait + service), P(T > t) ≤ 0.05, and a request that finds a free"
            f" server does not wait → {LESSON} § 3"
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
        f" fit's → {LESSON} § 4 (Fitting it)"
    )


def fleet_detail(row: Row) -> str:
    low = busy = 0
    for got, case in zip(row.answers, row.cases, strict=True):
        plan: ref.FleetPlan = case.expected
        if not isinstance(got, list | tuple) or len(got) != 4:
            continue
        if isinstance(got[0], int) and got[0] < plan.servers:
            low += 1
        if relative_error(got[2], plan.busy_connections).error > TOLERANCE:
            busy += 1
    parts = []
    if low:
        parts.append(
            f"{low} plans have too few instances: where the P95 target is tight the CPU ceiling"
            " is not enough. Each instance is its own M/M/cores queue (the balancer splits the"
            " traffic evenly): add instances until its P95 fits"
        )
    if busy:
        parts.append(
            f"{busy} plans have the wrong busy connections: Little's law on the database,"
            " the cache misses per second × the query time"
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
