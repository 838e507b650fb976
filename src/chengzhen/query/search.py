"""Full-text search over measures, sections, annexes, plan titles and targets.

Returns plain data (:class:`SearchResult`); never prints.  A *hit* is a unit
that holds what the user typed; everything else the search offers is
labelled, kept apart and never counted (docs/cli.md, "How search matches"):

1. **exact** — every space-separated term occurs in the unit's folded text
   (traditional -> simplified, case, full/half width, Roman numerals; a
   pasted outline number, 责任单位 label, pinyin gloss or stray space
   removed first, ``text/pasted.py``).  Terms become FTS5 phrases over the
   token index (``text/tokens.py``: one token per character, a number
   whole), so any length works and a number matches only itself.
2. **segmented** — when the exact hits in the source text are few (fewer
   than :data:`FEW`; hits only on labels we wrote — indicator names of
   target rows, restored headings — do not count), an unspaced phrase that
   is not itself a word of the corpus is cut into words of two characters
   or more, and the units holding every word are hits too, labelled
   *segmented* (``query/suggestions.py``).
3. **entities** — the whole query names a department, a plan, a topic, an
   indicator or a national task (``query/resolve.py``).  Its units that
   *name it themselves* are hits, labelled with it: a department's measures
   whose own 责任单位 clause names it, a plan's measures that write the
   plan's name.  Its other units are **related**: offered apart, labelled,
   never counted (``query/entities.py``).  ``expand=True`` (the user asked
   for the entity) makes all of them hits.
4. When nothing is a hit: **suggestions** (``did_you_mean``) and, for a long
   query, **related** units sharing its words.  Neither is a hit; with
   ``fuzzy=True`` the first suggestion is searched and its units returned
   as *suggested*.

Ranking (``query/ranking.py``): exact hits (in a title first, then measures
before sections, annex rows, plan titles and targets, then bm25, then
document order), then entity hits (index order: by plan, then document
order), then segmented hits (ranked as exact ones).  Related units follow
in index order.

The jobs live in modules named for them: ``hits`` (the result model),
``matching`` (FTS matches, filters, rows -> hits), ``ranking``,
``entities`` and ``suggestions``; this module puts them together and keeps
the names callers import (``search``, ``list_units``, ``raw_search``,
``translate_raw``, ``Filters``, ``Hit``, ``SearchResult``).
"""

from __future__ import annotations

import heapq
import re
import sqlite3

from chengzhen.errors import CzError, UsageError
from chengzhen.query import entities as E
from chengzhen.query import ranking
from chengzhen.query.fold import user_fold, user_tokens
from chengzhen.query.hits import (ENTITY_MATCHES, HIT_MATCHES, OFFERED_MATCHES, Filters, Hit,  # noqa: F401 (re-exported)
                                  SearchResult, filters_active)
from chengzhen.query.matching import (ROWID, SELECT, all_rowids, match_expr, restored_among,  # noqa: F401 (restored_among re-exported)
                                      rows_by_rowid, run_literal, source_hits_at_least, to_hits, where)
from chengzhen.query.suggestions import related_units, segmentation, suggestions
from chengzhen.store.kinds import KIND_SHIFT
from chengzhen.text.pasted import query_text
from chengzhen.text.tokens import phrase

# below this many exact hits in the source text, segmented hits are added
FEW = 20
# a query this long (characters) with no hit gets related units
RELATED_MIN_LEN = 8
RELATED_MAX = 10


def split_terms(query: str) -> list[str]:
    return [t for t in query.split() if t]


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
    expand: bool = False,
    group_by: str | None = None,
) -> SearchResult:
    """Hits for ``query`` (see the module doc).  ``limit`` cuts the hits shown
    (per plan with ``group_by="plan"``) and the related units shown;
    ``total`` counts every hit, ``related_total`` every related unit.
    ``segment=False``, ``entities=False``, ``suggest=False``,
    ``related=False`` turn the steps off; ``expand=True`` counts the units
    of an entity the query names as hits; ``fuzzy=True`` searches the first
    suggestion."""
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
        rows, total, sql = run_literal(conn, literal, filters, cut)
        res = SearchResult(query, literal, "exact" if rows else "none", [], total, sql=sql, normalized=normalized,
                           counts={"exact": total} if total else {})
        return _finish(conn, res, rows, {}, [], limit, group_by, filters)

    ents = find_entities(conn, normalized) if entities else []
    units = E.entity_units(conn, ents, filters, expand=expand) if ents else []
    rows, total, sql = ranking.run(conn, tokens, filters, cut, count=not units)  # with units: counted as a set
    seg: list[str] = []
    if segment:
        counted = total if total >= 0 else len(rows) + 1  # -1: the limit cut the exact hits
        if not source_hits_at_least(conn, tokens, filters, rows, counted, FEW):
            seg = segmentation(conn, tokens) or []
    res = SearchResult(query, tokens, "exact" if rows else "none", [], total, sql=sql, normalized=normalized)
    res.expanded = expand
    via: dict[int, tuple[str, str | None, bool]] = {}
    related_rows: list = []
    if units or seg:
        rows, via, related_rows = _merged(conn, res, rows, total, tokens, units, seg, filters, cut)
    else:
        res.counts = {"exact": total} if total else {}
    _entity_notes(res, units)

    if res.total == 0:
        if suggest:
            res.suggestions, res.suggestion_kind = suggestions(conn, tokens, filters)
        if fuzzy and res.suggestions:
            alt = search(conn, res.suggestions[0], filters, limit=limit, segment=segment, suggest=False,
                         related=False, entities=False)
            for h in alt.hits:
                h.match, h.via, h.hit = res.suggestion_kind, res.suggestions[0], False
            res.suggested = alt.hits
        if res.suggestions:
            res.notes.append(f"no match for {query.strip()!r}; did you mean {' / '.join(res.suggestions)}?")
    res = _finish(conn, res, rows, via, related_rows, limit, group_by, filters)
    if res.total == 0 and related and len("".join(tokens)) >= RELATED_MIN_LEN:
        # at most RELATED_MAX units sharing the query's words, after the entity's (none of them twice)
        offered = set(via)
        more = [h for h in related_units(conn, tokens, filters, RELATED_MAX) if h.rowid not in offered]
        res.related = (res.related + more)[:limit] if limit else res.related + more
        res.related_total += len(more)
        if more:
            res.related_counts["related"] = len(more)
            if not res.suggestions:
                res.notes.append(f"no unit holds {query.strip()!r} or all of its words; related units follow")
    return res


def _finish(conn, res: SearchResult, rows: list, via: dict, related_rows: list, limit: int | None,
            group_by: str | None, filters: Filters, match: str = "exact") -> SearchResult:
    if group_by == "plan":
        rows, res.groups = _group_rows(conn, rows, limit, filters)
    res.hits = to_hits(conn, rows, match=match, via=via)
    res.related = to_hits(conn, related_rows, via=via, hit=False) if related_rows else []
    return res


def _label(units: E.Units, is_hit: bool) -> tuple[str, str, bool]:
    return (units.entity.kind, units.entity.name, is_hit)


def _merged(conn, res: SearchResult, rows: list, total: int, tokens: list[str], units: list[E.Units],
            seg: list[str], filters: Filters, cut: int | None) -> tuple[list, dict, list]:
    """Hits and related units as sets: the exact hits, then the entity units
    that are hits, then the segmented hits; then the entity units offered as
    related — each group in index order (by plan, then document order).
    Of the exact hits only those among the entities' units are needed (with
    their number): one pass over the index gives both, so a cut search reads
    no more than it shows.  Sets the counts and the totals; returns the hit
    rows (cut), the labels, the related rows (cut)."""
    sizes: list[int] | None = None
    if 0 <= total <= len(rows):  # every exact hit is among the rows
        exact_ids = {r[ROWID] for r in rows}
        n_exact = len(exact_ids)
    elif seg:  # few exact hits (that is when a phrase is cut): read them all
        exact_ids = all_rowids(conn, tokens, filters)
        n_exact = len(exact_ids)
    else:  # one pass over the matches: their number, and those among the entities' units
        n_exact, inside, sizes = E.exact_among_units(conn, match_expr(tokens), filters,
                                                     [(u.all_sql, u.all_params) for u in units])
        exact_ids = set().union(*inside)
        if len(units) == 1:
            return _one_entity(conn, res, rows, units[0], n_exact, inside[0], sizes[0], cut)
    counts = {"exact": n_exact} if n_exact else {}
    via: dict[int, tuple[str, str | None, bool]] = {}
    seen = set(exact_ids)  # the exact hits, or (counted) those an entity's units hold: all the sets below meet
    members: dict[int, set[int]] = {}
    for k, u in enumerate(units):
        if sizes is not None and len(inside[k]) == sizes[k]:
            members[id(u)] = inside[k]  # every unit of the entity is an exact hit: nothing more to read
        else:
            members[id(u)] = E.read_set(conn, u.all_sql, u.all_params)

    def first(ids: set[int], n: int | None) -> list[int]:
        return sorted(ids) if n is None else heapq.nsmallest(n, ids)

    room = None if cut is None else max(0, cut - len(rows))
    named: list[int] = []
    for u in units:
        new = members[id(u)] - seen
        if new:  # its units the words left out: those that name it themselves are hits
            new = E.hit_units(conn, u, new)
        if not new:
            continue
        seen |= new
        counts[u.entity.kind] = counts.get(u.entity.kind, 0) + len(new)
        shown = first(new, None if room is None else room - len(named))
        named += shown
        via.update((r, _label(u, True)) for r in shown)
    seg_rows: list = []
    if seg:
        seg_ids = all_rowids(conn, seg, filters)
        new = seg_ids - seen
        if new:
            res.segments = seg
            counts["segmented"] = len(new)
            need = None if cut is None else cut + len(seen & seg_ids)
            ranked_rows, _n, _sql = ranking.run(conn, seg, filters, need, count=False)  # counted above
            for r in ranked_rows:
                if r[ROWID] in new:
                    seg_rows.append(r)
                    via[r[ROWID]] = ("segmented", " + ".join(seg), True)
            seen |= new
            res.notes.append(f"{len(new)} segmented hit(s): units holding every word of "
                             + " + ".join(seg) + " (labelled segmented)")
    res.total = n_exact + sum(n for k, n in counts.items() if k != "exact")
    rel: list[int] = []
    rel_counts: dict[str, int] = {}
    for u in units:
        new = members[id(u)] - seen
        if not new:
            continue
        seen |= new
        rel_counts[u.entity.kind] = rel_counts.get(u.entity.kind, 0) + len(new)
        shown = first(new, None if cut is None else cut - len(rel))
        rel += shown
        via.update((r, _label(u, False)) for r in shown)
    out = list(rows)
    if cut is None or len(out) < cut:
        out += rows_by_rowid(conn, named[:room] if room is not None else named)
    if seg_rows and (cut is None or len(out) < cut):
        left = None if cut is None else cut - len(out)
        out += seg_rows[:left] if left is not None else seg_rows
    res.counts = counts
    res.related_total, res.related_counts = sum(rel_counts.values()), rel_counts
    if not rows:
        res.mode = "entity" if named else ("segmented" if seg_rows or res.segments else "none")
    return out, via, rows_by_rowid(conn, rel)


def _one_entity(conn, res: SearchResult, rows: list, u: E.Units, n_exact: int, inside: set[int], size: int,
                cut: int) -> tuple[list, dict, list]:
    """:func:`_merged` under a limit for one entity, reading no more of its
    units than are shown: its units that are not exact hits are counted from
    their number (``size`` less ``inside``, the exact hits among them) and
    the few whose status is not the rest's (``odd``), and the rest are read
    one by one from its index, in index order, only as far as shown."""
    odd = E.read_set(conn, u.odd_sql, u.odd_params) - inside
    n_rest = size - len(inside) - len(odd)
    n_hit, n_rel = (n_rest, len(odd)) if u.rest_hit else (len(odd), n_rest)
    kind = u.entity.kind
    res.total = n_exact + n_hit
    res.counts = {k: n for k, n in (("exact", n_exact), (kind, n_hit)) if n}
    res.related_total, res.related_counts = n_rel, ({kind: n_rel} if n_rel else {})
    room = max(0, cut - len(rows))

    def rest(n: int) -> list[int]:
        got: list[int] = []
        if n > 0 and n_rest:
            for (r,) in conn.execute(f"SELECT r FROM ({u.all_sql}) ORDER BY r", u.all_params):
                if r not in inside and r not in odd:
                    got.append(r)
                    if len(got) >= n:
                        break
        return got

    named = rest(room) if u.rest_hit else heapq.nsmallest(room, odd)
    rel = heapq.nsmallest(cut, odd) if u.rest_hit else rest(cut)
    via = {r: _label(u, True) for r in named}
    via.update((r, _label(u, False)) for r in rel)
    if not rows:
        res.mode = "entity" if named else "none"
    return list(rows) + rows_by_rowid(conn, named), via, rows_by_rowid(conn, rel)


def _entity_notes(res: SearchResult, units: list[E.Units]) -> None:
    q = res.query.strip()
    for u in units:
        ent = u.entity
        n_hit, n_rel = res.counts.get(ent.kind, 0), res.related_counts.get(ent.kind, 0)
        res.entities.append(ent)
        what = "targets" if ent.kind == "indicator" else "measures"
        if res.expanded:
            res.notes.append(f"{q!r} names the {ent.kind} {ent.name} ({ent.how}): its {what} are hits (expanded)")
            continue
        said = []
        if n_hit:
            said.append(f"{n_hit} of its {what} that name it themselves are hits")
        if n_rel:
            said.append(f"{n_rel} other {what} of it are offered as related units, not hits (--expand counts them)")
        if not said:
            said.append(f"every one of its {what} holds what was typed")
        res.notes.append(f"{q!r} names the {ent.kind} {ent.name} ({ent.how}): " + "; ".join(said))


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
    w, params = where(f)
    cut = None if group_by else limit
    sql = (SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid")
           + f"WHERE 1{w} ORDER BY p.ord, d.rowid" + (f" LIMIT {int(cut)}" if cut else ""))
    rows = conn.execute(sql, params).fetchall()
    total = len(rows) if not cut or len(rows) < cut else conn.execute(
        f"SELECT count(*) FROM docs d WHERE 1{w}", params).fetchone()[0]
    res = SearchResult("", [], "list" if rows else "none", [], total, sql=sql,
                       counts={"list": total} if total else {})
    return _finish(conn, res, rows, {}, [], limit, group_by, filters, match="list")


# --------------------------------------------------------------------------- raw FTS5

_FTS_TOKEN = re.compile(r'\s+|"(?:[^"]|"")*"|[()^*+,:]|[^\s"()^*+,:]+')


def translate_raw(conn: sqlite3.Connection, query: str) -> str:
    """An FTS5 query (AND / OR / NOT, parentheses, NEAR(…, N), title: / body:
    column filters, "strings") made to fit the token index: every word or
    string becomes the phrase of its tokens.  Prefix ``*`` is dropped: over
    single characters a prefix means nothing."""
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
    w, params = where(filters)
    match = translate_raw(conn, query)
    if not match:
        raise UsageError(f"FTS5 query {query!r} has nothing to search for")
    sql = SELECT.format(score="bm25(docs_fts, 1.0, 4.0)", in_title="0", source="docs_fts",
                        rowid="docs_fts.rowid") + \
        f"WHERE docs_fts MATCH ?{w} ORDER BY d.rowid >> {KIND_SHIFT}, score, d.rowid"
    try:
        rows = conn.execute(sql, [match, *params]).fetchall()
    except sqlite3.OperationalError as exc:
        raise CzError(f"FTS5 query error in {query!r} (as {match!r}): {exc}") from None
    total = len(rows)
    if limit:
        rows = rows[:limit]
    hits = to_hits(conn, rows, match="exact")
    return SearchResult(query, [query], "raw" if hits else "none", hits, total, sql=sql, normalized=query,
                        counts={"exact": total} if total else {})
