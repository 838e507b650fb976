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

import sqlite3
from dataclasses import dataclass, field

from chengzhen.errors import CzError, UsageError
from chengzhen.searchtext import phrase, token_chars, user_fold, user_tokens

KIND_LABELS = {"measure": "条目", "section": "章节", "target": "目标", "annex": "附件"}
# among equally placed hits, the texts themselves before the target rows drawn from them
KIND_RANK = "CASE d.kind WHEN 'measure' THEN 0 WHEN 'section' THEN 1 WHEN 'annex' THEN 2 ELSE 3 END"


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
    spans: list[tuple[int, int]] = field(default_factory=list)  # match positions in text

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "id": self.id, "plan": self.plan, "plan_name": self.plan_name,
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
    "SELECT d.kind, d.ref, d.plan_id, p.short_name, d.title, d.body, d.rowid, "
    "d.number, d.line, d.path, {score} AS score, {in_title} AS in_title "
    "FROM {source} JOIN docs d ON d.rowid = {rowid} "
    "JOIN plans p ON p.id = d.plan_id "
)


# A target row is drawn from its measure's text; it is listed on its own only
# when the measure itself does not match (e.g. the hit is in the indicator name).
_NOT_DUPLICATE = (
    " AND NOT (d.kind = 'target' AND d.ref IN (SELECT d2.ref FROM docs d2 WHERE d2.kind = 'measure' "
    "AND d2.rowid IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?)))"
)


def _fts_sql(n_terms: int, where: str, limit: int | None) -> str:
    match = " AND ".join(["?"] * n_terms)
    sql = _SELECT.format(
        score="bm25(docs_fts, 4.0, 1.0)",
        in_title="(d.rowid IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?))",
        source="docs_fts", rowid="docs_fts.rowid",
    ) + f"WHERE docs_fts MATCH ({match}){_NOT_DUPLICATE}{where} ORDER BY in_title DESC, {KIND_RANK}, score, d.rowid"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql


def _run(conn, terms_tokens: list[str], filters: Filters, limit: int | None) -> tuple[list, int, str]:
    """Rows for an AND of folded token strings."""
    phrases = [phrase(t) for t in terms_tokens]
    title_q = "{title} : (" + " AND ".join(phrases) + ")"
    body_q = " AND ".join(phrases)
    where, params = _where(filters)
    sql = _fts_sql(1, where, limit)
    rows = conn.execute(sql, [title_q, body_q, body_q, *params]).fetchall()
    if limit and len(rows) >= limit:
        total = conn.execute(
            f"SELECT count(*) FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?"
            f"{_NOT_DUPLICATE}{where}",
            [body_q, body_q, *params],
        ).fetchone()[0]
    else:
        total = len(rows)
    return rows, total, sql


def _run_literal(conn, needles: list[str], filters: Filters, limit: int | None) -> tuple[list, int, str]:
    """Terms with no letters or digits at all (a lone '*', '""'): plain substring scan."""
    where, params = _where(filters)
    cond = " AND ".join(["(instr(d.body, ?) > 0 OR instr(d.title, ?) > 0)"] * len(needles))
    sql = _SELECT.format(score="0.0", in_title="0", source="docs d0", rowid="d0.rowid") + \
        f"WHERE {cond}{where} ORDER BY d.rowid"
    args = [x for n in needles for x in (n, n)]
    rows = conn.execute(sql, [*args, *params]).fetchall()
    total = len(rows)
    if limit:
        rows = rows[:limit]
    return rows, total, sql


def _hits(conn, rows, tokens: list[str]) -> list[Hit]:
    out = []
    for kind, ref, plan, plan_name, title, body, _rowid, number, line, path, score, in_title in rows:
        out.append(Hit(
            kind=kind, id=ref, plan=plan, plan_name=plan_name, number=number, title=title or "",
            text=body or "", line=line, in_title=bool(in_title), score=float(score or 0.0),
            path=path or "",
        ))
    return out


def find_spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each folded token string occurs in ``text`` (original positions)."""
    if not text or not tokens:
        return []
    stream, where = [], []
    folded = token_chars  # noqa: F841 (documented below)
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
            return SearchResult(query, terms, "exact" if rows else "none", _hits(conn, rows, []), total, sql=sql)

    rows, total, sql = _run(conn, tokens, filters, limit)
    if rows:
        return SearchResult(query, tokens, "exact", _hits(conn, rows, tokens), total, sql=sql)

    # 2. segmentation of unspaced Chinese phrases
    if segment:
        seg_tokens: list[str] = []
        changed = False
        for tok in tokens:
            if len(tok) >= 3 and any("\u3400" <= c <= "\u9fff" for c in tok):
                words = _segment(conn, tok)
                if len(words) > 1:
                    changed = True
                seg_tokens.extend(words)
            else:
                seg_tokens.append(tok)
        seg_tokens = list(dict.fromkeys(seg_tokens))
        if changed:
            rows, total, sql = _run(conn, seg_tokens, filters, limit)
            if rows:
                return SearchResult(query, seg_tokens, "segmented", _hits(conn, rows, seg_tokens), total, sql=sql,
                                    note="no exact match; segmented into " + " + ".join(seg_tokens))

    # 3. pinyin, 4. fuzzy: replace each term that finds nothing on its own
    if fuzzy:
        replaced: list[str] = []
        suggestions: list[str] = []
        mode = "fuzzy"
        for tok in tokens:
            alone, _, _ = _run(conn, [tok], filters, 1)
            if alone:
                replaced.append(tok)
                continue
            cands = _pinyin_candidates(conn, tok) if tok.isascii() and tok.isalpha() else []
            if cands:
                mode = "pinyin"
            else:
                cands = _fuzzy_candidates(conn, tok)
            chosen = None
            for cand in cands:
                if _run(conn, [token_chars(cand, simplify=False)], filters, 1)[0]:
                    chosen = cand
                    break
            if chosen is None:
                return SearchResult(query, tokens, "none", [], 0, suggestions=[c for c in cands[:3]], sql=sql)
            suggestions.append(chosen)
            replaced.append(token_chars(chosen, simplify=False))
        if suggestions:
            rows, total, sql = _run(conn, replaced, filters, limit)
            if rows:
                return SearchResult(query, replaced, mode, _hits(conn, rows, replaced), total,
                                    suggestions=suggestions, sql=sql,
                                    note="no exact match; did you mean " + " ".join(suggestions) + "?")
    return SearchResult(query, tokens, "none", [], 0, sql=sql)


_JIEBA_READY: set[int] = set()


def _segment(conn, text: str) -> list[str]:
    """jieba's cut, with the knowledge base's own terms (topics and their
    synonyms, indicators, departments) as words, so 老旧小区 stays whole.
    The words are added once per process and database."""
    import logging

    import jieba

    if id(conn) not in _JIEBA_READY:
        jieba.setLogLevel(logging.WARNING)
        for (word,) in conn.execute(
                "SELECT name FROM topic_names UNION SELECT name FROM indicator_names "
                "UNION SELECT name FROM department_names"):
            if 2 <= len(word) <= 12 and word.isalnum():
                jieba.add_word(word, freq=200000)
        _JIEBA_READY.add(id(conn))
    words = [w for w in (token_chars(x, simplify=False) for x in jieba.lcut(text)) if w]
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


_VOCAB: dict[int, dict[int, dict[str, int]]] = {}


def _vocab_by_length(conn) -> dict[int, dict[str, int]]:
    """The index vocabulary grouped by length, read once per process."""
    got = _VOCAB.get(id(conn))
    if got is None:
        got = {}
        for word, freq in conn.execute("SELECT word, freq FROM vocab"):
            got.setdefault(len(word), {})[word] = freq
        _VOCAB[id(conn)] = got
    return got


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


def raw_search(conn: sqlite3.Connection, query: str, filters: Filters | None = None,
               limit: int | None = None) -> SearchResult:
    """Pass ``query`` to FTS5 unchanged, over the trigram index of measures."""
    filters = filters or Filters()
    where, params = _where(filters)
    sql = (
        "SELECT 'measure', m.id, m.plan_id, p.short_name, m.title, m.text, m.rowid, m.number, m.line, m.path, "
        "bm25(measures_fts, 4.0, 1.0) AS score, 0 FROM measures_fts JOIN measures m ON m.rowid = measures_fts.rowid "
        "JOIN plans p ON p.id = m.plan_id JOIN docs d ON d.kind = 'measure' AND d.ref = m.id "
        f"WHERE measures_fts MATCH ?{where} ORDER BY score, m.rowid"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    try:
        rows = conn.execute(sql, [query, *params]).fetchall()
    except sqlite3.OperationalError as exc:
        raise CzError(f"FTS5 query error in --raw query {query!r}: {exc}") from None
    hits = _hits(conn, rows, [])
    return SearchResult(query, [query], "raw" if hits else "none", hits, len(hits), sql=sql)
