"""The place vocabulary as the database holds it (``places``,
``place_names``, ``place_members``; store/geo.py): names, the hierarchy (a
county lies in its city and province), what a name names exactly, and the
parts and classes targets are set for.  Plain data, read once per
connection (a few thousand rows, whatever the number of plans); the
resolvers and filters are query/places.py's, the suggestions
query/place_suggest.py's.
"""

from __future__ import annotations

import re
import sqlite3

from chengzhen.query.cache import cached

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


def provinces(conn: sqlite3.Connection) -> set[str]:
    """The codes of the provinces."""
    return cached(conn, "places:provinces",
                  lambda: {c for (c,) in conn.execute("SELECT code FROM places WHERE level = 'province'")})


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


# the word a user writes for every plan's own region of a level (全省: each
# province plan's province)
LEVEL_WORDS = {"全省": "province", "全市": "city", "全县": "county"}


def lookup(conn: sqlite3.Connection, word: str) -> list[tuple[str, str]]:
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
            inner = [(k, r) for k, r in lookup(conn, word[len(name):]) if k == "place" and within(conn, r, code)]
            if inner:
                return inner
    return []


def parts_in_use(conn: sqlite3.Connection) -> dict[str, str]:
    """The parts (城区, 县城 …) and classes (乡村 …) targets are set for -> part | class."""
    def read() -> dict[str, str]:
        out: dict[str, str] = {}
        for part, klass in conn.execute("SELECT DISTINCT part, place_class FROM target_places "
                                        "WHERE part IS NOT NULL OR place_class IS NOT NULL"):
            if part:
                out.setdefault(part, "part")
            for k in (klass or "").split("、"):
                if k:
                    out.setdefault(k, "class")
        return out
    return cached(conn, "places:parts", read)


def split_codes(text: str | None) -> list[str]:
    return (text or "").split()


def split_named(text: str | None) -> list[str]:
    return [x for x in (text or "").split("、") if x]
