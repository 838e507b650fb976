"""What a user typed, folded as the index is: traditional -> simplified by
the database's own character table (no OpenCC start-up on the query path),
full-width -> half-width, Roman numerals as letters, lower case."""

from __future__ import annotations

import sqlite3

from chengzhen.query.cache import cached
from chengzhen.text.normalize import fold, is_cjk
from chengzhen.text.pasted import strip_glosses
from chengzhen.text.tokens import folded_token_chars


def _t2s_map(conn: sqlite3.Connection, chars: set[str]) -> dict[str, str]:
    cjk = [c for c in chars if is_cjk(c)]
    if not cjk:
        return {}
    known: dict = cached(conn, "t2s", dict)  # char -> simplified (or itself), per connection
    missing = [c for c in cjk if c not in known]
    if missing:
        for i in range(0, len(missing), 900):
            chunk = missing[i:i + 900]
            found = dict(conn.execute(f"SELECT trad, simp FROM t2s WHERE trad IN ({','.join('?' * len(chunk))})",
                                      chunk))
            for c in chunk:
                known[c] = found.get(c, c)
    return {c: known[c] for c in cjk if known[c] != c}


def user_fold(conn: sqlite3.Connection, text: str) -> str:
    text = fold(text, simplify=False)
    mapping = _t2s_map(conn, set(text))
    return "".join(mapping.get(c, c) for c in text) if mapping else text


def user_tokens(conn: sqlite3.Connection, text: str) -> str:
    """What a user typed as the index compares it: the token string
    (``text/tokens.py``: letters, digits, CJK characters, numbers whole).
    Remembered per connection for the last few thousand texts: a query's
    terms and the name it may be are folded once, not once per use."""
    memo: dict = cached(conn, "user_tokens", dict)
    got = memo.get(text)
    if got is None:
        got = folded_token_chars(user_fold(conn, text))
        if len(memo) >= 4096:
            memo.clear()
        memo[text] = got
    return got


def name_key(conn: sqlite3.Connection, text: str) -> str:
    """A name as typed or pasted (省住房城鄉(xiāng)建設廳), folded for look-up."""
    return user_tokens(conn, strip_glosses(text))
