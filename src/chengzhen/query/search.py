"""Full-text search over measures, sections, targets and annex rows.

Returns plain data (:class:`SearchResult`); never prints.  How it finds:

1. **exact** — every space-separated term must occur in the folded text
   (traditional -> simplified, case, full/half width).  Terms become FTS5
   phrases over the one-character-per-token index, so any length works.
2. **segmented** — no hit, and a term is an unspaced Chinese phrase: jieba
   cuts it into words that must all occur (老旧小区加装电梯 -> 老旧小区 加装 电梯).
   jieba is loaded only here.
3. **pinyin** — an all-latin term with no hit is read as pinyin or initials
   (laojiuxiaoqu, ljxq) against the index vocabulary.
4. **fuzzy** — still nothing: rapidfuzz finds the closest vocabulary words or
   titles (老旧小去 -> 老旧小区), and the result says "did you mean".

Ranking: hits in the title first, then bm25 (title weighted), then document order.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from chengzhen.errors import CzError, UsageError
from chengzhen.query.cache import cached
from chengzhen.query.fold import user_fold, user_tokens
from chengzhen.store.rows import KIND_RANGES, KIND_SHIFT, KINDS
from chengzhen.text.tokens import phrase, token_chars


@dataclass
class Hit:
    kind: str
    id: str
    plan: str
    plan_name: str
    number: str | None
    title: str
    text: str
    line: int | None
    in_title: bool
    score: float
    path: str = ""
    item: str | None = None  # the target id of a target hit
    spans: list[tuple[int, int]] = field(default_factory=list)  # match positions in text

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "id": self.id, "item": self.item, "plan": self.plan, "plan_name": self.plan_name,
            "number": self.number, "title": self.title, "path": self.path, "text": self.text,
            "line": self.line, "in_title": self.in_title, "score": round(self.score, 4),
        }


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    mode: str  # exact | segmented | pinyin | fuzzy | raw | none
    hits: list[Hit]
    total: int
    suggestions: list[str] = field(default_factory=list)
    sql: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "query": self.query, "mode": self.mode, "terms": self.terms, "total": self.total,
            "suggestions": self.suggestions, "note": self.note,
            "hits": [h.as_dict() for h in self.hits],
        }


@dataclass
class Filters:
    plans: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def filters_active(filters: Filters) -> bool:
    return bool(filters.plans or filters.topics or filters.departments or filters.kinds)


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
    if filters.topics:
        clauses.append(
            "d.ref IN (SELECT measure_id FROM measure_topics WHERE topic IN "
            f"({','.join('?' * len(filters.topics))}))"
        )
        params += filters.topics
    if filters.departments:
        clauses.append(
            "d.ref IN (SELECT measure_id FROM measure_departments WHERE department IN "
            f"({','.join('?' * len(filters.departments))}))"
        )
        params += filters.departments
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


_SELECT = (
    "SELECT d.kind, d.ref, d.item, d.plan_id, p.short_name, d.title, d.number, d.line, d.rowid, "
    "{score} AS score, {in_title} AS in_title "
    "FROM {source} JOIN docs d ON d.rowid = {rowid} "
    "JOIN plans p ON p.id = d.plan_id "
)

# docs rowids are numbered by kind, in ranking order (store/rows.py)
_RANGES = KIND_RANGES
_TITLED = [r for k, r in zip(KINDS, KIND_RANGES) if k != "target"]  # target rows have no title


def _fts_sql(where: str, limit: int | None) -> str:
    """One statement for a filtered search: join, rank, cut."""
    sql = _SELECT.format(
        score="bm25(docs_fts, 1.0, 4.0)",
        in_title="(d.rowid IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?))",
        source="docs_fts", rowid="docs_fts.rowid",
    ) + f"WHERE docs_fts MATCH ?{where} ORDER BY in_title DESC, d.rowid >> {KIND_SHIFT}, score, d.rowid"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql


_RANGE_SQL = ("SELECT rowid, bm25(docs_fts, 1.0, 4.0) AS s FROM docs_fts WHERE docs_fts MATCH ? "
              "AND rowid >= ? AND rowid < ? ORDER BY s, rowid")


def _ranked(conn, title_q: str, body_q: str, limit: int | None) -> list[tuple[int, float, bool]]:
    """(rowid, score, in_title) in ranking order, walking the index one kind
    at a time and stopping once ``limit`` rows are found."""
    picked: list[tuple[int, float, bool]] = []
    seen: set[int] = set()
    for lo, hi in _TITLED:  # hits in a title first
        if limit and len(picked) >= limit:
            return picked
        sql = _RANGE_SQL + (f" LIMIT {limit - len(picked)}" if limit else "")
        for rowid, score in conn.execute(sql, (title_q, lo, hi)):
            picked.append((rowid, score, True))
            seen.add(rowid)
    for lo, hi in _RANGES:  # then every other hit
        if limit and len(picked) >= limit:
            break
        already = sum(1 for r in seen if lo <= r < hi)
        sql = _RANGE_SQL + (f" LIMIT {limit - len(picked) + already}" if limit else "")
        for rowid, score in conn.execute(sql, (body_q, lo, hi)):
            if rowid not in seen:
                picked.append((rowid, score, False))
                if limit and len(picked) >= limit:
                    break
    return picked


def _exists(conn, tokens: list[str]) -> bool:
    q = " AND ".join(phrase(t) for t in tokens)
    return conn.execute("SELECT 1 FROM docs_fts WHERE docs_fts MATCH ? LIMIT 1", (q,)).fetchone() is not None


def _run(conn, terms_tokens: list[str], filters: Filters, limit: int | None) -> tuple[list, int, str]:
    """Rows for an AND of folded token strings."""
    phrases = [phrase(t) for t in terms_tokens]
    title_q = "{title} : (" + " AND ".join(phrases) + ")"
    body_q = " AND ".join(phrases)
    where, params = _where(filters)
    if where:
        sql = _fts_sql(where, limit)
        rows = conn.execute(sql, [title_q, body_q, *params]).fetchall()
        if limit and len(rows) >= limit:
            total = conn.execute(
                f"SELECT count(*) FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?{where}",
                [body_q, *params]).fetchone()[0]
        else:
            total = len(rows)
        return rows, total, sql
    picked = _ranked(conn, title_q, body_q, limit)
    if limit and len(picked) >= limit:
        total = conn.execute("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?", (body_q,)).fetchone()[0]
    else:
        total = len(picked)
    rows = []
    if picked:
        by = {}
        ids = [r[0] for r in picked]
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for row in conn.execute(
                    _SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid")
                    + f"WHERE d.rowid IN ({','.join('?' * len(chunk))})", chunk):
                by[row[8]] = row
        rows = [by[rowid][:9] + (score, in_title) for rowid, score, in_title in picked]
    sql = f"{_RANGE_SQL}  -- per kind range: title hits ({title_q}), then all hits ({body_q})"
    return rows, total, sql


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


def _hits(conn, rows) -> list[Hit]:
    """Hits for (kind, ref, item, plan, plan name, title, number, line, rowid,
    score, in_title) rows, with the text each shows: a measure's text, a
    target's quote, a section's title, an annex row's group and name."""
    refs = {k: [r[1] if k != "target" else r[2] for r in rows if r[0] == k] for k in KINDS}
    text: dict[tuple[str, str], tuple[str, str]] = {}

    def fetch(kind: str, sql: str, keys: list[str]):
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            for key, body, path in conn.execute(sql.format(",".join("?" * len(chunk))), chunk):
                text[(kind, key)] = (body or "", path or "")

    if refs["measure"]:
        fetch("measure", "SELECT id, text, path FROM measures WHERE id IN ({})", refs["measure"])
    if refs["target"]:
        fetch("target", "SELECT t.id, t.quote, m.path FROM targets t JOIN measures m ON m.id = t.measure_id "
                        "WHERE t.id IN ({})", refs["target"])
    out = []
    for kind, ref, item, plan, plan_name, title, number, line, _rowid, score, in_title in rows:
        if kind == "annex":
            body, path = "", ""
            got = conn.execute("SELECT group_name, name, annex_title FROM annex_rows WHERE annex_id = ? AND seq = ?",
                               (ref, int(item))).fetchone()
            if got:
                body, path = f"{got[0] or ''} {got[1]}".strip(), got[2]
        elif kind == "section":
            body, path = "", ""
        else:
            body, path = text.get((kind, ref if kind == "measure" else item), ("", ""))
        out.append(Hit(
            kind=kind, id=ref, plan=plan, plan_name=plan_name, number=number, title=title or "",
            text=body, line=line, in_title=bool(in_title), score=float(score or 0.0), path=path, item=item,
        ))
    return out


def find_spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each folded token string occurs in ``text`` (original positions)."""
    if not text or not tokens:
        return []
    stream, where = [], []
    for i, ch in enumerate(text):
        f = ch.lower()
        if len(f) == 1 and f.isalnum():
            stream.append(f)
            where.append(i)
        elif ch.isalnum():
            # full-width or multi-char folding: fold the single character
            for c in token_chars(ch, simplify=False):
                stream.append(c)
                where.append(i)
    joined = "".join(stream)
    spans = []
    for tok in tokens:
        if not tok:
            continue
        start = joined.find(tok)
        while start != -1:
            end = start + len(tok) - 1
            spans.append((where[start], where[end] + 1))
            start = joined.find(tok, start + len(tok))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    segment: bool = True,
    fuzzy: bool = True,
) -> SearchResult:
    filters = filters or Filters()
    terms = split_terms(query)
    if not terms:
        raise UsageError("empty query: give one or more words to search for")
    tokens = [user_tokens(conn, t) for t in terms]
    literal = [user_fold(conn, t) for t, tok in zip(terms, tokens) if not tok]
    tokens = [t for t in tokens if t]
    if literal:
        if tokens:
            # mixed: the punctuation-only terms add nothing to match on
            literal = []
        else:
            rows, total, sql = _run_literal(conn, literal, filters, limit)
            return SearchResult(query, terms, "exact" if rows else "none", _hits(conn, rows), total, sql=sql)

    rows, total, sql = _run(conn, tokens, filters, limit)
    if rows:
        return SearchResult(query, tokens, "exact", _hits(conn, rows), total, sql=sql)

    # 2. segmentation by the index's vocabulary (the words jieba found in the
    #    corpus at build time, and the vocabularies' names): no jieba start-up
    if segment:
        got = _try_segmented(conn, query, tokens, filters, limit, lambda t: _vocab_segment(conn, t))
        if got:
            return got
    # 3. pinyin and 4. fuzzy (short terms: a typo, not a phrase)
    if fuzzy:
        got = _try_fuzzy(conn, query, tokens, filters, limit)
        if got and got.hits:
            return got
        suggestions = got.suggestions if got else []
    else:
        suggestions = []
    # 5. jieba itself, for phrases with words the corpus does not have
    if segment:
        got = _try_segmented(conn, query, tokens, filters, limit, lambda t: _segment(conn, t))
        if got:
            return got
    return SearchResult(query, tokens, "none", [], 0, suggestions=suggestions[:3], sql=sql)


def _is_phrase(tok: str) -> bool:
    return len(tok) >= 3 and any("\u3400" <= c <= "\u9fff" for c in tok)


def _try_segmented(conn, query, tokens, filters, limit, cut) -> SearchResult | None:
    seg_tokens: list[str] = []
    changed = False
    for tok in tokens:
        words = cut(tok) if _is_phrase(tok) else [tok]
        changed = changed or len(words) > 1
        seg_tokens.extend(words)
    seg_tokens = list(dict.fromkeys(seg_tokens))
    if not changed:
        return None
    rows, total, sql = _run(conn, seg_tokens, filters, limit)
    if not rows:
        return None
    return SearchResult(query, seg_tokens, "segmented", _hits(conn, rows), total, sql=sql,
                        note="no exact match; segmented into " + " + ".join(seg_tokens))


FUZZY_MAX_LEN = 6  # longer terms are phrases to segment, not words to correct


def _try_fuzzy(conn, query, tokens, filters, limit) -> SearchResult | None:
    """Replace each term that finds nothing on its own by the closest word of
    the index (pinyin for latin letters)."""
    replaced: list[str] = []
    suggestions: list[str] = []
    mode = "fuzzy"
    for tok in tokens:
        if _found(conn, [tok], filters):
            replaced.append(tok)
            continue
        cands = _pinyin_candidates(conn, tok) if tok.isascii() and tok.isalpha() else []
        if cands:
            mode = "pinyin"
        elif len(tok) <= FUZZY_MAX_LEN:
            cands = _fuzzy_candidates(conn, tok)
        chosen = None
        for cand in cands:
            if _found(conn, [token_chars(cand, simplify=False)], filters):
                chosen = cand
                break
        if chosen is None:
            return SearchResult(query, tokens, "none", [], 0, suggestions=list(cands[:3]))
        suggestions.append(chosen)
        replaced.append(token_chars(chosen, simplify=False))
    if not suggestions:
        return None
    rows, total, sql = _run(conn, replaced, filters, limit)
    return SearchResult(query, replaced, mode, _hits(conn, rows), total, suggestions=suggestions, sql=sql,
                        note="no exact match; did you mean " + " ".join(suggestions) + "?")


def _found(conn, tokens: list[str], filters: Filters) -> bool:
    if filters_active(filters):
        return bool(_run(conn, tokens, filters, 1)[0])
    return _exists(conn, tokens)


def _vocab_segment(conn, text: str) -> list[str]:
    """Cut ``text`` into words of the index vocabulary (two characters or more),
    preferring frequent words; [text] when it cannot be covered."""
    import math

    by_len = _vocab_by_length(conn)
    n = len(text)
    best: list[tuple[float, int] | None] = [None] * (n + 1)
    best[0] = (0.0, -1)
    for i in range(n):
        if best[i] is None:
            continue
        for k in range(2, min(12, n - i) + 1):
            freq = by_len.get(k, {}).get(text[i:i + k])
            if freq:
                score = best[i][0] + math.log(freq + 1) + k  # fewer, longer words
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


def _vocab_by_length(conn) -> dict[int, dict[str, int]]:
    """The index vocabulary grouped by length, read once per connection."""
    def read():
        got: dict[int, dict[str, int]] = {}
        for word, freq in conn.execute("SELECT word, freq FROM vocab"):
            got.setdefault(len(word), {})[word] = freq
        return got
    return cached(conn, "vocab_by_length", read)


def _fuzzy_candidates(conn, tok: str) -> list[str]:
    from rapidfuzz import fuzz, process

    n = len(tok)
    by_len = _vocab_by_length(conn)
    freq: dict[str, int] = {}
    for k in range(max(1, n - 2), n + 3):
        freq.update(by_len.get(k, {}))
    found = process.extract(tok, list(freq), scorer=fuzz.ratio, limit=20, score_cutoff=60)
    found.sort(key=lambda m: (-m[1], abs(len(m[0]) - n), -freq[m[0]], m[0]))
    return [m[0] for m in found]


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
    if limit:
        sql += f" LIMIT {int(limit)}"
    try:
        rows = conn.execute(sql, [match, *params]).fetchall()
    except sqlite3.OperationalError as exc:
        raise CzError(f"FTS5 query error in {query!r} (as {match!r}): {exc}") from None
    hits = _hits(conn, rows)
    return SearchResult(query, [query], "raw" if hits else "none", hits, len(hits), sql=sql)
