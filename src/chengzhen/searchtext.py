"""How text is cut for the search index — shared by the build and queries.

The index (``docs_fts``) holds every text *one character per token*:
``老旧小区`` is indexed as ``老 旧 小 区``.  A query becomes an FTS5 phrase of
its characters, so any substring of any length — one character, two, or a
whole sentence — matches exactly where it occurs in the normalized text.
There is no hole: no minimum length (trigram), no run-as-one-token
(unicode61), no dependence on how a segmenter cut the text (jieba).

Matching is on the stream of letters, digits and CJK characters:
punctuation and spaces separate nothing and match nothing, so quotes, ``*``,
``AND``, ``NEAR(``, ``:`` or ``^`` in a query are only text, never FTS syntax.
"""

from __future__ import annotations

from chengzhen.normalize import fold


# Rows of the search index are numbered by kind, in ranking order, so a query
# can walk one kind at a time and stop as soon as it has enough: the cost of
# the top 20 does not grow with the number of matches.
KIND_BASE = {"measure": 0, "section": 1 << 40, "annex": 2 << 40, "target": 3 << 40}
KIND_RANGES = [(base, base + (1 << 40)) for base in sorted(KIND_BASE.values())]


def is_token_char(ch: str) -> bool:
    return ch.isalnum()


def token_chars(text: str, *, simplify: bool = True) -> str:
    """The folded letters/digits/CJK characters of ``text``, nothing else."""
    return "".join(ch for ch in fold(text, simplify=simplify) if ch.isalnum())


def charsplit(text: str, *, simplify: bool = True) -> str:
    """Text as the index stores it: one token per character."""
    return " ".join(token_chars(text, simplify=simplify))


def phrase(chars: str) -> str:
    """An FTS5 phrase matching the characters in sequence (already folded)."""
    body = " ".join(chars).replace('"', '""')
    return f'"{body}"'


def _t2s_map(conn, chars: set[str]) -> dict[str, str]:
    cjk = [c for c in chars if "\u3400" <= c <= "\u9fff"]
    if not cjk:
        return {}
    marks = ",".join("?" * len(cjk))
    return dict(conn.execute(f"SELECT trad, simp FROM t2s WHERE trad IN ({marks})", cjk))


def user_fold(conn, text: str) -> str:
    """Fold what a user typed, traditional -> simplified by the database's
    character table (no OpenCC start-up on the query path)."""
    text = fold(text, simplify=False)
    mapping = _t2s_map(conn, set(text))
    return "".join(mapping.get(c, c) for c in text) if mapping else text


def user_tokens(conn, text: str) -> str:
    return "".join(ch for ch in user_fold(conn, text) if ch.isalnum())
