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
no request is refused or dropped.  So is every request while no worker is
ready yet (a worker warms up for a second or more after `cz serve` starts:
the server does not wait for it).  A worker that dies is replaced in the
background, and its request built in-process (our 500 page only if part of
it had been sent); workers that keep failing to start are given up, and
every page is built in-process.

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
from chengzhen.web.middleware import write_log

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

    def wait_ready(self) -> bool:
        """Block until the worker says it is ready (it warms up first);
        False if it ends or takes longer than ``START_TIMEOUT``.  Run in a
        thread, before the event loop takes the socket over."""
        from chengzhen.web.frames import recv_frame

        try:
            self.sock.settimeout(START_TIMEOUT)
            got = recv_frame(self.sock)
            self.sock.settimeout(None)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            return False
        return got is not None and got[0] == "ready"

    async def connect(self) -> None:
        """Streams on the socket, in the running loop (once)."""
        if self.reader is None:
            self.reader, self.writer = await asyncio.open_unix_connection(sock=self.sock)

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
        self.workers: list[Worker] = []
        try:
            for _ in range(workers):
                self.workers.append(Worker(self.source, self.data, self._first()))
        except BaseException:  # none left running when the pool cannot be had
            for w in self.workers:
                w.proc.kill()
                w.stop(timeout=1.0)
            raise
        self.idle: collections.deque[Worker] = collections.deque()  # ready, free
        self.waiting: collections.deque[asyncio.Future] = collections.deque()
        self.arrived: collections.deque[tuple[Worker, bool]] = collections.deque()  # (worker, ready?) from threads
        self.loop: asyncio.AbstractEventLoop | None = None
        self.up = 0  # workers ready (free or busy)
        self.broken = False  # workers cannot start: every page in-process from now on
        self.closed = False
        self.start_failures = 0
        self.answered = 0  # requests given to a worker
        self.overflow = 0  # requests built in-process: too many waiting, or no worker ready yet
        for w in self.workers:
            self._bring_up(w)

    def _first(self):
        """The snapshot a new worker warms up on: the one served now."""
        return self.ds.cz.snapshots.current

    # ------------------------------------------------------------------ workers coming up

    def _bring_up(self, worker: Worker) -> None:
        """Wait for ``worker`` to be ready in a thread (it takes a second or
        more: the server answers meanwhile, building pages itself), then
        hand it to the event loop."""
        import threading

        def wait():
            ok = worker.wait_ready()
            loop = self.loop
            if loop is not None:
                try:
                    loop.call_soon_threadsafe(self._arrive, worker, ok)
                    return
                except RuntimeError:  # the loop has stopped
                    return
            self.arrived.append((worker, ok))

        threading.Thread(target=wait, name="cz-worker-start", daemon=True).start()

    def _arrive(self, worker: Worker, ok: bool) -> None:
        """In the loop: a worker came up (free from now on), or failed to."""
        if self.closed or worker not in self.workers:
            return
        if ok:
            worker.ready = True
            self.up += 1
            self._give_back(worker)
            return
        self.start_failures += 1
        if self.start_failures > 2 * self.size:
            self._retire(worker)
        else:
            self._replace(worker)

    def ready(self) -> int:
        """How many workers are ready (threads' news taken in, when no loop
        has asked yet)."""
        if self.loop is None:
            while self.arrived:
                self._arrive(*self.arrived.popleft())
        return self.up

    def wait_ready(self, timeout: float = START_TIMEOUT) -> bool:
        """Block until every worker is ready (tests; the server never waits)."""
        deadline = time.monotonic() + timeout
        while self.ready() < self.size and not self.broken and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.ready() >= self.size

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
        """Workers keep failing to start: none any more (those up go on)."""
        worker.proc.kill()
        worker.stop(timeout=1.0)
        self.workers.remove(worker)
        if not self.workers:
            self.broken = True
            while self.waiting:  # nobody to wait for: in-process
                fut = self.waiting.popleft()
                if not fut.done():
                    fut.set_result(None)
            _log(self.ds.cz, "cz: 页面工作进程无法启动，此后页面由服务器本进程生成\n")

    def _replace(self, worker: Worker) -> None:
        """A fresh worker for one that failed (killed first: its state is
        unknown), brought up in the background."""
        try:
            worker.proc.kill()
        except OSError:
            pass
        worker.stop(timeout=1.0)
        try:
            new = Worker(self.source, self.data, self._first())
        except OSError:
            self._retire(worker)
            return
        self.workers[self.workers.index(worker)] = new
        self._bring_up(new)

    # ------------------------------------------------------------------ a request

    async def answer(self, scope, send) -> bool:
        """Have a worker answer this request, relaying its response to
        ``send``; False when the pool does not take it (no worker ready
        yet, too many waiting, or a worker failed before sending anything):
        the caller builds it in-process."""
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            while self.arrived:
                self._arrive(*self.arrived.popleft())
        if self.broken or self.up == 0:
            self.overflow += 1
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
        sent = [False]
        try:
            if worker.proc.poll() is not None:
                raise WorkerCrash(f"a page worker ended (exit status {worker.proc.returncode})")
            await worker.connect()
            done = await self._run(worker, job, send, sent)
        except (WorkerCrash, OSError):
            # it died: a fresh one in the background; this request in the
            # server's own threads if nothing of it was sent, else our 500 page
            self._lost(worker)
            if sent[0]:
                raise
            self.answered -= 1
            self.overflow += 1
            return False
        except BaseException:  # cancelled half-way: its stream is in an unknown state
            self._lost(worker)
            raise
        self._give_back(worker)
        self._finish(st, done)
        return True

    def _lost(self, worker: Worker) -> None:
        self.up -= 1
        worker.ready = False
        if not self.closed:
            self._replace(worker)

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
        self.closed = True
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
    write_log(getattr(st, "log", None), text)


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
