"""Measures as the comparison views show them: text, the departments its
责任单位 clause names (in the clause's order) and, apart, those a plan-wide
note assigns to every task (湖南's 各市州/各县市区人民政府), targets (with
scope, qualifier, aspiration, kind and restatement group), the national
tasks each carries, and whether it sits in a section that reviews the past.
Plain data out."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from chengzhen.text.segment import measure_text, words_at

MEASURE_KINDS = ("measure", "paragraph", "box", "table")


@dataclass
class Item:
    id: str
    plan: str
    plan_name: str
    number: str | None
    title: str | None
    text: str
    kind: str
    words: list[str]
    departments: list[str] = field(default_factory=list)  # the measure's own 责任单位 clause, in its order
    plan_wide: list[str] = field(default_factory=list)  # assigned to every task by a plan-wide note
    targets: list[dict] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    retrospective: bool = False  # in a section reviewing past achievements: never aligned

    def as_dict(self, sentences: list[str] | None = None) -> dict:
        d = {"id": self.id, "plan": self.plan, "plan_name": self.plan_name, "number": self.number,
             "title": self.title, "kind": self.kind, "departments": self.departments,
             "plan_wide_departments": self.plan_wide, "targets": self.targets,
             "tasks": self.tasks, "text": self.text}
        if sentences is not None:
            d["sentences"] = sentences
        return d


def _marks(n: int) -> str:
    return ",".join("?" * n)


def load_items(conn: sqlite3.Connection, *, plans: list[str], topics: list[str] | None = None,
               ids: list[str] | None = None, kinds: tuple[str, ...] = MEASURE_KINDS) -> list[Item]:
    """The measures of ``plans`` (optionally on ``topics``, or among ``ids``),
    in catalogue and source order."""
    if not plans:
        return []
    clauses = [f"m.plan_id IN ({_marks(len(plans))})", f"m.kind IN ({_marks(len(kinds))})"]
    params: list = [*plans, *kinds]
    if topics:
        # probed per measure of the compared plans (measure_topics' key): the
        # cost follows the plans compared, not how many plans share the topic
        clauses.append("EXISTS (SELECT 1 FROM measure_topics mt WHERE mt.measure_id = m.id "
                       f"AND mt.topic IN ({_marks(len(topics))}))")
        params += topics
    if ids is not None:
        if not ids:
            return []
        clauses.append(f"m.id IN ({_marks(len(ids))})")
        params += ids
    rows = conn.execute(
        "SELECT m.id, m.plan_id, p.short_name, m.number, m.title, m.text, m.kind, m.cuts, "
        "coalesce(s.retrospective, 0) "
        "FROM measures m JOIN plans p ON p.id = m.plan_id LEFT JOIN sections s ON s.id = m.section_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY p.ord, m.ord", params).fetchall()
    items = [Item(r[0], r[1], r[2], r[3], r[4], r[5], r[6], words_at(measure_text(r[4], r[5]), r[7]),
                  retrospective=bool(r[8])) for r in rows]
    by = {it.id: it for it in items}
    keys = list(by)
    for i in range(0, len(keys), 900):
        chunk = keys[i:i + 900]
        marks = _marks(len(chunk))
        for mid, dept, plan_wide in conn.execute(
                f"SELECT measure_id, department, all_tasks FROM measure_departments WHERE measure_id IN ({marks}) "
                "ORDER BY measure_id, position", chunk):
            (by[mid].plan_wide if plan_wide else by[mid].departments).append(dept)
        for mid, task in conn.execute(
                f"SELECT measure_id, task_id FROM measure_tasks WHERE measure_id IN ({marks}) "
                "ORDER BY measure_id, position", chunk):
            by[mid].tasks.append(task)
        for row in conn.execute(
                "SELECT measure_id, id, indicator, as_written, qualifier, aspiration, scope, year, year_implied, "
                f"kind, group_id FROM targets WHERE measure_id IN ({marks}) ORDER BY ord", chunk):
            by[row[0]].targets.append({
                "id": row[1], "indicator": row[2], "as_written": row[3], "qualifier": row[4],
                "aspiration": row[5], "scope": row[6], "year": row[7], "year_implied": bool(row[8]),
                "kind": row[9], "group_id": row[10],
            })
    return items


def group_members(conn: sqlite3.Connection, groups) -> dict[str, list[str]]:
    """The target ids of each restatement group (a 专栏 restating the text's
    figure is one group), in source order."""
    groups = sorted(set(groups))
    members: dict[str, list[str]] = {}
    for i in range(0, len(groups), 900):
        chunk = groups[i:i + 900]
        for gid, tid in conn.execute(
                f"SELECT group_id, id FROM targets WHERE group_id IN ({','.join('?' * len(chunk))}) ORDER BY ord", chunk):
            members.setdefault(gid, []).append(tid)
    return members


def group_baselines(conn: sqlite3.Connection, groups) -> dict[str, tuple]:
    """Per restatement group, the first of its targets (in source order) that
    states a baseline: (target id, baseline, baseline as written, baseline year)."""
    groups = sorted(set(groups))
    out: dict[str, tuple] = {}
    for i in range(0, len(groups), 900):
        chunk = groups[i:i + 900]
        for gid, tid, base, written, year in conn.execute(
                "SELECT group_id, id, baseline, baseline_as_written, baseline_year FROM targets "
                f"WHERE group_id IN ({','.join('?' * len(chunk))}) "
                "AND (baseline IS NOT NULL OR baseline_as_written IS NOT NULL) ORDER BY ord", chunk):
            out.setdefault(gid, (tid, base, written, year))
    return out


def lead_phrase(text: str, n: int = 24) -> str:
    """A unit's first clause, as a stand-in title where the source gives none."""
    first = re.split(r"[。;；]", text, maxsplit=1)[0]
    return first if len(first) <= n else first[:n] + "…"


def plan_info(conn: sqlite3.Connection, plans: list[str]) -> list[dict]:
    """What a view must say about each plan beside its name: whether its source
    is abridged (a silence may be a cut) and what it implements."""
    if not plans:
        return []
    got = {r[0]: r for r in conn.execute(
        f"SELECT id, short_name, abridged, parent FROM plans WHERE id IN ({_marks(len(plans))})", plans)}
    return [{"id": p, "name": got[p][1], "abridged": bool(got[p][2]), "implements": got[p][3]}
            for p in plans if p in got]
