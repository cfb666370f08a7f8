"""The grader ↔ subject wire: typed frames over one socket, marshal payloads, signed replies.

One stream socket joins the grader to each subject process. Frames are
`type (1 byte) | length (4 bytes, big-endian) | payload [| HMAC-SHA256]`:

- grader → subject: `Q` a request to the harness, `A` the answer to a service call;
- subject → grader: `C` the harness's reply to a request (signed with a key only the
  harness's main thread holds), `R` a service call from a proxy, `E` a one-way event.

Payloads are `marshal` data: exact for the builtin types labs exchange (tuples stay tuples,
int keys stay ints, NaN survives) and fast for megabytes of floats. Whatever the learner's
code returns is first reduced to those types by `plain()`; anything else arrives as an
`Opaque` stand-in naming its type, so the grader can say what came back without ever
running code from the subject. This module is imported by the subject harness: stdlib only.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_FRAME = 512 * 1024 * 1024
RECV_BYTES = 1 << 20  # the most one read takes from a socket
HEADER = struct.Struct(">cI")
SIGNATURE = 32
MARSHAL_VERSION = 4
_OPAQUE = "\x00perfcoach-opaque"
_HANDLE = "\x00perfcoach-handle"
_REF = "\x00perfcoach-ref"
_MAX_DEPTH = 200


class WireError(Exception):
    """The other side broke the protocol: a bad frame, a bad signature, or a closed socket."""


@dataclass(frozen=True)
class Opaque:
    """A value of a type the wire does not carry: its type's name and a short repr."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return f"<{self.type_name} object: {self.text}>"


@dataclass(frozen=True)
class Handle:
    """A grader-side service passed to a subject: it arrives there as a proxy of its kind."""

    id: int
    kind: str


@dataclass(frozen=True)
class Ref:
    """An object kept alive inside a subject (e.g. the learner's Matcher), named by number."""

    id: int


def sign(key: bytes, kind: bytes, payload: bytes) -> bytes:
    """The HMAC of a frame: binds its type and payload to the harness's key."""
    return hmac.new(key, kind + payload, hashlib.sha256).digest()


def frame(kind: bytes, payload: bytes, key: bytes | None = None) -> bytes:
    """One frame, signed when a key is given."""
    tail = sign(key, kind, payload) if key is not None else b""
    return HEADER.pack(kind, len(payload) + len(tail)) + payload + tail


def dumps(value: Any) -> bytes:
    """marshal, for values already reduced to wire types."""
    return marshal.dumps(value, MARSHAL_VERSION)


def loads(payload: bytes) -> Any:
    """marshal back; a payload that is not marshal data is a protocol error."""
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError) as exc:
        raise WireError(f"unreadable payload ({exc})") from None


class FrameReader:
    """Accumulates bytes from a socket and yields whole frames."""

    def __init__(self, sock: socket.socket, signed: bytes = b"", key: bytes | None = None) -> None:
        self.sock = sock
        self.buffer = bytearray()
        # Received into, allocated once: recv(n) would allocate n bytes per read, and in a
        # subject that shows as a 1 MiB spike in tracemalloc whenever a service answers.
        self._landing = bytearray(RECV_BYTES)
        self.signed = signed  # frame types that must carry a valid signature
        self.key = key
        self.closed = False

    def fill(self) -> None:
        """Read what is available (the socket must be readable); EOF marks the reader closed."""
        try:
            received = self.sock.recv_into(self._landing)
        except (ConnectionResetError, BrokenPipeError):
            received = 0
        if not received:
            self.closed = True
        self.buffer += memoryview(self._landing)[:received]

    def frames(self) -> Iterator[tuple[bytes, bytes]]:
        """Every complete frame in the buffer, as (type, payload)."""
        while len(self.buffer) >= HEADER.size:
            kind, length = HEADER.unpack_from(self.buffer)
            if length > MAX_FRAME:
                raise WireError(f"a frame of {length:,} bytes is larger than allowed")
            end = HEADER.size + length
            if len(self.buffer) < end:
                return
            body = bytes(self.buffer[HEADER.size : end])
            del self.buffer[:end]
            if kind in self.signed:
                if self.key is None or len(body) < SIGNATURE:
                    raise WireError("an unsigned reply")
                payload, tag = body[:-SIGNATURE], body[-SIGNATURE:]
                if not hmac.compare_digest(tag, sign(self.key, kind, payload)):
                    raise WireError("a reply with a forged signature")
                body = payload
            yield kind, body

    def read_one(self) -> tuple[bytes, bytes]:
        """Block until one frame arrives (used before the event loop starts)."""
        while True:
            for item in self.frames():
                return item
            self.fill()
            if self.closed and len(self.buffer) < HEADER.size:
                raise WireError("the other side closed the connection")


def plain(value: Any, depth: int = 0) -> Any:
    """value reduced to exact builtin types, so marshal can carry it.

    Subclasses of builtins (namedtuple, IntEnum, OrderedDict, defaultdict) become their
    base type; anything else becomes an Opaque marker. Reading an object's contents runs
    its code, so this is called where that code's time and memory count: in the subject.
    """
    kind = type(value)
    if kind in (int, float, str, bytes, bool, type(None), complex):
        return value
    if depth > _MAX_DEPTH:
        return _opaque(value, "nested too deeply")
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return {plain(k, depth + 1): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, frozenset):
        return frozenset(plain(v, depth + 1) for v in value)
    if isinstance(value, set):
        return {plain(v, depth + 1) for v in value}
    return _opaque(value)


def _opaque(value: Any, why: str = "") -> tuple[str, str, str]:
    try:
        text = why or repr(value)
    except Exception as exc:  # a learner's __repr__ may raise anything
        text = f"repr() raised {type(exc).__name__}"
    return (_OPAQUE, f"{type(value).__module__}.{type(value).__qualname__}", text[:200])


def encode(value: Any) -> tuple[bytes, bool]:
    """A subject's result as wire bytes, and whether plain() had to put markers in it."""
    try:
        return dumps(value), False
    except ValueError:
        return dumps(plain(value)), True


def decode(payload: bytes, markers: bool) -> Any:
    """Wire bytes back to values; Opaque markers become Opaque objects when there are any."""
    value = loads(payload)
    return _revive(value, 0) if markers else value


def _revive(value: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH + 2:
        raise WireError("a value nested too deeply")
    kind = type(value)
    if kind is tuple:
        if len(value) == 3 and value[0] == _OPAQUE:
            return Opaque(str(value[1]), str(value[2]))
        return tuple(_revive(v, depth + 1) for v in value)
    if kind is list:
        return [_revive(v, depth + 1) for v in value]
    if kind is dict:
        return {_revive(k, depth + 1): _revive(v, depth + 1) for k, v in value.items()}
    if kind in (set, frozenset):
        return kind(_revive(v, depth + 1) for v in value)
    return value


def pack_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Request arguments with Handles and Refs as wire markers (top level only)."""
    out: list[Any] = []
    for arg in args:
        if isinstance(arg, Handle):
            out.append((_HANDLE, arg.id, arg.kind))
        elif isinstance(arg, Ref):
            out.append((_REF, arg.id))
        else:
            out.append(arg)
    return tuple(out)


def unpack_arg(arg: Any) -> Handle | Ref | None:
    """The Handle or Ref an argument stands for, or None for plain data."""
    if type(arg) is tuple and arg:
        if len(arg) == 3 and arg[0] == _HANDLE:
            return Handle(int(arg[1]), str(arg[2]))
        if len(arg) == 2 and arg[0] == _REF:
            return Ref(int(arg[1]))
    return None
