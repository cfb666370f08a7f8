"""Wrong fix — fix the first hot spot cProfile shows, and stop there.

Tries: the honest first step: `request in kept` becomes a set of seen request ids. The
visitors are still a list scanned once per request.
Must not pass because: the visitor scan is still quadratic; time grows with n².
Measured on a quiet 2-core machine (seeds 1–4): slope 1.33–1.39 with its low end at
1.31–1.35 against the 1.3 line, speedup ≈ 9.2× against 10×. Both rows fail on most runs, but
at these sizes the remaining scan is small next to the linear work, so the scaling row has
also come out a pass (CI, once): the lab does not yet guarantee which row fails it.
Expect: not pass
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LOG_LINE = (
    r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - - \[(?P<time>[^\]]+)\] "
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.[01]" '
    r"(?P<status>\d{3}) (?P<latency>\d+)ms rid=(?P<rid>[0-9a-f]{8})$"
)
ID_SEGMENT = r"/\d+(?=/|$)"
SLOWEST_SHOWN = 10


@dataclass
class Request:
    """One parsed log line."""

    ip: str
    time: str
    method: str
    path: str
    status: int
    latency_ms: int
    request_id: str

    @property
    def endpoint(self) -> str:
        """'GET /api/orders/812?x=1' and 'GET /api/orders/9' are the same endpoint."""
        return f"{self.method} {normalize_path(self.path)}"

    @property
    def is_error(self) -> bool:
        """Server-side failures only: a 404 is the client's problem, not ours."""
        return self.status >= 500


@dataclass
class Tally:
    """Running totals for one endpoint or one visitor."""

    requests: int = 0
    errors: int = 0
    total_ms: int = 0
    slowest_ms: int = 0

    def add(self, request: Request) -> None:
        """Count one more request."""
        self.requests += 1
        self.errors += request.is_error
        self.total_ms += request.latency_ms
        self.slowest_ms = max(self.slowest_ms, request.latency_ms)


@dataclass
class Visitor:
    """Everything one client ip did today."""

    ip: str
    tally: Tally = field(default_factory=Tally)


def normalize_path(path: str) -> str:
    """Drop the query string and replace numeric ids by ':id'."""
    path = path.split("?", 1)[0]
    return re.sub(ID_SEGMENT, "/:id", path)


def parse_line(line: str) -> Request | None:
    """The request on this line, or None when the line is not a complete access-log entry."""
    match = re.compile(LOG_LINE).match(line)
    if match is None:
        return None
    return Request(
        ip=match["ip"],
        time=match["time"],
        method=match["method"],
        path=match["path"],
        status=int(match["status"]),
        latency_ms=int(match["latency"]),
        request_id=match["rid"],
    )


def visitor_tally(visitors: list[Visitor], ip: str) -> Tally:
    """The totals for this ip; a visitor is added the first time their ip shows up."""
    for visitor in visitors:
        if visitor.ip == ip:
            return visitor.tally
    visitor = Visitor(ip)
    visitors.append(visitor)
    return visitor.tally


class ReportWriter:
    """Collects the report text line by line."""

    def __init__(self) -> None:
        self.text = ""

    def line(self, text: str = "") -> None:
        """Append one line of text."""
        self.text += text + "\n"

    def heading(self, title: str) -> None:
        """A blank line, then an underlined section title."""
        self.line()
        self.line(title)
        self.line("-" * len(title))


def build_report(lines: list[str]) -> str:
    """The daily report for these log lines, as text."""
    kept: list[Request] = []
    seen: set[str] = set()
    malformed = 0
    duplicates = 0
    for line in lines:
        request = parse_line(line)
        if request is None:
            malformed += 1
        elif request.request_id in seen:
            duplicates += 1
        else:
            seen.add(request.request_id)
            kept.append(request)

    endpoints: dict[str, Tally] = {}
    visitors: list[Visitor] = []
    for request in kept:
        endpoints.setdefault(request.endpoint, Tally()).add(request)
        visitor_tally(visitors, request.ip).add(request)

    report = ReportWriter()
    report.line("Access log report")
    report.line(f"lines read:         {len(lines)}")
    report.line(f"malformed, skipped: {malformed}")
    report.line(f"duplicates dropped: {duplicates}")
    report.line(f"requests counted:   {len(kept)}")
    report.line(f"unique visitors:    {len(visitors)}")

    report.heading("Endpoints")
    for endpoint, tally in sorted(endpoints.items(), key=lambda item: (-item[1].requests, item[0])):
        report.line(
            f"{endpoint:<32} requests={tally.requests:<6} errors={tally.errors}"
            f" ({tally.errors / tally.requests:.1%}) avg={tally.total_ms // tally.requests}ms"
        )

    report.heading("Slowest requests")
    slowest = sorted(kept, key=lambda r: (-r.latency_ms, r.request_id))[:SLOWEST_SHOWN]
    for rank, request in enumerate(slowest, start=1):
        report.line(
            f"{rank:>2}. {request.latency_ms}ms {request.method} {request.path}"
            f" rid={request.request_id} ip={request.ip}"
        )

    report.heading("Visitors")
    for visitor in sorted(visitors, key=lambda v: (-v.tally.requests, v.ip)):
        tally = visitor.tally
        report.line(
            f"{visitor.ip:<15} requests={tally.requests:<4} errors={tally.errors:<3}"
            f" slowest={tally.slowest_ms}ms"
        )
    return report.text
