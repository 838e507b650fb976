"""Resolve what a user typed to the names the database knows: plans, topics,
departments, indicators.  Unknown names raise :class:`UnknownName` with the
closest valid names ("did you mean qinghai?").  Returns plain data."""

from __future__ import annotations

import difflib
import sqlite3

from chengzhen.errors import UnknownName, UsageError
from chengzhen.query.fold import user_tokens
from chengzhen.text.tokens import token_chars


def _suggest(word: str, choices: list[str], n: int = 3) -> list[str]:
    word_l = word.lower()
    close = difflib.get_close_matches(word_l, [c.lower() for c in choices], n=n, cutoff=0.5)
    by_lower = {c.lower(): c for c in choices}
    out = [by_lower[c] for c in close]
    if not out:
        out = [c for c in choices if word_l and (word_l in c.lower() or c.lower() in word_l)][:n]
    if not out:
        try:
            from rapidfuzz import fuzz, process

            out = [m[0] for m in process.extract(word, choices, scorer=fuzz.WRatio, limit=n, score_cutoff=50)]
        except ImportError:  # pragma: no cover
            pass
    return out


def blank(kind: str, word: str | None) -> None:
    """An explicitly empty name is a mistake, not "no filter"."""
    if word is not None and not word.strip():
        raise UsageError(f"empty {kind} name")


def unknown(kind: str, word: str, choices: list[str]) -> UnknownName:
    return UnknownName(kind, word, _suggest(word, choices))


def resolve_plans(conn: sqlite3.Connection, words: list[str] | None) -> list[str]:
    """Plan ids for ids, short names (青海), regions (青海省) or full names."""
    if not words:
        return []
    out: list[str] = []
    table: dict[str, str] | None = None
    for word in words:
        blank("plan", word.replace(",", " "))
        for part in word.split(","):
            part = part.strip()
            if not part:
                continue
            # the usual case, an exact id or name, is one indexed look-up
            row = conn.execute(
                "SELECT id FROM plans WHERE id = ? OR short_name = ? OR region = ? OR name = ? ORDER BY ord LIMIT 1",
                (part.lower(), part, part, part)).fetchone()
            pid = row[0] if row else None
            if pid is None:
                if table is None:
                    table = _plan_table(conn)
                pid = table.get(part.lower()) or table.get(user_tokens(conn, part))
            if pid is None:
                rows = conn.execute("SELECT id, short_name FROM plans ORDER BY ord").fetchall()
                raise unknown("plan", part, [r[0] for r in rows] + [r[1] for r in rows])
            if pid not in out:
                out.append(pid)
    return out


def _plan_table(conn) -> dict[str, str]:
    """Every way of naming a plan, folded (traditional input, spacing, case)."""
    table: dict[str, str] = {}
    for pid, short, region, name in conn.execute("SELECT id, short_name, region, name FROM plans ORDER BY ord"):
        for key in (pid, short, region, name):
            if key:
                table.setdefault(key.lower(), pid)
                table.setdefault(token_chars(key, simplify=False), pid)
    return table


def resolve_topics(conn: sqlite3.Connection, words: list[str] | None, *, strict: bool = True) -> list[str]:
    """Topic names (with their children) for topic names or synonyms."""
    if not words:
        return []
    out: list[str] = []
    for word in words:
        blank("topic", word)
        topic = _lookup(conn, "topic_names", "topic", word)
        if topic is None:
            if not strict:
                return []
            names = [r[0] for r in conn.execute("SELECT name FROM topic_names")]
            raise unknown("topic", word, names)
        for t in [topic] + [r[0] for r in conn.execute("SELECT name FROM topics WHERE parent = ? ORDER BY ord", (topic,))]:
            if t not in out:
                out.append(t)
    return out


def resolve_departments(conn: sqlite3.Connection, words: list[str] | None) -> list[str]:
    """Canonical departments for names, aliases, or a distinctive part of one
    (住房城乡建设厅 finds 省住房城乡建设厅)."""
    if not words:
        return []
    out: list[str] = []
    for word in words:
        blank("department", word)
        found = _lookup(conn, "department_names", "department", word)
        matches = [found] if found else []
        if not matches:
            key = user_tokens(conn, word)
            if key:
                for name, dept in conn.execute("SELECT name, department FROM department_names"):
                    if key in token_chars(name, simplify=False) and dept not in matches:
                        matches.append(dept)
        if not matches:
            names = [r[0] for r in conn.execute("SELECT name FROM department_names")]
            raise unknown("department", word, names)
        out.extend(d for d in matches if d not in out)
    return out


def resolve_indicators(conn: sqlite3.Connection, word: str) -> list[str]:
    """Canonical indicators for a name, alias, or part of one (城镇化率 finds
    常住人口城镇化率 and the other urbanization rates); fuzzy as a last resort."""
    blank("indicator", word)
    found = _lookup(conn, "indicator_names", "indicator", word)
    if found:
        exact = [found]
    else:
        exact = []
    key = user_tokens(conn, word)
    partial: list[str] = []
    if key:
        for name, ind in conn.execute("SELECT name, indicator FROM indicator_names ORDER BY indicator"):
            if key in token_chars(name, simplify=False) and ind not in partial and ind not in exact:
                partial.append(ind)
    out = exact + partial
    if out:
        return out
    names = [r[0] for r in conn.execute("SELECT name FROM indicator_names")]
    try:
        from rapidfuzz import fuzz, process

        best = process.extract(word, names, scorer=fuzz.WRatio, limit=3, score_cutoff=75)
    except ImportError:  # pragma: no cover
        best = []
    if best:
        inds = []
        for name, _score, _i in best:
            ind = _lookup(conn, "indicator_names", "indicator", name)
            if ind and ind not in inds:
                inds.append(ind)
        return inds
    raise unknown("indicator", word, names)


def _lookup(conn, table: str, column: str, word: str) -> str | None:
    row = conn.execute(f"SELECT {column} FROM {table} WHERE name = ?", (word.strip(),)).fetchone()
    if row:
        return row[0]
    key = user_tokens(conn, word)
    if not key:
        return None
    for name, value in conn.execute(f"SELECT name, {column} FROM {table}"):
        if token_chars(name, simplify=False) == key:
            return value
    return None
