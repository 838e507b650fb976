"""Shell-completion candidates, read from the database (plan ids and names,
topics, departments, indicators, measure ids).  Never builds: completion must
be instant and silent, so it offers nothing until a database exists."""

from __future__ import annotations

QUERIES = {
    "plans": "SELECT id FROM plans ORDER BY ord",
    "topics": "SELECT name FROM topic_names ORDER BY name",
    "departments": "SELECT name FROM departments ORDER BY name",
    "indicators": "SELECT DISTINCT indicator FROM targets ORDER BY indicator",
    "ids": "SELECT id FROM plans UNION ALL SELECT id FROM measures UNION ALL SELECT DISTINCT annex_id FROM annex_rows "
           "UNION ALL SELECT id FROM national_groups UNION ALL SELECT id FROM national_tasks",
    "tasks": "SELECT id FROM national_groups UNION ALL SELECT id FROM national_tasks",
}


def candidates(kind: str) -> list[str]:
    from chengzhen.paths import db_path
    from chengzhen.store.db import open_readonly

    path = db_path()
    if not path.exists():
        return []
    conn = open_readonly(path)
    try:
        return [r[0] for r in conn.execute(QUERIES[kind])]
    finally:
        conn.close()
