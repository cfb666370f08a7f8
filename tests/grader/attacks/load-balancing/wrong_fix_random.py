"""Wrong fix — a random healthy server for every request.

Tries: skip the servers the health check found down, and spread the rest at random, so
no server is favoured.
Must not pass because: random is round robin with noise: every server still gets an
eighth of the traffic whatever its speed, the slower ones and the gray one queue, and the
bursts a random split adds make the longest queue longer still.
Expect: fail on max_queue
"""

from __future__ import annotations

import random
from typing import Any


def pick(view: Any) -> int:
    return random.choice([server for server in range(view.servers) if view.healthy[server]])
