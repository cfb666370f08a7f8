"""Class 4 — answer with an int subclass whose int() is another server than its value.

Tries: return Server(s), an int subclass equal to s (for ==, hash and %), whose __int__
and __index__ say another server, (s + 4) % 8. The hope: the driver counts the request on
one server while the grader places it on another, so the view and the cluster disagree in
a way that games the figures (the gray server's queue hidden from its own count), or the
engine, which accepts only an exact int, treats the subclass in some unplanned way.
Must not pass because: whatever pick() returns is reduced to a plain int in the balancer's
process before it crosses to the grader (int() of the subclass, here the lying value), and
the engine checks that each decision is an exact int from 0 to 7 and replays it on its own
cluster: the only thing fooled is the balancer's own view, which no longer counts its
requests. The policy under the disguise is round robin, graded as such.
Expect: not pass
"""

from __future__ import annotations

import itertools
from typing import Any

_turn = itertools.count()


class Server(int):
    def __int__(self) -> int:
        return (int.__int__(self) + 4) % 8

    def __index__(self) -> int:
        return self.__int__()


def pick(view: Any) -> Any:
    return Server(next(_turn) % view.servers)
