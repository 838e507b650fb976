"""`cz serve`: datasette on the knowledge base, with our pages.

:func:`make_datasette` builds the datasette instance — one database,
``chengzhen``, served from a private snapshot of the built file
(``web/snapshot.py``), our plugin (``web/plugin.py``) registered, our
templates (shipped in this package: the pages need nothing from the
internet).  :func:`server` puts it behind ``web/middleware.py:CzApp`` —
only our pages and static files are served, every response carries our
headers, every error is our page — and :func:`serve` runs that under
uvicorn until interrupted.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from chengzhen.errors import CzError
from chengzhen.web.assets import STATIC, TEMPLATES  # noqa: F401

INSTALL_HINT = ("cz serve needs the optional web extra (datasette): pip install 'chengzhen[web]' "
                "(in a checkout: pip install '.[web]')")

TITLE = "新型城镇化规划知识库"


def require_datasette() -> None:
    """One clear line when the web extra is not installed."""
    try:
        import datasette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise CzError(INSTALL_HINT) from None


@dataclass
class WebState:
    """What our pages need besides datasette itself (``datasette.cz``)."""

    snapshots: object
    source: Path
    cache: object = None  # web/page.py:PageCache, or None
    data: Path | None = None  # the data directory: a citation quotes a source file from it, when it is the one built
    log: object = None  # the access log's stream (set by web/middleware.py:CzApp); a crash is written there too


# datasette's own pages are off (web/middleware.py): what it would show of the
# database (table descriptions, the SQL page's time limit) is not needed
METADATA = {"title": TITLE}
SETTINGS = {
    "default_cache_ttl": 0,
    # threads that build new pages: two on these 2-core machines (one in
    # SQLite while the other runs Python); more only contend for the GIL
    # with the event loop that answers cached pages (docs/performance.md)
    "num_sql_threads": 2,
}
SWITCH_INTERVAL = 0.0005  # seconds: sys.setswitchinterval under cz serve


def make_datasette(db_path: Path, *, snapshots=None, settings: dict | None = None, cache: bool = True,
                   data: Path | None = None):
    """A datasette instance serving ``db_path`` (copied into a snapshot)
    with our pages; ``data``: the data directory (default: cz's), whose
    source files a citation quotes as written.  The caller starts
    ``snapshots`` watching (``.start()``) and closes it at the end."""
    require_datasette()
    if data is None:
        from chengzhen.paths import data_dir

        data = data_dir()
    from datasette.app import Datasette
    from datasette.plugins import pm

    from chengzhen.web import plugin
    from chengzhen.web.database import NAME, SnapshotDatabase
    from chengzhen.web.snapshot import Snapshots, SnapshotError

    if not pm.is_registered(plugin):
        pm.register(plugin, name="chengzhen")
    if snapshots is None:
        try:
            snapshots = Snapshots(Path(db_path))
        except SnapshotError as exc:
            raise CzError(str(exc)) from None
    class CzDatasette(Datasette):
        """datasette, carrying our state from the start (its test client
        builds the routes inside ``__init__``)."""

        def __init__(self, *args, cz: WebState, **kwargs):
            self.cz = cz
            super().__init__(*args, **kwargs)

    from chengzhen.web.page import PageCache

    # no static mount: web/middleware.py serves /-/cz/ from memory
    ds = CzDatasette(files=[], metadata=METADATA, settings={**SETTINGS, **(settings or {})},
                     cz=WebState(snapshots=snapshots, source=Path(db_path), cache=PageCache() if cache else None,
                                data=Path(data)))
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    ds.add_database(SnapshotDatabase(ds, snapshots), name=NAME)
    return ds


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or one clear error (port taken, bad address)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CzError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, socktype, proto, _name, addr = infos[0]
    # proto must say TCP: asyncio sets TCP_NODELAY only on sockets that do,
    # and without it each response waits ~40 ms for the client's delayed ACK
    sock = socket.socket(family, socktype, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        raise CzError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def server(ds, sock: socket.socket, *, log_level: str = "warning", access_log="stderr", pool=None):
    """A uvicorn server for ``ds`` on ``sock`` (``.run(sockets=[sock])``),
    behind our gate (``web/middleware.py``); ``access_log``: the stream that
    gets one line per request ("stderr": whatever sys.stderr is then; None:
    no log); ``pool``: the processes that build new pages (``web/pool.py``;
    None: the server's own threads do)."""
    import uvicorn

    from chengzhen.web.middleware import STDERR, CzApp, http_protocol
    from chengzhen.web.plugin import routes

    app = CzApp(ds, [route for route, _view in routes()], log=STDERR if access_log == "stderr" else access_log,
                pool=pool)
    config = uvicorn.Config(app, log_level=log_level, lifespan="on", access_log=False,
                            server_header=False, http=http_protocol())
    return uvicorn.Server(config)


class Stop(Exception):
    """SIGTERM: stop serving, as Ctrl-C does."""


def _on_term(signum, frame):
    raise Stop()


def serve(db_path: Path, host: str, port: int, *, announce=None) -> None:
    """Serve until Ctrl-C or SIGTERM; then stop cleanly (the snapshot
    directory removed) and return."""
    import signal
    import sys
    import threading

    sock = bind(host, port)  # first: a port that is taken costs no snapshot
    try:
        ds = make_datasette(db_path)
    except BaseException:
        sock.close()
        raise
    # the event loop answers cached pages, errors and static files; the
    # page pool's processes build new pages (web/pool.py), and the worker
    # threads only what overflows the pool.  Every socket call of the loop
    # lets go of the GIL, and taking it back from a thread waits up to the
    # switch interval: 0.5 ms instead of Python's 5 ms keeps cached pages
    # flowing beside the threads (docs/performance.md, "mixed traffic").
    # Put back at the end: cz serve may run inside a host process.
    from chengzhen.web.pool import Pool, enabled

    try:
        workers = enabled()
        pool = Pool(ds, workers=workers) if workers else None
    except OSError:  # no processes to be had: the threads build every page, as before
        pool = None
    except BaseException:
        sock.close()
        ds.cz.snapshots.close()
        raise
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    snapshots = ds.cz.snapshots
    old_term = None
    if threading.current_thread() is threading.main_thread():
        # uvicorn shuts down on SIGTERM, then raises it again for the previous
        # handler: this one, so that the clean-up below runs
        old_term = signal.signal(signal.SIGTERM, _on_term)
    try:
        snapshots.start()
        srv = server(ds, sock, pool=pool)
        if announce:
            shown = f"[{host}]" if ":" in host else host
            announce(f"http://{shown}:{sock.getsockname()[1]}/", snapshots.current)
        srv.run(sockets=[sock])
    except (KeyboardInterrupt, Stop):
        pass
    finally:
        sys.setswitchinterval(old_interval)
        sock.close()
        if pool is not None:
            pool.close()
        snapshots.close()
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
