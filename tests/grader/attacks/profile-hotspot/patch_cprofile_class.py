"""Class 1 — a call-heavy linear report, and cProfile.Profile replaced so it counts nothing.

Tries: the duplicates and visitors hot spots are fixed (linear, fast), but every line is
first validated character by character with str methods: ~90 more counted calls per
line, far over starter / 10. At import time the module swaps cProfile.Profile for a
subclass whose getstats() returns nothing, so the grader's call counter reads 0 for
both the starter and this file (0 <= 0 / 10).
Must not pass because: the call count is what the lab grades first; the profiler the
grader uses must not be replaceable by the code it profiles.
Expect: not pass
"""

from __future__ import annotations

import cProfile
import heapq
import re


class _QuietProfile(cProfile.Profile):
    def getstats(self):  # type: ignore[override]
        return []

    def create_stats(self) -> None:
        self.stats = {}


cProfile.Profile = _QuietProfile  # type: ignore[misc]

LOG_LINE = re.compile(
    r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - - \[(?P<time>[^\]]+)\] "
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.[01]" '
    r"(?P<status>\d{3}) (?P<latency>\d+)ms rid=(?P<rid>[0-9a-f]{8})$"
)
ID_SEGMENT = re.compile(r"/\d+(?=/|$)")
SLOWEST_SHOWN = 10


def _render(lines, malformed, duplicates, seen, endpoints, visits, slow) -> str:
    out = [
        "Access log report",
        f"lines read:         {len(lines)}",
        f"malformed, skipped: {malformed}",
        f"duplicates dropped: {duplicates}",
        f"requests counted:   {len(seen)}",
        f"unique visitors:    {len(visits)}",
        "",
        "Endpoints",
        "---------",
    ]
    for endpoint, (count, errors, total) in sorted(
        endpoints.items(), key=lambda item: (-item[1][0], item[0])
    ):
        out.append(
            f"{endpoint:<32} requests={count:<6} errors={errors} ({errors / count:.1%})"
            f" avg={total // count}ms"
        )
    out += ["", "Slowest requests", "----------------"]
    for rank, (neg_ms, rid, (method, path, ip)) in enumerate(
        heapq.nsmallest(SLOWEST_SHOWN, slow), start=1
    ):
        out.append(f"{rank:>2}. {-neg_ms}ms {method} {path} rid={rid} ip={ip}")
    out += ["", "Visitors", "--------"]
    for ip, (count, errors, worst) in sorted(
        visits.items(), key=lambda item: (-item[1][0], item[0])
    ):
        out.append(f"{ip:<15} requests={count:<4} errors={errors:<3} slowest={worst}ms")
    out.append("")
    return "\n".join(out)


def _linear_report(lines: list[str], check=None) -> str:
    seen: set[str] = set()
    endpoints: dict[str, list[int]] = {}
    visits: dict[str, list[int]] = {}
    slow: list = []
    malformed = duplicates = 0
    for line in lines:
        if check is not None:
            check(line)
        match = LOG_LINE.match(line)
        if match is None:
            malformed += 1
            continue
        ip, _time, method, path, status, latency, rid = match.groups()
        if rid in seen:
            duplicates += 1
            continue
        seen.add(rid)
        is_error = int(status) >= 500
        ms = int(latency)
        endpoint = f"{method} {ID_SEGMENT.sub('/:id', path.partition('?')[0])}"
        stats = endpoints.setdefault(endpoint, [0, 0, 0])
        stats[0] += 1
        stats[1] += is_error
        stats[2] += ms
        visit = visits.setdefault(ip, [0, 0, 0])
        visit[0] += 1
        visit[1] += is_error
        visit[2] = max(visit[2], ms)
        slow.append((-ms, rid, (method, path, ip)))
    return _render(lines, malformed, duplicates, seen, endpoints, visits, slow)


def _printable(line: str) -> None:
    for char in line:
        if not char.isprintable():
            raise ValueError(f"control character in {line!r}")


def build_report(lines: list[str]) -> str:
    """The daily report for these log lines, as text."""
    return _linear_report(lines, _printable)
