"""The units an entity names: a department's, a plan's, a topic's, a national
task's measures, an indicator's targets (``query/resolve.py:entities`` finds
the entity a query names).

Each entity gives two sets of units, as SQL yielding docs rowids (``r``):

* **all** its units — offered beside the hits as *related*, labelled with
  the entity, never counted;
* the units that **name it themselves** — hits: a department's measures
  whose own 责任单位 clause names it (a plan-wide assignment, hunan's 各市州
  人民政府, does not), a plan's measures that write the plan's name (short
  name, region or full name).  Topics, national tasks and indicators are
  labels we wrote: none of their units names them by that.

``expand=True`` (the user asked for the entity) makes all its units hits.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple

from chengzhen.query.cache import cached
from chengzhen.query.hits import Filters, filters_active
from chengzhen.query.matching import where
from chengzhen.store.kinds import KEY_BITS, KIND_RANGES, KINDS, SEQ_BITS
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

# an entity's unit sets: ``all_sql`` every unit, ``hit_sql`` those that are
# hits (None: none), each with its parameters; each yields column r
Units = namedtuple("Units", "entity all_sql all_params hit_sql hit_params")


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


def naming_sql(conn, ent, filters: Filters) -> tuple[str, list] | None:
    """A statement giving the units of ``ent`` that name it themselves (see
    the module doc), as column ``r``; None when no unit does by definition."""
    kind, _cond = ENTITY_COND[ent.kind]
    if filters.kinds and kind not in filters.kinds:
        return None
    w, params = where(filters)
    if ent.kind == "department":
        marks = ",".join("?" * len(ent.keys))
        if not w:
            return (f"SELECT doc AS r FROM measure_departments WHERE department IN ({marks}) AND all_tasks = 0",
                    list(ent.keys))
        return (f"SELECT md.doc AS r FROM measure_departments md JOIN docs d ON d.rowid = md.doc "
                f"WHERE md.department IN ({marks}) AND md.all_tasks = 0{w}", [*ent.keys, *params])
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
    """Each entity's unit sets (those with no unit under the filters left out)."""
    out = []
    for ent in ents:
        all_sql, all_params = units_sql(ent, filters)
        try:
            if conn.execute(f"SELECT 1 FROM ({all_sql}) LIMIT 1", all_params).fetchone() is None:
                continue
        except sqlite3.OperationalError:  # a database without that table (no national plan)
            continue
        if expand:
            hit_sql, hit_params = all_sql, all_params
        else:
            got = naming_sql(conn, ent, filters)
            hit_sql, hit_params = got if got else (None, [])
        out.append(Units(ent, all_sql, all_params, hit_sql, hit_params))
    return out


def catalogue_order(conn):
    """A sort key putting docs rowids in catalogue order: plan order, then
    document order (a rowid holds its plan's key: store/kinds.py)."""
    def read() -> dict[int, int]:
        return dict(conn.execute("SELECT key, ord FROM plans INDEXED BY idx_plans_key_ord"))
    ords = cached(conn, "plan_ord_by_key", read)
    mask = (1 << KEY_BITS) - 1
    return lambda r: (ords.get((r >> SEQ_BITS) & mask, 0), r)


def read_set(conn, set_sql: str, params: list) -> set[int]:
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
