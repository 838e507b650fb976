"""Suggestions: what a search offers besides exact hits.

* **segmentation** — an unspaced phrase no unit holds whole, cut into words
  of the corpus (two characters or more; jieba for a long phrase the
  vocabulary cannot cover); never inside a number (2.8, 2028 stay whole);
* **did you mean** — the closest words of the index for a short term,
  Latin letters read as pinyin or initials (each suggestion once, however
  many scripts or aliases it has);
* **related** — for a long query nothing holds: the measures sharing most
  of its words (BM25 over the words).

None of these is a hit unless search.py says so (segmented hits are hits,
labelled); suggestions and related units are never counted.
"""

from __future__ import annotations

import math
import unicodedata

from chengzhen.query.cache import cached
from chengzhen.query.hits import Filters, Hit
from chengzhen.query.matching import SELECT, found, to_hits, where
from chengzhen.text.tokens import phrase, split_tokens, token_chars

# a term this short with no hit gets "did you mean" corrections; longer ones are phrases
FUZZY_MAX_LEN = 6
# jieba cuts a phrase the corpus vocabulary cannot cover only from this length on
JIEBA_MIN_LEN = 6
RELATED_WORDS = 16
RELATED_POOL = 60  # the best units by BM25 that are re-ranked by shared words
VOCAB_WORD_MAX = 12  # the longest corpus word a phrase is cut into


# --------------------------------------------------------------------------- segmentation

def _is_phrase(tok: str) -> bool:
    return len(tok) >= 4 and any("\u3400" <= c <= "\u9fff" for c in tok)


def _cuts_keep_numbers(tok: str, words: list[str]) -> bool:
    """Do these words cut ``tok`` only between its tokens (never inside a
    number: 20|28 is not a cut of 2028)?"""
    bounds, at = set(), 0
    for t in split_tokens(tok):
        at = tok.find(t, at) + len(t)
        bounds.add(at)
    at = 0
    for w in words[:-1]:
        at += len(w)
        if at not in bounds:
            return False
    return True


def segmentation(conn, tokens: list[str]) -> list[str] | None:
    """The words (two characters or more) every unspaced phrase is cut into,
    or None when no term is a phrase to cut or a cut would leave a single
    character (教育厅 is not 教育 + 厅) or split a number."""
    out: list[str] = []
    changed = False
    for tok in tokens:
        if not _is_phrase(tok) or " " in tok or tok in _vocab_in(conn, tok, whole=True):
            out.append(tok)
            continue
        words = _vocab_segment(conn, tok)
        if len(words) == 1 and len(tok) >= JIEBA_MIN_LEN:
            words = _segment(conn, tok)
        if len(words) < 2 or any(len(w) < 2 for w in words) or "".join(words) != tok \
                or not _cuts_keep_numbers(tok, words):
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


def _fuzzy_pool(conn, n: int) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """The words a term of ``n`` characters is compared with (two shorter to
    two longer), as a dict word -> (freq, df) and as a list, made once per
    connection and length: a `--stdin` run asks for the same few pools
    thousands of times."""
    def make():
        by_len = _vocab_by_length(conn)
        pool: dict[str, tuple[int, int]] = {}
        for k in range(max(2, n - 2), n + 3):
            pool.update(by_len.get(k, {}))
        return pool, list(pool)
    return cached(conn, f"fuzzy_pool:{n}", make)


# --------------------------------------------------------------------------- did you mean

def _numbers(tok: str) -> set[str]:
    """The numbers of a token string (text/tokens.py)."""
    return {t for t in split_tokens(tok) if t[-1].isdigit()}


def _toneless(tok: str) -> str:
    """Pinyin with tone marks as plain letters (zhèn -> zhen, lǜ -> lv)."""
    tok = tok.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")
    return "".join(c for c in unicodedata.normalize("NFD", tok) if not unicodedata.combining(c))


def suggestions(conn, tokens: list[str], filters: Filters) -> tuple[list[str], str]:
    """Queries close to what was typed that do find something: each term
    without a hit of its own replaced by the closest word of the index (pinyin
    for latin letters).  Never hits; at most three."""
    kind = "fuzzy"
    plain = [_toneless(t) for t in tokens]
    if len(tokens) > 1 and all(p.isascii() and p.isalpha() for p in plain):
        # pinyin typed with spaces (laojiu xiaoqu): read as one word first
        joined = [c for c in _pinyin_candidates(conn, "".join(plain))
                  if found(conn, [token_chars(c, simplify=False)], filters)]
        if joined:
            return joined[:3], "pinyin"
    options: list[list[str]] = []
    for tok in tokens:
        if found(conn, [tok], filters):
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
        seen: set[str] = set()
        numbers = _numbers(tok)
        for cand in cands:
            key = token_chars(cand, simplify=False)
            if numbers and not numbers <= _numbers(key):
                continue  # a correction keeps the term's numbers (28万户 is not 万户)
            if key and key != tok and token_chars(cand) not in seen and found(conn, [key], filters):
                seen.add(token_chars(cand))
                good.append(cand)
                if len(good) == 3:
                    break
        if not good:
            return [], kind
        options.append(good)
    first = [o[0] for o in options]
    failing = [i for i, tok in enumerate(tokens) if options[i] != [tok]]
    out: list[str] = []
    keys: set[tuple[str, ...]] = set()  # a suggestion once, whatever its script (省教育厅 = 省教育廳)
    for i in failing:
        for alt in options[i]:
            combo = first[:i] + [alt] + first[i + 1:]
            key = tuple(token_chars(c) for c in combo)
            if key in keys:
                continue
            if len(combo) == 1 or found(conn, [token_chars(c, simplify=False) for c in combo], filters):
                keys.add(key)
                out.append(" ".join(combo))
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
    close = process.extract(tok, choices, scorer=fuzz.ratio, limit=5, score_cutoff=80)
    return [key for _val, _score, key in close]


# look-ups on one connection after which the words a term is compared with
# are narrowed by an index of their characters: fuzz.ratio is 2 × (longest
# common subsequence) / (sum of the lengths), so a word sharing no character
# with the term scores 0, below any cutoff, and leaving it out changes no
# result (the words kept stay in their order, which breaks ties).  Building
# the index costs more than one comparison with every word: a stream of
# queries pays for it, a single command does not.
FUZZY_INDEX_AFTER = 8


def _char_index(words: list[str]) -> dict[str, list[int]]:
    """Each character -> the positions of the words holding it."""
    out: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        for c in set(w):
            out.setdefault(c, []).append(i)
    return out


def _fuzzy_candidates(conn, tok: str) -> list[str]:
    from rapidfuzz import fuzz, process

    n = len(tok)
    pool, words = _fuzzy_pool(conn, n)
    uses = cached(conn, "fuzzy_uses", lambda: [0])
    uses[0] += 1
    if uses[0] > FUZZY_INDEX_AFTER:  # a stream of queries: only the words that can score at all
        by_char = cached(conn, f"fuzzy_chars:{n}", lambda: _char_index(words))
        words = [words[i] for i in sorted({i for c in set(tok) for i in by_char.get(c, ())})]
    close = process.extract(tok, words, scorer=fuzz.ratio, limit=20, score_cutoff=60)
    close.sort(key=lambda m: (-m[1], abs(len(m[0]) - n), -pool[m[0]][0], m[0]))
    return [m[0] for m in close]


# --------------------------------------------------------------------------- related

def related_units(conn, tokens: list[str], filters: Filters, n: int) -> list[Hit]:
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
    cond, params = where(filters)
    sql = (SELECT.format(score="bm25(docs_fts, 4.0, 1.0)", in_title="0", source="docs_fts", rowid="docs_fts.rowid")
           + f"WHERE docs_fts MATCH ? AND d.kind = 'measure'{cond} ORDER BY score, d.rowid LIMIT {RELATED_POOL}")
    hits = to_hits(conn, conn.execute(sql, [match, *params]).fetchall(), match="related")
    covered: dict[int, int] = {}
    for h in hits:
        hay = token_chars(h.title + h.text, simplify=False)
        shared = [w for w in words if w in hay]
        covered[h.rowid] = len(set().union(*(spans[w] for w in shared))) if shared else 0
        h.via = " ".join(w for w in shared if not any(w != x and w in x for x in shared))
    hits.sort(key=lambda h: -covered[h.rowid])  # most of the query's characters shared; BM25 order within
    return hits[:n]


