"""The frame reader: whole frames out of a socket, without allocating a read's worth each time."""

from __future__ import annotations

import contextlib
import socket
import tracemalloc

from perfcoach.runner import wire


def test_a_read_allocates_what_arrived_not_the_largest_read() -> None:
    """A subject reads service answers while tracemalloc measures the learner's code: each
    read must cost about what arrived, not RECV_BYTES (a 1 MiB spike per answer)."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        reader = wire.FrameReader(ours)
        theirs.sendall(wire.frame(b"A", wire.dumps((1, ("ok", b"x" * 100)))))
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            reader.fill()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 16 * 1024 < wire.RECV_BYTES
        [(kind, payload)] = list(reader.frames())
        assert kind == b"A"
        assert wire.loads(payload) == (1, ("ok", b"x" * 100))


def test_a_frame_larger_than_one_read_arrives_whole() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        reader = wire.FrameReader(ours)
        body = bytes(range(256)) * (wire.RECV_BYTES // 128)  # two reads' worth
        theirs.setblocking(False)
        data = wire.frame(b"Q", wire.dumps(body))
        sent = 0
        frames: list[tuple[bytes, bytes]] = []
        while not frames:
            with contextlib.suppress(BlockingIOError):  # full: read some first
                sent += theirs.send(data[sent:])
            reader.fill()
            frames = list(reader.frames())
        assert sent == len(data)
        assert frames == [(b"Q", wire.dumps(body))]
        assert not reader.closed
        theirs.close()
        reader.fill()
        assert reader.closed
