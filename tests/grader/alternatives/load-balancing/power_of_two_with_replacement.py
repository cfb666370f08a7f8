"""Alternative — power of two choices, the two drawn with replacement.

Two healthy servers drawn independently (random.choice twice, so now and then the same
one twice), and the request goes to the one with fewer outstanding requests. Drawing
with replacement is the textbook form of Mitzenmacher's "two choices"; the odd draw of
the same server twice is a plain random pick, rare enough (one draw in eight; in seven
while a server is down) to leave the tail where the brief wants it.
Expect: pass
"""

from __future__ import annotations

import random
from typing import Any


def pick(view: Any) -> int:
    up = [server for server in range(view.servers) if view.healthy[server]]
    up = up or list(range(view.servers))
    first, second = random.choice(up), random.choice(up)
    return first if view.outstanding[first] <= view.outstanding[second] else second
