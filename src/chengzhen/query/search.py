"""Full-text search over measures, sections, targets and annex rows.

Returns plain data (:class:`SearchResult`); never prints.  A *hit* is a unit
that holds what the user typed; everything else the search offers is
labelled and never counted (docs/cli.md, "How search matches"):

1. **exact** — every space-separated term occurs in the unit's folded text
   (traditional -> simplified, case, full/half width; a pasted outline
   number, pinyin gloss or stray space removed first, ``text/pasted.py``).
   Terms become FTS5 phrases over the one-character-per-token index, so any
   length works.
2. **entities** — the whole query names a department (any alias, or a
   distinctive part of its name), a plan, a topic, an indicator or a
   national task (``query/resolve.py``): that entity's measures (targets,
   for an indicator) are hits, marked with how they matched.
3. **segmented** — when the exact hits in the source text are few (fewer
   than :data:`FEW`; hits only on labels we wrote — indicator names of
   target rows, restored headings — do not count), an unspaced phrase that
   is not itself a word of the corpus is cut into words of two characters
   or more (the corpus vocabulary first, jieba for long phrases), and the
   units holding every word are hits too, labelled *segmented*.
4. When nothing is a hit: **suggestions** (``did_you_mean``) — the closest
   words of the index for a short term, pinyin or initials read as Chinese —
   and, for a long query, **related** units: those sharing the most of its
   words (BM25 over the words).  Neither is a hit; with ``fuzzy=True`` the
   first suggestion is searched and its units returned as *suggested*.

Ranking: exact hits (in a title first, then measures before sections,
annex rows and targets, then bm25, then document order), then entity hits
(catalogue order), then segmented hits (ranked as exact ones).
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata

from chengzhen.errors import CzError, UsageError
from chengzhen.query.cache import cached
from chengzhen.query.fold import user_fold, user_tokens
from chengzhen.query.resolve import Entity
from chengzhen.store.kinds import KIND_RANGES, KIND_SHIFT, KINDS
from chengzhen.text.pasted import query_text
from chengzhen.text.tokens import phrase, token_chars

# below this many exact hits in the source text, segmented hits are added
FEW = 20
# a term this short with no hit gets "did you mean" corrections; longer ones are phrases
FUZZY_MAX_LEN = 6
# jieba cuts a phrase the corpus vocabulary cannot cover only from this length on
JIEBA_MIN_LEN = 6
# a query this long (characters) with no hit gets related units
RELATED_MIN_LEN = 8
RELATED_MAX = 10
RELATED_WORDS = 16

# what each kind of match is called (hits first, then what is offered instead)
HIT_MATCHES = ("exact", "segmented", "department", "plan", "topic", "indicator", "task", "list")
OFFERED_MATCHES = ("fuzzy", "pinyin", "related", "did_you_mean")


class Hit:
    """One unit a search returns: a hit, or (``match`` in OFFERED_MATCHES)
    a unit offered instead.  A plain class: no dataclasses import at start-up."""

    __slots__ = ("kind", "id", "plan", "plan_name", "number", "title", "text", "line", "in_title", "score", "path",
                 "item", "match", "via", "rowid", "tasks")

    def __init__(self, kind: str, id: str, plan: str, plan_name: str, number: str | None, title: str, text: str,
                 line: int | None, in_title: bool, score: float, path: str = "", item: str | None = None,
                 match: str = "exact", via: str | None = None, rowid: int = 0):
        self.kind, self.id, self.plan, self.plan_name = kind, id, plan, plan_name
        self.number, self.title, self.text, self.line = number, title, text, line
        self.in_title, self.score, self.path = in_title, score, path
        self.item = item          # the target id of a target hit
        self.match = match        # see HIT_MATCHES / OFFERED_MATCHES
        self.via = via            # the entity, segments, suggestion or shared words it matched by
        self.rowid = rowid
        self.tasks: list[str] = []  # the national tasks the (target's) measure carries

    @property
    def hit(self) -> bool:
        return self.match in HIT_MATCHES

    def as_dict(self) -> dict:
        return {
            "hit": self.hit, "match": self.match, "via": self.via,
            "kind": self.kind, "id": self.id, "item": self.item, "plan": self.plan, "plan_name": self.plan_name,
            "number": self.number, "title": self.title, "path": self.path, "line": self.line,
            "in_title": self.in_title, "score": round(self.score, 4), "tasks": self.tasks, "text": self.text,
        }

    def __repr__(self) -> str:
        return f"Hit({self.kind} {self.id} {self.match})"


class SearchResult:
    """What a search found.  ``query`` as typed; ``terms`` the folded terms
    matched; ``mode`` the best kind of hit (exact | entity | segmented | list
    | raw | none); ``hits`` (cut by the limit) and ``total`` (every hit);
    ``suggestions`` (did you mean: never hits) and their ``suggestion_kind``
    (fuzzy | pinyin); ``entities`` the query named; ``segments`` a segmented
    match required; ``related`` and ``suggested`` units offered instead of
    hits; ``normalized`` the query after pasted-text normalization;
    ``counts`` hits per match kind; ``groups`` (group_by="plan") every plan
    with its number of hits."""

    def __init__(self, query: str, terms: list[str], mode: str, hits: list[Hit], total: int, *,
                 suggestions: list[str] | None = None, sql: str = "", notes: list[str] | None = None,
                 normalized: str = "", counts: dict[str, int] | None = None):
        self.query, self.terms, self.mode, self.hits, self.total = query, terms, mode, hits, total
        self.suggestions = suggestions or []
        self.sql = sql
        self.notes = notes or []
        self.entities: list[Entity] = []
        self.segments: list[str] = []
        self.related: list[Hit] = []
        self.suggested: list[Hit] = []
        self.suggestion_kind = ""
        self.normalized = normalized
        self.counts = counts or {}
        self.groups: list[dict] | None = None

    @property
    def note(self) -> str:
        return " ".join(self.notes)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "mode": self.mode, "terms": self.terms, "total": self.total,
            "did_you_mean": self.suggestions, "notes": self.notes,
            "hits": [h.as_dict() for h in self.hits],
        }


class Filters:
    """What a search is limited to: plan ids, topic names, canonical
    departments, kinds, national task ids (a group with its tasks, as
    ``query/tasks.py:expand`` gives them; empty: no limit)."""

    def __init__(self, plans: list[str] | None = None, topics: list[str] | None = None,
                 departments: list[str] | None = None, kinds: list[str] | None = None,
                 tasks: list[str] | None = None):
        self.plans = list(plans or [])
        self.topics = list(topics or [])
        self.departments = list(departments or [])
        self.kinds = list(kinds or [])
        self.tasks = list(tasks or [])


def filters_active(filters: Filters) -> bool:
    return bool(filters.plans or filters.topics or filters.departments or filters.kinds or filters.tasks)


def split_terms(query: str) -> list[str]:
    return [t for t in query.split() if t]


def _where(filters: Filters) -> tuple[str, list]:
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
# score, in_title, text shown, path) — the text a measure's, a target's quote,
# an annex row's group and name; one statement, no look-up per hit
_SELECT = (
    "SELECT d.kind, d.ref, d.item, d.plan_id, p.short_name, d.title, d.number, d.line, d.rowid, "
    "{score} AS score, {in_title} AS in_title, "
    "CASE d.kind WHEN 'measure' THEN m.text WHEN 'target' THEN t.quote WHEN 'annex' THEN "
    "(SELECT trim(coalesce(a.group_name, '') || ' ' || a.name) FROM annex_rows a "
    "WHERE a.annex_id = d.ref AND a.seq = CAST(d.item AS INTEGER)) ELSE '' END, "
    "CASE d.kind WHEN 'measure' THEN m.path WHEN 'target' THEN (SELECT path FROM measures WHERE id = t.measure_id) "
    "WHEN 'annex' THEN (SELECT a.annex_title FROM annex_rows a WHERE a.annex_id = d.ref "
    "AND a.seq = CAST(d.item AS INTEGER)) ELSE '' END "
    "FROM {source} JOIN docs d ON d.rowid = {rowid} "
    "JOIN plans p ON p.id = d.plan_id "
    "LEFT JOIN measures m ON d.kind = 'measure' AND m.id = d.ref "
    "LEFT JOIN targets t ON d.kind = 'target' AND t.id = d.item "
)

# docs rowids are numbered by kind, in ranking order (store/rows.py)
_TITLED = [r for k, r in zip(KINDS, KIND_RANGES) if k != "target"]  # target rows have no title
_TARGET_LO = KIND_RANGES[KINDS.index("target")][0]

# Ranking walks tiers: hits in a title (measures, sections, annex rows), then
# the other hits (measures, sections, annex rows, targets).  A title hit's
# score is its title's length (the title closest to what was typed first:
# what bm25 of the title gives when the words occur once, without bm25's
# scan of every match for its weights); any other hit's is bm25 over body and
# title (the title weighing 4×).  Within a tier the score orders the first
# RANK_WINDOW hits in index order and any further hits follow in index
# order, so the work of a cut search does not grow with the corpus
# (docs/cli.md, "Ranked").
RANK_WINDOW = 1000
_BM25 = "bm25(docs_fts, 1.0, 4.0)"  # columns: body, title
_TITLE_SCORE = "length(d.title)"


def _tier_sql(where: str, *, in_title: bool, window: int | None, after: bool = False) -> str:
    """Hits of one tier (match, rowid range, filters) in index order: the
    first ``window`` of them by score, or (``after``) those past a rowid."""
    src = "docs_fts JOIN docs d ON d.rowid = docs_fts.rowid" if where or in_title else "docs_fts"
    lo = "docs_fts.rowid > ?" if after else "docs_fts.rowid >= ?"
    sql = (f"SELECT docs_fts.rowid AS r, {_TITLE_SCORE if in_title else _BM25} AS s FROM {src} "
           f"WHERE docs_fts MATCH ? AND {lo} AND docs_fts.rowid < ?{where} ORDER BY docs_fts.rowid")
    if window is not None:
        sql = f"SELECT r, s FROM ({sql} LIMIT {int(window)}) ORDER BY s, r"
    return sql


def _tiers(title_q: str, body_q: str) -> list[tuple[str, int, int, bool]]:
    """(match, lo, hi, in_title) of each ranking tier, in order."""
    rest_q = f"({body_q}) NOT ({title_q})"
    return ([(title_q, lo, hi, True) for lo, hi in _TITLED]
            + [(rest_q if k != "target" else body_q, lo, hi, False) for k, (lo, hi) in zip(KINDS, KIND_RANGES)])


def _ranked(conn, title_q: str, body_q: str, limit: int | None, where: str = "",
            params: list | None = None) -> list[tuple[int, float, bool]]:
    """(rowid, score, in_title) in ranking order, tier by tier, stopping once
    ``limit`` rows are found: a tier costs at most RANK_WINDOW scored hits
    plus the rows taken after them."""
    params = params or []
    if not limit:
        return _ranked_all(conn, title_q, body_q, where, params)
    picked: list[tuple[int, float, bool]] = []
    for q, lo, hi, in_title in _tiers(title_q, body_q):
        need = limit - len(picked)
        if need <= 0:
            break
        cut = need <= RANK_WINDOW  # the window holds all this tier can give
        sql = _tier_sql(where, in_title=in_title, window=RANK_WINDOW) + (f" LIMIT {need}" if cut else "")
        window = conn.execute(sql, (q, lo, hi, *params)).fetchall()
        picked += [(r, score, in_title) for r, score in window]
        if cut or len(window) < RANK_WINDOW:
            continue
        rest = _tier_sql(where, in_title=in_title, window=None, after=True) + f" LIMIT {need - len(window)}"
        picked += [(r, score, in_title) for r, score in conn.execute(rest, (q, max(r for r, _s in window), hi,
                                                                            *params))]
    return picked


def _match(tokens: list[str]) -> str:
    return " AND ".join(phrase(t) for t in tokens)


def _rows_by_rowid(conn, rowids: list[int], scores: dict[int, tuple[float, bool]] | None = None) -> list[tuple]:
    """Result rows for rowids, in the order given."""
    by: dict[int, tuple] = {}
    for i in range(0, len(rowids), 900):
        chunk = rowids[i:i + 900]
        for row in conn.execute(
                _SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid")
                + f"WHERE d.rowid IN ({','.join('?' * len(chunk))})", chunk):
            by[row[8]] = row
    scores = scores or {}
    out = []
    for r in rowids:
        if r in by:
            s, t = scores.get(r, (0.0, False))
            out.append(by[r][:9] + (s, t) + by[r][11:])
    return out


def _ranked_all(conn, title_q: str, body_q: str, where: str, params: list) -> list[tuple[int, float, bool]]:
    """Every hit in the order :func:`_ranked` walks them, from two
    statements (title hits, all hits) rather than one per tier: with no
    limit every hit is read anyway."""
    joined = "docs_fts JOIN docs d ON d.rowid = docs_fts.rowid"
    titled = dict(conn.execute(
        f"SELECT docs_fts.rowid, {_TITLE_SCORE} FROM {joined} WHERE docs_fts MATCH ? AND docs_fts.rowid < ?{where}",
        (title_q, _TARGET_LO, *params)))
    tiers: dict[tuple[bool, int], list[tuple[int, float]]] = {}
    for r, score in conn.execute(f"SELECT docs_fts.rowid, {_BM25} FROM {joined if where else 'docs_fts'} "
                                 f"WHERE docs_fts MATCH ?{where} ORDER BY docs_fts.rowid", (body_q, *params)):
        t = r in titled
        tiers.setdefault((not t, r >> KIND_SHIFT), []).append((r, titled[r] if t else score))
    picked: list[tuple[int, float, bool]] = []
    for (not_title, _kind), rows in sorted(tiers.items()):
        ranked = sorted(rows[:RANK_WINDOW], key=lambda rs: (rs[1], rs[0])) + rows[RANK_WINDOW:]
        picked += [(r, score, not not_title) for r, score in ranked]
    return picked


def _run(conn, terms_tokens: list[str], filters: Filters, limit: int | None,
         count: bool = True) -> tuple[list, int, str]:
    """Rows for an AND of folded token strings, ranked; the total (-1 when
    ``count`` is off and the limit cut the rows: the caller counts)."""
    phrases = [phrase(t) for t in terms_tokens]
    title_q = "{title} : (" + " AND ".join(phrases) + ")"
    body_q = " AND ".join(phrases)
    where, params = _where(filters)
    picked = _ranked(conn, title_q, body_q, limit, where, params)
    if limit and len(picked) >= limit:
        if where:
            count_sql = ("SELECT count(*) FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                         f"WHERE docs_fts MATCH ?{where}")
        else:
            count_sql = "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?"
        total = -1 if not count else conn.execute(count_sql, [body_q, *params]).fetchone()[0]
    else:
        total = len(picked)
    rows = _rows_by_rowid(conn, [r[0] for r in picked], {r[0]: (r[1], r[2]) for r in picked}) if picked else []
    sql = (_tier_sql(where, in_title=False, window=RANK_WINDOW)
           + f"  -- per tier: title hits ({title_q}), then the others ({body_q}), kind by kind")
    return rows, total, sql


def _all_rowids(conn, tokens: list[str], filters: Filters) -> set[int]:
    where, params = _where(filters)
    if where:
        sql = f"SELECT d.rowid FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?{where}"
    else:
        sql = "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?"
    return {r[0] for r in conn.execute(sql, [_match(tokens), *params])}


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


def _source_hits_at_least(conn, tokens: list[str], filters: Filters, rows: list, total: int, n: int) -> bool:
    """Are there at least ``n`` exact hits in the source text (not only on
    labels we wrote: indicator names of target rows, restored headings)?"""
    def count(rowids: list[int]) -> int:
        rowids = [r for r in rowids if r < _TARGET_LO]
        return len(rowids) - len(restored_among(conn, rowids))

    if count([r[8] for r in rows]) >= n:
        return True
    if total <= len(rows):
        return False
    where, params = _where(filters)
    cap = 4 * n  # restored headings are few: 4n rows hold n source hits unless nearly all are restored
    if where:
        sql = (f"SELECT d.rowid FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ? "
               f"AND d.rowid < ?{where} LIMIT {cap}")
    else:
        sql = f"SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? AND rowid < ? LIMIT {cap}"
    return count([r[0] for r in conn.execute(sql, [_match(tokens), _TARGET_LO, *params])]) >= n


def _run_literal(conn, needles: list[str], filters: Filters, limit: int | None) -> tuple[list, int, str]:
    """Terms with no letters or digits at all (a lone '*', '""'): plain substring scan."""
    where, params = _where(filters)
    text = ("(d.title || ' ' || coalesce((SELECT m.text FROM measures m WHERE d.kind = 'measure' AND m.id = d.ref), '') "
            "|| coalesce((SELECT t.quote FROM targets t WHERE d.kind = 'target' AND t.id = d.item), ''))")
    cond = " AND ".join([f"instr({text}, ?) > 0"] * len(needles))
    sql = _SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid") + \
        f"WHERE {cond}{where} ORDER BY d.rowid"
    rows = conn.execute(sql, [*needles, *params]).fetchall()
    total = len(rows)
    if limit:
        rows = rows[:limit]
    return rows, total, sql


def _hits(conn, rows, match: str = "exact", via: dict[int, tuple[str, str | None]] | None = None) -> list[Hit]:
    """Hits for result rows (see _SELECT): the text each shows is a
    measure's text, a target's quote, a section's title (no text), an annex
    row's group and name."""
    via = via or {}
    out = []
    for kind, ref, item, plan, plan_name, title, number, line, rowid, score, in_title, body, path in rows:
        m, v = via.get(rowid, (match, None))
        out.append(Hit(
            kind=kind, id=ref, plan=plan, plan_name=plan_name, number=number, title=title or "",
            text=body or "", line=line, in_title=bool(in_title), score=float(score or 0.0), path=path or "",
            item=item, match=m, via=v, rowid=rowid,
        ))
    carriers = list({h.id for h in out if h.kind in ("measure", "target")})
    if carriers:
        tasks: dict[str, list[str]] = {}
        for i in range(0, len(carriers), 900):
            chunk = carriers[i:i + 900]
            for mid, tid in conn.execute(
                    f"SELECT measure_id, task_id FROM measure_tasks WHERE measure_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY measure_id, position", chunk):
                tasks.setdefault(mid, []).append(tid)
        for h in out:
            if h.kind in ("measure", "target"):
                h.tasks = tasks.get(h.id, [])
    return out


# --------------------------------------------------------------------------- entities

_ENTITY_COND = {
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


def _entity_rowids(conn, ent: Entity, filters: Filters, *, ordered: bool = True, limit: int | None = None) -> list[int]:
    """The docs rows an entity stands for, in catalogue order (``ordered``),
    else as the index gives them — from the index alone when nothing filters."""
    kind, cond = _ENTITY_COND[ent.kind]
    if filters.kinds and kind not in filters.kinds:
        return []
    if ordered:
        where, params = _where(filters)
        lo, hi = KIND_RANGES[KINDS.index(kind)]
        sql = (f"SELECT d.rowid FROM docs d JOIN plans p ON p.id = d.plan_id WHERE d.rowid >= ? AND d.rowid < ? "
               f"AND {cond.format(','.join('?' * len(ent.keys)))}{where} ORDER BY p.ord, d.rowid"
               + (f" LIMIT {int(limit)}" if limit else ""))
        params = [lo, hi, *ent.keys, *params]
    else:
        sql, params = _entity_units_sql(ent, filters)
    try:
        return [r[0] for r in conn.execute(sql, params)]
    except sqlite3.OperationalError:  # a database without that table (no national plan)
        return []


# --------------------------------------------------------------------------- search

def search(
    conn: sqlite3.Connection,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    segment: bool = True,
    fuzzy: bool = False,
    suggest: bool = True,
    related: bool = True,
    entities: bool = True,
    group_by: str | None = None,
) -> SearchResult:
    """Hits for ``query`` (see the module doc).  ``limit`` cuts the hits shown
    (per plan with ``group_by="plan"``); ``total`` counts them all.
    ``segment=False``, ``entities=False``, ``suggest=False``, ``related=False``
    turn the steps off; ``fuzzy=True`` searches the first suggestion."""
    from chengzhen.query.resolve import entities as find_entities

    filters = filters or Filters()
    normalized = query_text(query)
    terms = split_terms(normalized)
    if not terms:
        raise UsageError("empty query: give one or more words to search for")
    cut = None if group_by else limit
    tokens = list(dict.fromkeys(t for t in (user_tokens(conn, t) for t in terms) if t))
    if not tokens:
        literal = [user_fold(conn, t) for t in terms]
        rows, total, sql = _run_literal(conn, literal, filters, cut)
        res = SearchResult(query, literal, "exact" if rows else "none", [], total, sql=sql, normalized=normalized)
        return _finish(conn, res, rows, {}, limit, group_by, filters)

    ents = find_entities(conn, normalized) if entities else []
    rows, total, sql = _run(conn, tokens, filters, cut, count=not ents)
    full = total < 0  # the limit cut the exact hits (their total is not counted yet)
    seg: list[str] = []
    if segment and not _source_hits_at_least(conn, tokens, filters, rows, abs(total) if not full else len(rows) + 1,
                                             FEW):
        seg = _segmentation(conn, tokens) or []
    via: dict[int, tuple[str, str | None]] = {}
    res = SearchResult(query, tokens, "exact" if rows else "none", [], total, sql=sql, normalized=normalized)
    if ents and not seg:
        # the union is counted in SQL; only the entity units that will be shown are read
        total = _count_union(conn, res, tokens, ents, filters)
        res.total = total
        if not full:
            rows, via = _entity_rows(conn, rows, res.entities, filters, cut)
            if rows and res.mode == "none":
                res.mode = "entity"
    elif ents or seg:
        exact_ids = {r[8] for r in rows} if not full else _all_rowids(conn, tokens, filters)
        rows, total, via = _merge(conn, res, rows, len(exact_ids), tokens, ents, seg, filters, cut, exact_ids)
        res.total = total
    else:
        res.counts = {"exact": total} if total else {}

    if total == 0:
        if suggest:
            res.suggestions, res.suggestion_kind = _suggestions(conn, tokens, filters)
        if fuzzy and res.suggestions:
            alt = search(conn, res.suggestions[0], filters, limit=limit, segment=segment, suggest=False,
                         related=False, entities=False)
            for h in alt.hits:
                h.match, h.via = res.suggestion_kind, res.suggestions[0]
            res.suggested = alt.hits
        if related and len("".join(tokens)) >= RELATED_MIN_LEN:
            res.related = _related(conn, tokens, filters, min(limit or RELATED_MAX, RELATED_MAX))
        if res.suggestions:
            res.notes.append(f"no match for {query.strip()!r}; did you mean {' / '.join(res.suggestions)}?")
        elif res.related:
            res.notes.append(f"no unit holds {query.strip()!r} or all of its words; related units follow")
    return _finish(conn, res, rows, via, limit, group_by, filters)


def _finish(conn, res: SearchResult, rows: list, via: dict, limit: int | None, group_by: str | None,
            filters: Filters, match: str = "exact") -> SearchResult:
    if group_by == "plan":
        rows, res.groups = _group_rows(conn, rows, limit, filters)
    res.hits = _hits(conn, rows, match=match, via=via)
    return res


def _entity_rows(conn, rows: list, ents: list[Entity], filters: Filters,
                 limit: int | None) -> tuple[list, dict[int, tuple[str, str | None]]]:
    """The exact hits' rows followed by the entity units not among them, up
    to ``limit`` rows in all (catalogue order)."""
    seen = {r[8] for r in rows}
    via: dict[int, tuple[str, str | None]] = {}
    extra: list[int] = []
    for ent in ents:
        room = None if limit is None else limit - len(rows) - len(extra)
        if room is not None and room <= 0:
            break
        got = _entity_rowids(conn, ent, filters, limit=None if room is None else room + len(seen))
        for r in got:
            if r not in seen and (room is None or len(extra) < limit - len(rows)):
                seen.add(r)
                extra.append(r)
                via[r] = (ent.kind, ent.name)
    return list(rows) + _rows_by_rowid(conn, extra), via


def _entity_units_sql(ent: Entity, filters: Filters) -> tuple[str, list]:
    """A statement giving each unit of ``ent`` once, as column ``r`` (a docs
    rowid): from the entity's (name, doc) index alone when nothing filters,
    else through the docs rows and the filters."""
    kind, cond = _ENTITY_COND[ent.kind]
    if filters.kinds and kind not in filters.kinds:
        return "SELECT NULL AS r WHERE 0", []
    marks = ",".join("?" * len(ent.keys))
    if not filters_active(filters) and ent.kind in _ENTITY_DOCS:
        sql = _ENTITY_DOCS[ent.kind].format(marks)
        return (sql if len(ent.keys) == 1 else f"SELECT DISTINCT r FROM ({sql})"), list(ent.keys)
    where, params = _where(filters)
    lo, hi = KIND_RANGES[KINDS.index(kind)]
    return (f"SELECT d.rowid AS r FROM docs d WHERE d.rowid >= ? AND d.rowid < ? AND {cond.format(marks)}{where}",
            [lo, hi, *ent.keys, *params])


def _count_union(conn, res: SearchResult, tokens: list[str], ents: list[Entity], filters: Filters) -> int:
    """The number of exact hits and entity units together, in one pass over
    the full-text matches, when none of the entity units would be shown
    anyway; sets the counts, entities and notes of ``res``.  Entity *i*
    adds its units that are neither exact hits nor an earlier entity's:
    those units, less the exact hits among them (counted as the matches go
    by, each looked up in the entity's units)."""
    where, params = _where(filters)
    src = "docs_fts JOIN docs d ON d.rowid = docs_fts.rowid" if where else "docs_fts"
    units = [_entity_units_sql(ent, filters) for ent in ents]
    cols, sub, exists = ["count(*)"], [], []
    cparams: list = []
    sparams: list = []
    for i, (u_sql, u_params) in enumerate(units):
        earlier = "".join(f" AND {{r}} NOT IN ({e_sql})" for e_sql, _p in units[:i])
        earlier_params = [v for _s, p in units[:i] for v in p]
        cols.append(f"coalesce(sum(docs_fts.rowid IN ({u_sql}){earlier.format(r='docs_fts.rowid')}), 0)")
        cparams += u_params + earlier_params
        sub.append(f"(SELECT count(*) FROM ({u_sql}) u WHERE 1{earlier.format(r='u.r')})")
        sparams += u_params + earlier_params
        exists.append(f"EXISTS ({u_sql} LIMIT 1)")
    sql = f"SELECT {', '.join(cols + sub + exists)} FROM {src} WHERE docs_fts MATCH ?{where}"
    args = cparams + sparams + [v for _s, p in units for v in p] + [_match(tokens), *params]
    try:
        got = conn.execute(sql, args).fetchone()
    except sqlite3.OperationalError:  # a database without a table an entity needs (no national plan)
        got = None
    if got is None:
        n = conn.execute(f"SELECT count(*) FROM {src} WHERE docs_fts MATCH ?{where}",
                         [_match(tokens), *params]).fetchone()[0]
        res.counts = {"exact": n} if n else {}
        return n
    k = len(ents)
    counts = {"exact": got[0]} if got[0] else {}
    total = got[0]
    for i, ent in enumerate(ents):
        extra = got[1 + k + i] - got[1 + i]  # its new units, less the exact hits among them
        total += extra
        if extra:
            counts[ent.kind] = counts.get(ent.kind, 0) + extra
        if got[1 + 2 * k + i]:
            res.entities.append(ent)
            res.notes.append(f"{res.query.strip()!r} names the {ent.kind} {ent.name} ({ent.how}): its "
                             + ("targets" if ent.kind == "indicator" else "measures") + " are hits")
    res.counts = counts
    return total


def _merge(conn, res: SearchResult, rows: list, total: int, tokens: list[str], ents: list[Entity],
           seg: list[str], filters: Filters, limit: int | None,
           exact_ids: set[int] | None = None) -> tuple[list, int, dict]:
    """Exact hits, then entity hits, then segmented hits, without repeats;
    the total of their union."""
    if exact_ids is None:
        exact_ids = {r[8] for r in rows} if 0 <= total <= len(rows) else _all_rowids(conn, tokens, filters)
    counts = {"exact": len(exact_ids)} if exact_ids else {}
    via: dict[int, tuple[str, str | None]] = {}
    extra: list[int] = []  # entity rows not exact hits, in order
    seen = set(exact_ids)
    found_ents = []
    room = limit is None or len(rows) < limit  # will any entity hit be shown?
    for ent in ents:
        got = _entity_rowids(conn, ent, filters, ordered=room)
        if got:
            found_ents.append(ent)
        for r in got:
            if r not in seen:
                seen.add(r)
                extra.append(r)
                via[r] = (ent.kind, ent.name)
                counts[ent.kind] = counts.get(ent.kind, 0) + 1
    res.entities = found_ents  # an entity with no unit (under the filters) is not mentioned
    seg_rows: list = []
    if seg:
        seg_ids = _all_rowids(conn, seg, filters)
        new = seg_ids - seen
        if new:
            res.segments = seg
            counts["segmented"] = len(new)
            need = None if limit is None else limit + len(seen & seg_ids)
            ranked, _n, _sql = _run(conn, seg, filters, need, count=False)  # counted above
            for r in ranked:
                if r[8] in new:
                    seg_rows.append(r)
                    via[r[8]] = ("segmented", " + ".join(seg))
            seen |= new
            res.notes.append(f"{len(new)} segmented hit(s): units holding every word of "
                             + " + ".join(seg) + " (labelled segmented)")
    total = len(seen)
    out = list(rows)
    if limit is None or len(out) < limit:
        room = None if limit is None else limit - len(out)
        out += _rows_by_rowid(conn, extra[:room] if room is not None else extra)
    if seg_rows and (limit is None or len(out) < limit):
        room = None if limit is None else limit - len(out)
        out += seg_rows[:room] if room is not None else seg_rows
    res.counts = counts
    if not rows:
        res.mode = "entity" if extra else ("segmented" if seg_rows or res.segments else "none")
    for ent in found_ents:
        res.notes.append(f"{res.query.strip()!r} names the {ent.kind} {ent.name} ({ent.how}): its "
                         + ("targets" if ent.kind == "indicator" else "measures") + " are hits")
    return out, total, via


def _group_rows(conn, rows: list, limit: int | None, filters: Filters) -> tuple[list, list[dict]]:
    """Rows grouped by plan in catalogue order (at most ``limit`` each), and
    every plan searched with its number of hits (zeros included)."""
    plans = conn.execute("SELECT id, short_name FROM plans ORDER BY ord").fetchall()
    if filters.plans:
        plans = [p for p in plans if p[0] in filters.plans]
    by: dict[str, list] = {}
    for r in rows:
        by.setdefault(r[3], []).append(r)
    out: list = []
    groups = []
    for pid, name in plans:
        got = by.get(pid, [])
        groups.append({"plan": pid, "plan_name": name, "total": len(got),
                       "count": len(got) if not limit else min(limit, len(got))})
        out += got[:limit] if limit else got
    return out, groups


# --------------------------------------------------------------------------- lists

def list_units(conn: sqlite3.Connection, filters: Filters, *, limit: int | None = None,
               group_by: str | None = None) -> SearchResult:
    """Every unit the filters select (measures, unless kinds are given), in
    catalogue and document order: ``cz search --topic 住房保障`` with no words."""
    f = Filters(plans=filters.plans, topics=filters.topics, departments=filters.departments,
                kinds=filters.kinds or ["measure"], tasks=filters.tasks)
    where, params = _where(f)
    cut = None if group_by else limit
    sql = (_SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid")
           + f"WHERE 1{where} ORDER BY p.ord, d.rowid" + (f" LIMIT {int(cut)}" if cut else ""))
    rows = conn.execute(sql, params).fetchall()
    total = len(rows) if not cut or len(rows) < cut else conn.execute(
        f"SELECT count(*) FROM docs d WHERE 1{where}", params).fetchone()[0]
    res = SearchResult("", [], "list" if rows else "none", [], total, sql=sql,
                       counts={"list": total} if total else {})
    return _finish(conn, res, rows, {}, limit, group_by, filters, match="list")


# --------------------------------------------------------------------------- segmentation

def _is_phrase(tok: str) -> bool:
    return len(tok) >= 4 and any("\u3400" <= c <= "\u9fff" for c in tok)


def _segmentation(conn, tokens: list[str]) -> list[str] | None:
    """The words (two characters or more) every unspaced phrase is cut into,
    or None when no term is a phrase to cut or a cut would leave a single
    character (教育厅 is not 教育 + 厅)."""
    out: list[str] = []
    changed = False
    for tok in tokens:
        if not _is_phrase(tok) or tok in _vocab_in(conn, tok, whole=True):
            out.append(tok)
            continue
        words = _vocab_segment(conn, tok)
        if len(words) == 1 and len(tok) >= JIEBA_MIN_LEN:
            words = _segment(conn, tok)
        if len(words) < 2 or any(len(w) < 2 for w in words):
            out.append(tok)
            continue
        changed = True
        out.extend(words)
    return list(dict.fromkeys(out)) if changed else None


def _vocab_segment(conn, text: str) -> list[str]:
    """Cut ``text`` into words of the index vocabulary (two characters or more),
    preferring frequent words; [text] when it cannot be covered."""
    vocab = _vocab_in(conn, text)
    n = len(text)
    best: list[tuple[float, int] | None] = [None] * (n + 1)
    best[0] = (0.0, -1)
    for i in range(n):
        if best[i] is None:
            continue
        for k in range(2, min(12, n - i) + 1):
            got = vocab.get(text[i:i + k])
            if got:
                score = best[i][0] + math.log(got[0] + 1) + k  # fewer, longer words
                if best[i + k] is None or score > best[i + k][0]:
                    best[i + k] = (score, i)
    if best[n] is None:
        return [text]
    words, j = [], n
    while j > 0:
        i = best[j][1]
        words.append(text[i:j])
        j = i
    return words[::-1]


def _cover_words(conn, text: str) -> list[str]:
    """The corpus words (found in measures) that cover most of ``text``,
    skipping what no word covers: the words of a long pasted query."""
    vocab = _vocab_in(conn, text)
    n = len(text)
    # best[i] = (characters covered, -words) of text[:i]
    best: list[tuple[int, int, int, int]] = [(0, 0, -1, 0)] * (n + 1)  # covered, -words, prev, word length
    for i in range(n):
        cov, neg, _p, _k = best[i]
        if (cov, neg) > best[i + 1][:2]:
            best[i + 1] = (cov, neg, i, 0)
        for k in range(2, min(12, n - i) + 1):
            got = vocab.get(text[i:i + k])
            if got and got[1] > 0:
                cand = (cov + k, neg - 1, i, k)
                if cand[:2] > best[i + k][:2]:
                    best[i + k] = cand
    words, j = [], n
    while j > 0:
        _c, _n, i, k = best[j]
        if k:
            words.append(text[i:j])
        j = i
    return list(dict.fromkeys(words[::-1]))


def _terms(conn) -> tuple[str, ...]:
    """The vocabularies' names: the words the segmenter keeps whole (the same
    set the build segments with)."""
    return tuple(r[0] for r in conn.execute(
        "SELECT name FROM topic_names UNION SELECT name FROM indicator_names UNION SELECT name FROM department_names"))


def _segment(conn, text: str) -> list[str]:
    """The shared segmenter's cut (text/segment.py): jieba's dictionary, no
    HMM, the knowledge base's terms kept whole."""
    from chengzhen.text.segment import segmenter

    seg = segmenter(cached(conn, "terms", lambda: _terms(conn)))
    words = [w for w in (token_chars(x, simplify=False) for x in seg.cut(text)) if w]
    return words or [text]


VOCAB_WORD_MAX = 12  # the longest corpus word a phrase is cut into


def _vocab_in(conn, text: str, *, whole: bool = False) -> dict[str, tuple[int, int]]:
    """The words of the index vocabulary (two to twelve characters) that occur
    in ``text``, with (freq, df); ``whole``: only ``text`` itself.  Indexed
    look-ups for a short text; the whole vocabulary, read once, for a long one."""
    if whole:
        keys = [text]
    elif len(text) > 200:
        return _vocab_all(conn)
    else:
        keys = list({text[i:i + k] for i in range(len(text)) for k in range(2, VOCAB_WORD_MAX + 1)
                     if i + k <= len(text)})
    out: dict[str, tuple[int, int]] = {}
    for i in range(0, len(keys), 900):
        chunk = keys[i:i + 900]
        for word, freq, df in conn.execute(
                f"SELECT word, freq, df FROM vocab WHERE word IN ({','.join('?' * len(chunk))})", chunk):
            out[word] = (freq, df)
    return out


def _vocab_all(conn) -> dict[str, tuple[int, int]]:
    return cached(conn, "vocab_all", lambda: {w: (f, d) for w, f, d in conn.execute("SELECT word, freq, df FROM vocab")})


def _vocab_by_length(conn) -> dict[int, dict[str, tuple[int, int]]]:
    """The index vocabulary grouped by length: word -> (freq, df), read once per connection."""
    def read():
        got: dict[int, dict[str, tuple[int, int]]] = {}
        for word, freq, df in conn.execute("SELECT word, freq, df FROM vocab"):
            got.setdefault(len(word), {})[word] = (freq, df)
        return got
    return cached(conn, "vocab_by_length", read)


# --------------------------------------------------------------------------- suggestions

def _found(conn, tokens: list[str], filters: Filters) -> bool:
    if filters_active(filters):
        where, params = _where(filters)
        return conn.execute(f"SELECT 1 FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                            f"WHERE docs_fts MATCH ?{where} LIMIT 1", [_match(tokens), *params]).fetchone() is not None
    return conn.execute("SELECT 1 FROM docs_fts WHERE docs_fts MATCH ? LIMIT 1",
                        (_match(tokens),)).fetchone() is not None


def _toneless(tok: str) -> str:
    """Pinyin with tone marks as plain letters (zhèn -> zhen, lǜ -> lv)."""
    tok = tok.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")
    return "".join(c for c in unicodedata.normalize("NFD", tok) if not unicodedata.combining(c))


def _suggestions(conn, tokens: list[str], filters: Filters) -> tuple[list[str], str]:
    """Queries close to what was typed that do find something: each term
    without a hit of its own replaced by the closest word of the index (pinyin
    for latin letters).  Never hits; at most three."""
    kind = "fuzzy"
    plain = [_toneless(t) for t in tokens]
    if len(tokens) > 1 and all(p.isascii() and p.isalpha() for p in plain):
        # pinyin typed with spaces (laojiu xiaoqu): read as one word first
        joined = [c for c in _pinyin_candidates(conn, "".join(plain))
                  if _found(conn, [token_chars(c, simplify=False)], filters)]
        if joined:
            return joined[:3], "pinyin"
    options: list[list[str]] = []
    for tok in tokens:
        if _found(conn, [tok], filters):
            options.append([tok])
            continue
        plain = _toneless(tok)
        if plain.isascii() and plain.isalpha():
            kind = "pinyin"
            cands = _pinyin_candidates(conn, plain)
        elif len(tok) <= FUZZY_MAX_LEN:
            cands = _fuzzy_candidates(conn, tok)
        else:
            cands = []
        good: list[str] = []
        for cand in cands:
            key = token_chars(cand, simplify=False)
            if key and key != tok and _found(conn, [key], filters):
                good.append(cand)
                if len(good) == 3:
                    break
        if not good:
            return [], kind
        options.append(good)
    first = [o[0] for o in options]
    failing = [i for i, tok in enumerate(tokens) if options[i] != [tok]]
    out: list[str] = []
    for i in failing:
        for alt in options[i]:
            combo = first[:i] + [alt] + first[i + 1:]
            text = " ".join(combo)
            if text in out:
                continue
            if len(combo) == 1 or _found(conn, [token_chars(c, simplify=False) for c in combo], filters):
                out.append(text)
    return out[:3], kind


def _pinyin_candidates(conn, tok: str) -> list[str]:
    rows = conn.execute(
        "SELECT word FROM vocab WHERE pinyin = ? OR initials = ? ORDER BY (pinyin = ?) DESC, freq DESC, word LIMIT 10",
        (tok, tok, tok),
    ).fetchall()
    if rows:
        return [r[0] for r in rows]
    if len(tok) < 4:
        return []
    from rapidfuzz import fuzz, process

    choices = dict(conn.execute("SELECT word, pinyin FROM vocab WHERE length(pinyin) BETWEEN ? AND ?",
                                (len(tok) - 3, len(tok) + 3)))
    found = process.extract(tok, choices, scorer=fuzz.ratio, limit=5, score_cutoff=80)
    return [key for _val, _score, key in found]


def _fuzzy_candidates(conn, tok: str) -> list[str]:
    from rapidfuzz import fuzz, process

    n = len(tok)
    by_len = _vocab_by_length(conn)
    pool: dict[str, tuple[int, int]] = {}
    for k in range(max(2, n - 2), n + 3):
        pool.update(by_len.get(k, {}))
    found = process.extract(tok, list(pool), scorer=fuzz.ratio, limit=20, score_cutoff=60)
    found.sort(key=lambda m: (-m[1], abs(len(m[0]) - n), -pool[m[0]][0], m[0]))
    return [m[0] for m in found]


# --------------------------------------------------------------------------- related

RELATED_POOL = 60  # the best units by BM25 that are re-ranked by shared words


def _related(conn, tokens: list[str], filters: Filters, n: int) -> list[Hit]:
    """Measures sharing the most words of a long query: the best by BM25 over
    its corpus words (the rarest weigh most), ranked by how many of the words
    they share, then BM25.  Offered when nothing is a hit; never hits."""
    text = "".join(tokens)
    if len(_cover_words(conn, text)) < 2:
        return []
    vocab = _vocab_in(conn, text)
    # every corpus word in the query (交通运输 and 交通, 运输), where it stands
    spans: dict[str, set[int]] = {}
    for i in range(len(text)):
        for k in range(2, VOCAB_WORD_MAX + 1):
            w = text[i:i + k]
            if len(w) == k and vocab.get(w, (0, 0))[1] > 0:
                spans.setdefault(w, set()).update(range(i, i + k))
    words = sorted(spans, key=lambda w: (vocab[w][1], -len(w), w))[:RELATED_WORDS]  # the rarest first
    match = " OR ".join(phrase(w) for w in words)
    where, params = _where(filters)
    sql = (_SELECT.format(score="bm25(docs_fts, 4.0, 1.0)", in_title="0", source="docs_fts", rowid="docs_fts.rowid")
           + f"WHERE docs_fts MATCH ? AND d.kind = 'measure'{where} ORDER BY score, d.rowid LIMIT {RELATED_POOL}")
    hits = _hits(conn, conn.execute(sql, [match, *params]).fetchall(), match="related")
    covered: dict[int, int] = {}
    for h in hits:
        hay = token_chars(h.title + h.text, simplify=False)
        shared = [w for w in words if w in hay]
        covered[h.rowid] = len(set().union(*(spans[w] for w in shared))) if shared else 0
        h.via = " ".join(w for w in shared if not any(w != x and w in x for x in shared))
    hits.sort(key=lambda h: -covered[h.rowid])  # most of the query's characters shared; BM25 order within
    return hits[:n]


# --------------------------------------------------------------------------- raw FTS5

_FTS_TOKEN = re.compile(r'\s+|"(?:[^"]|"")*"|[()^*+,:]|[^\s"()^*+,:]+')


def translate_raw(conn: sqlite3.Connection, query: str) -> str:
    """An FTS5 query (AND / OR / NOT, parentheses, NEAR(…, N), title: / body:
    column filters, "strings") made to fit the one-character index: every
    word or string becomes the phrase of its characters.  Prefix ``*`` is
    dropped: over single characters a prefix means nothing."""
    out: list[str] = []
    parts = [m.group(0) for m in _FTS_TOKEN.finditer(query)]
    if "".join(parts) != query:
        raise CzError(f"FTS5 query error in {query!r}: unbalanced \"")
    prev = ""
    for n, t in enumerate(parts):
        nxt = next((x for x in parts[n + 1:] if not x.isspace()), "")
        if t.isspace():
            out.append(" ")
            continue
        if t in ("(", ")", ",", ":", "^", "+"):
            out.append(t)
        elif t == "*":
            pass
        elif t in ("AND", "OR", "NOT"):
            out.append(f" {t} ")
        elif t == "NEAR" and nxt == "(":
            out.append(t)
        elif t in ("title", "body") and nxt == ":":
            out.append(t)
        elif t.isdigit() and prev == ",":
            out.append(t)
        else:
            text = t[1:-1].replace('""', '"') if t.startswith('"') else t
            tok = user_tokens(conn, text)
            if tok:
                out.append(phrase(tok))
        prev = t
    return "".join(out).strip()


def raw_search(conn: sqlite3.Connection, query: str, filters: Filters | None = None,
               limit: int | None = None) -> SearchResult:
    """An FTS5 query for experts (boolean operators, NEAR, column filters),
    over the same index as :func:`search` (see :func:`translate_raw`)."""
    filters = filters or Filters()
    where, params = _where(filters)
    match = translate_raw(conn, query)
    if not match:
        raise UsageError(f"FTS5 query {query!r} has nothing to search for")
    sql = _SELECT.format(score="bm25(docs_fts, 1.0, 4.0)", in_title="0", source="docs_fts",
                         rowid="docs_fts.rowid") + \
        f"WHERE docs_fts MATCH ?{where} ORDER BY d.rowid >> {KIND_SHIFT}, score, d.rowid"
    try:
        rows = conn.execute(sql, [match, *params]).fetchall()
    except sqlite3.OperationalError as exc:
        raise CzError(f"FTS5 query error in {query!r} (as {match!r}): {exc}") from None
    total = len(rows)
    if limit:
        rows = rows[:limit]
    hits = _hits(conn, rows, match="exact")
    return SearchResult(query, [query], "raw" if hits else "none", hits, total, sql=sql, normalized=query,
                        counts={"exact": total} if total else {})
