"""Places as the database holds them (``places``, ``place_names``,
``plan_places``, ``target_places``; store/geo.py): a name typed by a user
to a place, zone or named group; the hierarchy (a county lies in its city
and province); the plans set for a place or for places inside it.

Plain data, read per connection (the vocabulary is a few thousand rows,
whatever the number of plans).  A name names one thing or is an error: an
unknown word is :class:`UnknownName` with the closest names, an ambiguous
one (吉林: the province or the city) names its candidates.
"""

from __future__ import annotations

import re
import sqlite3

from chengzhen.errors import UsageError
from chengzhen.query.cache import cached
from chengzhen.query.resolve import blank, unknown

CODE = re.compile(r"^[0-9]{6}$")
NATION = "000000"


def parents(conn: sqlite3.Connection) -> dict[str, str | None]:
    """code -> the code of the place it lies in."""
    return cached(conn, "places:parents", lambda: dict(conn.execute("SELECT code, parent FROM places")))


def names(conn: sqlite3.Connection) -> dict[str, str]:
    """code -> full name."""
    return cached(conn, "places:names", lambda: dict(conn.execute("SELECT code, name FROM places")))


def names_of(conn: sqlite3.Connection, codes: set[str]) -> dict[str, str]:
    """code -> full name, for these codes only (a few, whatever the size of the vocabulary)."""
    out: dict[str, str] = {}
    codes_ = sorted(codes)
    for i in range(0, len(codes_), 900):
        chunk = codes_[i:i + 900]
        out.update(conn.execute(f"SELECT code, name FROM places WHERE code IN ({','.join('?' * len(chunk))})", chunk))
    return out


def ancestors(conn: sqlite3.Connection, code: str) -> list[str]:
    """The places above ``code``, nearest first (ending with 000000)."""
    up = parents(conn)
    out, seen = [], {code}
    p = up.get(code)
    while p and p not in seen:
        out.append(p)
        seen.add(p)
        p = up.get(p)
    return out


def within(conn: sqlite3.Connection, code: str, ancestor: str) -> bool:
    """``code`` is ``ancestor`` or lies inside it."""
    return code == ancestor or ancestor in ancestors(conn, code)


class Ambiguous(UsageError):
    """A name several places share (吉林: the province and the city)."""

    def __init__(self, kind: str, word: str, candidates: list[tuple[str, str]]):
        self.kind, self.word, self.candidates = kind, word, candidates  # (name, code)
        shown = ", ".join(f"{n} {c}" for n, c in candidates)
        super().__init__(f"ambiguous {kind} {word!r}: it names {shown}; give the full name or the code")


def _lookup(conn: sqlite3.Connection, word: str) -> list[tuple[str, str]]:
    """(kind, ref) pairs a name names exactly: a code, a full name before a
    short name or alias, a name written after its province (贵州省六盘水市)."""
    if CODE.match(word):
        return [("place", word)] if word in parents(conn) else []
    rows = conn.execute("SELECT kind, ref FROM place_names WHERE name = ?", (word,)).fetchall()
    full = [(k, r) for k, r in rows if k == "place" and names(conn).get(r) == word]
    if full:
        return full
    if rows:
        return [(k, r) for k, r in rows]
    # 贵州省六盘水市: the part after a province's name, inside that province
    for code, name in conn.execute("SELECT code, name FROM places WHERE level = 'province'"):
        if word.startswith(name) and len(word) > len(name):
            inner = [(k, r) for k, r in _lookup(conn, word[len(name):]) if k == "place" and within(conn, r, code)]
            if inner:
                return inner
    return []


def resolve_place(conn: sqlite3.Connection, word: str, kind: str = "place") -> dict:
    """``{"kind": place|zone|group, "ref": code, zone name or group id,
    "name": its name}`` for a name as typed.  ``kind`` names the argument in
    an error."""
    blank(kind, word)
    w = word.strip()
    found = _lookup(conn, w)
    if not found:
        choices = [r[0] for r in conn.execute(
            "SELECT n.name FROM place_names n LEFT JOIN places p ON p.code = n.ref "
            "WHERE n.kind != 'place' OR p.level IN ('national', 'province', 'city')")]
        raise unknown(kind, w, choices)
    if len(found) > 1:
        raise Ambiguous(kind, w, [(names(conn).get(r, r) if k == "place" else r, r) for k, r in found])
    k, ref = found[0]
    return {"kind": k, "ref": ref, "name": names(conn).get(ref, ref) if k == "place" else ref}


def plans_within(conn: sqlite3.Connection, code: str) -> list[str]:
    """The plans, in catalogue order, whose own place is ``code`` or lies inside it."""
    return [pid for pid, place in conn.execute(
        "SELECT p.id, pp.place FROM plans p JOIN plan_places pp ON pp.plan_id = p.id ORDER BY p.ord")
            if place and within(conn, place, code)]


def target_places(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict]:
    """target id -> where it is set (its ``target_places`` row)."""
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        cur = conn.execute(f"SELECT * FROM target_places WHERE target_id IN ({','.join('?' * len(chunk))})", chunk)
        cols = [d[0] for d in cur.description]
        for row in cur:
            r = dict(zip(cols, row))
            out[r["target_id"]] = r
    return out


def scope_holds(conn: sqlite3.Connection, where: dict, tp: dict | None) -> bool:
    """Is a target set (``tp``: its target_places row) in the place, zone or
    group ``where`` (from :func:`resolve_place`) — or somewhere inside it?"""
    if tp is None:
        return False
    if where["kind"] == "zone":
        return where["ref"] in (tp["zones"] or "").split("、")
    if where["kind"] == "group":
        return where["ref"] in (tp["groups"] or "").split("、")
    return any(within(conn, a, where["ref"]) for a in tp["anchors"].split())
