"""What stands between the network and datasette: every response is ours.

:class:`CzApp` wraps datasette's ASGI application (``web/server.py:server``)
and, for every HTTP request:

* **routes first.**  A path that is none of our pages (``plugin.routes``)
  or static files is answered here with our 404 page — datasette's own
  pages (table browser, SQL page, downloads, ``/-/…``) are off: `cz serve`
  is a knowledge-base site, not a database browser.  A method other than
  GET/HEAD on a page is our 405; arguments past their size
  (``errors.check_arguments``) our 400.  None of these reads the database
  or waits for a worker thread: each costs about half a millisecond.
* **answers from the page cache** (and 304 for the generation's ETag) as
  ``page.page_view`` would, without going through datasette: a cached page
  costs about 0.3 ms of CPU instead of 0.55; a hit sent before is sent
  again as it went out (:class:`WireCache`: headers, gzip and all).
* **has new pages built by the page pool** (``web/pool.py``: other
  processes, when `cz serve` runs one), so that this process's GIL is left
  to the cached pages.
* **serves the static files** (stylesheet, script, icon) from memory, with
  an ETag.
* **adds the security headers** (``page.SECURITY_HEADERS`` and
  ``X-Frame-Options``) to every response that lacks them.
* **compresses text** (HTML, JSON, CSV, CSS, JS, SVG) with gzip when the
  client accepts it, off the event loop (zlib lets go of the GIL); a
  response with an ETag is compressed once (:class:`GzipCache`), a
  streamed export chunk by chunk.
* **answers a crash with our 500 page** (the traceback goes to the log,
  once) when nothing has been sent yet.
* **logs one line per request** (client, method, path, status, bytes, ms);
  a client's error is that line and nothing more.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sys
import threading
import time
import traceback
import zlib
from collections import OrderedDict
from typing import Callable

from chengzhen.web.assets import STATIC
from chengzhen.web.errors import HEADINGS, Problem, check_arguments, info_of, not_allowed, not_found, server_error

STATIC_PREFIX = "/-/cz/"
EXTRA_HEADERS = {"x-frame-options": "DENY"}  # frame-ancestors 'none' for browsers that predate CSP
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
MIN_GZIP = 1024  # bytes: below this gzip saves less than it costs
GZIP_LEVEL = 6
THREAD_GZIP = 4 * 1024  # bodies at least this large are compressed off the event loop (zlib releases the GIL)

_TYPES = {".css": "text/css; charset=utf-8", ".js": "application/javascript; charset=utf-8",
          ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8"}


class Stderr:
    """Whatever ``sys.stderr`` is when a line is written (the default log)."""

    def write(self, text: str) -> None:
        sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


STDERR = Stderr()


def _security_headers() -> dict[str, str]:
    from chengzhen.web.page import SECURITY_HEADERS

    return {**SECURITY_HEADERS, **EXTRA_HEADERS}


class Static:
    """The package's static files, read once: body, type, ETag."""

    def __init__(self, folder=STATIC):
        self.files: dict[str, tuple[bytes, str, str]] = {}
        for f in sorted(folder.iterdir()):
            if not f.is_file():
                continue
            body = f.read_bytes()
            ctype = _TYPES.get(f.suffix, "application/octet-stream")
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            self.files[f.name] = (body, ctype, tag)

    def get(self, name: str):
        return self.files.get(name)


class GzipCache:
    """Compressed bodies of responses that carry a validator (an ETag: a page
    of one database generation, a static file), by URL, ETag, length and
    CRC-32 of the body, least recently used first out, at most ``max_bytes``
    of compressed data: a page served again from the page cache is not
    compressed again.  (A page is a function of its URL and generation, as
    the page cache assumes; the length and checksum make a stale entry
    impossible to serve in practice even if one were not.)"""

    def __init__(self, max_bytes: int = 16 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(target: bytes, etag: bytes, body: bytes) -> tuple:
        return target, etag, len(body), zlib.crc32(body)

    def get(self, key):
        with self._lock:
            got = self._items.get(key)
            if got is not None:
                self._items.move_to_end(key)
            return got

    def put(self, key, value: bytes) -> None:
        if len(value) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self._bytes += len(value)
            while self._bytes > self.max_bytes and self._items:
                _k, old = self._items.popitem(last=False)
                self._bytes -= len(old)


class WireCache:
    """Page-cache hits as they went out the first time, by page-cache key
    and whether the client takes gzip: (the page cache's entry, the
    response's start message, its body as sent).  A hit whose entry is the
    same object is sent again as it is — no headers rebuilt, nothing
    compressed or checksummed again.  Least recently used first out, at
    most ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, tuple] = OrderedDict()
        self._bytes = 0

    def get(self, key):
        got = self._items.get(key)
        if got is not None:
            self._items.move_to_end(key)
        return got

    def put(self, key, value: tuple) -> None:
        size = len(value[2])
        if size > self.max_bytes // 8:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= len(old[2])
        self._items[key] = value
        self._bytes += size
        while self._bytes > self.max_bytes and self._items:
            _k, gone = self._items.popitem(last=False)
            self._bytes -= len(gone[2])


def gzip_bytes(body: bytes) -> bytes:
    c = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: the gzip container
    return c.compress(body) + c.flush()


def _compressible(ctype: str) -> bool:
    return ctype.startswith(COMPRESSIBLE)


def accepts_gzip(value: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip`` or ``*``,
    not with ``q=0``)."""
    for part in value.split(","):
        token, _, params = part.strip().partition(";")
        token = token.strip().lower()
        if token not in ("gzip", "x-gzip", "*"):
            continue
        q = params.strip().lower()
        if q.startswith("q="):
            try:
                if float(q[2:]) <= 0:
                    continue
            except ValueError:
                continue
        return True
    return False


def _header(headers, name: bytes) -> bytes | None:
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


class CzApp:
    """The ASGI application `cz serve` runs: ``datasette``'s, behind the
    gate described in the module's docstring.  ``routes``: the regular
    expressions of our pages' paths (``plugin.routes``); ``log``: where the
    access log goes (a writable text stream; None: nowhere)."""

    def __init__(self, datasette, routes: list[str], *, log=STDERR, pool=None):
        self.ds = datasette
        self.pool = pool  # web/pool.py:Pool, building new pages in other processes; None: in-process
        self.inner = datasette.app()
        self.log = log
        if getattr(datasette, "cz", None) is not None:
            datasette.cz.log = log  # where a guarded view writes a crash (log_crash)
        self.routes = [re.compile(r) for r in routes]
        self.static = Static()
        self.gzip_cache = GzipCache()
        self.wire = WireCache()
        self.security = [(k.encode(), v.encode()) for k, v in _security_headers().items()]

    # ------------------------------------------------------------------ ASGI

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        started = time.perf_counter()
        # the log line is written just before the last piece of the body goes
        # out (so it is there when the client has its answer), or at the end
        record = {"status": 0, "bytes": 0, "done": lambda: self._access(scope, record, started), "logged": False}
        gz_ok = accepts_gzip((_header(scope.get("headers") or [], b"accept-encoding") or b"").decode("latin-1"))
        target = (scope.get("raw_path") or b"") + b"?" + (scope.get("query_string") or b"")
        out = self._sender(send, record, gz_ok, target)
        out.raw, out.record, out.gz_ok, out.target = send, record, gz_ok, target
        try:
            await self._route(scope, receive, out)
        except Exception:  # a bug: our 500 page if nothing has been sent yet, the traceback in the log once
            write_log(self.log, crash_report(scope))
            if not record["status"]:
                await self._problem(scope, receive, out, server_error())
        finally:
            if not record["logged"]:
                self._access(scope, record, started)

    async def _route(self, scope, receive, send):
        path = self._path(scope)
        method = scope.get("method", "GET")
        if path is None:
            return await self._problem(scope, receive, send, not_found(scope.get("path", "")[:200]))
        if path.startswith(STATIC_PREFIX):
            return await self._static(scope, receive, send, path[len(STATIC_PREFIX):], method)
        if not any(r.match(path) for r in self.routes):
            return await self._problem(scope, receive, send, not_found(scope.get("path") or path))
        if method not in ("GET", "HEAD"):
            return await self._problem(scope, receive, send, not_allowed(method), allow=True)
        too_big = check_arguments(scope.get("query_string") or b"")
        if too_big is not None:
            return await self._problem(scope, receive, send, too_big)
        if await self._from_cache(scope, receive, send):
            return
        if self.pool is not None and await self.pool.answer(scope, send):
            return
        await self.inner(scope, receive, send)

    async def _from_cache(self, scope, receive, send) -> bool:
        """What ``page.page_view`` answers before it builds a page — 304 for
        the ETag of the generation served, or the finished response from
        the page cache — answered here, without datasette's routing,
        hooks and cookie handling: a cached page costs a fraction of what
        it did, and more of the event loop is left to the others.  Whether
        it answered."""
        from datasette.utils.asgi import Request

        from chengzhen.web.page import _cache_key, etag, state

        st = state(self.ds)
        snaps = st.snapshots
        current, problem = snaps.current, snaps.problem
        tag = etag(current, problem)
        inm = _header(scope.get("headers") or [], b"if-none-match")
        if inm is not None and tag in [t.strip() for t in inm.decode("latin-1").split(",")]:
            await self._send_whole(scope, send, 304, {"etag": tag, "cache-control": "no-cache"}, b"", None)
            return True
        if st.cache is None:
            return False
        key = _cache_key(Request(scope, receive), current.serial, problem)
        hit = st.cache.get(key)
        if hit is None:
            return False
        # the response as it went out the first time (our headers added, the
        # body compressed or not): sent again as it is
        wire_key = (key, send.gz_ok)
        wire = self.wire.get(wire_key)
        if wire is not None and wire[0] is hit:
            _hit, start, body = wire
            record = send.record
            record["status"] = start["status"]
            record["bytes"] += len(body)
            await send.raw(start)
            record["done"]()
            await send.raw({"type": "http.response.body", "body": body})
            return True
        status, headers, body, ctype = hit
        sent: list = []

        async def keep(message):
            sent.append(message)
            await send.raw(message)

        out = self._sender(keep, send.record, send.gz_ok, send.target)
        await self._send_whole(scope, out, status, headers, body.encode("utf-8") if isinstance(body, str) else body,
                               ctype)
        if len(sent) == 2 and not sent[1].get("more_body"):
            self.wire.put(wire_key, (hit, sent[0], sent[1]["body"]))
        return True

    @staticmethod
    def _path(scope) -> str | None:
        """The path as datasette routes it (the raw path, ASCII), or None."""
        raw = scope.get("raw_path")
        if raw is None:
            return scope.get("path")
        try:
            return raw.decode("ascii").partition("?")[0]
        except UnicodeDecodeError:
            return None

    # ------------------------------------------------------------------ answers of our own

    async def _problem(self, scope, receive, send, exc: Problem, *, allow: bool = False):
        from datasette.utils.asgi import Request

        request = Request(scope, receive)
        path = scope.get("path") or ""
        fmt = "json" if path.endswith(".json") else None
        status, headers, body, ctype = problem_response(request, self.ds, exc, fmt)
        headers = dict(headers)
        if allow:
            headers["allow"] = "GET, HEAD"
        await self._send_whole(scope, send, status, headers, body.encode("utf-8"), ctype)

    async def _static(self, scope, receive, send, name: str, method: str):
        got = self.static.get(name)
        if got is None or "/" in name:
            return await self._problem(scope, receive, send, not_found(scope.get("path") or name))
        if method not in ("GET", "HEAD"):
            return await self._problem(scope, receive, send, not_allowed(method), allow=True)
        body, ctype, tag = got
        headers = {"etag": tag, "cache-control": "no-cache"}
        inm = (_header(scope.get("headers") or [], b"if-none-match") or b"").decode("latin-1")
        if tag in [t.strip() for t in inm.split(",")]:
            return await self._send_whole(scope, send, 304, headers, b"", None)
        await self._send_whole(scope, send, 200, headers, body, ctype)

    async def _send_whole(self, scope, send, status: int, headers: dict, body: bytes, ctype: str | None):
        raw = [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()]
        if ctype:
            raw.append((b"content-type", ctype.encode("latin-1")))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})  # uvicorn sends no body for HEAD

    # ------------------------------------------------------------------ every response: headers, gzip, log

    def _sender(self, send, record: dict, gz_ok: bool, target: bytes) -> Callable:
        """``send`` with our headers added, the body compressed where it
        should be, and what was sent recorded for the log."""
        state: dict = {"start": None, "gzip": None, "stream": None}
        security = self.security
        cache = self.gzip_cache

        async def out(message):
            kind = message["type"]
            if kind == "http.response.start":
                headers = list(message.get("headers") or [])
                have = {k.lower() for k, _v in headers}
                headers += [(k, v) for k, v in security if k not in have]
                ctype = (_header(headers, b"content-type") or b"").decode("latin-1")
                status = message["status"]
                if _compressible(ctype):  # one Vary header, Accept-Encoding added
                    vary = [v.strip() for k, val in headers if k.lower() == b"vary" for v in val.split(b",")]
                    headers = [(k, v) for k, v in headers if k.lower() != b"vary"]
                    headers.append((b"vary", b", ".join([v for v in vary if v] + [b"Accept-Encoding"])))
                record["status"] = status
                can = (gz_ok and _compressible(ctype) and status not in (204, 304)
                       and _header(headers, b"content-encoding") is None)
                state["start"] = {**message, "headers": headers}
                state["gzip"] = can
                return
            if kind != "http.response.body":
                return await send(message)
            body = message.get("body", b"")
            more = message.get("more_body", False)
            start = state["start"]
            if start is not None:  # the first piece of the body: decide
                state["start"] = None
                headers = start["headers"]
                if not more:  # the whole body at once
                    if state["gzip"] and len(body) >= MIN_GZIP:
                        tag = _header(headers, b"etag")
                        body = await _compressed(body, cache, None if tag is None else (target, tag))
                        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                        headers.append((b"content-encoding", b"gzip"))
                    if _header(headers, b"content-length") is None:
                        headers.append((b"content-length", str(len(body)).encode()))
                    record["bytes"] += len(body)
                    await send({**start, "headers": headers})
                    record["done"]()
                    return await send({"type": "http.response.body", "body": body})
                if state["gzip"]:  # a stream: compressed as it comes
                    state["stream"] = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    headers.append((b"content-encoding", b"gzip"))
                await send({**start, "headers": headers})
            z = state["stream"]
            if z is not None:
                body = z.compress(body) + (z.flush() if not more else z.flush(zlib.Z_SYNC_FLUSH))
            record["bytes"] += len(body)
            if not more:
                record["done"]()
            await send({"type": "http.response.body", "body": body, "more_body": more})

        return out

    def _access(self, scope, record: dict, started: float) -> None:
        record["logged"] = True
        if self.log is None:
            return
        ms = (time.perf_counter() - started) * 1000
        client = scope.get("client") or ("-", 0)
        write_log(self.log, f'{client[0]} - "{request_line(scope)}" {record["status"]} {record["bytes"]} {ms:.1f}ms\n')


def request_line(scope) -> str:
    """Method and target as sent, for the log: at most 300 bytes, nothing
    that is not printable ASCII (a path cannot forge a log line)."""
    raw = scope.get("raw_path") or (scope.get("path") or "").encode("utf-8", "replace")
    qs = scope.get("query_string") or b""
    target = raw + (b"?" + qs if qs else b"")
    if len(target) > 300:
        target = target[:300] + b"..."
    text = "".join(chr(b) if 0x20 < b < 0x7f and b != 0x22 else f"\\x{b:02x}" for b in target)
    method = "".join(c if c.isalpha() else "?" for c in str(scope.get("method", "-"))[:20])
    return f"{method} {text}"


def crash_report(scope) -> str:
    """A server error for the log: the request, then the traceback (once)."""
    return f"cz: 回答 {request_line(scope)} 时出错\n{traceback.format_exc()}"


def log_crash(datasette, scope) -> None:
    """A crash inside a page (``plugin.guarded``), written where the access
    log goes."""
    write_log(getattr(getattr(datasette, "cz", None), "log", STDERR), crash_report(scope))


def write_log(log, text: str) -> None:
    """A line to the access log (None: none), never failing on a closed stream."""
    if log is None:
        return
    try:
        log.write(text)
        log.flush()
    except (OSError, ValueError):
        pass


async def _compressed(body: bytes, cache: GzipCache, where: tuple[bytes, bytes] | None) -> bytes:
    """``body`` gzipped; ``where`` (target, ETag): kept for the next time."""
    key = GzipCache.key(where[0], where[1], body) if where is not None else None
    got = cache.get(key) if key is not None else None
    if got is not None:
        return got
    if len(body) >= THREAD_GZIP:
        gz = await asyncio.get_running_loop().run_in_executor(None, gzip_bytes, body)
    else:
        gz = gzip_bytes(body)
    if key is not None:
        cache.put(key, gz)
    return gz


def problem_response(request, datasette, exc: Problem, fmt: str | None):
    """(status, headers, body, content type) of an error page, as every page
    is rendered; ``fmt`` "json" for the JSON form."""
    from chengzhen.web.page import Page, render, state  # not at the top: page imports errors, not this

    info = info_of(exc)
    page = Page("error", "cz_error.html", HEADINGS.get(exc.status, "出错了"),
                {"error": info["error"], "message": info["message"], "kind": info["kind"], "word": info["word"],
                 "suggestions": []},
                status=exc.status, context={"info": info})
    page.snapshot = state(datasette).snapshots.current
    return render(request, datasette, page, "json" if fmt == "json" else None)


def http_protocol():
    """uvicorn's HTTP/1.1 protocol (h11), whose answer to a request it
    cannot parse (a raw non-ASCII byte in the target, a broken request
    line) carries our headers and says so in Chinese — the one response
    made before our application sees the request."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    headers = [(k.encode(), v.encode()) for k, v in _security_headers().items()]
    body = "请求的格式不对：这不是一个有效的 HTTP 请求（网址中的中文等字符须经百分号编码）。\n".encode("utf-8")

    class CzH11Protocol(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            event = h11.Response(status_code=400, reason=b"Bad Request", headers=[
                (b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                (b"content-length", str(len(body)).encode()), *headers])
            self.transport.write(self.conn.send(event))
            self.transport.write(self.conn.send(h11.Data(data=body)))
            self.transport.write(self.conn.send(h11.EndOfMessage()))
            self.transport.close()

    return CzH11Protocol
