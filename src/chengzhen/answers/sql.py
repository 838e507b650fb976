"""`cz sql`: one read-only statement's rows (``query.sql.run_sql``)."""

from __future__ import annotations

from chengzhen.answers.answer import Answer


def _value(v):
    """SQL values as JSON can carry them: a BLOB as hex, a non-finite REAL as text."""
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return str(v)
    return v


def sql(conn, statement: str | None, limit: int | None = None) -> Answer:
    from chengzhen.errors import UsageError
    from chengzhen.query.sql import run_sql

    if statement is None or not statement.strip():
        raise UsageError("empty statement: give one read-only SELECT")
    cols, rows = run_sql(conn, statement, limit=limit)
    rows = [tuple(_value(v) for v in r) for r in rows]
    # duplicate column names (SELECT 1, 1) keep their first value in a record
    records = [dict(zip(cols, r)) for r in rows]
    return Answer("sql", records, cols, query={"sql": statement}, id_key=None, data=(cols, rows))
