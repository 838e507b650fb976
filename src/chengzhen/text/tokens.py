"""How text is cut for the search index — shared by the build and queries.

The index (``docs_fts``) holds every text as a stream of *tokens*:

* every letter and CJK character is one token: ``老旧小区`` is indexed as
  ``老 旧 小 区``, so any substring of any length — one character, two, or a
  whole sentence — matches exactly where it occurs in the normalized text;
* a **number is one token, an atom**: its digits with the decimal points
  between them (``2.8``, ``5.69``, ``1.1.2``) and a sign written before it
  (``-2``); the marks that belong to a number are tokens of their own: a
  range mark between two numbers (``—`` ``–`` ``-`` ``~`` ``～`` ``至``, all
  ``~``), and a ``%`` or ``‰`` after one.  So ``28万户`` is ``28 万 户`` and
  never matches ``2.8万户`` (``2.8 万 户``); ``12个`` is ``12 个`` and never
  matches ``1—2个`` (``1 ~ 2 个``); ``5.69`` never matches ``569``; ``5%``
  never matches ``5个``.  A number typed without its unit matches the number
  with any unit (``28`` finds ``28万户``), as a word matches inside a
  longer phrase.

A query becomes an FTS5 phrase of the same tokens (:func:`phrase`).  There
is no hole: no minimum length (trigram), no run-as-one-token (unicode61),
no dependence on how a segmenter cut the text (jieba).  Punctuation and
spaces separate nothing and match nothing, so quotes, ``*``, ``AND``,
``NEAR(``, ``:`` or ``^`` in a query are only text, never FTS syntax.

The tokenizer of ``docs_fts`` (store/schema.sql) keeps ``. ~ % ‰ + -``
inside a token: they occur in the token stream only where this module puts
them.
"""

from __future__ import annotations

import re

from chengzhen.text.normalize import fold

# a range mark between two numbers: dashes, tildes, 至 (spaces around allowed)
RANGE_MARKS = "-—–―‒~〜～至"
_RANGE = re.compile(r"(?<=\d)[ \t]*(?:[-—–―‒~〜～]+|至)[ \t]*(?=\d)")
# private-use place holders while tokens are cut: a range mark, and what
# fills the rest of its span (so positions in the text stay where they were)
_RANGE_HOLD, _FILL = "\ue000", "\ue001"
# one token of folded text: a sign (not after a latin letter or digit: COVID-19
# has a hyphen, 增长-2% a sign), a number with its decimal points, a range
# mark, a percent sign after a number; or a run of letters/CJK characters,
# each of which is a token
_TOKEN = re.compile(r"(?<![0-9a-z.])[+\-\u2212](?=\d)|\d+(?:\.\d+)*|\ue000|(?<=\d)[%‰]|[^\W\d_]+")
# a token string (token_chars) cut back into its tokens
_SPLIT = re.compile(r"[+\-]?\d+(?:\.\d+)*|\S")


def _prepared(folded: str) -> str:
    """The folded text with its range marks held (same length)."""
    if _RANGE_HOLD in folded or _FILL in folded:
        folded = folded.replace(_RANGE_HOLD, _FILL)
    if not any(c.isdigit() for c in folded):
        return folded
    return _RANGE.sub(lambda m: _RANGE_HOLD + _FILL * (m.end() - m.start() - 1), folded)


def token_spans(folded: str) -> list[tuple[str, int, int]]:
    """The index tokens of text already folded (:func:`normalize.fold`),
    each with where it stands in that text (start, end)."""
    folded = _prepared(folded)
    out: list[tuple[str, int, int]] = []
    sign: tuple[str, int] | None = None
    for m in _TOKEN.finditer(folded):
        t = m.group(0)
        start = m.start()
        if t[0] in "+-\u2212":
            sign = ("+" if t == "+" else "-", start)
            continue
        if t[0].isdigit():
            if sign:  # the sign is followed by its number (the lookahead says so)
                t, start, sign = sign[0] + t, sign[1], None
            out.append((t, start, m.end()))
        elif t == _RANGE_HOLD:
            out.append(("~", start, start + 1))
        elif len(t) == 1:
            out.append((t, start, start + 1))
        else:
            out.extend((c, start + i, start + i + 1) for i, c in enumerate(t))
    return out


def tokens_of_folded(folded: str) -> list[str]:
    """The index tokens of text already folded (:func:`normalize.fold`)."""
    if not any(c.isdigit() for c in folded):
        return [c for c in folded if c.isalnum()]  # no number: every letter and CJK character
    out: list[str] = []
    sign = ""
    for t in _TOKEN.findall(_prepared(folded)):
        if t[0] in "+-\u2212":
            sign = "+" if t == "+" else "-"
        elif t[0].isdigit():
            out.append(sign + t)
            sign = ""
        elif t == _RANGE_HOLD:
            out.append("~")
        else:
            out.extend(t)
    return out


def join_tokens(tokens: list[str]) -> str:
    """Tokens as one string (what :func:`token_chars` returns): concatenated,
    with a space only where two numbers would otherwise run together
    (``1、2`` is ``1 2``, never ``12``)."""
    out: list[str] = []
    prev = ""
    for t in tokens:
        if prev and prev[-1].isdigit() and (t[0].isdigit() or t[0] in "+-"):
            out.append(" ")
        out.append(t)
        prev = t
    return "".join(out)


def token_chars(text: str, *, simplify: bool = True) -> str:
    """The folded text as the index compares it: its letters, digits and CJK
    characters, with the marks that belong to numbers (see the module doc)."""
    return folded_token_chars(fold(text, simplify=simplify))


def folded_token_chars(folded: str) -> str:
    """:func:`token_chars` of text already folded."""
    if not any(c.isdigit() for c in folded):
        return "".join(c for c in folded if c.isalnum())  # no number: the letters and CJK characters
    return join_tokens(tokens_of_folded(folded))


def split_tokens(chars: str) -> list[str]:
    """A token string (:func:`token_chars`) cut back into its tokens."""
    return _SPLIT.findall(chars)


def charsplit(text: str, *, simplify: bool = True) -> str:
    """Text as the index stores it: tokens separated by spaces."""
    return " ".join(tokens_of_folded(fold(text, simplify=simplify)))


def phrase(chars: str) -> str:
    """An FTS5 phrase matching the tokens of a token string in sequence
    (already folded: :func:`token_chars`)."""
    body = " ".join(split_tokens(chars)).replace('"', '""')
    return f'"{body}"'
