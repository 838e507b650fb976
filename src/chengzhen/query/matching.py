"""Matching: which units hold a query's terms, and those units as hits.

The index (``docs_fts``, text/tokens.py) holds every unit's title and text
as tokens; a term is an FTS5 phrase of its tokens, terms are ANDed.  Here:
the filters as SQL (:func:`where`), the one statement that reads result
rows (:data:`SELECT`), the sets and counts of matching units, the labels
we wrote among them (restored headings, target rows), and rows -> hits.
"""

from __future__ import annotations

from chengzhen.query.cache import cached
from chengzhen.query.hits import Filters, Hit, filters_active
from chengzhen.store.kinds import KIND_RANGES, KINDS
from chengzhen.text.tokens import phrase

# docs rowids are numbered by kind, in ranking order (store/rows.py)
TARGET_LO = KIND_RANGES[KINDS.index("target")][0]


def match_expr(tokens: list[str]) -> str:
    """The FTS5 query for every term (token strings) together."""
    return " AND ".join(phrase(t) for t in tokens)


def where(filters: Filters) -> tuple[str, list]:
    """The filters as SQL over ``docs d`` (`` AND …``) and its parameters."""
    clauses, params = [], []
    if filters.plans:
        clauses.append(f"d.plan_id IN ({','.join('?' * len(filters.plans))})")
        params += filters.plans
    if filters.kinds:
        clauses.append(f"d.kind IN ({','.join('?' * len(filters.kinds))})")
        params += filters.kinds
    # a measure's docs row is measure_*.doc (found by index); a target's row
    # has its measure's id as ref
    measures_only = filters.kinds == ["measure"]
    for names, table, column in ((filters.topics, "measure_topics", "topic"),
                                 (filters.departments, "measure_departments", "department"),
                                 (filters.tasks, "measure_tasks", "task_id")):
        if names:
            marks = ",".join("?" * len(names))
            clauses.append(f"d.rowid IN (SELECT doc FROM {table} WHERE {column} IN ({marks}))" if measures_only
                           else f"d.ref IN (SELECT measure_id FROM {table} WHERE {column} IN ({marks}))")
            params += names
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


# a result row: (kind, ref, item, plan, plan name, title, number, line, rowid,
# score, in_title, text shown, path) — the text a measure's (with its 责任单位
# clause), a target's quote, an annex row's group and name, an annex's
# headings; one statement, no look-up per hit
SELECT = (
    "SELECT d.kind, d.ref, d.item, d.plan_id, p.short_name, d.title, d.number, d.line, d.rowid, "
    "{score} AS score, {in_title} AS in_title, "
    "CASE d.kind WHEN 'measure' THEN m.text || coalesce(m.departments_quote, '') WHEN 'target' THEN t.quote "
    "WHEN 'annex' THEN CASE WHEN d.item IS NULL THEN (SELECT x.heading FROM annexes x WHERE x.id = d.ref) ELSE "
    "(SELECT trim(coalesce(a.group_name, '') || ' ' || a.name) FROM annex_rows a "
    "WHERE a.annex_id = d.ref AND a.seq = CAST(d.item AS INTEGER)) END ELSE '' END, "
    "CASE d.kind WHEN 'measure' THEN coalesce((SELECT s.path FROM sections s WHERE s.id = m.section_id), '') "
    "WHEN 'target' THEN coalesce((SELECT s.path FROM measures tm JOIN sections s ON s.id = tm.section_id "
    "WHERE tm.id = t.measure_id), '') "
    "WHEN 'annex' THEN (SELECT a.annex_title FROM annex_rows a WHERE a.annex_id = d.ref "
    "AND a.seq = CAST(d.item AS INTEGER)) ELSE '' END "
    "FROM {source} JOIN docs d ON d.rowid = {rowid} "
    "JOIN plans p ON p.id = d.plan_id "
    "LEFT JOIN measures m ON d.kind = 'measure' AND m.id = d.ref "
    "LEFT JOIN targets t ON d.kind = 'target' AND t.id = d.item "
)
ROWID = 8  # where a result row holds its docs rowid
# SELECT over docs rows by rowid (no score): the statement every look-up of rows by id starts with
BY_ROWID = SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid")


def rows_by_rowid(conn, rowids: list[int], scores: dict[int, tuple[float, bool]] | None = None) -> list[tuple]:
    """Result rows for rowids, in the order given."""
    by: dict[int, tuple] = {}
    for i in range(0, len(rowids), 900):
        chunk = rowids[i:i + 900]
        for row in conn.execute(
                BY_ROWID + f"WHERE d.rowid IN ({','.join('?' * len(chunk))})", chunk):
            by[row[ROWID]] = row
    scores = scores or {}
    out = []
    for r in rowids:
        if r in by:
            s, t = scores.get(r, (0.0, False))
            out.append(by[r][:9] + (s, t) + by[r][11:])
    return out


def all_rowids(conn, tokens: list[str], filters: Filters) -> set[int]:
    """Every unit holding every term (under the filters)."""
    w, params = where(filters)
    if w:
        sql = f"SELECT d.rowid FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?{w}"
    else:
        sql = "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?"
    return {r[0] for r in conn.execute(sql, [match_expr(tokens), *params])}


def count_matches(conn, match: str, filters: Filters) -> int:
    w, params = where(filters)
    if w:
        sql = f"SELECT count(*) FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?{w}"
    else:
        sql = "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?"
    return conn.execute(sql, [match, *params]).fetchone()[0]


def found(conn, tokens: list[str], filters: Filters) -> bool:
    """Does any unit hold every term (under the filters)?"""
    if filters_active(filters):
        w, params = where(filters)
        return conn.execute(f"SELECT 1 FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                            f"WHERE docs_fts MATCH ?{w} LIMIT 1", [match_expr(tokens), *params]).fetchone() is not None
    return conn.execute("SELECT 1 FROM docs_fts WHERE docs_fts MATCH ? LIMIT 1",
                        (match_expr(tokens),)).fetchone() is not None


def matching_among(conn, tokens: list[str], rowids: list[int]) -> set[int]:
    """Which of these units hold every term (a look-up per unit, for a few)."""
    out: set[int] = set()
    match = match_expr(tokens)
    for i in range(0, len(rowids), 500):
        chunk = rowids[i:i + 500]
        out |= {r[0] for r in conn.execute(
            f"SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? AND rowid IN ({','.join('?' * len(chunk))})",
            [match, *chunk])}
    return out


def restored_among(conn, rowids) -> set[int]:
    """Which of these docs rowids are restored headings (editors' labels,
    not source text)."""
    sec_lo, sec_hi = KIND_RANGES[KINDS.index("section")]
    ids = [r for r in rowids if sec_lo <= r < sec_hi]
    out: set[int] = set()
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        out |= {r[0] for r in conn.execute(
            "SELECT d.rowid FROM docs d JOIN sections s ON s.id = d.ref WHERE s.restored = 1 "
            f"AND d.rowid IN ({','.join('?' * len(chunk))})", chunk)}
    return out


def source_hits_at_least(conn, tokens: list[str], filters: Filters, rows: list, total: int, n: int) -> bool:
    """Are there at least ``n`` exact hits in the source text (not only on
    labels we wrote: indicator names of target rows, restored headings)?"""
    def count(rowids: list[int]) -> int:
        rowids = [r for r in rowids if r < TARGET_LO]
        return len(rowids) - len(restored_among(conn, rowids))

    if count([r[ROWID] for r in rows]) >= n:
        return True
    if total <= len(rows):
        return False
    w, params = where(filters)
    cap = 4 * n  # restored headings are few: 4n rows hold n source hits unless nearly all are restored
    if w:
        sql = (f"SELECT d.rowid FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ? "
               f"AND d.rowid < ?{w} LIMIT {cap}")
    else:
        sql = f"SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? AND rowid < ? LIMIT {cap}"
    return count([r[0] for r in conn.execute(sql, [match_expr(tokens), TARGET_LO, *params])]) >= n


def run_literal(conn, needles: list[str], filters: Filters, limit: int | None) -> tuple[list, int, str]:
    """Terms with no letters or digits at all (a lone '*', '""'): plain substring scan."""
    w, params = where(filters)
    text = ("(d.title || ' ' || coalesce((SELECT m.text || coalesce(m.departments_quote, '') FROM measures m "
            "WHERE d.kind = 'measure' AND m.id = d.ref), '') "
            "|| coalesce((SELECT t.quote FROM targets t WHERE d.kind = 'target' AND t.id = d.item), ''))")
    cond = " AND ".join([f"instr({text}, ?) > 0"] * len(needles))
    sql = SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid") + \
        f"WHERE {cond}{w} ORDER BY d.rowid"
    rows = conn.execute(sql, [*needles, *params]).fetchall()
    total = len(rows)
    if limit:
        rows = rows[:limit]
    return rows, total, sql


def to_hits(conn, rows, match: str = "exact", via: dict[int, tuple[str, str | None, bool]] | None = None,
            hit: bool | None = None) -> list[Hit]:
    """Hits for result rows (see :data:`SELECT`): the text each shows is a
    measure's text and clause, a target's quote, a section's or a title's
    heading (no text), an annex row's group and name, an annex's headings.
    ``via`` gives some rows their own (match, via, hit)."""
    via = via or {}
    plain = (match, None, hit)
    out = []
    for kind, ref, item, plan, plan_name, title, number, line, rowid, score, in_title, body, path in rows:
        m, v, is_hit = via.get(rowid, plain) if via else plain
        out.append(Hit(kind, ref, plan, plan_name, number, title or "", body or "", line, bool(in_title),
                       float(score or 0.0), path or "", item, m, v, rowid, is_hit))
    carriers = {h.id for h in out if h.kind in ("measure", "target")}
    if carriers:
        tasks = measure_tasks(conn, carriers)
        for h in out:
            if h.kind in ("measure", "target"):
                h.tasks = list(tasks[h.id])
    return out


TASKS_KEPT = 100_000  # measures whose tasks a connection keeps (a stream of queries meets the same ones again)


def measure_tasks(conn, measures: set[str]) -> dict[str, tuple[str, ...]]:
    """The national tasks each measure carries, in its order; read once per
    connection and measure (``query/cache.py``)."""
    known: dict[str, tuple[str, ...]] = cached(conn, "measure_tasks", dict)
    out: dict[str, tuple[str, ...]] = {}
    missing: list[str] = []
    for m in measures:
        got = known.get(m)
        if got is None:
            missing.append(m)
        else:
            out[m] = got
    if missing:
        read: dict[str, list[str]] = {m: [] for m in missing}
        for i in range(0, len(missing), 900):
            chunk = missing[i:i + 900]
            for mid, tid in conn.execute(
                    f"SELECT measure_id, task_id FROM measure_tasks WHERE measure_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY measure_id, position", chunk):
                read[mid].append(tid)
        if len(known) + len(read) > TASKS_KEPT:
            known.clear()
        for m, t in read.items():
            out[m] = known[m] = tuple(t)
    return out
