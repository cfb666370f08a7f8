"""Grader for profile-hotspot: exact report, cProfile call count, scaling exponent, speedup.

The bench writes random access logs from the attempt's seed (malformed lines, re-delivered
duplicates, tied latencies), computes the expected report with its own reference code, and
compares the learner's report line by line. The learner's build_report runs in its own
process (driver.py) and only the logs travel there; the reference and every comparison stay
here. Then it measures what the profiler showed:

* python_calls — cProfile's total for one report over SCALE_SIZES[-1] lines, counted by the
  subject harness's own profiler (calls=True) on fresh logs: the highest of the counts made
  before the timed runs, or the one made after them if it is clearly higher. Deterministic:
  same code and seed, same number. The profiler sees only the thread that calls
  build_report, so CPU spent on other threads meanwhile makes the count untrusted. A first
  count that already misses the goal decides the metric (the figure is never lower than
  it), so no more are made; a count that misses before the timed runs leaves them untimed
  in a learner's `lab check` (ctx.counted). The starter is counted on the first log, side
  by side with the learner, and again on the log where the learner's count was highest if
  that is another;
  its count grows with n² because `request in kept` calls the dataclass __eq__ once per
  kept request for every line.
* scaling_exponent — the log-log slope of CPU time over n, 2n and 4n lines (1 = linear).
* speedup — starter time / learner time on logs of 4n lines, in interleaved pairs.

Every timed report is over a log it has never seen, and every one is checked, so a report
remembered from an earlier call is wrong, not fast.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import threading

from perfcoach.labkit import (
    Grade,
    LabContext,
    Measured,
    Opaque,
    Reply,
    Subject,
    Trial,
    Workload,
    WrongAnswer,
    trust,
)

SCALE_SIZES = (400, 800, 1600)  # n, 2n, 4n lines; the starter takes ~0.2 s on 4n
LARGEST = SCALE_SIZES[-1]  # counted reports and the speedup
CHECK_LINES = 500
COUNTED_BEFORE = 2  # logs of 4n lines counted before the timed runs; one more is counted after
WORKLOAD_LINES = 2200  # ~0.3 s on the starter: enough samples for scalene
SLOWEST_SHOWN = 10
TIMEOUT_MS = 30_000  # the gateway gives up after 30 s: these latencies tie exactly
# CPU spent off the thread that ran build_report during a counted report: none of it is
# the report's, unless the work was moved to a thread the profiler does not count (the
# harness's own thread sleeps while the report runs). Allowed: a little noise, and, read
# from the kernel from here, the harness's own work around the call (collecting garbage
# before the count, decoding the log, encoding the reply: about 5 ms on a 2-core machine,
# allowed six times that for slower ones).
OTHER_THREADS_SLACK_S = 0.003
HARNESS_S = 0.03
LATER_MARGIN = 1.25  # the count after the timed runs replaces the earlier ones above this

ENDPOINTS = (  # method, path template, weight
    ("GET", "/api/products/{id}", 30),
    ("GET", "/api/products?page={page}", 10),
    ("GET", "/api/v2/search?q={word}", 10),
    ("POST", "/api/cart/{id}/items", 8),
    ("GET", "/api/orders/{id}?expand=items", 10),
    ("POST", "/api/orders", 5),
    ("GET", "/static/app.js", 8),
    ("GET", "/health", 6),
    ("DELETE", "/api/cart/{id}/items/{id}", 3),
    ("GET", "/api/users/{id}/profile", 10),
)
WORDS = ("shoes", "red+dress", "lamp", "usb-c", "coffee", "tent", "2024")
STATUSES = ((200, 70), (201, 5), (204, 3), (304, 6), (400, 3), (404, 5), (500, 4), (502, 2))
ENDPOINT_CUM = list(itertools.accumulate(w for _, _, w in ENDPOINTS))
STATUS_CUM = list(itertools.accumulate(w for _, w in STATUSES))
NOISE = (
    "",
    "-- log rotated --",
    'nginx: [warn] conflicting server name "shop" on 0.0.0.0:80, ignored',
    "upstream timed out (110: Connection timed out) while reading response header",
)

LOG_LINE = re.compile(
    r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - - \[(?P<time>[^\]]+)\] "
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.[01]" '
    r"(?P<status>\d{3}) (?P<latency>\d+)ms rid=(?P<rid>[0-9a-f]{8})$"
)
ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def make_log(rng: random.Random, n_lines: int) -> list[str]:
    """n_lines of access log with everything a wrong report trips on.

    About 3 % cut-off lines, 1.5 % lines from other programs (at least two of them blank)
    and 1 % with no latency: all malformed, and the repeated blank lines make deduping raw
    lines before parsing miscount. About 4 % exact copies of a valid line a few lines later:
    duplicates. At least two gateway timeouts share the exact same latency, so the slowest
    list depends on its tie-break. Visitors: a pool of about one ip per line, so most
    visitors make one or two requests.

    Every timed report needs a new log, so this runs once per timed unit: each draw is one
    call of the generator's cheapest methods (random(), getrandbits(), gauss(), choices()
    with cumulative weights, all drawn at once), uniform as randint's would be.
    """
    draw, bits = rng.random, rng.getrandbits
    pool = [_ip(rng) for _ in range(max(20, n_lines))]
    request_ids = iter(rng.sample(range(16**8), n_lines))
    clock = rng.randrange(20 * 3600)
    day = f"{rng.randint(1, 28):02d}/{rng.choice(('Jan', 'Mar', 'Jun', 'Oct'))}/2024"
    lines: list[str] = []
    echoes: list[tuple[int, str]] = []  # (position, line) of duplicates still to deliver
    forced = rng.sample(range(1, n_lines // 2), 4)
    timeouts, blanks = set(forced[:2]), set(forced[2:])  # steps that surely time out / are blank
    drawn = [(method, template.split("{id}")) for method, template, _ in ENDPOINTS]
    endpoints = rng.choices(range(len(ENDPOINTS)), cum_weights=ENDPOINT_CUM, k=n_lines)
    statuses = rng.choices([s for s, _ in STATUSES], cum_weights=STATUS_CUM, k=n_lines)
    step = 0
    while len(lines) < n_lines:
        if echoes and echoes[0][0] <= len(lines):
            lines.append(echoes.pop(0)[1])
            continue
        step += 1
        if step in blanks:
            lines.append("")
            continue
        clock += bits(2)  # 0-3 s since the previous request
        method, parts = drawn[endpoints[step - 1]]
        path = parts[0]
        for part in parts[1:]:  # each {id} a new id from 1 to 99,999
            path += f"{1 + int(draw() * 99_999)}{part}"
        path = path.format(page=1 + int(draw() * 40), word=WORDS[int(draw() * len(WORDS))])
        status = statuses[step - 1]
        latency = max(1, int(math.exp(rng.gauss(3.6, 0.8))))  # lognormal
        if step in timeouts or draw() < 0.01:
            status, latency = 504, TIMEOUT_MS
        stamp = f"{day}:{clock // 3600 % 24:02d}:{clock // 60 % 60:02d}:{clock % 60:02d} +0000"
        version = "1.0" if draw() < 0.05 else "1.1"
        line = (
            f'{pool[int(draw() * len(pool))]} - - [{stamp}] "{method} {path} HTTP/{version}"'
            f" {status} {latency}ms rid={next(request_ids):08x}"
        )
        kind = 1.0 if step in timeouts else draw()  # forced timeouts stay well-formed
        if kind < 0.03:
            lines.append(line[: 1 + int(draw() * line.index('" '))])
        elif kind < 0.045:
            lines.append(NOISE[int(draw() * len(NOISE))])
        elif kind < 0.055:
            lines.append(line.replace(f" {latency}ms ", " - "))
        else:
            lines.append(line)
            if draw() < 0.04:
                echoes.append((len(lines) + int(draw() * 41), line))
                echoes.sort()
    return lines


def _ip(rng: random.Random) -> str:
    """A public-looking IPv4 address: first octet 11-223, last 1-254, uniform."""
    a, rest = divmod(rng.randrange(213 * 256 * 256 * 254), 256 * 256 * 254)
    b, rest = divmod(rest, 256 * 254)
    c, d = divmod(rest, 254)
    return f"{a + 11}.{b}.{c}.{d + 1}"


def expected_report(lines: list[str]) -> str:
    """The reference report, written independently of the starter and the solution."""
    seen: set[str] = set()
    endpoints: dict[str, list[int]] = {}  # requests, errors, total ms
    visitors: dict[str, list[int]] = {}  # requests, errors, slowest ms
    slow: list[tuple[int, str, str, str, str]] = []  # -ms, rid (unique: ties end here), …
    malformed = duplicates = 0
    match_line, ids = LOG_LINE.match, ID_SEGMENT.sub
    for line in lines:
        match = match_line(line)
        if match is None:
            malformed += 1
            continue
        ip, _, method, path, status, latency, rid = match.groups()
        if rid in seen:
            duplicates += 1
            continue
        seen.add(rid)
        error, ms = 1 if int(status) >= 500 else 0, int(latency)
        endpoint = f"{method} {ids('/:id', path.partition('?')[0])}"
        e = endpoints.get(endpoint)
        if e is None:
            endpoints[endpoint] = [1, error, ms]
        else:
            e[0] += 1
            e[1] += error
            e[2] += ms
        v = visitors.get(ip)
        if v is None:
            visitors[ip] = [1, error, ms]
        else:
            v[0] += 1
            v[1] += error
            v[2] = max(v[2], ms)
        slow.append((-ms, rid, method, path, ip))
    out = [
        "Access log report",
        f"lines read:         {len(lines)}",
        f"malformed, skipped: {malformed}",
        f"duplicates dropped: {duplicates}",
        f"requests counted:   {len(seen)}",
        f"unique visitors:    {len(visitors)}",
        "",
        "Endpoints",
        "---------",
    ]
    for name, (count, errors, total) in sorted(
        endpoints.items(), key=lambda kv: (-kv[1][0], kv[0])
    ):
        out.append(
            f"{name:<32} requests={count:<6} errors={errors}"
            f" ({errors / count:.1%}) avg={total // count}ms"
        )
    out += ["", "Slowest requests", "----------------"]
    for rank, (ms, rid, method, path, ip) in enumerate(sorted(slow)[:SLOWEST_SHOWN], start=1):
        out.append(f"{rank:>2}. {-ms}ms {method} {path} rid={rid} ip={ip}")
    out += ["", "Visitors", "--------"]
    for ip, (count, errors, worst) in sorted(visitors.items(), key=lambda kv: (-kv[1][0], kv[0])):
        out.append(f"{ip:<15} requests={count:<4} errors={errors:<3} slowest={worst}ms")
    return "\n".join(out) + "\n"


def first_difference(expected: str, got: object) -> str | None:
    """One sentence naming the first report line that differs, or None when equal."""
    if not isinstance(got, str):
        kind = got.type_name if isinstance(got, Opaque) else type(got).__name__
        return f"build_report returned a {kind}; it must return the report as str"
    if got == expected:
        return None
    want, have = expected.splitlines(), got.splitlines()
    for number, (line, mine) in enumerate(zip(want, have, strict=False), start=1):
        if line != mine:
            return f"report line {number}: expected {line!r}, got {mine!r}"
    if len(have) < len(want):
        return f"the report ends after line {len(have)}; next should be {want[len(have)]!r}"
    if len(have) > len(want):
        return f"report line {len(want) + 1} should not be there: {have[len(want)]!r}"
    return "every line matches, but the line endings differ: end each line with '\\n'"


def check_report(lines: list[str], got: object) -> None:
    """Raise WrongAnswer unless got is exactly the reference report for lines."""
    problem = first_difference(expected_report(lines), got)
    if problem:
        raise WrongAnswer(f"{problem} (log of {len(lines):,} lines)")


def timed_problem(expected: str, lines: list[str], got: object) -> str | None:
    """What is wrong with a timed report; every timed log is new, so a remembered one is."""
    problem = first_difference(expected, got)
    if problem is None:
        return None
    return (
        f"{problem} (log of {len(lines):,} lines). Every timed log is new: a report kept "
        "from an earlier call is wrong for this one"
    )


def counted_report(side: Subject, lines: list[str]) -> Reply:
    """One report under the harness's profiler, checked; the reply carries its call count."""
    reply = side.call("report", lines, calls=True)
    got, after, _, _ = reply.value
    if after != lines:
        raise WrongAnswer("build_report changed the list of lines it was given; leave it as is")
    check_report(lines, got)
    return reply


def other_threads(reply: Reply) -> str:
    """Why the count of a counted report cannot be believed because the work ran on a
    thread the profiler does not see ('' when the calling thread did the work)."""
    worker, process = float(reply.value[2]), float(reply.value[3])
    elsewhere = max(process - worker, reply.cpu_s - worker - HARNESS_S)
    if elsewhere <= OTHER_THREADS_SLACK_S:
        return ""
    return (
        f"while build_report ran, threads other than the one that called it used"
        f" {elsewhere * 1000:.0f} ms of CPU, and the calling thread {worker * 1000:.0f} ms:"
        " the work ran where the profiler counts nothing. Build the report on the calling"
        " thread"
    )


def count_calls(ctx: LabContext, logs: list[list[str]]) -> tuple[list[int], int, str]:
    """The candidate's call count on each log it was counted on, the starter's on the log
    where the candidate's was highest, and the first reason the candidate's counts cannot be
    trusted ('' when they can).

    The starter is counted on the first log while the candidate is (side by side: a count
    does not depend on the clock). A candidate whose first count already misses the goal
    fails python_calls whatever else is counted, since the figure graded is never below it:
    its other counts are skipped (each is over a second for a quadratic report under the
    profiler). Otherwise it is counted on every log, and the starter again on the log where
    the candidate's count was highest."""
    theirs_first = ctx.baseline.start("report", logs[0], calls=True)
    mine, doubts = [], []
    for lines in logs:
        reply = counted_report(ctx.candidate, lines)
        mine.append(int(reply.calls or 0))
        doubts += [trust(reply), other_threads(reply)]
        if len(mine) == 1:
            theirs = int(theirs_first.result().calls or 0)
            if not ctx.goals["python_calls"].met(mine[0], theirs):
                break
    highest = mine.index(max(mine))
    if highest:
        theirs = int(ctx.baseline.call("report", logs[highest], calls=True).calls or 0)
    return mine, theirs, next((d for d in doubts if d), "")


def calls_figure(counts: list[int]) -> int:
    """The count graded: the highest before the timed runs, unless the report after them
    made clearly more (logs differ a little, and a cache the timed runs warmed only lowers
    a count; a count far higher after them means the code changed once it was not watched)."""
    before = max(counts[:COUNTED_BEFORE])
    return counts[-1] if counts[-1] > before * LATER_MARGIN else before


def calls_detail(counts: list[int], base: int, lines: int) -> str:
    """Calls per line for the learner and the starter, and where the starter's come from."""
    calls = calls_figure(counts)
    detail = (
        f"one {lines:,}-line report: {calls / lines:.1f} calls per line (starter"
        f" {base / lines:.0f}; `request in kept` calls __eq__ once per kept request, for"
        " every line)"
    )
    if calls == counts[-1] and calls != max(counts[:COUNTED_BEFORE]):
        detail += (
            f"; after the timed runs your code made {calls:,} calls on a new log, where it"
            f" made at most {max(counts[:COUNTED_BEFORE]):,} before them: calls are counted"
            " on every counted report, not only the first ones"
        )
    return detail


class Logs:
    """The logs of the timed runs and their expected reports, each made once, on demand, or
    ahead of time while the grader would only wait (see ahead).

    Log j of a trial is make_log(ctx.rng(f"{salt}-{size}-{j}"), size), j counting that
    trial's calls to make: the same logs and reports whether they were made ahead or not.
    """

    def __init__(self, ctx: LabContext) -> None:
        self.ctx = ctx
        self.made: dict[tuple[str, int, int], list[str]] = {}
        self.reports: dict[int, tuple[list[str], str]] = {}  # id(log): (log, report)
        self.stop = threading.Event()

    def log(self, salt: str, size: int, j: int) -> list[str]:
        made = self.made.pop((salt, size, j), None)
        return made if made is not None else make_log(self.ctx.rng(f"{salt}-{size}-{j}"), size)

    def expected(self, lines: list[str]) -> str:
        """The reference report; the cache holds the log itself, so its id is not reused."""
        cached = self.reports.pop(id(lines), None)
        if cached is not None and cached[0] is lines:
            return cached[1]
        return expected_report(lines)

    def trial(self, salt: str, size: int) -> Trial:
        """Timed reports over fresh logs of size lines, each checked against the reference."""
        js = itertools.count()
        return Trial(
            make=lambda _: self.log(salt, size, next(js)),
            run=lambda side, logs: side.run("reports", logs),
            check=lambda lines, got: timed_problem(self.expected(lines), lines, got),
        )

    def ahead(self, plan: list[tuple[str, int, int, bool]]) -> threading.Thread:
        """Make the planned logs (salt, size, j, and whether a report is expected for it) on
        a thread of the grader until stop is set. Only while nothing is timed: the timed runs
        never share the machine with it, and a count of calls does not depend on it."""

        def work() -> None:
            for salt, size, j, checked in plan:
                if self.stop.is_set():
                    return
                lines = make_log(self.ctx.rng(f"{salt}-{size}-{j}"), size)
                if checked:
                    self.reports[id(lines)] = (lines, expected_report(lines))
                self.made[salt, size, j] = lines

        thread = threading.Thread(target=work, name="logs-ahead", daemon=True)
        thread.start()
        return thread


def ahead_plan() -> list[tuple[str, int, int, bool]]:
    """The logs the timed runs surely use first, then the ones a fast report uses too.

    Every sample takes at least one unit: the scaling exponent times each size in a
    calibration sample and 7 rounds, the starter's in 1 and 3; the speedup 1 and 7 per side.
    A report as fast as the reference fix takes about 4-8 units per sample at 400 lines,
    3 at 800 and 1-2 at 1,600.
    """
    small, middle = SCALE_SIZES[:2]
    first = [("scale", size, j, True) for size in SCALE_SIZES for j in range(8)]
    first += [("scale-starter", size, j, False) for size in SCALE_SIZES for j in range(4)]
    first += [("speed", LARGEST, j, True) for j in range(16)]
    more = [("scale", small, j, True) for j in range(8, 40)]
    more += [("scale", middle, j, True) for j in range(8, 24)]
    more += [("scale", small, j, True) for j in range(40, 56)]
    more += [("scale", LARGEST, j, True) for j in range(8, 16)]
    return first + more


def grade(ctx: LabContext) -> Grade:
    """Exact report first; then calls (counted), scaling and speedup (timed)."""
    timed = Logs(ctx)
    # The timed runs' logs are made while the subjects boot and the reports are counted
    # (the starter's alone takes over half a second); nothing is timed until they stop.
    ahead = timed.ahead(ahead_plan())
    try:
        check_log = make_log(ctx.rng("check"), CHECK_LINES)
        counted_report(ctx.candidate, check_log)
        ctx.baseline.run("report", check_log)  # warm re's cache in both: counts repeat exactly
        logs = [make_log(ctx.rng(f"calls-{i}"), LARGEST) for i in range(COUNTED_BEFORE)]
        mine, theirs, doubts = count_calls(ctx, logs)
    finally:
        timed.stop.set()
        ahead.join()

    # The figure graded is never below the highest count so far: a miss now is final.
    ctx.counted("python_calls", Measured(max(mine), theirs, untrusted=doubts))
    scaling = ctx.exponent(
        "scaling_exponent",
        {size: timed.trial("scale", size) for size in SCALE_SIZES},
        baseline_trials={size: timed.trial("scale-starter", size) for size in SCALE_SIZES},
        clock="cpu",
    )
    speedup = ctx.speedup("speedup", timed.trial("speed", LARGEST), clock="cpu")

    if len(mine) == COUNTED_BEFORE and not speedup.untimed:  # count once more, after them
        after = counted_report(ctx.candidate, make_log(ctx.rng("calls-after"), LARGEST))
        mine.append(int(after.calls or 0))
        doubts = next((d for d in (doubts, trust(after), other_threads(after)) if d), "")
    python_calls = Measured(
        calls_figure(mine),
        theirs,
        detail=calls_detail(mine, theirs, LARGEST),
        untrusted=doubts,
    )
    metrics = {"python_calls": python_calls, "scaling_exponent": scaling, "speedup": speedup}
    return Grade(correct=True, metrics=metrics, notes=_notes(metrics, ctx))


def _notes(metrics: dict[str, Measured], ctx: LabContext) -> list[str]:
    """Next steps for the targets still missed, in the order the profile would show them."""
    notes = []
    for name, advice in (
        (
            "python_calls",
            "Calls still grow with the log: in `--with cprofile`, which function's"
            " ncalls is far larger than the number of lines?",
        ),
        (
            "scaling_exponent",
            "Time still grows faster than the log. A list searched once per line costs"
            " time but makes no calls: in cProfile it only shows as a tottime per call that"
            " grows with the log; `--with scalene` names the line.",
        ),
        (
            "speedup",
            "Profile again after each fix: the next hot spot only shows once the"
            " biggest one is gone.",
        ),
    ):
        if ctx.missed(name, metrics[name]):
            notes.append(advice)
    return notes


def workload(ctx: LabContext) -> Workload:
    """One report over a day-sized log, for `perfcoach lab profile`; the log is built here,
    outside the profile, so the profiler sees only the learner's code at work."""
    return Workload("report", (make_log(ctx.rng("workload"), WORKLOAD_LINES),))
