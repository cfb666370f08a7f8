"""Class 4 — keep every sample, exactly, in a forked child process.

Tries: each recorder forks a helper process and talks to it over two pipes. record()
appends to a small array and ships it to the child every 4,096 latencies; count() is
kept locally; percentile() flushes, sends p, and reads back the exact nearest-rank
value, which the child computes from its own list (sorted lazily). The grading
process's tracemalloc sees a 32 KiB buffer, and its CPU clock sees only the pipe
writes: the sorting happens in another process.
Must not pass because: the samples are all still kept and sorted, only in a process
the measurements do not cover; the learner's code must not be able to start processes
that escape the grader's memory and CPU accounting.
Expect: not pass
"""

from __future__ import annotations

import math
import os
import struct
from array import array

FLUSH_AT = 4096


def _serve(requests: int, answers: int) -> None:
    """The child: keep every sample, answer nearest-rank queries, exit on EOF."""
    samples: list[float] = []
    dirty = False
    inbox = os.fdopen(requests, "rb")
    outbox = os.fdopen(answers, "wb")
    while True:
        head = inbox.read(9)
        if len(head) < 9:
            os._exit(0)
        kind, value = head[:1], struct.unpack("<d", head[1:])[0]
        if kind == b"R":
            chunk = array("d")
            chunk.frombytes(inbox.read(int(value) * 8))
            samples.extend(chunk)
            dirty = True
        else:
            if dirty:
                samples.sort()
                dirty = False
            rank = max(1, math.ceil(value / 100 * len(samples)))
            outbox.write(struct.pack("<d", samples[rank - 1]))
            outbox.flush()


class LatencyRecorder:
    """Collects latencies and answers percentile queries, with help."""

    def __init__(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        if os.fork() == 0:
            os.close(to_child_w)
            os.close(from_child_r)
            _serve(to_child_r, from_child_w)
        os.close(to_child_r)
        os.close(from_child_w)
        self._out = os.fdopen(to_child_w, "wb")
        self._in = os.fdopen(from_child_r, "rb")
        self._buffer = array("d")
        self._count = 0

    def _flush(self) -> None:
        if self._buffer:
            self._out.write(b"R" + struct.pack("<d", len(self._buffer)))
            self._out.write(self._buffer.tobytes())
            del self._buffer[:]

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self._buffer.append(ms)
        self._count += 1
        if len(self._buffer) >= FLUSH_AT:
            self._flush()

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self._count

    def percentile(self, p: float) -> float:
        """The exact nearest-rank p-th percentile."""
        if not self._count:
            raise ValueError("no latencies recorded yet")
        self._flush()
        self._out.write(b"P" + struct.pack("<d", p))
        self._out.flush()
        return struct.unpack("<d", self._in.read(8))[0]
