"""Grader for ecommerce-100k: the learner's plan is data, the days and their figures are here.

The learner's plan.py runs in the candidate subject, behind driver.py, which calls plan()
once and sends back plain data; nothing about the days is ever sent there. Here the plan is
validated (a missing or absurd field stops the check with a one-line message naming it)
and simulated by perfcoach.sim.ecommerce on DAYS days of 288 five-minute slices drawn from
the check's seed: all but the last within the brief's ranges (peak hour, peak-to-mean
ratio, read/write mix, key skew and slow instances), the last from the hard end of each
range, so a plan sized for a lucky day does not pass by checking again until it gets one.
Each day: the autoscaler carried out, each tier's queue computed, a scaled-down sample of
requests walked through them. The starter's plan, the lab's own code, runs here on the
same days for the baseline column. Each row is its figure on the plan's worst day, and
its detail names that day.

* p95_ms — the 95th percentile of the sampled requests that reached the load balancer and
  were served.
* error_pct — requests that reached the load balancer and failed (an instance or a database
  past saturation, a pool's wait past its timeout, no connection), % of them, exact
  expectation over the day.
* db_connections — the most connections the pools may ask one database server for
  (its max_connections is 200): instances.max × pool_per_instance, or PgBouncer's
  connections, whatever the day's fleet reached (a day that never grows the fleet to its
  ceiling does not make a larger pool safe).
* cost_pct — the day's bill (instances, cache nodes, databases, pooler) as % of the
  previous architecture's.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from perfcoach.labkit import Grade, LabContext, Measured, Workload, WrongAnswer, load_module
from perfcoach.sim import ecommerce as sim

P95_MS = 200.0  # the brief's targets, also the goals in lab.toml
ERROR_PCT = 0.1
DB_CONNECTIONS = sim.MAX_CONNECTIONS
COST_PCT = 70.0
DAYS = 3  # graded days: the last one from the hard end of every range in the brief
LESSON = "→ lesson ecommerce-100k §"


def days(rng: Callable[[str], random.Random]) -> list[sim.Scenario]:
    """The check's days, drawn from its seed (`ctx.rng`) in this process only: one at the
    hard end of the brief's ranges, so an under-sized plan cannot wait for an easy day."""
    drawn = [sim.scenario(rng("day" if i == 0 else f"day {i + 1}")) for i in range(DAYS - 1)]
    return [*drawn, sim.scenario(rng("hard day"), hard=True)]


def candidate_plan(ctx: LabContext) -> sim.Plan:
    """The learner's plan, as plain data from the subject, validated here."""
    answer = ctx.candidate.run("plan")
    try:
        return sim.validate(answer)
    except sim.BadPlan as bad:
        raise WrongAnswer(f"{bad}. {LESSON} The plan") from None


def starter_plan(ctx: LabContext) -> sim.Plan:
    """The seed's plan, the lab's own code, read here through the same driver."""
    driver = load_module(ctx.lab_dir / "driver.py", "ecommerce_100k_driver")
    starter = load_module(ctx.lab_dir / "starter" / "plan.py", "ecommerce_100k_starter")
    return sim.validate(driver.plan(starter))


def grade(ctx: LabContext) -> Grade:
    """Both plans on the check's days; every figure from the simulation here, each row
    the plan's worst day (a plan must hold on every day the brief allows)."""
    scenarios = days(ctx.rng)
    mine_plan, base_plan = candidate_plan(ctx), starter_plan(ctx)
    mine = [sim.simulate(sc, mine_plan) for sc in scenarios]
    base = [sim.simulate(sc, base_plan) for sc in scenarios]
    metrics = {name: worst_day(name, scenarios, mine, base) for name in FIGURES}
    notes = [days_note(scenarios), *(day_note(i, scenarios, mine) for i in range(DAYS))]
    return Grade(correct=True, metrics=metrics, notes=[*notes, *hit_note(scenarios, mine)])


def worst_day(
    name: str, scenarios: list[sim.Scenario], mine: list[sim.Outcome], base: list[sim.Outcome]
) -> Measured:
    """A row: the figure on the plan's worst day, the starter's on its own worst, and a
    detail that names the day, and the days the figure met its target if it missed."""
    figure, meets, detail = FIGURES[name]
    values = [figure(out) for out in mine]
    worst = max(range(DAYS), key=lambda i: (values[i], -i))
    name = day_name(worst, scenarios)
    text = f"{name[0].upper()}{name[1:]}, this row's worst: {detail(mine[worst])}"
    met = [i for i in range(DAYS) if meets(values[i])]
    if met and not meets(values[worst]):
        text += (
            f". It met the target on {' and '.join(day_name(i, scenarios) for i in met)}: "
            "a plan is sized for the hardest day the brief allows, not for the day a check "
            f"happens to draw. {LESSON} The plan"
        )
    return Measured(values[worst], max(figure(out) for out in base), detail=text)


def day_name(i: int, scenarios: list[sim.Scenario]) -> str:
    """'day 2 of 3', with the hard day said to be one."""
    hard = " (the hard one)" if scenarios[i].hard else ""
    return f"day {i + 1} of {len(scenarios)}{hard}"


def cost_pct(out: sim.Outcome) -> float:
    """The day's bill as % of the previous architecture's."""
    return 100 * out.cost() / sim.PREVIOUS_COST


def clock(t: int) -> str:
    """The start of slice t as HH:MM."""
    minutes = t * sim.SLICE_MIN
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def days_note(scenarios: list[sim.Scenario]) -> str:
    """What the check graded: how many days, of which kind, and how a row is read."""
    return (
        f"Graded on {len(scenarios)} days drawn from this seed: {len(scenarios) - 1} from the "
        "brief's ranges, and one from the hard end of every range (the steepest day, the most "
        "dynamic traffic, the fewest writes, the flattest key skew, the most slow instances). "
        "Each row shows the plan's worst day."
    )


def day_note(i: int, scenarios: list[sim.Scenario], outcomes: list[sim.Outcome]) -> str:
    """What day i looked like (the plan never sees it), and the fleet the autoscaler ran."""
    sc, out = scenarios[i], outcomes[i]
    busiest = max(range(sim.SLICES), key=lambda t: sc.edge[t])
    serving = [s.serving for s in out.slices]
    name = day_name(i, scenarios)
    return (
        f"{name[0].upper()}{name[1:]}: the busiest five minutes at {clock(busiest)} "
        f"({max(sc.edge):,.0f} requests a second at the edge), peak {sc.peak_to_mean:.2f}x the "
        f"day's mean, {sc.static_share:.1%} static files and {sc.page_share:.1%} anonymous "
        f"pages, {sc.write_share:.1%} of app requests writes, key skew (Zipf s) "
        f"{sc.skew:.2f}, {sc.slow_share:.0%} of instances running at "
        f"{sim.SLOW_SPEED:.0%} speed. Your fleet: {min(serving)}-{max(serving)} instances "
        f"serving ({out.instance_hours():,.0f} instance-hours), the busiest slice's average CPU "
        f"{max(s.cpu for s in out.slices):.0%}; cache hit rate {out.hit_rate:.1%} "
        f"(the local layer alone {out.local_hit_rate:.1%}); the CDN kept "
        f"{out.page_hit_rate:.1%} of anonymous pages."
    )


def hit_note(scenarios: list[sim.Scenario], outcomes: list[sim.Outcome]) -> list[str]:
    """The hit rate planned for against the one the cache's size and the flattest day's
    skew give."""
    i = min(range(len(outcomes)), key=lambda k: outcomes[k].hit_rate)
    out = outcomes[i]
    expected = out.plan.cache.expected_hit_rate
    if expected is None or expected <= out.hit_rate + 0.02:
        return []
    return [
        f"You planned for a {expected:.0%} cache hit rate; {out.plan.cache.redis_nodes} "
        f"node{'s' if out.plan.cache.redis_nodes != 1 else ''} of "
        f"{sim.REDIS_NODE_GB:g} GB under the key skew of {day_name(i, scenarios)} "
        f"(Zipf s {scenarios[i].skew:.2f}) hit {out.hit_rate:.1%}. A hit rate is not a "
        "setting: it follows from how much of the key space fits and how skewed the "
        f"requests are (Che's approximation). {LESSON} Cache layers"
    ]


def p95_detail(out: sim.Outcome) -> str:
    """The P95, and the tier most likely behind it."""
    worst = max(out.slices, key=lambda s: max(s.cpu, s.slow_cpu, *s.db_util.values()))
    db_name = max(worst.db_util, key=lambda k: worst.db_util[k])
    text = (
        f"P95 {out.p95_ms():,.1f} ms over {len(out.latencies_ms):,} sampled requests served "
        f"(of {out.sampled:,} drawn); in the busiest slice the fleet's CPU was "
        f"{worst.cpu:.0%}, a slow instance's {worst.slow_cpu:.0%}, {db_name}'s "
        f"{worst.db_util[db_name]:.0%}"
    )
    if out.p95_ms() < P95_MS:
        return text
    return text + ". Not under 200 ms. " + _busiest_cause(out)


def _busiest_cause(out: sim.Outcome) -> str:
    """What to change, from the tier that saturated most (instances or a database)."""
    plan = out.plan
    slow = max(s.slow_cpu for s in out.slices)
    cpu = max(s.cpu for s in out.slices)
    dbu = max(max(s.db_util.values()) for s in out.slices)
    if dbu >= 0.9 and dbu > max(slow, cpu):
        if plan.database.replicas and plan.database.reads == "primary":
            return (
                "The primary carried every read as well as the writes while its replicas "
                f"idled: send reads to the replicas. {LESSON} Databases"
            )
        return (
            f"A database server reached {dbu:.0%} with the cache hitting {out.hit_rate:.1%}: "
            "reads that miss the cache land on the replicas, so a smaller hit rate multiplies "
            "their load (a flatter key skew, a smaller cache). Add replicas, or cache "
            f"nodes (shared ones: a local cache per instance does not add up). {LESSON} Databases"
        )
    if cpu >= 0.97 and max(s.serving for s in out.slices) >= plan.instances.max:
        return (
            "The fleet ran at its max and was still saturated: raise instances.max, or take "
            f"load off the origin (the CDN). {LESSON} Instances and auto-scaling"
        )
    if slow >= 0.95 and plan.balancer == "round_robin":
        return (
            "Round robin gives a slow instance the same share as a fast one, so at this "
            f"target it runs at {slow:.0%} while the fleet's average looks fine. A balancer "
            "that counts outstanding requests (least_outstanding, p2c) sends it less; or keep "
            f"the target low enough for the slowest instances. {LESSON} The balancer"
        )
    return (
        f"The fleet's CPU reached {cpu:.0%}: a launch serves ten minutes after the autoscaler "
        "sees the load (one slice to observe, one to boot), and load jitters by a few % from "
        "one slice to the next. Keep headroom: a target well under 1. "
        f"{LESSON} Instances and auto-scaling"
    )


def error_detail(out: sim.Outcome) -> str:
    """Failed requests by cause, and what each means."""
    causes = out.errors_by_cause()
    failed = sum(causes.values())
    parts = ", ".join(f"{n:,.0f} {cause}" for cause, n in causes.items() if n >= 0.5) or "none"
    text = f"{out.error_pct():.3f} % of requests at the load balancer failed over the day: {parts}"
    if out.error_pct() < ERROR_PCT:
        return text
    top = max(causes, key=lambda k: causes[k]) if failed else ""
    if top == "no database connection":
        return text + (
            ". Above 0.1 %. Instances whose pools found the database full could not run a "
            f"query: see db_connections. {LESSON} Pools and the connection limit"
        )
    return text + ". Above 0.1 %. " + _busiest_cause(out)


def connections_detail(out: sim.Outcome) -> str:
    """The plan's ceiling and the busiest database server's connections against the limit."""
    t, worst = max(enumerate(out.slices), key=lambda ts: max(ts[1].connections.values()))
    server = max(worst.connections, key=lambda k: worst.connections[k])
    db = out.plan.database
    asked, ceiling = worst.connections[server], out.plan_connections()
    if db.pooler_connections:
        how = f"PgBouncer holds {db.pooler_connections} to each server"
    else:
        how = (
            f"instances.max {out.plan.instances.max} × a pool of {db.pool_per_instance} = "
            f"{ceiling:,} when the autoscaler reaches its ceiling; that day's fleet asked "
            f"{asked:,} of {server} at {clock(t)}, {worst.serving + worst.booting} instances "
            "serving and booting"
        )
    figure = out.db_connections()
    text = f"{figure:,} connections ({how}); each server's max_connections is "
    text += f"{sim.MAX_CONNECTIONS}"
    if figure <= sim.MAX_CONNECTIONS:
        return text
    busy = max(s.db_busy[server] for s in out.slices)
    return text + (
        f". Over the limit. A fixed pool opens every connection at boot, so the fleet asks "
        f"for instances × pool whatever the load, and a day that grows the fleet (a spike, "
        f"a lost zone) takes it to instances.max; {server} never had more than {busy:.1f} "
        "queries running at once. Size the pool from Little's law (queries a second × query "
        "time, per instance) so that instances.max × pool fits, or put a pooler (PgBouncer) "
        f"in front. {LESSON} Pools and the connection limit"
    )


def cost_detail(out: sim.Outcome) -> str:
    """The day's bill by part, against the budget."""
    plan = out.plan
    instances = out.instance_hours() * sim.INSTANCE_PER_HOUR
    cache = 24 * plan.cache.redis_nodes * sim.REDIS_PER_HOUR
    dbs = 24 * (1 + plan.database.replicas) * sim.DB_PER_HOUR
    text = (
        f"${out.cost():,.2f} for the day (instances ${instances:,.2f}, cache ${cache:,.2f}, "
        f"databases ${dbs:,.2f}"
        + (f", pooler ${24 * sim.POOLER_PER_HOUR:,.2f}" if plan.database.pooler_connections else "")
        + f") against ${sim.PREVIOUS_COST:,.2f} for the previous architecture; the budget "
        f"is ${sim.BUDGET:,.2f}"
    )
    if cost_pct(out) <= COST_PCT:
        return text
    return text + (
        ". Over budget. Capacity held all day is paid for at night, when the load is a "
        "fraction of its peak: let the autoscaler's min follow the night, and buy "
        f"replicas or cache nodes for what the day needs. {LESSON} The bill"
    )


Row = tuple[Callable[[sim.Outcome], float], Callable[[float], bool], Callable[[sim.Outcome], str]]
FIGURES: dict[str, Row] = {  # a row's figure for one day, whether it meets the target, detail
    "p95_ms": (lambda out: round(out.p95_ms(), 1), lambda v: v < P95_MS, p95_detail),
    "error_pct": (lambda out: round(out.error_pct(), 3), lambda v: v < ERROR_PCT, error_detail),
    "db_connections": (
        lambda out: out.db_connections(),
        lambda v: v <= DB_CONNECTIONS,
        connections_detail,
    ),
    "cost_pct": (lambda out: round(cost_pct(out), 1), lambda v: v <= COST_PCT, cost_detail),
}


def workload(ctx: LabContext) -> Workload:
    """What `lab profile` runs: plan() itself (the day is simulated in the grader)."""
    return Workload("plan", ())
