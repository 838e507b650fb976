"""One process of `cz serve`'s page pool (``web/pool.py``): builds the pages
the page cache cannot answer, so that the server's own interpreter (its
GIL) is left to the cached pages, errors and static files.

Run as ``python -m chengzhen.web.worker FD SOURCE DATA [FIRST]`` by the
pool, never by hand: ``FD`` is its end of a socket pair to the server,
``SOURCE`` the database file the server serves (named only; the worker
reads the server's own snapshot of it, the one named in each job), ``DATA``
the data directory a citation quotes, ``FIRST`` (JSON) the snapshot served
when it started, which it warms up on before it says it is ready.

The worker runs the same datasette application with the same plugin as
the server (``web/server.py:make_datasette``), in one thread, one request
at a time: each job is an HTTP request's scope and the snapshot the
server serves; the answer is the ASGI messages the application sends,
relayed as they come (what the page puts in the page cache first: the
server keeps the cache), then anything written to the log.  A page is
thus byte for byte what the server would have made itself.

Frames both ways (``web/frames.py``).  The worker
ignores Ctrl-C (the server stops it) and ends when the server's end of the
socket closes — also when the server dies: no worker outlives it.
"""

from __future__ import annotations

import signal
import socket
import sys

from chengzhen.web.frames import recv_frame, send_frame


class Given:
    """The snapshots of a worker: whichever copy the server names in the job
    (``web/snapshot.py:Snapshot``), and the server's problem line."""

    def __init__(self):
        self.current = None
        self.problem: str | None = None
        self._known: dict[tuple, object] = {}

    def use(self, path: str, generation: int, built_at: str, serial: int, problem: str | None) -> None:
        from pathlib import Path

        from chengzhen.web.snapshot import Snapshot

        key = (path, generation, built_at, serial)
        snap = self._known.get(key)
        if snap is None:
            if len(self._known) > 8:
                self._known.clear()
            snap = self._known[key] = Snapshot(Path(path), generation, built_at, (), serial=serial)
        self.current = snap
        self.problem = problem


class Capture:
    """The page cache as a worker's pages see it: never a hit; what a page
    puts is sent to the server at once (before the page itself, as a page
    built in the server is cached before it is sent), which keeps the cache."""

    hits = misses = 0

    def __init__(self, sock: socket.socket):
        self.sock = sock

    def get(self, key):
        return None

    def put(self, key, value) -> None:
        status, headers, _body, ctype = value  # the body is what the page sends next
        send_frame(self.sock, ("cache", (key, status, headers, ctype)))


class Log:
    """What a page writes to the log (a crash's traceback), for the server."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def make(source: str, data: str, sock: socket.socket):
    """The worker's datasette: the server's, one thread, our capture cache."""
    from pathlib import Path

    from chengzhen.web.server import make_datasette

    given = Given()
    given.use(source, 0, "", 0, None)  # until the first job names the server's copy
    ds = make_datasette(Path(source), snapshots=given, settings={"num_sql_threads": 0}, cache=False,
                        data=Path(data))
    ds.cz.cache = Capture(sock)
    ds.cz.log = Log()
    return ds, given


def scope_of(target: str) -> dict:
    """An HTTP GET's scope for ``target`` (a path and query, ASCII)."""
    path, _, query = target.partition("?")
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode("ascii"), "query_string": query.encode("ascii"), "root_path": "",
            "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0)}


def warm_targets(given: Given) -> list[str]:
    """What a worker builds once before it says it is ready, so that its
    first reader does not wait for what every page loads once (the word
    segmenter, the query layer's caches, the templates): the home page, a
    search for the most frequent word, the fullest measure."""
    from urllib.parse import quote

    from chengzhen.query.browse import frequent_word, fullest_measure

    conn = given.current.connect()
    try:
        word, mid = frequent_word(conn), fullest_measure(conn)
    finally:
        conn.close()
    return ["/"] + ([f"/search?q={quote(word)}"] if word else []) + ([f"/m/{quote(mid, safe='/.')}"] if mid else [])


def serve(sock: socket.socket, source: str, data: str, first: list | None = None) -> None:
    """Answer jobs until the server closes the socket; ``first``: the
    snapshot served when the worker started (path, generation, built time,
    serial), to warm up on."""
    import asyncio
    import traceback

    ds, given = make(source, data, sock)
    app = ds.app()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        send_frame(sock, ("send", message))

    if first:
        capture, ds.cz.cache = ds.cz.cache, None

        async def discard(message):
            pass

        try:
            given.use(*first, None)
            for target in warm_targets(given):
                loop.run_until_complete(app(scope_of(target), receive, discard))
        except Exception:  # a page that fails here fails for its reader too, who gets our 500 page
            pass
        ds.cz.cache, ds.cz.log = capture, Log()
    send_frame(sock, ("ready", None))
    while True:
        job = recv_frame(sock)
        if job is None:
            break
        given.use(*job["snapshot"], job["problem"])
        failed = None
        try:
            loop.run_until_complete(app(job["scope"], receive, send))
        except Exception:
            failed = traceback.format_exc()
        send_frame(sock, ("done", {"log": ds.cz.log.take(), "failed": failed}))
    loop.close()


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers
    import json

    fd, source, data = int(argv[0]), argv[1], argv[2]
    first = json.loads(argv[3]) if len(argv) > 3 else None
    sock = socket.socket(fileno=fd)
    try:
        serve(sock, source, data, first)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server has gone
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
