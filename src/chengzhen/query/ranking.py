"""Ranking: exact hits in the order docs/cli.md ("Ranked") defines.

Ranking walks tiers: hits in a title (measures, sections, annex rows, plan
titles), then the other hits (measures, sections, annex rows, plan titles,
targets).  A title hit's score is its title's length (the title closest to
what was typed first: what bm25 of the title gives when the words occur
once, without bm25's scan of every match for its weights); any other hit's
is bm25 over body and title (the title weighing 4×).  Within a tier the
score orders the first RANK_WINDOW hits in index order and any further hits
follow in index order, so the work of a cut search does not grow with the
corpus.
"""

from __future__ import annotations

from functools import lru_cache

from chengzhen.query.hits import Filters
from chengzhen.query.matching import ROWID, SELECT, TARGET_LO, count_matches, rows_by_rowid, where
from chengzhen.store.kinds import KIND_RANGES, KIND_SHIFT, KINDS
from chengzhen.text.tokens import phrase

RANK_WINDOW = 1000
BM25 = "bm25(docs_fts, 1.0, 4.0)"  # columns: body, title
_TITLE_SCORE = "length(d.title)"
_TITLED = [r for k, r in zip(KINDS, KIND_RANGES) if k != "target"]  # target rows have no title


def _window() -> int:
    return RANK_WINDOW


def tier_sql(w: str, *, in_title: bool, window: int | None, after: bool = False) -> str:
    """Hits of one tier (match, rowid range, filters) in index order: the
    first ``window`` of them by score, or (``after``) those past a rowid."""
    src = "docs_fts JOIN docs d ON d.rowid = docs_fts.rowid" if w or in_title else "docs_fts"
    lo = "docs_fts.rowid > ?" if after else "docs_fts.rowid >= ?"
    sql = (f"SELECT docs_fts.rowid AS r, {_TITLE_SCORE if in_title else BM25} AS s FROM {src} "
           f"WHERE docs_fts MATCH ? AND {lo} AND docs_fts.rowid < ?{w} ORDER BY docs_fts.rowid")
    if window is not None:
        sql = f"SELECT r, s FROM ({sql} LIMIT {int(window)}) ORDER BY s, r"
    return sql


def tiers(title_q: str, body_q: str) -> list[tuple[str, int, int, bool]]:
    """(match, lo, hi, in_title) of each ranking tier, in order."""
    rest_q = f"({body_q}) NOT ({title_q})"
    return ([(title_q, lo, hi, True) for lo, hi in _TITLED]
            + [(rest_q if k != "target" else body_q, lo, hi, False) for k, (lo, hi) in zip(KINDS, KIND_RANGES)])


def ranked(conn, title_q: str, body_q: str, limit: int, w: str = "",
           params: list | None = None) -> list[tuple[int, float, bool]]:
    """(rowid, score, in_title) in ranking order, tier by tier, stopping once
    ``limit`` rows are found: a tier costs at most RANK_WINDOW scored hits
    plus the rows taken after them."""
    params = params or []
    window = _window()
    picked: list[tuple[int, float, bool]] = []
    for q, lo, hi, in_title in tiers(title_q, body_q):
        need = limit - len(picked)
        if need <= 0:
            break
        cut = need <= window  # the window holds all this tier can give
        sql = tier_sql(w, in_title=in_title, window=window) + (f" LIMIT {need}" if cut else "")
        got = conn.execute(sql, (q, lo, hi, *params)).fetchall()
        picked += [(r, score, in_title) for r, score in got]
        if cut or len(got) < window:
            continue
        rest = tier_sql(w, in_title=in_title, window=None, after=True) + f" LIMIT {need - len(got)}"
        picked += [(r, score, in_title) for r, score in conn.execute(rest, (q, max(r for r, _s in got), hi,
                                                                            *params))]
    return picked


# bm25 with the body weighing nothing: not zero exactly where a phrase of
# the query occurs in the title (bm25 sums, phrase by phrase, a positive
# weight times the phrase's weighted count in the row).  For a query of one
# phrase that is "the title holds the query": the title tier, read in the
# statement that reads the rows, without a scan of the index of its own.
TITLE_WEIGHT_ONLY = "bm25(docs_fts, 0.0, 1.0)"


def ranked_rows(conn, phrases: list[str], w: str, params: list) -> list[tuple]:
    """Every hit as a result row (``matching.SELECT``), in the order
    :func:`ranked` walks them: every hit's row with its bm25 (a title hit's
    score is its title's length, ``len`` of the row's title).  With no limit
    every hit is read anyway, so the rows come with the scores, not after
    them.  Which hits are in a title: for one phrase, from
    :data:`TITLE_WEIGHT_ONLY` in the same statement; for several, from the
    title query's rowids."""
    body_q = " AND ".join(phrases)
    one = len(phrases) == 1
    titled: set[int] = set()
    if not one:
        title_q = "{title} : (" + body_q + ")"
        if w:
            titled = {r for (r,) in conn.execute(
                f"SELECT docs_fts.rowid FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid "
                f"WHERE docs_fts MATCH ? AND docs_fts.rowid < ?{w}", (title_q, TARGET_LO, *params))}
        else:  # no filter: the index alone
            titled = {r for (r,) in conn.execute("SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? AND rowid < ?",
                                                 (title_q, TARGET_LO))}
    by_tier: dict[tuple[bool, int], list[tuple]] = {}
    sql = _rows_sql(one) + f"WHERE docs_fts MATCH ?{w} ORDER BY docs_fts.rowid"
    for row in conn.execute(sql, (body_q, *params)):
        r = row[ROWID]
        if (row[10] if one else r in titled) and r < TARGET_LO:
            by_tier.setdefault((False, r >> KIND_SHIFT), []).append(row[:9] + (len(row[5]), True) + row[11:])
        else:
            by_tier.setdefault((True, r >> KIND_SHIFT), []).append(row[:10] + (False,) + row[11:])
    window = _window()
    out: list[tuple] = []
    for _key, rows in sorted(by_tier.items()):
        if len(rows) > 1:
            out += sorted(rows[:window], key=_score_rowid) + rows[window:]
        else:
            out += rows
    return out


@lru_cache(maxsize=2)
def _rows_sql(one: bool) -> str:
    return SELECT.format(score=BM25, in_title=TITLE_WEIGHT_ONLY if one else "0", source="docs_fts",
                         rowid="docs_fts.rowid")


def _score_rowid(row: tuple) -> tuple:
    return (row[9], row[ROWID])


def run(conn, terms_tokens: list[str], filters: Filters, limit: int | None,
        count: bool = True) -> tuple[list, int, str]:
    """Result rows for an AND of terms (token strings), ranked; the total
    (-1 when ``count`` is off and the limit cut the rows: the caller counts)."""
    phrases = [phrase(t) for t in terms_tokens]
    title_q = "{title} : (" + " AND ".join(phrases) + ")"
    body_q = " AND ".join(phrases)
    w, params = where(filters)
    sql = (tier_sql(w, in_title=False, window=_window())
           + f"  -- per tier: title hits ({title_q}), then the others ({body_q}), kind by kind")
    if not limit:
        rows = ranked_rows(conn, phrases, w, params)
        return rows, len(rows), sql
    picked = ranked(conn, title_q, body_q, limit, w, params)
    if len(picked) >= limit:
        total = count_matches(conn, body_q, filters) if count else -1
    else:
        total = len(picked)
    rows = rows_by_rowid(conn, [r[0] for r in picked], {r[0]: (r[1], r[2]) for r in picked}) if picked else []
    return rows, total, sql
