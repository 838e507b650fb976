"""Coverage: which plans mention each term, and which do not.

``coverage(conn, terms, plans)`` searches every term as `cz search` does and
counts, per plan, its hits there: a plan *mentions* a term exactly when
``cz search TERM --plan P`` has a hit in P's own text — an exact or
segmented hit in a measure (its text or 责任单位 clause), a heading, an
annex or the plan's title, or a measure whose 责任单位 clause names the
department the term names.  Hits on labels we wrote are counted apart
(``labels``), never as the plan mentioning it: target rows (found by our
indicator names) and restored headings.  Related units (topic tags,
national-task mappings, plan-wide assignments) are not hits and count
nowhere.  Returns plain data; zeros included.
"""

from __future__ import annotations

import sqlite3

from chengzhen.errors import UsageError
from chengzhen.query.fold import user_tokens
from chengzhen.query.search import Filters, restored_among, search


def mentions(conn: sqlite3.Connection, hits) -> tuple[list, list]:
    """The hits that are a plan's own words, and those on labels we wrote."""
    restored = restored_among(conn, [h.rowid for h in hits])
    own, labels = [], []
    for h in hits:
        if not h.hit:
            continue
        (labels if h.kind == "target" or h.rowid in restored else own).append(h)
    return own, labels


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
    on_labels: dict[str, dict[str, int]] = {pid: {} for pid in ids}
    how: dict[str, dict] = {}
    for word in words:
        res = search(conn, word, Filters(plans=ids), limit=None, fuzzy=False, related=False)
        own, labels = mentions(conn, res.hits)
        per = dict.fromkeys(ids, 0)
        per_label = dict.fromkeys(ids, 0)
        for h in own:
            per[h.plan] = per.get(h.plan, 0) + 1
        for h in labels:
            per_label[h.plan] = per_label.get(h.plan, 0) + 1
        for pid in ids:
            counts[pid][word] = per.get(pid, 0)
            on_labels[pid][word] = per_label.get(pid, 0)
        how[word] = {"terms": res.terms, "segments": res.segments,
                     "entities": [e.as_dict() for e in res.entities if e.kind == "department"],
                     "did_you_mean": res.suggestions if not any(per.values()) else []}
    records = []
    for pid, short, name in rows:
        c = counts[pid]
        missing = [w for w in words if not c[w]]
        records.append({"plan": pid, "plan_name": short, "counts": c, "missing": missing, "labels": on_labels[pid]})
    return {"terms": words, "plans": ids, "records": records, "how": how,
            "complete": all(not r["missing"] for r in records)}
