"""The schema, as declared in ``schema.sql``: the one place tables, columns,
indexes and the full-text index are written down.

Everything else derives from it: the build executes it; :func:`tables` and
:func:`columns` list what it declares (the row producers and the docs test
use them); :func:`declared_hash` is compared with :func:`db_hash` of an
opened database, so a file built by other code or from another schema is
rebuilt, never served (as goodmami/wn refuses a database whose schema hash
it does not know).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.sql")

# FTS5 keeps its index in shadow tables named <table>_<suffix>; their SQL is
# FTS5's, not ours
_SHADOW = re.compile(r"_(data|idx|content|docsize|config)$")


@lru_cache(maxsize=1)
def schema_sql() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def create(conn: sqlite3.Connection) -> None:
    """Create every declared table, index and virtual table."""
    conn.executescript(schema_sql())


def _entries(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = {name for type_, name, sql in rows if type_ == "table" and sql.upper().startswith("CREATE VIRTUAL")}
    out = []
    for type_, name, sql in rows:
        if any(name == v + m.group(0) for v in virtual for m in [_SHADOW.search(name)] if m):
            continue
        out.append((type_, name, " ".join(sql.split())))
    return sorted(out)


def _hash(entries: list[tuple[str, str, str]]) -> str:
    h = hashlib.sha256()
    for e in entries:
        h.update("\0".join(e).encode())
        h.update(b"\n")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _declared() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    create(conn)
    return conn


@lru_cache(maxsize=1)
def declared_hash() -> str:
    """A hash of what ``schema.sql`` declares (tables, indexes, their SQL)."""
    return _hash(_entries(_declared()))


def db_hash(conn: sqlite3.Connection) -> str:
    """The same hash, of what an opened database holds."""
    return _hash(_entries(conn))


@lru_cache(maxsize=1)
def tables() -> tuple[str, ...]:
    """Every declared table (virtual tables included, FTS shadow tables not)."""
    return tuple(name for type_, name, _sql in _entries(_declared()) if type_ == "table")


@lru_cache(maxsize=None)
def columns(table: str) -> tuple[str, ...]:
    return tuple(r[1] for r in _declared().execute(f"PRAGMA table_info({table})"))


def per_plan_tables() -> tuple[str, ...]:
    """The tables whose rows belong to one plan (they have a plan_id column)."""
    return tuple(t for t in tables() if t != "plans" and "plan_id" in columns(t))
