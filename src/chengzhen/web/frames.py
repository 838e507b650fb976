"""How `cz serve` and its page workers (``web/pool.py``, ``web/worker.py``)
talk over their socket: frames of a 4-byte big-endian length, then a pickle
(both ends are this package, in processes the server started)."""

from __future__ import annotations

import pickle
import socket
import struct

HEADER = struct.Struct(">I")


def frame(obj) -> bytes:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def send_frame(sock: socket.socket, obj) -> None:
    sock.sendall(frame(obj))


def _recv_exactly(sock: socket.socket, n: int) -> bytes | None:
    chunks = []
    while n:
        got = sock.recv(min(n, 1 << 20))
        if not got:
            return None
        chunks.append(got)
        n -= len(got)
    return b"".join(chunks)


def recv_frame(sock: socket.socket):
    """The next frame's object; None when the other end has closed."""
    head = _recv_exactly(sock, HEADER.size)
    if head is None:
        return None
    body = _recv_exactly(sock, HEADER.unpack(head)[0])
    return None if body is None else pickle.loads(body)
