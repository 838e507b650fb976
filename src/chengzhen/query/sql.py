"""Read-only SQL for power users (``cz sql``, the web's SQL page): one
statement, no writes, no ATTACH, no extensions, a time and a size limit."""

from __future__ import annotations

import re
import sqlite3

from chengzhen.errors import UsageError

_FORBIDDEN = re.compile(r"^\s*(ATTACH|DETACH|VACUUM|REINDEX|ANALYZE)\b", re.I)
# pragmas that only describe the schema may be read (PRAGMA table_info(plans),
# SELECT * FROM pragma_table_info('plans')); no other pragma runs
_READ_PRAGMAS = {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                 "foreign_key_list", "collation_list", "function_list", "module_list", "pragma_list"}
SQL_TIME_LIMIT = 60.0  # seconds
SQL_MAX_LENGTH = 50_000_000  # bytes in one string or blob


def run_sql(conn: sqlite3.Connection, sql: str, params: list | None = None, limit: int | None = None) -> tuple[list[str], list[tuple]]:
    """Run one read-only statement.  Writes, ATTACH and extension loading are
    refused by an authorizer, whatever the SQL says."""
    if _FORBIDDEN.match(sql):
        raise UsageError("read-only SQL: ATTACH, PRAGMA and maintenance statements are refused")

    def authorizer(action, arg1, arg2, dbname, source):
        if action in (sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE):
            if action == sqlite3.SQLITE_FUNCTION and arg2 and arg2.lower() in ("load_extension", "readfile", "writefile"):
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master" and source is None:
            # SQLite asks this of itself while preparing a schema pragma; the
            # connection is read-only (mode=ro, query_only), so nothing is written
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    import time

    deadline = time.monotonic() + SQL_TIME_LIMIT
    timed_out = []

    def watchdog():
        if time.monotonic() > deadline:
            timed_out.append(True)
            return 1  # interrupt
        return 0

    conn.set_authorizer(authorizer)
    conn.set_progress_handler(watchdog, 10_000)
    if hasattr(conn, "setlimit"):  # Python >= 3.11
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_MAX_LENGTH)
    try:
        cur = conn.execute(sql, params or [])
        cols = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchmany(limit) if limit else cur.fetchall()
    except sqlite3.DatabaseError as exc:
        msg = str(exc)
        if timed_out:
            raise UsageError(f"SQL error: the query ran longer than {SQL_TIME_LIMIT:.0f} s and was stopped") from None
        if "not authorized" in msg or "prohibited" in msg or "readonly" in msg or "may not be modified" in msg:
            raise UsageError("read-only SQL: that statement would write, attach or load an extension") from None
        raise UsageError(f"SQL error: {msg}") from None
    except sqlite3.Warning as exc:
        raise UsageError(f"SQL error: {exc}") from None
    finally:
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
    return cols, rows
