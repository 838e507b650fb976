"""The national plan as the spine: its groups (actions, policy measures,
organisation) and key tasks, which measures of each plan carry each task,
and who carries none.  Plain data out.

The national text is not among the sources: a task's title is the wording
a provincial plan restates (``evidence`` names the unit that writes it).
Measures in sections that review past achievements (``sections.retrospective``)
are never counted as carrying a task.
"""

from __future__ import annotations

import re
import sqlite3

from chengzhen.query.fold import user_tokens
from chengzhen.query.items import MEASURE_KINDS, load_items, plan_info
from chengzhen.query.resolve import blank, unknown
from chengzhen.text.numerals import cn_to_int
from chengzhen.text.tokens import token_chars

# measures that may carry a task: forward-looking ones (not in a review section)
FORWARD = "coalesce((SELECT s.retrospective FROM sections s WHERE s.id = m.section_id), 0) = 0"


def nodes(conn: sqlite3.Connection) -> list[dict]:
    """Every group and task in the national order: a group, then its tasks."""
    tasks: dict[str, list[dict]] = {}
    for tid, gid, number, title, evidence, keywords, note in conn.execute(
            "SELECT id, group_id, number, title, evidence, keywords, note FROM national_tasks ORDER BY ord"):
        tasks.setdefault(gid, []).append({
            "id": tid, "type": "task", "group": gid, "number": number, "title": title, "evidence": evidence,
            "keywords": (keywords or "").split(), "note": note, "leaf": True,
        })
    out: list[dict] = []
    for gid, kind, number, title, evidence, note in conn.execute(
            "SELECT id, kind, number, title, evidence, note FROM national_groups ORDER BY ord"):
        children = tasks.get(gid, [])
        out.append({"id": gid, "type": "group", "group": None, "kind": kind, "number": number, "title": title,
                    "evidence": evidence, "keywords": [], "note": note, "leaf": not children})
        for t in children:
            out.append({**t, "kind": kind})
    return out


def label(node: dict) -> str:
    """A node as a reader names it: (四)保障随迁子女在流入地受教育权利."""
    return f"{node['number'] or ''}{node['title']}"


# --------------------------------------------------------------------------- names

_ID = re.compile(r"(?:national/)?(\d+(?:\.\d+)?)", re.I)
_NUMBER = re.compile(r"[(（]\s*([0-9一二三四五六七八九十两零百]+)\s*[)）]|([一二三四五六七八九十两零百]+)")
_GROUP_NUMBER = re.compile(r"([一二三四五六七八九十两零百]+)\s*[、.．]")


def resolve_tasks(conn: sqlite3.Connection, words: list[str] | None) -> list[str]:
    """Group and task ids for what a user typed: an id (``national/1.4``,
    ``1.4``, ``national/1``), the national number (``(四)``, ``四``; ``二、``
    for a group) or words of a title (``随迁子女``; then the task's keywords).
    Unknown words raise :class:`UnknownName` with the closest titles."""
    if not words:
        return []
    all_nodes = nodes(conn)
    out: list[str] = []
    for word in words:
        blank("national task", word)
        for nid in _resolve_one(conn, all_nodes, word.strip()):
            if nid not in out:
                out.append(nid)
    return out


def _resolve_one(conn, all_nodes: list[dict], word: str) -> list[str]:
    ids = {n["id"] for n in all_nodes}
    m = _ID.fullmatch(word)
    if m and f"national/{m.group(1)}" in ids:
        return [f"national/{m.group(1)}"]
    if word.lower() in ids:
        return [word.lower()]
    m = _GROUP_NUMBER.fullmatch(word)
    if m:
        n = cn_to_int(m.group(1))
        found = [g["id"] for g in all_nodes if g["type"] == "group" and g["number"]
                 and cn_to_int(g["number"].rstrip("、.． ")) == n]
        if found:
            return found
    m = _NUMBER.fullmatch(word)
    if m:
        n = cn_to_int(m.group(1) or m.group(2))
        found = [t["id"] for t in all_nodes if t["type"] == "task" and t["number"]
                 and cn_to_int(t["number"].strip("()（） ")) == n]
        if found:
            return found
    keys = [k for k in (user_tokens(conn, w) for w in word.split()) if k]
    if keys:
        titled = [n["id"] for n in all_nodes if all(k in token_chars(n["title"], simplify=False) for k in keys)]
        if titled:
            return titled
        # a task's keywords: the word is one of them, or contains one (随迁子女教育 ⊇ 随迁子女)
        marked = []
        for n in all_nodes:
            kws = [token_chars(k, simplify=False) for k in n["keywords"]]
            if all(any(k in kw or kw in k for kw in kws if kw) for k in keys):
                marked.append(n["id"])
        if marked:
            return marked
    raise unknown("national task", word,
                  [n["title"] for n in all_nodes] + [k for n in all_nodes for k in n["keywords"]] + sorted(ids))


def expand(conn: sqlite3.Connection, ids: list[str]) -> list[str]:
    """The ids with every group's tasks after it, in the national order."""
    all_nodes = nodes(conn)
    want = set(ids)
    return [n["id"] for n in all_nodes if n["id"] in want or n["group"] in want]


# --------------------------------------------------------------------------- coverage

def _all_plans(conn) -> list[str]:
    from chengzhen.query.browse import plan_ids

    return plan_ids(conn)


def carriers(conn: sqlite3.Connection, plans: list[str]) -> dict[str, dict[str, list[dict]]]:
    """task id -> plan -> the forward-looking measures carrying it, in source order."""
    out: dict[str, dict[str, list[dict]]] = {}
    for i in range(0, len(plans), 900):
        chunk = plans[i:i + 900]
        for task, plan, mid, number, title in conn.execute(
                "SELECT mt.task_id, m.plan_id, m.id, m.number, m.title FROM measure_tasks mt "
                "JOIN measures m ON m.id = mt.measure_id JOIN plans p ON p.id = m.plan_id "
                f"WHERE m.plan_id IN ({','.join('?' * len(chunk))}) AND {FORWARD} ORDER BY p.ord, m.ord", chunk):
            out.setdefault(task, {}).setdefault(plan, []).append({"id": mid, "number": number, "title": title})
    return out


def coverage(conn: sqlite3.Connection, plans: list[str] | None = None, only: list[str] | None = None) -> dict:
    """Every group and task (or only those in ``only``) with, per plan, the
    measures that carry it; ``silent``: the plans that carry none of a task
    (a leaf: a task, or a group without tasks)."""
    ids = plans or _all_plans(conn)
    by = carriers(conn, ids)
    want = set(only) if only else None
    rows = []
    for node in nodes(conn):
        if want is not None and node["id"] not in want:
            continue
        got = by.get(node["id"], {})
        measures = {p: got.get(p, []) for p in ids}
        rows.append({**node, "measures": measures, "carried_by": sum(1 for p in ids if measures[p]),
                     "silent": [p for p in ids if not measures[p]] if node["leaf"] else None})
    return {"plans": plan_info(conn, ids), "rows": rows}


def detail(conn: sqlite3.Connection, task_ids: list[str], plans: list[str] | None = None) -> dict:
    """Each task in full: per plan, its measures (text, departments in the
    source's order, targets with scope) side by side, and who carries none."""
    ids = plans or _all_plans(conn)
    by = carriers(conn, ids)
    want = set(task_ids)
    chosen = [n for n in nodes(conn) if n["id"] in want]
    mids = [mm["id"] for n in chosen for p in ids for mm in by.get(n["id"], {}).get(p, [])]
    items = {it.id: it for it in load_items(conn, plans=ids, ids=list(dict.fromkeys(mids)), kinds=MEASURE_KINDS)}
    out = []
    for n in chosen:
        got = by.get(n["id"], {})
        cells = {p: [items[mm["id"]].as_dict() for mm in got.get(p, []) if mm["id"] in items] for p in ids}
        out.append({**n, "cells": cells, "carried_by": sum(1 for p in ids if cells[p]),
                    "silent": [p for p in ids if not cells[p]]})
    return {"plans": plan_info(conn, ids), "tasks": out}


def measure_tasks(conn: sqlite3.Connection, measure_ids: list[str]) -> dict[str, list[dict]]:
    """measure id -> the national tasks it carries ({id, number, title})."""
    out: dict[str, list[dict]] = {}
    for i in range(0, len(measure_ids), 900):
        chunk = measure_ids[i:i + 900]
        for mid, tid, number, title in conn.execute(
                "SELECT mt.measure_id, mt.task_id, coalesce(t.number, g.number), coalesce(t.title, g.title) "
                "FROM measure_tasks mt LEFT JOIN national_tasks t ON t.id = mt.task_id "
                "LEFT JOIN national_groups g ON g.id = mt.task_id "
                f"WHERE mt.measure_id IN ({','.join('?' * len(chunk))}) ORDER BY mt.measure_id, mt.position", chunk):
            out.setdefault(mid, []).append({"id": tid, "number": number, "title": title})
    return out


def matrix(conn: sqlite3.Connection, plans: list[str] | None = None, level: str = "all") -> dict:
    """Plans × national groups and tasks: how many measures carry each (a
    group counts the measures carrying it or any of its tasks, once)."""
    ids = plans or _all_plans(conn)
    all_nodes = nodes(conn)
    counts: dict[tuple[str, str], set] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for task, plan, mid in conn.execute(
                "SELECT mt.task_id, m.plan_id, m.id FROM measure_tasks mt JOIN measures m ON m.id = mt.measure_id "
                f"WHERE m.plan_id IN ({','.join('?' * len(chunk))}) AND {FORWARD}", chunk):
            counts.setdefault((task, plan), set()).add(mid)
    group_of = {n["id"]: n["group"] for n in all_nodes}
    for (task, plan), mids in list(counts.items()):
        g = group_of.get(task)
        if g:
            counts.setdefault((g, plan), set()).update(mids)
    shown = [n for n in all_nodes if level == "all" or (level == "top") == (n["type"] == "group")]
    return {
        "plans": plan_info(conn, ids),
        "counts": [{"task": n["id"], "type": n["type"], "group": n["group"], "number": n["number"],
                  "title": n["title"], **{p: len(counts.get((n["id"], p), ())) for p in ids}} for n in shown],
    }
