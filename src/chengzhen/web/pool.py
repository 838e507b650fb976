"""New pages built in other processes: `cz serve`'s page pool.

A page the page cache cannot answer (asked for the first time, or an
error page) costs milliseconds of Python; cached pages cost a fraction of
one.  In one process both share one GIL, and a stream of new searches took
half of it from the event loop that answers cached pages
(docs/performance.md, "The web view under mixed traffic").  So `cz serve`
builds new pages in a few worker processes (``web/worker.py``), each
running the same datasette application with the same plugin on the
server's own snapshot of the database, one request at a time; the server's
event loop only relays: it sends the request's scope and the snapshot
being served, and passes on the response as the worker sends it (our
headers, gzip and the access log are added on the way out, as for every
response), then puts in the page cache what the page would have put there
itself.  The cache, its invalidation by generation and every page's bytes
are what they were with the pages built in-process.

Requests wait for a free worker in order of arrival.  At most
``max_waiting`` wait; past that (a flood of new URLs), a request is built
in the server's own threads as before — slower for the cached pages, but
no request is refused or dropped.  A worker that dies is replaced (its
request gets our 500 page); if a fresh worker cannot start, the pool stops
taking requests and every page is built in-process.

Workers are started as fresh interpreters (``python -m
chengzhen.web.worker``) in their own session: Ctrl-C in a terminal reaches
only the server, which closes the workers' sockets when it stops; a
worker whose socket closes ends, so none outlives the server even when it
is killed.
"""

from __future__ import annotations

import asyncio
import collections
import os
import pickle
import socket
import subprocess
import sys
import time
from pathlib import Path

from chengzhen.web.frames import HEADER, frame

# processes: on the 2-core machines measured (docs/performance.md), three kept
# new searches' p95 well under 300 ms at a load average of 8–14, two only just
WORKERS = 3
MAX_WAITING = 32  # requests waiting per worker before the overflow is built in-process
START_TIMEOUT = 60.0  # seconds a new worker may take to say it is ready


class WorkerCrash(Exception):
    """A worker failed while building a page (its traceback is the message)."""


class Worker:
    """One worker process and the server's end of its socket."""

    def __init__(self, source: Path, data: Path, first=None):
        import json

        here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        warm = [json.dumps([str(first.path), first.generation, first.built_at, first.serial])] if first else []
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "chengzhen.web.worker", str(there.fileno()), str(source), str(data), *warm],
                pass_fds=[there.fileno()], stdin=subprocess.DEVNULL, start_new_session=True, close_fds=True)
        except BaseException:
            here.close()
            raise
        finally:
            there.close()
        self.sock = here
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.ready = False

    async def connect(self) -> None:
        """Streams on the socket (in the running loop), then the worker's
        "ready"."""
        if self.reader is None:
            self.reader, self.writer = await asyncio.open_unix_connection(sock=self.sock)
        if not self.ready:
            kind, _ = await asyncio.wait_for(self.recv(), START_TIMEOUT)
            if kind != "ready":
                raise WorkerCrash(f"a page worker started badly: {kind}")
            self.ready = True

    async def recv(self):
        try:
            head = await self.reader.readexactly(HEADER.size)
            body = await self.reader.readexactly(HEADER.unpack(head)[0])
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise WorkerCrash(f"a page worker ended (exit status {self.proc.poll()})") from exc
        return pickle.loads(body)

    def send(self, obj) -> None:
        self.writer.write(frame(obj))

    def hang_up(self) -> None:
        """Close the server's end: the worker ends once it sees it."""
        if self.writer is not None:
            try:
                self.writer.close()
            except (OSError, RuntimeError):  # RuntimeError: the loop has already stopped
                pass
        try:
            self.sock.close()
        except OSError:
            pass

    def stop(self, timeout: float) -> None:
        """Close its socket (it ends), wait, then kill it if it has not."""
        self.hang_up()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# the parts of a request's scope a page reads (uvicorn's own objects stay here)
SCOPE_KEYS = ("type", "asgi", "http_version", "server", "client", "scheme", "method", "root_path", "path",
              "raw_path", "query_string", "headers")


class Pool:
    """``workers`` processes building pages for the datasette ``ds`` (made
    by ``web/server.py:make_datasette``; its snapshots say which copy to
    read, its page cache keeps what they build)."""

    def __init__(self, ds, *, workers: int = WORKERS, max_waiting: int | None = None):
        self.ds = ds
        self.source = Path(ds.cz.source)
        self.data = Path(ds.cz.data)
        self.size = workers
        self.max_waiting = MAX_WAITING * workers if max_waiting is None else max_waiting
        self.workers: list[Worker] = [Worker(self.source, self.data, self._first()) for _ in range(workers)]
        self.idle: collections.deque[Worker] = collections.deque(self.workers)
        self.waiting: collections.deque[asyncio.Future] = collections.deque()
        self.broken = False  # workers cannot start: every page in-process from now on
        self.start_failures = 0
        self.answered = 0  # requests given to a worker
        self.overflow = 0  # requests built in-process: too many waiting

    def _first(self):
        """The snapshot a new worker warms up on: the one served now."""
        return self.ds.cz.snapshots.current

    # ------------------------------------------------------------------ taking a worker

    async def _take(self) -> Worker | None:
        if self.idle:
            return self.idle.popleft()
        if len(self.waiting) >= self.max_waiting:
            return None
        fut = asyncio.get_running_loop().create_future()
        self.waiting.append(fut)
        try:
            return await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._give_back(fut.result())
            raise

    def _give_back(self, worker: Worker) -> None:
        while self.waiting:
            fut = self.waiting.popleft()
            if not fut.done():
                fut.set_result(worker)
                return
        self.idle.append(worker)

    def _retire(self, worker: Worker) -> None:
        """Workers keep failing to start: none any more."""
        worker.proc.kill()
        worker.stop(timeout=1.0)
        self.workers.remove(worker)
        if not self.broken:
            self.broken = True
            _log(self.ds.cz, "cz: the page workers cannot start; pages are built in the server's own process\n")
        return None

    def _replace(self, worker: Worker) -> Worker | None:
        """A fresh worker for one that failed (killed first: its state is
        unknown)."""
        try:
            worker.proc.kill()
        except OSError:
            pass
        worker.stop(timeout=1.0)
        try:
            new = Worker(self.source, self.data, self._first())
        except OSError:
            self.broken = True
            self.workers.remove(worker)
            _log(self.ds.cz, "cz: a page worker cannot start; pages are built in the server's own process\n")
            return None
        self.workers[self.workers.index(worker)] = new
        return new

    # ------------------------------------------------------------------ a request

    async def answer(self, scope, send) -> bool:
        """Have a worker answer this request, relaying its response to
        ``send``; False when the pool cannot take it (too many waiting, or
        no worker can start): the caller builds it in-process."""
        if self.broken:
            return False
        worker = await self._take()
        if worker is None:
            self.overflow += 1
            return False
        self.answered += 1
        st = self.ds.cz
        snap = st.snapshots.current
        job = {"scope": {k: scope[k] for k in SCOPE_KEYS if k in scope},
               "snapshot": (str(snap.path), snap.generation, snap.built_at, snap.serial),
               "problem": st.snapshots.problem}
        for attempt in (1, 2):
            sent = [False]
            try:
                if worker.proc.poll() is not None:
                    raise WorkerCrash(f"a page worker ended (exit status {worker.proc.returncode})")
                await worker.connect()
                done = await self._run(worker, job, send, sent)
            except (WorkerCrash, OSError, asyncio.TimeoutError):
                # a worker that died or never started: a fresh one, and the
                # request again if nothing of it was sent (once, then in the
                # server's own threads); our 500 page if it was cut off
                if not worker.ready:
                    self.start_failures += 1
                worker = self._replace(worker) if self.start_failures <= 2 * self.size else self._retire(worker)
                if worker is not None and (sent[0] or attempt == 2):
                    self._give_back(worker)
                if sent[0]:
                    raise
                if worker is None or attempt == 2:
                    self.answered -= 1  # built in-process after all
                    return False
                continue
            except BaseException:  # cancelled half-way: its stream is in an unknown state
                worker = self._replace(worker)
                if worker is not None:
                    self._give_back(worker)
                raise
            self._give_back(worker)
            self._finish(st, done)
            return True
        return False  # not reached

    async def _run(self, worker: Worker, job: dict, send, sent: list) -> dict:
        """One job on one worker: its messages relayed to ``send`` as they
        come, what the page caches put in the page cache before the page
        is sent (as ``page.respond`` does); the worker's "done"."""
        worker.send(job)
        cache = self.ds.cz.cache
        caching = None
        pieces = 0
        while True:
            kind, value = await worker.recv()
            if kind == "send":
                if value.get("type") == "http.response.body":
                    pieces += 1
                    if caching is not None and pieces == 1 and not value.get("more_body", False):
                        key, status, headers, ctype = caching
                        cache.put(key, (status, headers, value.get("body", b""), ctype))
                sent[0] = True
                await send(value)
            elif kind == "cache":
                caching = value if cache is not None else None
            elif kind == "done":
                return value
            else:
                raise WorkerCrash(f"a page worker said {kind!r}")

    def _finish(self, st, done: dict) -> None:
        """The log, as the page would have written it; a failure raised."""
        if done["log"]:
            _log(st, done["log"])
        if done["failed"]:
            raise WorkerCrash(done["failed"])

    # ------------------------------------------------------------------ the end

    def close(self, timeout: float = 5.0) -> None:
        """Stop every worker (closing its socket ends it); kill any that
        has not ended within ``timeout`` seconds."""
        self.broken = True
        deadline = time.monotonic() + timeout
        for w in self.workers:
            w.hang_up()
        for w in self.workers:
            w.stop(timeout=max(0.1, deadline - time.monotonic()))
        for fut in self.waiting:
            if not fut.done():
                fut.cancel()

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self.workers]


def _log(st, text: str) -> None:
    log = getattr(st, "log", None)
    if log is None:
        return
    try:
        log.write(text)
        log.flush()
    except (OSError, ValueError):
        pass


def enabled() -> int:
    """How many workers `cz serve` starts: ``CZ_SERVE_WORKERS`` (0: none,
    every page built in-process), else :data:`WORKERS`."""
    raw = os.environ.get("CZ_SERVE_WORKERS", "").strip()
    if not raw:
        return WORKERS
    try:
        return max(0, min(16, int(raw)))
    except ValueError:
        return WORKERS
