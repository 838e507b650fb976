"""Coverage: which plans mention each term, and which do not.

``coverage(conn, terms, plans)`` searches every term (as `cz search` does)
and counts, per plan, the units that mention it in the source text: exact
and segmented hits in measures, section headings and annex rows, and the
measures whose 责任单位 clause names the department a term names.  Labels
we wrote do not count as the plan mentioning something: indicator names of
target rows, restored headings, topic tags, national-task mappings.
Returns plain data; zeros included.
"""

from __future__ import annotations

import sqlite3

from chengzhen.errors import UsageError
from chengzhen.query.fold import user_tokens
from chengzhen.query.search import Filters, restored_among, search

# the kinds of hit that are the plan's own words
MENTIONS = ("exact", "segmented", "department")


def coverage(conn: sqlite3.Connection, terms: list[str], plans: list[str] | None = None) -> dict:
    words: list[str] = []
    keys: set[str] = set()
    for t in terms:
        if not t.strip():
            raise UsageError("empty term: give one or more words whose coverage to count")
        key = user_tokens(conn, t) or t.strip()
        if key not in keys:
            keys.add(key)
            words.append(t.strip())
    if not words:
        raise UsageError("coverage needs at least one term, e.g. `cz coverage 城中村`")
    rows = conn.execute("SELECT id, short_name, name FROM plans ORDER BY ord").fetchall()
    if plans:
        rows = [r for r in rows if r[0] in plans]
    ids = [r[0] for r in rows]
    counts: dict[str, dict[str, int]] = {pid: {} for pid in ids}
    how: dict[str, dict] = {}
    for word in words:
        res = search(conn, word, Filters(plans=ids), limit=None, fuzzy=False, related=False)
        per = dict.fromkeys(ids, 0)
        restored = restored_among(conn, [h.rowid for h in res.hits])
        for h in res.hits:
            if h.match not in MENTIONS or h.kind == "target" or h.rowid in restored:
                continue
            per[h.plan] = per.get(h.plan, 0) + 1
        for pid in ids:
            counts[pid][word] = per.get(pid, 0)
        how[word] = {"terms": res.terms, "segments": res.segments,
                     "entities": [e.as_dict() for e in res.entities if e.kind == "department"],
                     "did_you_mean": res.suggestions if not any(per.values()) else []}
    records = []
    for pid, short, name in rows:
        c = counts[pid]
        missing = [w for w in words if not c[w]]
        records.append({"plan": pid, "plan_name": short, "counts": c, "missing": missing})
    return {"terms": words, "plans": ids, "records": records, "how": how,
            "complete": all(not r["missing"] for r in records)}
