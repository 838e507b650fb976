"""The units an entity names: a department's, a plan's, a topic's, a national
task's measures, an indicator's targets (``query/resolve.py:entities`` finds
the entity a query names).

An entity's units that are not exact hits are either

* **hits**, labelled with it, where the unit names it itself: a
  department's measures whose own 责任单位 clause names it (all but those a
  plan-wide note assigns it, hunan's 各市州人民政府), a plan's measures that
  write the plan's name (short name, region or full name); or
* **related** — offered beside the hits, labelled, never counted: the rest,
  and every unit of a topic, a national task, an indicator (labels we
  wrote: no unit names them by that).

``expand=True`` (the user asked for the entity) makes all its units hits.
Each set is SQL yielding docs rowids (column ``r``), read from the entity's
(name, doc) index where nothing filters.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple

from chengzhen.query.hits import Filters, filters_active
from chengzhen.query.matching import where
from chengzhen.store.kinds import KIND_RANGES, KINDS
from chengzhen.text.tokens import phrase, token_chars

# the kind of unit an entity stands for and its condition over ``docs d``
ENTITY_COND = {
    "department": ("measure", "d.rowid IN (SELECT doc FROM measure_departments WHERE department IN ({}))"),
    "topic": ("measure", "d.rowid IN (SELECT doc FROM measure_topics WHERE topic IN ({}))"),
    "plan": ("measure", "d.plan_id IN ({})"),
    "task": ("measure", "d.rowid IN (SELECT doc FROM measure_tasks WHERE task_id IN ({}))"),
    "indicator": ("target", "d.item IN (SELECT id FROM targets WHERE indicator IN ({}))"),
}
# the units of an entity as a bare list of docs rowids, read from an index
# alone (no docs row is visited), where the entity's table carries them
_ENTITY_DOCS = {
    "department": "SELECT doc AS r FROM measure_departments WHERE department IN ({})",
    "topic": "SELECT doc AS r FROM measure_topics WHERE topic IN ({})",
    "task": "SELECT doc AS r FROM measure_tasks WHERE task_id IN ({})",
}

# an entity's units: ``all_sql`` every one (column r); ``rest_hit`` whether
# its units are hits, but for the few ``odd_sql`` gives (None: none), which
# are the other way round: a department's units are hits but for those
# assigned by a plan-wide note; a plan's units are related but for those
# that write its name; a topic's, task's, indicator's all related (and with
# expand, every entity's all hits)
Units = namedtuple("Units", "entity all_sql all_params rest_hit odd_sql odd_params")


def units_sql(ent, filters: Filters) -> tuple[str, list]:
    """A statement giving each unit of ``ent`` once, as column ``r`` (a docs
    rowid): from the entity's (name, doc) index alone when nothing filters,
    else through the docs rows and the filters."""
    kind, cond = ENTITY_COND[ent.kind]
    if filters.kinds and kind not in filters.kinds:
        return "SELECT NULL AS r WHERE 0", []
    marks = ",".join("?" * len(ent.keys))
    if not filters_active(filters) and ent.kind in _ENTITY_DOCS:
        sql = _ENTITY_DOCS[ent.kind].format(marks)
        return (sql if len(ent.keys) == 1 else f"SELECT DISTINCT r FROM ({sql})"), list(ent.keys)
    w, params = where(filters)
    lo, hi = KIND_RANGES[KINDS.index(kind)]
    return (f"SELECT d.rowid AS r FROM docs d WHERE d.rowid >= ? AND d.rowid < ? AND {cond.format(marks)}{w}",
            [lo, hi, *ent.keys, *params])


def _plan_names(conn, pid: str) -> list[str]:
    row = conn.execute("SELECT short_name, region, name FROM plans WHERE id = ?", (pid,)).fetchone()
    if row is None:
        return []
    return [k for k in dict.fromkeys(token_chars(n or "", simplify=False) for n in row) if k]


def odd_sql(conn, ent, filters: Filters) -> tuple[str, list] | None:
    """The few units of ``ent`` whose status is not that of the rest (see
    :data:`Units`), as column ``r``: a department's plan-wide assignments
    (related: no clause of theirs names it), a plan's units that write its
    name (hits); None: none (topics, tasks, indicators)."""
    kind, _cond = ENTITY_COND[ent.kind]
    if filters.kinds and kind not in filters.kinds:
        return None
    w, params = where(filters)
    if ent.kind == "department":
        marks = ",".join("?" * len(ent.keys))
        if not w:
            return (f"SELECT doc AS r FROM measure_departments INDEXED BY idx_measure_departments_plan_wide "
                    f"WHERE department IN ({marks}) AND all_tasks = 1", list(ent.keys))
        return (f"SELECT md.doc AS r FROM measure_departments md INDEXED BY idx_measure_departments_plan_wide "
                f"JOIN docs d ON d.rowid = md.doc WHERE md.department IN ({marks}) AND md.all_tasks = 1{w}",
                [*ent.keys, *params])
    if ent.kind == "plan":
        names = [n for pid in ent.keys for n in _plan_names(conn, pid)]
        if not names:
            return None
        marks = ",".join("?" * len(ent.keys))
        return (f"SELECT docs_fts.rowid AS r FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                f"WHERE docs_fts MATCH ? AND d.kind = '{kind}' AND d.plan_id IN ({marks}){w}",
                [" OR ".join(phrase(n) for n in names), *ent.keys, *params])
    return None


def entity_units(conn, ents: list, filters: Filters, *, expand: bool = False) -> list[Units]:
    """Each entity's units (those with no unit under the filters left out)."""
    out = []
    for ent in ents:
        all_sql, all_params = units_sql(ent, filters)
        try:
            if conn.execute(f"SELECT 1 FROM ({all_sql}) LIMIT 1", all_params).fetchone() is None:
                continue
        except sqlite3.OperationalError:  # a database without that table (no national plan)
            continue
        if expand:
            out.append(Units(ent, all_sql, all_params, True, None, []))
            continue
        odd = odd_sql(conn, ent, filters)
        out.append(Units(ent, all_sql, all_params, ent.kind == "department", *(odd or (None, []))))
    return out


def hit_units(conn, u: Units, members: set[int]) -> set[int]:
    """Which of these units of the entity are hits."""
    odd = read_set(conn, u.odd_sql, u.odd_params) if u.odd_sql else set()
    return members - odd if u.rest_hit else members & odd


def read_set(conn, set_sql: str | None, params: list) -> set[int]:
    if set_sql is None:
        return set()
    try:
        return {r[0] for r in conn.execute(set_sql, params)}
    except sqlite3.OperationalError:
        return set()


def exact_among_units(conn, match: str, filters: Filters,
                      sets: list[tuple[str, list]]) -> tuple[int, list[set[int]], list[int]]:
    """In one pass over the units holding ``match`` (under the filters):
    their number; for each unit set, those of them in it (each match looked
    up in the set as the matches go by); and each set's size — all a search
    needs of its exact hits to tell the entity units that are not among
    them, without reading every hit."""
    w, params = where(filters)
    src = "docs_fts JOIN docs d ON d.rowid = docs_fts.rowid" if w else "docs_fts"
    cols = ["count(*)"] + [f"group_concat(CASE WHEN docs_fts.rowid IN ({sql}) THEN docs_fts.rowid END)"
                           for sql, _p in sets] + [f"(SELECT count(*) FROM ({sql}))" for sql, _p in sets]
    args = [v for _s, p in sets for v in p] * 2 + [match, *params]
    try:
        got = conn.execute(f"SELECT {', '.join(cols)} FROM {src} WHERE docs_fts MATCH ?{w}", args).fetchone()
    except sqlite3.OperationalError:  # a database without a table an entity needs (no national plan)
        got = conn.execute(f"SELECT count(*) FROM {src} WHERE docs_fts MATCH ?{w}", [match, *params]).fetchone()
        return got[0], [set() for _s in sets], [0] * len(sets)
    k = len(sets)
    found = [set(map(int, g.split(","))) if g else set() for g in got[1:1 + k]]
    return got[0], found, list(got[1 + k:])
