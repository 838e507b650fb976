"""The database as the web server serves it: a private, immutable copy of
the built file per generation.

Why a copy.  ``cz`` updates the database file *in place*, in one SQLite
transaction (docs/architecture.md).  A reader that opens the file with
``immutable=1`` tells SQLite the file never changes, so SQLite takes no
locks and may read a page written by a commit in progress: a half-updated
state.  A reader with ``mode=ro`` takes locks and sees each statement
consistently, but then a busy server holds read locks that delay every
update, and a page made of several statements may straddle an update.

So the server copies the file with SQLite's backup API (which reads it
inside one read transaction: the copy is one consistent generation) into a
private directory, and serves that copy with ``immutable=1`` — lock-free,
and truly immutable, because nothing else knows of it.  A watcher checks
the source file once a second (one ``stat``); when it changed and its
``meta.generation`` moved, a new copy is taken in the background and swapped
in; requests under way finish on the copy they started with.  A copy that
cannot be taken (the file is damaged, or was built by a newer cz with
another schema) leaves the previous generation serving and sets
:attr:`Snapshots.problem`, which every page shows ("restart cz serve").
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from chengzhen.errors import CzError
from chengzhen.store import schema
from chengzhen.store.db import Connection, open_readonly, read_meta

CHECK_INTERVAL = 1.0  # seconds between two looks at the source file
RETIRE_AFTER = 120.0  # seconds an old copy stays on disk for requests still reading it


@dataclass
class Snapshot:
    """One generation of the database, copied."""

    path: Path
    generation: int
    built_at: str
    source_stat: tuple
    serial: int = 0  # the n-th copy this server took: later copies have larger numbers
    taken_at: float = field(default_factory=time.time)

    @property
    def key(self) -> str:
        """Names this copy (thread-local connections, ETags)."""
        return f"{self.generation}-{self.path.stem}"

    def connect(self) -> sqlite3.Connection:
        """A read-only, lock-free connection to this copy, carrying the query
        layer's per-connection caches (``query/cache.py``)."""
        uri = "file:" + quote(str(self.path), safe="/") + "?immutable=1"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=Connection)
        conn.execute("PRAGMA query_only=1")
        conn.cz_snapshot = self  # type: ignore[attr-defined]
        return conn


def _stat(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


class SnapshotError(Exception):
    pass


class Snapshots:
    """The current copy of ``source``, renewed when ``source`` changes."""

    def __init__(self, source: Path, workdir: Path | None = None, *, interval: float = CHECK_INTERVAL):
        self.source = Path(source)
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="cz-serve-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.interval = interval
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._seq = 0
        self._retired: list[tuple[float, Snapshot]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.current: Snapshot = self._take()

    # ------------------------------------------------------------------ taking a copy

    def _take(self) -> Snapshot:
        """Copy the source into a new private file, consistently."""
        stat = _stat(self.source)
        if not stat:
            raise SnapshotError(f"no database at {self.source}")
        try:
            src = open_readonly(self.source)
        except (sqlite3.DatabaseError, CzError, OSError) as exc:
            raise SnapshotError(f"cannot open {self.source}: {exc}") from None
        self._seq += 1
        dest = self.workdir / f"chengzhen-{os.getpid()}-{self._seq}.db"
        try:
            src.execute("BEGIN")
            meta = read_meta(src)
            if schema.db_hash(src) != schema.declared_hash():
                raise SnapshotError("the database was built by another version of cz (its schema differs)")
            out = sqlite3.connect(str(dest))
            try:
                src.backup(out)
            finally:
                out.close()
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise SnapshotError(f"cannot copy {self.source}: {exc}") from None
        except SnapshotError:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise
        finally:
            src.close()
        return Snapshot(dest, int(meta.get("generation", 0) or 0), meta.get("built_at", ""), stat, serial=self._seq)

    def _source_generation(self) -> tuple[int, str] | None:
        try:
            conn = open_readonly(self.source)
        except (sqlite3.DatabaseError, CzError, OSError):
            return None
        try:
            meta = read_meta(conn)
            return int(meta.get("generation", 0) or 0), meta.get("built_at", "")
        except (sqlite3.DatabaseError, ValueError):
            return None
        finally:
            conn.close()

    def refresh(self) -> bool:
        """Take a new copy if the source moved to another generation; True
        when the served generation changed."""
        with self._lock:
            cur = self.current
            stat = _stat(self.source)
            if stat == cur.source_stat:
                return False
            got = self._source_generation()
            if got is None:
                self.problem = f"数据库文件 {self.source} 暂时无法读取"
                return False
            if got == (cur.generation, cur.built_at):
                cur.source_stat = stat  # touched, same data
                return False
            try:
                new = self._take()
            except SnapshotError as exc:
                self.problem = str(exc)
                cur.source_stat = stat  # do not retry until the file changes again
                return False
            self.problem = None
            self.current = new
            self._retired.append((time.monotonic(), cur))
            self._sweep()
            return True

    def _sweep(self, *, everything: bool = False) -> None:
        keep = []
        now = time.monotonic()
        for when, snap in self._retired:
            if everything or now - when > RETIRE_AFTER:
                with contextlib.suppress(OSError):
                    snap.path.unlink()  # POSIX: readers still holding it keep reading
                    continue
            keep.append((when, snap))
        self._retired = keep

    # ------------------------------------------------------------------ watching

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="cz-snapshot-watcher", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
                with self._lock:
                    self._sweep()
            except Exception as exc:  # the watcher must outlive any one bad look
                self.problem = f"{type(exc).__name__}: {exc}"

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        with self._lock:
            self._sweep(everything=True)
            with contextlib.suppress(OSError):
                self.current.path.unlink()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
