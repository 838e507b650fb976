"""Read-only queries over the built database.  Every function returns plain
data (dicts and lists) and never prints."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from chengzhen.errors import BadValue, UsageError
from chengzhen.query.browse import plan_ids
from chengzhen.query.items import group_baselines, group_members, lead_phrase
from chengzhen.query.resolve import resolve_plans, unknown
from chengzhen.query.tasks import coverage, detail, expand, measure_tasks, nodes

PLAN_COLUMNS = ["id", "short_name", "name", "region", "level", "issuer", "doc_number", "issue_date",
                "period_start", "period_end", "parent", "script", "completeness", "measures", "targets"]


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def list_plans(conn: sqlite3.Connection) -> list[dict]:
    rows = _dicts(conn.execute(
        "SELECT p.*, (SELECT count(*) FROM measures m WHERE m.plan_id = p.id) AS measures, "
        # a target its plan restates (a 专栏 repeating the text) counts once, as
        # list_targets lists it: the targets page and every count agree
        "(SELECT count(DISTINCT t.group_id) FROM targets t WHERE t.plan_id = p.id) AS targets FROM plans p ORDER BY p.ord"
    ))
    for r in rows:
        r["name_as_written"] = bool(r["name_as_written"])
        for internal in ("ord", "key", "input_hash"):
            r.pop(internal, None)
    return rows


def plan_stats(conn: sqlite3.Connection, plans: list[str] | None = None) -> list[dict]:
    out = []
    ids = plans or plan_ids(conn)
    n_topics = conn.execute("SELECT count(*) FROM topics").fetchone()[0]
    for pid in ids:
        row = conn.execute(
            "SELECT p.id, p.short_name, "
            "(SELECT count(*) FROM sections WHERE plan_id = p.id), "
            "(SELECT count(*) FROM measures WHERE plan_id = p.id), "
            "(SELECT count(*) FROM measures WHERE plan_id = p.id AND kind = 'measure'), "
            "(SELECT count(DISTINCT group_id) FROM targets WHERE plan_id = p.id), "  # restatements once
            "(SELECT count(DISTINCT department) FROM measure_departments WHERE plan_id = p.id), "
            "(SELECT count(DISTINCT mt.topic) FROM measure_topics mt JOIN measures m ON m.id = mt.measure_id "
            " WHERE m.plan_id = p.id), "
            "(SELECT count(*) FROM annex_rows WHERE plan_id = p.id), "
            "(SELECT sum(length(text)) FROM measures WHERE plan_id = p.id) "
            "FROM plans p WHERE p.id = ?", (pid,)).fetchone()
        out.append({
            "plan": row[0], "short_name": row[1], "sections": row[2], "units": row[3], "measures": row[4],
            "targets": row[5], "departments": row[6], "topics": row[7], "topics_total": n_topics,
            "annex_rows": row[8], "characters": row[9] or 0,
        })
    return out


def get_plan(conn: sqlite3.Connection, pid: str) -> dict:
    cur = conn.execute("SELECT * FROM plans WHERE id = ?", (pid,))
    rows = _dicts(cur)
    for r in rows:
        for internal in ("key", "input_hash"):
            r.pop(internal, None)
    if not rows:
        raise unknown("plan", pid, plan_ids(conn))
    return rows[0]


def plan_outline(conn: sqlite3.Connection, pid: str) -> dict:
    """The plan as a tree: sections with their measures, in source order."""
    plan = get_plan(conn, pid)
    sections = _dicts(conn.execute("SELECT id, parent_id, number, title, line, restored, retrospective FROM sections "
                                   "WHERE plan_id = ? ORDER BY ord", (pid,)))
    measures = _dicts(conn.execute(
        "SELECT m.id, m.section_id, m.kind, m.number, m.title, m.line, m.text, "
        "(SELECT count(*) FROM targets t WHERE t.measure_id = m.id) AS targets "
        "FROM measures m WHERE m.plan_id = ? ORDER BY m.ord", (pid,)))
    nodes: dict[str, dict] = {}
    root: list[dict] = []
    for s in sections:
        node = {"type": "section", "id": s["id"], "number": s["number"], "title": s["title"],
                "line": s["line"], "restored": bool(s["restored"]), "retrospective": bool(s["retrospective"]),
                "children": []}
        nodes[s["id"]] = node
        (nodes[s["parent_id"]]["children"] if s["parent_id"] else root).append(node)
    for mm in measures:
        title = mm["title"] or lead_phrase(mm["text"])
        node = {"type": mm["kind"], "id": mm["id"], "number": mm["number"], "title": title,
                "title_as_written": mm["title"] is not None, "line": mm["line"], "targets": mm["targets"]}
        parent = nodes.get(mm["section_id"]) if mm["section_id"] else None
        if parent is None:
            root.append(node)
        else:
            parent["children"].append(node)
    # source order: children sorted by line
    def order(children):
        children.sort(key=lambda n: n["line"] if not n.get("restored") else -1)
        for c in children:
            if c.get("children"):
                order(c["children"])
    order(root)
    for s in sections:
        n = nodes[s["id"]]
        n["children"].sort(key=lambda c: (c["type"] == "section", 0))  # measures before subsections
    annexes = _dicts(conn.execute(
        "SELECT annex_id, annex_title, group_name, count_as_written, number, name, line FROM annex_rows "
        "WHERE plan_id = ? ORDER BY annex_id, seq", (pid,)))
    return {"plan": plan, "outline": root, "annex": _annex_tree(annexes)}


def _annex_tree(rows: list[dict]) -> list[dict]:
    out: dict[str, dict] = {}
    for r in rows:
        a = out.setdefault(r["annex_id"], {"id": r["annex_id"], "title": r["annex_title"], "groups": []})
        if not a["groups"] or a["groups"][-1]["name"] != r["group_name"]:
            a["groups"].append({"name": r["group_name"], "count_as_written": r["count_as_written"], "items": []})
        a["groups"][-1]["items"].append({"number": r["number"], "name": r["name"], "line": r["line"]})
    return list(out.values())


def get_measure(conn: sqlite3.Connection, mid: str) -> dict | None:
    rows = _dicts(conn.execute(
        "SELECT m.*, coalesce((SELECT s.path FROM sections s WHERE s.id = m.section_id), '') AS path, "
        "p.short_name AS plan_name, p.name AS plan_full_name, p.source AS source_file "
        "FROM measures m JOIN plans p ON p.id = m.plan_id WHERE m.id = ?", (mid,)))
    if not rows:
        return None
    m = rows[0]
    m["departments"] = [_department_out(d) for d in _dicts(conn.execute(
        "SELECT department, as_written, position, lead, all_tasks FROM measure_departments WHERE measure_id = ? "
        "ORDER BY position", (mid,)))]
    m["tasks"] = measure_tasks(conn, [mid]).get(mid, [])
    m["topics"] = [r[0] for r in conn.execute(
        "SELECT topic FROM measure_topics WHERE measure_id = ? ORDER BY position", (mid,))]
    m["targets"] = _with_restatements(conn, [_target_out(t) for t in _dicts(conn.execute(
        "SELECT t.*, p.short_name AS plan_name FROM targets t JOIN plans p ON p.id = t.plan_id "
        "WHERE t.measure_id = ? ORDER BY t.ord", (mid,)))])
    row = conn.execute("SELECT retrospective FROM sections WHERE id = ?", (m["section_id"],)).fetchone()
    m["retrospective"] = bool(row and row[0])
    m.pop("ord", None)
    m.pop("cuts", None)
    return m


def get_section(conn: sqlite3.Connection, sid: str) -> dict | None:
    rows = _dicts(conn.execute("SELECT * FROM sections WHERE id = ?", (sid,)))
    if not rows:
        return None
    s = rows[0]
    s.pop("path", None)  # its measures' path (schema.sql), not shown for the section itself
    s["measures"] = _dicts(conn.execute(
        "SELECT id, number, title, line FROM measures WHERE section_id = ? ORDER BY ord", (sid,)))
    return s


def get_annex(conn: sqlite3.Connection, aid: str) -> dict | None:
    rows = _dicts(conn.execute(
        "SELECT annex_id, annex_title, group_name, count_as_written, number, name, line FROM annex_rows "
        "WHERE annex_id = ? ORDER BY seq", (aid,)))
    tree = _annex_tree(rows)
    return tree[0] if tree else None


def all_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT id FROM plans UNION ALL SELECT id FROM sections UNION ALL SELECT id FROM measures "
        "UNION ALL SELECT DISTINCT annex_id FROM annex_rows UNION ALL SELECT id FROM national_groups "
        "UNION ALL SELECT id FROM national_tasks")]


def get_national(conn: sqlite3.Connection, nid: str) -> tuple[str, dict] | None:
    """A national task (or a group without tasks): each plan's measures side by
    side; a group with tasks: its tasks with the measures carrying each."""
    node = next((n for n in nodes(conn) if n["id"] == nid), None)
    if node is None:
        return None
    if node["leaf"]:
        return "national_task", detail(conn, [nid])
    return "national_group", coverage(conn, only=expand(conn, [nid]))


def resolve_show(conn: sqlite3.Connection, word: str) -> tuple[str, Any]:
    """What `cz show WORD` shows: a measure, a section, an annex, or a plan."""
    w = word.strip()
    if not w:
        raise UsageError("empty id: give a measure id (qinghai/3.10), a section or annex id, or a plan")
    m = get_measure(conn, w)
    if m:
        return "measure", m
    s = get_section(conn, w)
    if s:
        return "section", s
    a = get_annex(conn, w)
    if a:
        return "annex", a
    national = get_national(conn, w)
    if national:
        return national
    if "/" not in w:
        try:
            found = resolve_plans(conn, [w])
        except UsageError:
            found = []
        pid = found[0] if found else None
        if pid:
            return "plan", plan_outline(conn, pid)
    raise unknown("id", w, all_ids(conn))


# --------------------------------------------------------------------------- targets

TARGET_COLUMNS = ["id", "group_id", "plan", "plan_name", "kind", "indicator", "scope", "aspiration", "as_written",
                  "qualifier", "value", "value_max", "unit", "comparator", "basis", "year", "year_implied", "baseline",
                  "baseline_as_written", "baseline_year", "baseline_from", "cumulative", "restatements", "measure_id",
                  "line", "quote", "note"]


def _target_out(t: dict) -> dict:
    return {
        "id": t["id"], "group_id": t["group_id"], "plan": t["plan_id"], "plan_name": t.get("plan_name"),
        "kind": t["kind"], "indicator": t["indicator"], "scope": t.get("scope"), "aspiration": t["aspiration"],
        "as_written": t["as_written"], "qualifier": t["qualifier"], "value": t["value"],
        "value_max": t["value_max"], "unit": t["unit"], "comparator": t["comparator"], "basis": t["basis"],
        "year": t["year"], "year_implied": bool(t["year_implied"]), "baseline": t["baseline"],
        "baseline_as_written": t["baseline_as_written"], "baseline_year": t["baseline_year"], "baseline_from": None,
        "cumulative": bool(t["cumulative"]), "restatements": [], "measure_id": t["measure_id"], "line": t["line"],
        "quote": t["quote"], "note": t["note"],
    }


def _with_restatements(conn: sqlite3.Connection, rows: list[dict]) -> list[dict]:
    """Each target with the ids of the other targets its plan restates it by
    (same group; a target id starts with its measure's id); a target stating
    no baseline shows the first its restatements state (``baseline_from``:
    that target's id), so listing a group once loses no baseline."""
    groups = [r["group_id"] for r in rows]
    members = group_members(conn, groups)
    based = group_baselines(conn, (r["group_id"] for r in rows if r["baseline"] is None
                                   and r["baseline_as_written"] is None))
    for r in rows:
        r["restatements"] = [x for x in members.get(r["group_id"], []) if x != r["id"]]
        b = based.get(r["group_id"]) if r["baseline"] is None and r["baseline_as_written"] is None else None
        if b is not None:
            r["baseline_from"], r["baseline"], r["baseline_as_written"], r["baseline_year"] = b
    return rows


def parse_years(spec: str | None) -> tuple[int, int] | None:
    if spec is None:
        return None
    s = spec.strip()
    m = re.fullmatch(r"(\d{4})(?:\s*(?:\.\.|-|—|–|~|:)\s*(\d{4}))?", s)
    if not m:
        raise BadValue("year", spec, "give a year (2028) or a range (2025..2030)")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise BadValue("year", spec, "the range ends before it starts")
    return a, b


def list_targets(conn: sqlite3.Connection, *, plans: list[str] | None = None, years: tuple[int, int] | None = None,
                 indicators: list[str] | None = None, topics: list[str] | None = None, scope: str | None = None,
                 within: bool = False, commitments: bool | None = None, grouped: bool = True) -> list[dict]:
    """Targets matching every filter: dated targets first (by year, then plan),
    then commitments (no number, no year stated or governed).

    ``commitments``: None includes them unless ``years`` is given (they have
    no year to match); True includes them whatever ``years`` says; False
    never.  ``scope``: a place, zone, group, part, class or level word the
    target is set for (query/places.py: ``resolve_scope``, ``scope_test``;
    ``within``: or lying inside it).  ``grouped``: a target its plan restates
    (a 专栏 repeating the text, in any year) once per group, the others listed
    in ``restatements``, so a sum counts it once."""
    if commitments is None:
        commitments = years is None
    clauses, params = [], []
    if plans:
        clauses.append(f"t.plan_id IN ({','.join('?' * len(plans))})")
        params += plans
    if years:
        dated = "(t.kind = 'target' AND t.year BETWEEN ? AND ?)"
        clauses.append(f"({dated} OR t.kind = 'commitment')" if commitments else dated)
        params += list(years)
    elif not commitments:
        clauses.append("t.kind = 'target'")
    if indicators:
        clauses.append(f"t.indicator IN ({','.join('?' * len(indicators))})")
        params += indicators
    if topics:
        clauses.append(f"t.measure_id IN (SELECT measure_id FROM measure_topics WHERE topic IN ({','.join('?' * len(topics))}))")
        params += topics
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = _dicts(conn.execute(
        "SELECT t.*, p.short_name AS plan_name FROM targets t JOIN plans p ON p.id = t.plan_id "
        f"{where} ORDER BY t.kind = 'commitment', t.year IS NULL, t.year, p.ord, t.ord", params))
    if scope is not None:
        from chengzhen.query import places as P

        where = P.resolve_scope(conn, scope) if isinstance(scope, str) else scope
        rows = P.scope_filter(conn, rows, where, within, plan_key="plan_id")
    if grouped:
        seen: set[str] = set()
        rows = [r for r in rows if not (r["group_id"] in seen or seen.add(r["group_id"]))]
    return _with_restatements(conn, [_target_out(r) for r in rows])


def silence(conn: sqlite3.Connection, targets: list[dict], plans: list[str] | None, indicators: list[str]) -> dict:
    """The plans (of ``plans``, or all) without a row in ``targets``: those that
    set no target for ``indicators`` at all (``silent``; ``abridged`` when
    their source is cut, so silence may be a cut) and those that set one the
    filters left out (``elsewhere``: another year, scope, topic, or a
    commitment), with those targets."""
    have = {t["plan"] for t in targets}
    ids = plans or plan_ids(conn)
    missing = [p for p in ids if p not in have]
    info = {}
    for i in range(0, len(missing), 900):
        chunk = missing[i:i + 900]
        for pid, name, abridged in conn.execute(
                f"SELECT id, short_name, abridged FROM plans WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            info[pid] = {"plan": pid, "plan_name": name, "abridged": bool(abridged)}
    other = list_targets(conn, plans=missing, indicators=indicators, commitments=True) if missing and indicators else []
    by: dict[str, list[dict]] = {}
    for t in other:
        by.setdefault(t["plan"], []).append({k: t[k] for k in ("id", "indicator", "scope", "aspiration", "as_written",
                                                               "year", "year_implied", "kind", "measure_id")})
    silent, elsewhere = [], []
    for p in missing:
        if p in by:
            elsewhere.append({**info[p], "targets": by[p]})
        else:
            silent.append(info[p])
    return {"silent": silent, "elsewhere": elsewhere}


# --------------------------------------------------------------------------- departments

def department_counts(conn: sqlite3.Connection, plans: list[str] | None = None) -> list[dict]:
    """Per department: its measures, how many list it first (首列) and how many
    the source says it leads (牵头 written), in all and per plan.  Plan-wide
    assignments (all_tasks) count as measures, never as listed first."""
    where, params = "", []
    if plans:
        where = f"WHERE md.plan_id IN ({','.join('?' * len(plans))})"
        params = plans
    rows = conn.execute(
        "SELECT md.department, md.plan_id, count(*), sum(md.position = 0 AND NOT md.all_tasks), sum(md.lead) "
        f"FROM measure_departments md {where} GROUP BY md.department, md.plan_id", params).fetchall()
    by: dict[str, dict] = {}
    for dept, plan, n, first, lead in rows:
        d = by.setdefault(dept, {"department": dept, "measures": 0, "listed_first": 0, "lead": 0, "plans": {}})
        d["measures"] += n
        d["listed_first"] += first or 0
        d["lead"] += lead or 0
        d["plans"][plan] = {"measures": n, "listed_first": first or 0, "lead": lead or 0}
    return sorted(by.values(), key=lambda d: (-d["measures"], -d["listed_first"], d["department"]))


def _department_out(r: dict) -> dict:
    """A measure's department as written: ``position`` counts from 0 in the
    责任单位 clause (0 = listed first, as in the database), None for a
    plan-wide assignment; ``lead`` only where the source writes 牵头."""
    all_tasks = bool(r["all_tasks"])
    return dict(r, lead=bool(r["lead"]), all_tasks=all_tasks,
                position=None if all_tasks else r["position"],
                listed_first=not all_tasks and r["position"] == 0)


def department_measures(conn: sqlite3.Connection, departments: list[str], plans: list[str] | None = None) -> list[dict]:
    params: list = list(departments)
    extra = ""
    if plans:
        extra = f" AND md.plan_id IN ({','.join('?' * len(plans))})"
        params += plans
    return [_department_out(r) for r in _dicts(conn.execute(
        "SELECT md.department, md.plan_id AS plan, p.short_name AS plan_name, m.id AS measure_id, m.number, "
        "m.title, md.as_written, md.lead, md.all_tasks, md.position, m.line "
        "FROM measure_departments md JOIN measures m ON m.id = md.measure_id JOIN plans p ON p.id = md.plan_id "
        f"WHERE md.department IN ({','.join('?' * len(departments))}){extra} ORDER BY p.ord, m.ord", params))]


def list_topics(conn: sqlite3.Connection) -> list[dict]:
    rows = _dicts(conn.execute(
        "SELECT t.name, t.parent, (SELECT count(*) FROM measure_topics mt WHERE mt.topic = t.name) AS measures "
        "FROM topics t ORDER BY t.ord"))
    syn: dict[str, list[str]] = {}
    for name, topic in conn.execute("SELECT name, topic FROM topic_names WHERE name != topic"):
        syn.setdefault(topic, []).append(name)
    for r in rows:
        r["synonyms"] = syn.get(r["name"], [])
    return rows
