"""A naive search, for comparison: load jieba and segment the query on every
call, then LIKE-scan the measures table (no index).

    python bench/naive_search.py DB 老旧小区
"""

from __future__ import annotations

import json
import sqlite3
import sys


def main() -> int:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    db, query = sys.argv[1], " ".join(sys.argv[2:])
    words = [w for w in jieba.lcut(query) if w.strip()]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    where = " AND ".join(["(coalesce(title, '') || text) LIKE ?"] * len(words))
    rows = conn.execute(f"SELECT id, plan_id, title, text FROM measures WHERE {where} ORDER BY plan_id, ord",
                        [f"%{w}%" for w in words]).fetchall()
    out = {"query": query, "terms": words, "total": len(rows),
           "hits": [{"id": r[0], "plan": r[1], "title": r[2], "text": r[3]} for r in rows]}
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
