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

from chengzhen.errors import UnknownName, UsageError, blank
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


def N_(message: str) -> str:
    """A message for the catalogue (tools/i18n.py extracts it; the CLI says it translated)."""
    return message


_AMBIGUOUS = N_("ambiguous {0} {1}: it names {2}; give the full name or the code")


class Ambiguous(UsageError):
    """A name several places share (吉林: the province and the city)."""

    def __init__(self, kind: str, word: str, candidates: list[tuple[str, str]]):
        self.kind, self.word, self.candidates = kind, word, candidates  # (name, code)
        shown = ", ".join(f"{n} {c}" for n, c in candidates)
        super().__init__(_AMBIGUOUS.format(kind, repr(word), shown))

    def zh(self) -> str:
        """The line a Chinese page shows (the web's words; the CLI translates the message)."""
        return f"“{self.word}”可指多个地方：" + "、".join(f"{n}（{c}）" for n, c in self.candidates) + "；请写全称或代码"


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


_RANK = {"national": 0, "province": 1, "city": 2, "county": 3}


def suggest(conn: sqlite3.Connection, word: str, n: int = 3) -> list[str]:
    """The names closest to a mistyped place (贵洲 → 贵州): fewest edits
    first, then the larger place; every place, zone and group name, the
    parts and classes in use and the level words are candidates."""
    from rapidfuzz.distance import Levenshtein

    def read() -> list[tuple[str, int]]:
        rank = {c: _RANK.get(lv, 4) for c, lv in conn.execute("SELECT code, level FROM places")}
        out: dict[str, int] = {}
        for name, ref, kind in conn.execute("SELECT name, ref, kind FROM place_names"):
            r = rank.get(ref, 4) if kind == "place" else 2
            out[name] = min(out.get(name, 9), r)
        for name in list(parts_in_use(conn)) + list(LEVEL_WORDS):
            out.setdefault(name, 2)
        return sorted(out.items())
    choices = cached(conn, "places:choices", read)
    limit = max(1, len(word) // 3)
    scored = []
    for name, rank in choices:
        d = Levenshtein.distance(word, name, score_cutoff=limit)
        if d <= limit:
            scored.append((d, rank, abs(len(name) - len(word)), name))
    return [s[3] for s in sorted(scored)[:n]]


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


def _folded(conn: sqlite3.Connection, word: str) -> str:
    """A name as typed, or folded as search folds names (鍾山區 → 钟山区, full
    width, pasted glosses) when only the folded form names something."""
    if _lookup(conn, word) or word in LEVEL_WORDS:
        return word
    from chengzhen.query.fold import name_key

    key = name_key(conn, word)
    return key if key and key != word and (_lookup(conn, key) or key in LEVEL_WORDS) else word


def names_a_place(conn: sqlite3.Connection, word: str) -> bool:
    """Does the word (as typed or folded) name some place, zone or group?"""
    return bool(word.strip()) and bool(_lookup(conn, _folded(conn, word.strip())))


def resolve_place(conn: sqlite3.Connection, word: str, kind: str = "place") -> dict:
    """``{"kind": place|zone|group, "ref": code, zone name or group id,
    "name": its name}`` for a name as typed.  ``kind`` names the argument in
    an error: an unknown name is :class:`UnknownName` with the closest
    names, an ambiguous one :class:`Ambiguous`."""
    blank(kind, word)
    w = _folded(conn, word.strip())
    found = _lookup(conn, w)
    if not found:
        raise UnknownName(kind, word.strip(), suggest(conn, w))
    if len(found) > 1:
        raise Ambiguous(kind, w, [(names(conn).get(r, r) if k == "place" else r, r) for k, r in found])
    k, ref = found[0]
    return {"kind": k, "ref": ref, "name": names(conn).get(ref, ref) if k == "place" else ref}


def resolve_scope(conn: sqlite3.Connection, word: str, kind: str = "scope") -> dict:
    """What ``--scope`` names: a place, zone or group (:func:`resolve_place`);
    a level word (全省: every province plan's own province, ``kind`` level);
    a part or class of places in use (县城, 乡村); a place followed by a part
    (盘州城区: ``part`` added)."""
    blank(kind, word)
    w = _folded(conn, word.strip())
    if w in LEVEL_WORDS:
        return {"kind": "level", "ref": LEVEL_WORDS[w], "name": w}
    parts = parts_in_use(conn)
    if w in parts:
        return {"kind": parts[w], "ref": w, "name": w}
    if not _lookup(conn, w):
        for part in sorted((p for p, k in parts.items() if k == "part"), key=len, reverse=True):
            if w.endswith(part) and len(w) > len(part):
                head = [r for k, r in _lookup(conn, w[: -len(part)]) if k == "place"]
                if len(head) == 1:
                    return {"kind": "place", "ref": head[0], "name": names(conn).get(head[0], head[0]) + part,
                            "part": part}
        # a scope exactly as a plan writes it (市中心城区, 桐梓、纳雍、六枝、金沙): the targets it is written on
        if conn.execute("SELECT 1 FROM targets WHERE scope = ? LIMIT 1", (w,)).fetchone():
            return {"kind": "written", "ref": w, "name": w}
    return resolve_place(conn, w, kind)


def plan_place(conn: sqlite3.Connection) -> dict[str, str | None]:
    """plan id -> the code of its region (None: no place, cz validate E176)."""
    return cached(conn, "places:plan_place", lambda: dict(conn.execute("SELECT plan_id, place FROM plan_places")))


def _codes(text: str | None) -> list[str]:
    return (text or "").split()


def _named(text: str | None) -> list[str]:
    return [x for x in (text or "").split("、") if x]


def lies_in(tp: dict, plan_code: str | None) -> list[str]:
    """The divisions a target lies in: what its scope's reading anchors
    (places, zones' places, listed groups' members), else — a class (乡村),
    a group no source lists, a scope nothing reads — its plan's own place
    (a plan sets targets within its region)."""
    return _codes(tp["anchors"]) or ([plan_code] if plan_code else [])


def scope_test(conn: sqlite3.Connection, where: dict, within_: bool = False):
    """``test(plan_id, tp) -> bool``: is a target (``tp``: its
    ``target_places`` row) set for ``where`` (from :func:`resolve_scope`)?

    *Set for* a place: the place is among those its scope names — whole or
    a part of it (盘州城区 is set for 盘州; a target without a scope is set
    for its plan's place, so ``--scope 贵州`` is the province plan's own
    rows, never 六盘水's).  ``within_``: also a target lying anywhere
    inside the place (:func:`lies_in`: a city plan's rows, a county's, a
    zone's, a class's).  A zone or group: the scope names it.  A part or
    class: the scope's part or class is it.  A level word (全省): set for
    the own place of a plan of that level by that plan (``within_``: lying
    inside such a place)."""
    pp = plan_place(conn)
    k, ref = where["kind"], where["ref"]
    if k == "place":
        part = where.get("part")

        def test(plan, tp):
            if tp is None or (part is not None and tp["part"] != part):
                return False
            if ref in _codes(tp["places"]):
                return True
            return within_ and any(within(conn, a, ref) for a in lies_in(tp, pp.get(plan)))
        return test
    if k in ("zone", "group"):
        col = "zones" if k == "zone" else "groups"
        return lambda plan, tp: tp is not None and ref in _named(tp[col])
    if k == "part":
        return lambda plan, tp: tp is not None and tp["part"] == ref
    if k == "class":
        return lambda plan, tp: tp is not None and ref in _named(tp["place_class"])
    levels = {c for c, lv in conn.execute("SELECT code, level FROM places")
              if lv == ref}
    tops = {c for c in pp.values() if c in levels}

    def test_level(plan, tp):
        if tp is None:
            return False
        own = pp.get(plan)
        if own in tops and own in _codes(tp["places"]):
            return True
        return within_ and any(within(conn, a, top) for a in lies_in(tp, own) for top in tops)
    return test_level


def scope_filter(conn: sqlite3.Connection, rows: list[dict], where: dict, within_: bool = False,
                 plan_key: str = "plan") -> list[dict]:
    """The rows (targets, each with ``id``, ``scope`` and its plan under
    ``plan_key``) set for ``where``; a scope as written (``kind`` written)
    selects the rows it is written on."""
    if where["kind"] == "written":
        return [r for r in rows if r.get("scope") == where["ref"]]
    test = scope_test(conn, where, within_)
    tps = target_places(conn, [r["id"] for r in rows])
    return [r for r in rows if test(r[plan_key], tps.get(r["id"]))]


def plans_for(conn: sqlite3.Connection, where: dict, within_: bool = False) -> list[str]:
    """The plans, in catalogue order, whose own place is ``where`` (a place
    from :func:`resolve_place`), or with ``within_`` lies inside it."""
    if where["kind"] != "place":
        return []
    code = where["ref"]
    return [pid for pid, place in conn.execute(
        "SELECT p.id, pp.place FROM plans p JOIN plan_places pp ON pp.plan_id = p.id ORDER BY p.ord")
            if place and (place == code or (within_ and within(conn, place, code)))]


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
