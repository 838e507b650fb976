"""Browsing the knowledge base as pages show it: measures listed by filter
(no words typed), facets of a search result, the national tasks and who
carries them, coverage tables (plans × topics / national tasks / terms), and
a measure's citation.  Plain data in and out; never prints.

(Written for the web view; ``query/tasks.py`` and the search rework may take
over parts of it — the shapes here are plain dicts so that a caller does not
care which module answers.)
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from chengzhen.query.catalog import lead_phrase
from chengzhen.query.resolve import unknown


def _marks(items) -> str:
    return ",".join("?" * len(items))


# --------------------------------------------------------------------------- national tasks

def national_tasks(conn: sqlite3.Connection, plans: list[str] | None = None) -> list[dict]:
    """The national plan's groups and key tasks, in the national order, each
    with the number of measures per plan that carry it (zeros included).  A
    measure mapped to a group as a whole counts for the group."""
    ids = plans or [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    counts: dict[tuple[str, str], int] = {}
    if ids:
        for task, plan, n in conn.execute(
                f"SELECT task_id, plan_id, count(*) FROM measure_tasks WHERE plan_id IN ({_marks(ids)}) "
                "GROUP BY task_id, plan_id", ids):
            counts[(task, plan)] = n
    groups = []
    by_id = {}
    for gid, kind, number, title, note in conn.execute(
            "SELECT id, kind, number, title, note FROM national_groups ORDER BY ord"):
        g = {"id": gid, "kind": kind, "number": number, "title": title, "note": note,
             "counts": {p: counts.get((gid, p), 0) for p in ids}, "tasks": []}
        g["total"] = sum(g["counts"].values())
        groups.append(g)
        by_id[gid] = g
    for tid, gid, number, title, keywords, note in conn.execute(
            "SELECT id, group_id, number, title, keywords, note FROM national_tasks ORDER BY ord"):
        t = {"id": tid, "group_id": gid, "number": number, "title": title,
             "keywords": (keywords or "").split(), "note": note,
             "counts": {p: counts.get((tid, p), 0) for p in ids}}
        t["total"] = sum(t["counts"].values())
        if gid in by_id:
            by_id[gid]["tasks"].append(t)
    return groups


def national_task(conn: sqlite3.Connection, task_id: str) -> dict:
    """One task or group: id, number, title, and its group for a task."""
    row = conn.execute(
        "SELECT t.id, t.number, t.title, g.id, g.number, g.title FROM national_tasks t "
        "JOIN national_groups g ON g.id = t.group_id WHERE t.id = ?", (task_id,)).fetchone()
    if row:
        return {"id": row[0], "number": row[1], "title": row[2], "kind": "task",
                "group": {"id": row[3], "number": row[4], "title": row[5]}}
    row = conn.execute("SELECT id, number, title FROM national_groups WHERE id = ?", (task_id,)).fetchone()
    if row:
        return {"id": row[0], "number": row[1], "title": row[2], "kind": "group", "group": None}
    names = [r[0] for r in conn.execute("SELECT id FROM national_tasks UNION ALL SELECT id FROM national_groups")]
    raise unknown("national task", task_id, names)


def task_measure_ids(conn: sqlite3.Connection, task_id: str) -> list[str]:
    """The measures that carry a task (for a group: the group and its tasks)."""
    national_task(conn, task_id)
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT mt.measure_id FROM measure_tasks mt JOIN measures m ON m.id = mt.measure_id "
        "WHERE mt.task_id = ? OR mt.task_id IN (SELECT id FROM national_tasks WHERE group_id = ?) "
        "ORDER BY m.plan_id, m.ord", (task_id, task_id))]


def tasks_of_measure(conn: sqlite3.Connection, mid: str) -> list[dict]:
    out = []
    for tid, number, title, gid, gnumber, gtitle in conn.execute(
            "SELECT mt.task_id, coalesce(t.number, g2.number), coalesce(t.title, g2.title), "
            "g.id, g.number, g.title FROM measure_tasks mt "
            "LEFT JOIN national_tasks t ON t.id = mt.task_id "
            "LEFT JOIN national_groups g ON g.id = t.group_id "
            "LEFT JOIN national_groups g2 ON g2.id = mt.task_id "
            "WHERE mt.measure_id = ? ORDER BY mt.position", (mid,)):
        out.append({"id": tid, "number": number, "title": title,
                    "group": {"id": gid, "number": gnumber, "title": gtitle} if gid else None})
    return out


# --------------------------------------------------------------------------- listing without words

def list_measures(conn: sqlite3.Connection, *, plans: list[str] | None = None, topics: list[str] | None = None,
                  departments: list[str] | None = None, tasks: list[str] | None = None,
                  limit: int | None = None, offset: int = 0) -> tuple[list[dict], int]:
    """Measures (every text unit) matching all the filters, in catalogue and
    document order, with the total; rows shaped like search hits."""
    clauses, params = [], []
    if plans:
        clauses.append(f"m.plan_id IN ({_marks(plans)})")
        params += plans
    if topics:
        clauses.append(f"m.id IN (SELECT measure_id FROM measure_topics WHERE topic IN ({_marks(topics)}))")
        params += topics
    if departments:
        clauses.append(f"m.id IN (SELECT measure_id FROM measure_departments WHERE department IN ({_marks(departments)}))")
        params += departments
    for task in tasks or []:
        clauses.append("m.id IN (SELECT measure_id FROM measure_tasks WHERE task_id = ? "
                       "OR task_id IN (SELECT id FROM national_tasks WHERE group_id = ?))")
        params += [task, task]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    total = conn.execute(f"SELECT count(*) FROM measures m {where}", params).fetchone()[0]
    sql = ("SELECT m.id, m.plan_id, p.short_name, m.number, m.title, m.text, m.path, m.line, m.kind "
           f"FROM measures m JOIN plans p ON p.id = m.plan_id {where} ORDER BY p.ord, m.ord")
    if limit:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = [{"kind": "measure", "unit": kind, "id": mid, "item": None, "plan": plan, "plan_name": name,
             "number": number, "title": title or lead_phrase(text), "title_as_written": title is not None,
             "path": path, "text": text, "line": line, "in_title": False, "score": 0.0}
            for mid, plan, name, number, title, text, path, line, kind in conn.execute(sql, params)]
    return rows, total


# --------------------------------------------------------------------------- facets of a search result

def facets(conn: sqlite3.Connection, hits: list[dict]) -> dict[str, list[dict]]:
    """Counts of hits by plan, kind, topic and department (the last two
    through the measure a hit belongs to), largest first."""
    plan_names: dict[str, str] = {}
    by_plan: Counter = Counter()
    by_kind: Counter = Counter()
    measure_hits: Counter = Counter()
    for h in hits:
        by_plan[h["plan"]] += 1
        plan_names[h["plan"]] = h.get("plan_name") or h["plan"]
        by_kind[h["kind"]] += 1
        if h["kind"] in ("measure", "target"):
            measure_hits[h["id"]] += 1
    by_topic: Counter = Counter()
    by_dept: Counter = Counter()
    ids = list(measure_hits)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for mid, topic in conn.execute(
                f"SELECT measure_id, topic FROM measure_topics WHERE measure_id IN ({_marks(chunk)})", chunk):
            by_topic[topic] += measure_hits[mid]
        for mid, dept in conn.execute(
                f"SELECT measure_id, department FROM measure_departments WHERE measure_id IN ({_marks(chunk)})", chunk):
            by_dept[dept] += measure_hits[mid]
    order = {pid: n for n, (pid,) in enumerate(conn.execute("SELECT id FROM plans ORDER BY ord"))}

    def listed(counter: Counter, names: dict | None = None, key=None) -> list[dict]:
        items = sorted(counter.items(), key=key or (lambda kv: (-kv[1], kv[0])))
        return [{"value": v, "label": (names or {}).get(v, v), "count": n} for v, n in items]

    return {
        "plan": listed(by_plan, plan_names, key=lambda kv: (-kv[1], order.get(kv[0], 0))),
        "kind": listed(by_kind),
        "topic": listed(by_topic),
        "department": listed(by_dept),
    }


# --------------------------------------------------------------------------- coverage

def task_coverage(conn: sqlite3.Connection, plans: list[str] | None = None) -> dict:
    """National tasks × plans: how many measures of each plan carry each task."""
    ids = plans or [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    rows = []
    for g in national_tasks(conn, ids):
        rows.append({"id": g["id"], "number": g["number"], "title": g["title"], "level": "group",
                     "counts": g["counts"], "total": g["total"]})
        for t in g["tasks"]:
            rows.append({"id": t["id"], "number": t["number"], "title": t["title"], "level": "task",
                         "counts": t["counts"], "total": t["total"]})
    return {"plans": _plan_list(conn, ids), "rows": rows}


def term_coverage(conn: sqlite3.Connection, terms: list[str], plans: list[str] | None = None) -> dict:
    """Terms × plans: how many units of each plan contain each term, by the
    search engine's exact matching (no segmentation, no correction: a zero
    means the plan does not write it)."""
    from chengzhen.query.search import Filters, search

    ids = plans or [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY ord")]
    rows = []
    for term in terms:
        res = search(conn, term, Filters(plans=list(plans or [])), limit=None, segment=False, fuzzy=False)
        units: dict[str, set] = {p: set() for p in ids}
        for h in res.hits:
            if h.plan in units:
                units[h.plan].add(h.id)
        counts = {p: len(units[p]) for p in ids}
        rows.append({"term": term, "terms": list(res.terms), "mode": res.mode, "counts": counts,
                     "total": sum(counts.values())})
    return {"plans": _plan_list(conn, ids), "rows": rows}


def _plan_list(conn: sqlite3.Connection, ids: list[str]) -> list[dict]:
    names = dict(conn.execute("SELECT id, short_name FROM plans"))
    return [{"id": p, "name": names.get(p, p)} for p in ids]


# --------------------------------------------------------------------------- citation

def citation(conn: sqlite3.Connection, mid: str) -> dict:
    """What a copy-ready citation of a measure holds: the plan's title (marked
    when an editor supplied it), 文号, issuer and date, the measure's number
    and lead phrase as written, its text, and where it is in the source."""
    row = conn.execute(
        "SELECT m.id, m.number, m.title, m.text, m.line, m.line_end, p.name, p.name_as_written, p.doc_number, "
        "p.issuer, p.issue_date, p.source, p.script FROM measures m JOIN plans p ON p.id = m.plan_id "
        "WHERE m.id = ?", (mid,)).fetchone()
    if row is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM measures")]
        raise unknown("measure id", mid, ids)
    (mid, number, title, text, line, line_end, name, as_written, doc_number, issuer, issue_date, source,
     script) = row
    lines = f"第{line}行" if line == line_end else f"第{line}—{line_end}行"
    head = f"《{name}》" + ("" if as_written else "(标题为编者所拟)")
    facts = "，".join(x for x in (doc_number, issuer, issue_date) if x)
    if facts:
        head += f"({facts})"
    label = f"{number or ''}{title or ''}"
    quote = text
    text_note = "原文为繁体，引文为简体转写" if script == "traditional" else ""
    formatted = head + (f"，{label}" if label else "") + f"：“{quote}”(来源：{source}，{lines}"
    formatted += f"；{text_note})" if text_note else ")"
    return {"id": mid, "plan_name": name, "plan_name_as_written": bool(as_written), "doc_number": doc_number,
            "issuer": issuer, "issue_date": issue_date, "number": number, "title": title, "quote": quote,
            "source": source, "line": line, "line_end": line_end, "note": text_note or None,
            "text": formatted}


# --------------------------------------------------------------------------- indicators

def indicators_in_use(conn: sqlite3.Connection) -> list[dict]:
    """The indicators some target uses, with their unit and how many targets
    and plans set them, most widely set first."""
    return [{"name": n, "unit": u, "targets": t, "plans": p} for n, u, t, p in conn.execute(
        "SELECT t.indicator, i.unit, count(*), count(DISTINCT t.plan_id) FROM targets t "
        "LEFT JOIN indicators i ON i.name = t.indicator GROUP BY t.indicator "
        "ORDER BY count(DISTINCT t.plan_id) DESC, count(*) DESC, t.indicator")]
