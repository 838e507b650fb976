"""Places in queries (``plan_places``, ``target_places``; the vocabulary
and hierarchy from query/place_vocab.py): a name typed by a user to a
place, zone, named group, part, class or level word; which targets are set
for it or lie in it; the plans set for a place or for places inside it.  A name names one thing or is an error: an
unknown word is :class:`UnknownName` with the closest names, an ambiguous
one (吉林: the province or the city) names its candidates.
"""

from __future__ import annotations

import sqlite3

from chengzhen.errors import UnknownName, UsageError, blank
from chengzhen.query.cache import cached
from chengzhen.query.place_suggest import suggest
from chengzhen.query.place_vocab import (CODE, LEVEL_WORDS, NATION, ancestors, lookup, names,  # noqa: F401
                                         names_of, parents, parts_in_use, provinces, split_codes, split_named,
                                         within)


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


def _folded(conn: sqlite3.Connection, word: str) -> str:
    """A name as typed, or folded as search folds names (鍾山區 → 钟山区, full
    width, pasted glosses) when only the folded form names something."""
    if lookup(conn, word) or word in LEVEL_WORDS:
        return word
    from chengzhen.query.fold import name_key

    key = name_key(conn, word)
    return key if key and key != word and (lookup(conn, key) or key in LEVEL_WORDS) else word


def names_a_place(conn: sqlite3.Connection, word: str) -> bool:
    """Does the word (as typed or folded) name some place, zone or group?"""
    return bool(word.strip()) and bool(lookup(conn, _folded(conn, word.strip())))


def resolve_place(conn: sqlite3.Connection, word: str, kind: str = "place") -> dict:
    """``{"kind": place|zone|group, "ref": code, zone name or group id,
    "name": its name}`` for a name as typed.  ``kind`` names the argument in
    an error: an unknown name is :class:`UnknownName` with the closest
    names, an ambiguous one :class:`Ambiguous`."""
    blank(kind, word)
    w = _folded(conn, word.strip())
    found = lookup(conn, w)
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
    if not lookup(conn, w):
        for part in sorted((p for p, k in parts.items() if k == "part"), key=len, reverse=True):
            if w.endswith(part) and len(w) > len(part):
                head = [r for k, r in lookup(conn, w[: -len(part)]) if k == "place"]
                if len(head) == 1:
                    return {"kind": "place", "ref": head[0], "name": names(conn).get(head[0], head[0]) + part,
                            "part": part}
        # a scope exactly as a plan writes it (市中心城区, 桐梓、纳雍、六枝、金沙): the targets it is written on
        if conn.execute("SELECT 1 FROM targets WHERE scope = ? LIMIT 1", (w,)).fetchone():
            return {"kind": "written", "ref": w, "name": w}
    return resolve_place(conn, w, kind)


def members(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """group id -> its members as a source lists them, (place code or zone
    name, place | zone) each; a group no source lists is not a key."""
    def read() -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for g, m, kind in conn.execute("SELECT group_id, member, kind FROM place_members ORDER BY group_id, member"):
            out.setdefault(g, []).append((m, kind))
        return out
    return cached(conn, "places:members", read)


def widens(conn: sqlite3.Connection, where: dict | None, within_: bool) -> bool:
    """Does ``within_`` add anything to ``where``'s answer by its rule (a
    place without a part, a level word, a group a source lists the members
    of)?  A zone, a part, a class, a scope as written or an unlisted group:
    no — an answer does not say it includes what lies inside them."""
    if not within_ or where is None:
        return False
    if where["kind"] == "place":
        return where.get("part") is None
    if where["kind"] == "group":
        return bool(members(conn).get(where["ref"]))
    return where["kind"] == "level"


def within_note(conn: sqlite3.Connection, where: dict | None, within_: bool) -> str | None:
    """What ``--within`` could not do, in the reader's words: a group whose
    members no source lists is not widened (None when there is nothing to say)."""
    if not within_ or where is None or where["kind"] != "group" or members(conn).get(where["ref"]):
        return None
    return f"{where['name']}的成员没有来源列出, 未含其内的地方: 只列出范围写明{where['name']}的目标"


def plan_place(conn: sqlite3.Connection) -> dict[str, str | None]:
    """plan id -> the code of its region (None: no place, cz validate E176)."""
    return cached(conn, "places:plan_place", lambda: dict(conn.execute("SELECT plan_id, place FROM plan_places")))


def lies_in(tp: dict, plan_code: str | None) -> list[str]:
    """The divisions a target lies in: what its scope's reading anchors
    (places, zones' places, listed groups' members), else — a class (乡村),
    a group no source lists, a scope nothing reads — its plan's own place
    (a plan sets targets within its region)."""
    return split_codes(tp["anchors"]) or ([plan_code] if plan_code else [])


def scope_test(conn: sqlite3.Connection, where: dict, within_: bool = False):
    """``test(plan_id, tp) -> bool``: is a target (``tp``: its
    ``target_places`` row) set for ``where`` (from :func:`resolve_scope`)?

    *Set for* a place: the place is among those its scope names — whole or
    a part of it (盘州城区 is set for 盘州; a target without a scope is set
    for its plan's place, so ``--scope 贵州`` is the province plan's own
    rows, never 六盘水's).  ``within_``: also a target lying anywhere
    inside the place (:func:`lies_in`: a city plan's rows, a county's, a
    zone's, a class's); a place with a part (盘州城区) is not widened.  A
    zone: the scope names it (with a part or not; nothing lies inside a
    zone, so ``within_`` changes nothing).  A group: the scope names it;
    ``within_`` and its members listed by a source (:func:`members`): also
    what lies in each member (贵阳贵安: 贵阳市 and what is inside it, 贵安新区)
    — a group no source lists is not widened (:func:`within_note`).  A part
    or class: the scope's part or class is it.  A level word (全省): set for
    the own place of a plan of that level by that plan (``within_``: lying
    inside such a place)."""
    pp = plan_place(conn)
    k, ref = where["kind"], where["ref"]
    if k == "place":
        part = where.get("part")
        widen = within_ and part is None  # a part of a place (盘州城区) is the same with --within

        def test(plan, tp):
            if tp is None or (part is not None and tp["part"] != part):
                return False
            if ref in split_codes(tp["places"]):
                return True
            return widen and any(within(conn, a, ref) for a in lies_in(tp, pp.get(plan)))
        return test
    if k == "zone":  # nothing lies inside a zone but the zone (and a part of it): --within changes nothing
        return lambda plan, tp: tp is not None and ref in split_named(tp["zones"])
    if k == "group":
        named = lambda plan, tp: tp is not None and ref in split_named(tp["groups"])  # noqa: E731
        listed = members(conn).get(ref) if within_ else None
        if not listed:  # no source lists its members: nothing is decided inside it
            return named
        # --within a listed group: what is set for it, and what lies in each member
        inner = [scope_test(conn, {"kind": kind, "ref": m}, True) for m, kind in listed]
        return lambda plan, tp: named(plan, tp) or any(t(plan, tp) for t in inner)
    if k == "part":
        return lambda plan, tp: tp is not None and tp["part"] == ref
    if k == "class":
        return lambda plan, tp: tp is not None and ref in split_named(tp["place_class"])
    levels = {c for c, lv in conn.execute("SELECT code, level FROM places")
              if lv == ref}
    tops = {c for c in pp.values() if c in levels}

    def test_level(plan, tp):
        if tp is None:
            return False
        own = pp.get(plan)
        if own in tops and own in split_codes(tp["places"]):
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
