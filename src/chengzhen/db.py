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


# every table a query may touch: a file missing one is damaged, whatever meta says
TABLES = ("meta", "plans", "sections", "measures", "targets", "topics", "topic_names", "measure_topics",
          "departments", "department_names", "measure_departments", "indicators", "indicator_names",
          "annex_rows", "docs", "docs_fts", "measures_fts", "vocab", "t2s")


def state(path: Path, root: Path) -> str:
    """'fresh', or why the database must be (re)built."""
    if path.is_dir():
        raise CzError(f"database path {path} is a directory; set CZ_DB to a file")
    if not path.exists():
        return "missing"
    try:
        conn = open_readonly(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "damaged"
    if not set(TABLES) <= have:
        return "damaged"
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        return "older schema"
    if meta.get("data_dir") not in (None, str(root.resolve())):
        return "built from other data"
    if meta.get("stat_signature") == stat_signature(root):
        return "fresh"
    if meta.get("input_hash") == input_hash(root, input_files(root)):
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
    why = state(path, root)
    if why != "fresh":
        if not auto_build:
            raise CzError(f"database {path} is {why}; run `cz build`")
        if rebuild is None:
            from chengzhen.build import build

            build(root, path, only_if_stale=True)
        else:
            rebuild(root, path, why)
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
