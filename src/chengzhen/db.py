"""Open the database for reading, building it first when it is missing,
damaged, of an older schema, or older than the data.

Queries open the file read-only (``mode=ro``): no query command can write.
The file is never modified in place — a build replaces it whole — so a
reader that opened the old file keeps a consistent view while a rebuild runs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from chengzhen.errors import CzError
from chengzhen.freshness import SCHEMA_VERSION, input_files, input_hash, stat_signature
from chengzhen.paths import data_dir, db_path

Rebuild = Callable[[Path, Path, str], None]


def open_readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + _quote(str(path.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only=1")
    return conn


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def _state(path: Path, root: Path) -> str:
    """'fresh', or why the database must be (re)built."""
    if not path.exists():
        return "missing"
    try:
        conn = open_readonly(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "damaged"
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        return "older schema"
    if meta.get("data_dir") not in (None, str(root.resolve())):
        return "built from other data"
    files = input_files(root)
    if meta.get("stat_signature") == stat_signature(root, files):
        return "fresh"
    if meta.get("input_hash") == input_hash(root, files):
        return "fresh"
    return "stale"


def connect(*, rebuild: Rebuild | None = None, auto_build: bool = True) -> sqlite3.Connection:
    """A read-only connection to an up-to-date database.

    ``rebuild(root, db, reason)`` is called when the database must be built
    (the CLI passes one that reports progress on stderr).
    """
    root = data_dir()
    path = db_path(root)
    if not (root / "plans.yaml").is_file():
        if path.exists() and _readable(path):
            return open_readonly(path)
        raise CzError(
            f"no data found at {root} (plans.yaml is missing); set CZ_DATA to a chengzhen data "
            "directory, or reinstall cz"
        )
    state = _state(path, root)
    if state != "fresh":
        if not auto_build:
            raise CzError(f"database {path} is {state}; run `cz build`")
        if rebuild is None:
            from chengzhen.build import build

            build(root, path)
        else:
            rebuild(root, path, state)
    try:
        conn = open_readonly(path)
        conn.execute("SELECT 1 FROM meta LIMIT 1")
        return conn
    except sqlite3.DatabaseError as exc:
        raise CzError(f"cannot open database {path}: {exc}") from None


def _readable(path: Path) -> bool:
    try:
        conn = open_readonly(path)
        try:
            conn.execute("SELECT 1 FROM meta LIMIT 1")
            return True
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
