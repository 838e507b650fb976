"""Opening the database file: read-only for every query, read-write only for
a build or to finish an interrupted one.

Queries open the file read-only (``mode=ro``), so no query command can write.
A command reads inside one read transaction (:func:`read_snapshot`), so all
its statements see the same state even when a build updates the file in
place meanwhile (the writer waits for readers to finish before it commits;
readers wait for a commit in progress — the ``busy`` timeout).

If a build was killed while it updated the file, SQLite left a *hot journal*
beside it holding the pages as they were; a read-only connection cannot roll
it back (``SQLITE_READONLY_ROLLBACK``).  :func:`open_readonly` then takes the
build lock and opens the file read-write once, which makes SQLite restore the
previous state, and opens it read-only again.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from chengzhen.errors import CzError

BUSY_TIMEOUT = 60.0  # seconds a reader (or writer) waits for the other side
_READONLY_ROLLBACK = 776


class Connection(sqlite3.Connection):
    """A connection that carries the query layer's caches (``query/cache.py``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cz_cache: dict = {}


def _uri(path: Path, mode: str) -> str:
    from urllib.parse import quote

    return "file:" + quote(str(path.resolve()), safe="/") + f"?mode={mode}"


def open_readonly(path: Path, *, recover: bool = True) -> sqlite3.Connection:
    """A read-only connection; finishes an interrupted build's rollback first."""
    conn = sqlite3.connect(_uri(path, "ro"), uri=True, check_same_thread=False,
                           timeout=BUSY_TIMEOUT, isolation_level=None, factory=Connection)
    try:
        conn.execute("PRAGMA query_only=1")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:  # (not a database at all, too: closed, not left to the collector)
        conn.close()
        if recover and getattr(exc, "sqlite_errorcode", None) == _READONLY_ROLLBACK:
            roll_back_interrupted(path)
            return open_readonly(path, recover=False)
        raise
    return conn


def open_readwrite(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """A read-write connection in autocommit mode (the caller runs BEGIN)."""
    mode = "rwc" if create else "rw"
    return sqlite3.connect(_uri(path, mode), uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)


def roll_back_interrupted(path: Path, *, locked: bool = False) -> None:
    """Restore a database a killed build left with a hot journal (opening it
    read-write makes SQLite roll the journal back).  ``locked``: the caller
    already holds the build lock."""
    if not locked:
        from chengzhen.store.lock import build_lock

        with build_lock(path):
            return roll_back_interrupted(path, locked=True)
    if not path.with_name(path.name + "-journal").exists():
        return
    try:
        conn = open_readwrite(path)
    except sqlite3.DatabaseError as exc:
        raise CzError(f"cannot restore database {path} after an interrupted build: {exc}") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        pass  # not a database at all: the caller finds it damaged and rebuilds it
    finally:
        conn.close()


@contextlib.contextmanager
def read_snapshot(conn: sqlite3.Connection):
    """Every statement inside sees one consistent state of the file."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("COMMIT")


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))
