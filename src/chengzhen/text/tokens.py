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

from chengzhen.text.normalize import fold


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
