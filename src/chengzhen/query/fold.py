"""What a user typed, folded as the index is: traditional -> simplified by
the database's own character table (no OpenCC start-up on the query path),
full-width -> half-width, lower case."""

from __future__ import annotations

import sqlite3

from chengzhen.text.normalize import fold, is_cjk


def _t2s_map(conn: sqlite3.Connection, chars: set[str]) -> dict[str, str]:
    cjk = [c for c in chars if is_cjk(c)]
    if not cjk:
        return {}
    marks = ",".join("?" * len(cjk))
    return dict(conn.execute(f"SELECT trad, simp FROM t2s WHERE trad IN ({marks})", cjk))


def user_fold(conn: sqlite3.Connection, text: str) -> str:
    text = fold(text, simplify=False)
    mapping = _t2s_map(conn, set(text))
    return "".join(mapping.get(c, c) for c in text) if mapping else text


def user_tokens(conn: sqlite3.Connection, text: str) -> str:
    """The folded letters, digits and CJK characters of what a user typed."""
    return "".join(ch for ch in user_fold(conn, text) if ch.isalnum())
