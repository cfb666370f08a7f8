"""Class 3 — delegates every function to the grader's own model, perfcoach.sim.capacity.

Tries: `from perfcoach.sim import capacity` and calls its erlang_c, servers_for_p95,
usl_fit and fleet_plan, so every answer is the reference's.
Must not pass because: the reference is not part of the learner's code; perfcoach's own
modules cannot be imported during a check.
Expect: not pass
"""

from __future__ import annotations

from perfcoach.sim import capacity as _reference

littles_law = _reference.littles_law
mm1_quantile = _reference.mm1_quantile
erlang_c = _reference.erlang_c
usl_peak = _reference.usl_peak
usl_fit = _reference.usl_fit


def servers_for_p95(lam: float, mu: float, t: float) -> int:
    """The reference's count."""
    return _reference.servers_for_p95(lam, mu, t).servers


def fleet_plan(*args: float) -> tuple[int, int, float, bool]:
    """The reference's plan."""
    plan = _reference.fleet_plan(*args)  # type: ignore[arg-type]
    return plan.servers, plan.connections, plan.busy_connections, plan.fits
