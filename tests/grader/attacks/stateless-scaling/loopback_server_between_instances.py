"""Class 4 — share the carts over a loopback socket: one instance serves them to the others.

Tries: each instance first tries to connect to 127.0.0.1:47219; if nobody listens there,
it starts a thread that listens and keeps every cart in its memory, answering the other
instances' line-based JSON requests. The carts then never touch the store: no round
trips, no keys, no expiry to get right. If sockets are refused, the starter's dict
answers.
Must not pass because: the store is the only channel between instances; the sandbox
refuses network sockets to learner code, and even where it did not, the carts would live
in one instance's process and go when it restarts.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from typing import Any

CART_TTL_S = 1800
PORT = 47219
carts: dict[str, dict[str, int]] = {}


def _serve(listener: socket.socket) -> None:
    while True:
        conn, _ = listener.accept()
        with conn, conn.makefile("rw") as stream:
            for line in stream:
                op, session, arg = json.loads(line)
                cart = carts.setdefault(session, {})
                if op == "add":
                    for sku, qty in arg.items():
                        cart[sku] = cart.get(sku, 0) + qty
                elif op == "remove":
                    cart.pop(arg, None)
                elif op == "checkout":
                    carts.pop(session, None)
                stream.write(json.dumps(cart) + "\n")
                stream.flush()


def _connect() -> Any:
    with contextlib.suppress(Exception):
        return socket.create_connection(("127.0.0.1", PORT), timeout=1).makefile("rw")
    with contextlib.suppress(Exception):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", PORT))
        listener.listen()
        threading.Thread(target=_serve, args=(listener,), daemon=True).start()
        return socket.create_connection(("127.0.0.1", PORT), timeout=1).makefile("rw")
    return None


_link: list[Any] = []


def _ask(op: str, session: str, arg: Any) -> dict[str, int] | None:
    if not _link:
        _link.append(_connect())
    stream = _link[0]
    if stream is None:
        return None
    stream.write(json.dumps([op, session, arg]) + "\n")
    stream.flush()
    return dict(json.loads(stream.readline()))


def _local(op: str, session: str, arg: Any) -> dict[str, int]:
    cart = carts.setdefault(session, {})
    if op == "add":
        for sku, qty in arg.items():
            cart[sku] = cart.get(sku, 0) + qty
    elif op == "remove":
        cart.pop(arg, None)
    elif op == "checkout":
        carts.pop(session, None)
    return dict(cart)


def _do(op: str, session: str, arg: Any = None) -> dict[str, int]:
    answer = _ask(op, session, arg)
    return answer if answer is not None else _local(op, session, arg)


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    _do("add", session, {sku: qty})


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    _do("add", session, dict(items))


def remove_item(store: Any, session: str, sku: str) -> None:
    _do("remove", session, sku)


def get_cart(store: Any, session: str) -> dict[str, int]:
    return _do("view", session)


def checkout(store: Any, session: str) -> dict[str, int]:
    return _do("checkout", session)
