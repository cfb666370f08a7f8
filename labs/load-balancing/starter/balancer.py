"""The load balancer in front of 8 servers: pick(view) chooses the server of each request.

pick(view) is called once per request and returns a server number, 0 .. view.servers - 1.
view is what a balancer knows when the request arrives:

    view.servers       how many servers there are
    view.now           the request's arrival time (ms, simulated)
    view.outstanding   per server: requests sent to it and not yet answered
    view.latencies     per server: its last 10 response times in ms, newest last
    view.healthy       per server: False if the last health check found it down

`random` is seeded by the grader before a run, so a choice drawn from it repeats with the
seed. Module-level state lives as long as one run (the grader starts a fresh process).

This version is round robin: it sends requests to servers 0, 1, 2, ... 7, 0, 1, ... in
turn, whatever the view says.
"""

from __future__ import annotations

import itertools
from typing import Any

_turn = itertools.count()


def pick(view: Any) -> int:
    """The next server in turn."""
    return next(_turn) % view.servers
