"""Shell-completion candidates, read from the database (plan ids and names,
topics, departments, indicators, measure ids: ``query.browse.names``).
Never builds: completion must be instant and silent, so it offers nothing
until a database exists."""

from __future__ import annotations


def candidates(kind: str) -> list[str]:
    from chengzhen.paths import db_path
    from chengzhen.query.browse import names
    from chengzhen.store.db import open_readonly

    path = db_path()
    if not path.exists():
        return []
    conn = open_readonly(path)
    try:
        return names(conn, kind)
    finally:
        conn.close()
