"""Resolve what a user typed to the names the database knows: plans, topics,
departments, indicators, national tasks.  Unknown names raise
:class:`UnknownName` with the closest valid names ("did you mean qinghai?").
Returns plain data.

Every name is compared folded (traditional or simplified, full or half
width, case, spacing, pasted pinyin glosses).  A list of names may be given
as repeated options or separated by ``,`` ``、`` or ``，``; a name that itself
holds ``、`` (各市州、县市区人民政府) stays whole.

Two uses:

* **filters** (``resolve_plans`` …): every word must name something, else
  an error; a department may also be named by any part of its name.
* **entities** (:func:`entities`): does a whole search query name a
  department, plan, topic, indicator or national task?  Only full names,
  aliases, ids, one-character province abbreviations and distinctive parts
  of a department's name (a part that ends like an institution: 教育厅,
  发展改革委, 人民银行) count; nothing fuzzy.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections import namedtuple
from collections.abc import Callable

from chengzhen.errors import UnknownName, UsageError, blank
from chengzhen.query.cache import cached
from chengzhen.query.fold import name_key
from chengzhen.text.regions import ABBREVIATIONS, REGION_SUFFIXES
from chengzhen.text.tokens import token_chars

# what separates names in one option value
SEPARATOR = re.compile(r"([,、，])")

# a part of a department's name is "distinctive" when it ends like an
# institution does (教育厅, 发展改革委, 金融监管局, 人民银行, 青藏集团公司)
INSTITUTION_ENDINGS = ("厅", "委", "局", "办", "部", "院", "行", "会", "联", "署", "所", "站", "队", "中心",
                       "公司", "集团", "政府", "总队", "分行", "支行")


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


def unknown(kind: str, word: str, choices: list[str]) -> UnknownName:
    return UnknownName(kind, word, _suggest(word, choices))


def split_names(kind: str, values: list[str] | None, known: Callable[[str], bool]) -> list[str]:
    """The names in repeated option values, each value possibly a list
    separated by , 、 or ，.  Adjacent pieces that together form a known name
    (各市州 + 县市区人民政府) are kept together, the longest first."""
    out: list[str] = []
    for value in values or []:
        blank(kind, value)
        pieces = SEPARATOR.split(value)
        words, seps = pieces[0::2], pieces[1::2]
        if not any(w.strip() for w in words):
            blank(kind, "")
        i = 0
        while i < len(words):
            j = i + 1
            for k in range(len(words), i + 1, -1):
                joined = "".join(w + (seps[n] if n < k - 1 else "") for n, w in zip(range(i, k), words[i:k]))
                if known(joined.strip()):
                    j = k
                    break
            name = "".join(w + (seps[n] if n < j - 1 else "") for n, w in zip(range(i, j), words[i:j])).strip()
            if name and name not in out:
                out.append(name)
            i = j
    return out


# --------------------------------------------------------------------------- plans

# what a name of a plan names: ``ids`` (more than one: the name is
# ambiguous) and ``how`` (id | short name | region | name | abbreviation)
PlanName = namedtuple("PlanName", "ids how")


def _plan_forms(key: str) -> list[str]:
    """The forms a plan name may take in the catalogue: as typed, with 省 or
    市 added, and without a region suffix (六盘水市 -> 六盘水, 青海省 -> 青海)."""
    forms = [key, key + "省", key + "市"]
    for suffix in REGION_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            forms.append(key[: -len(suffix)])
    return forms


# look-ups of plan names on one connection after which the catalogue's names
# are read into memory: a single command asks once or twice and reads only
# the indexed rows it needs; a stream of queries (`cz search --stdin`, the
# web server) asks for every query, and one read of the names (its cost
# grows with the catalogue) is then cheaper than a statement per query
PLAN_INDEX_AFTER = 8


def _plan_index(conn) -> tuple[dict[str, dict[str, list[str]]], dict[str, int]]:
    """Each plan's id, full name, short name and region -> the plan ids
    holding it (catalogue order), and each plan's place in the catalogue;
    read once per connection."""
    def read():
        index: dict[str, dict[str, list[str]]] = {"id": {}, "name": {}, "short name": {}, "region": {}}
        order: dict[str, int] = {}
        for pid, name, short, region, ord_ in conn.execute(
                "SELECT id, name, short_name, region, ord FROM plans ORDER BY ord"):
            order[pid] = ord_
            for how, value in (("id", pid), ("name", name), ("short name", short), ("region", region)):
                index[how].setdefault(value, []).append(pid)
        return index, order
    return cached(conn, "plan_index", read)


def _plan_ids_from_index(index_order, raw: str, key: str, forms: list[str]) -> dict[str, list[str]]:
    """What :func:`_plan_lookup`'s statement gives (how -> plan ids, each
    once, in catalogue order), from :func:`_plan_index`."""
    index, order = index_order
    got: dict[str, list[str]] = {}
    for how, values in (("id", [raw.lower()]), ("name", [raw, key]), ("short name", forms), ("region", forms)):
        ids = {pid for v in dict.fromkeys(values) for pid in index[how].get(v, ())}
        if ids:
            got[how] = sorted(ids, key=order.__getitem__)
    return got


def _plan_lookup(conn, word: str, key: str | None = None) -> PlanName | None:
    """The plan(s) a name names: id, full name, short name or region (with or
    without 省/市…), or a one-character province abbreviation (黔) — by
    indexed look-ups, so the cost does not grow with the catalogue.
    ``key``: ``name_key`` of the stripped word, when the caller has it."""
    raw = word.strip()
    if not raw:
        return None
    if key is None:
        key = name_key(conn, raw)
    cache = cached(conn, "plan_lookup", dict)
    if (raw, key) in cache:
        return cache[(raw, key)]
    found: PlanName | None = None
    forms = _plan_forms(key) if key else [raw]
    looked = cached(conn, "plan_lookups", lambda: [0])
    looked[0] += 1
    if looked[0] > PLAN_INDEX_AFTER:  # a stream of queries (--stdin, a server): the names from memory
        got = _plan_ids_from_index(_plan_index(conn), raw, key, forms)
    else:
        marks = ",".join("?" * len(forms))
        # one statement, each branch an indexed look-up (name: a scan, but of one column)
        got = {}
        for how, pid in conn.execute(
                "SELECT 'id', id FROM plans WHERE id = ? "
                "UNION ALL SELECT 'name', id FROM (SELECT id FROM plans WHERE name IN (?, ?) ORDER BY ord) "
                f"UNION ALL SELECT 'short name', id FROM (SELECT id FROM plans WHERE short_name IN ({marks}) "
                "ORDER BY ord) "
                f"UNION ALL SELECT 'region', id FROM (SELECT id FROM plans WHERE region IN ({marks}) ORDER BY ord)",
                (raw.lower(), raw, key, *forms, *forms)):
            got.setdefault(how, [])
            if pid not in got[how]:
                got[how].append(pid)
    for how in ("id", "name", "short name", "region"):
        if got.get(how):
            found = PlanName(tuple(got[how]), how)
            break
    if found is None and len(key) == 1 and key in ABBREVIATIONS:
        province = ABBREVIATIONS[key]
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM plans WHERE level = 'province' AND (short_name = ? OR region = ? OR region = ?) "
            "ORDER BY ord", (province, province + "省", province + "市"))]
        if not ids:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM plans WHERE level = 'province' AND region LIKE ? ORDER BY ord", (province + "%",))]
        if ids:
            found = PlanName(tuple(ids), "abbreviation")
    cache[(raw, key)] = found
    return found


def resolve_plans(conn: sqlite3.Connection, words: list[str] | None, *, within: bool = False) -> list[str]:
    """Plan ids for ids, short names (青海), regions (青海省, 六盘水市), full
    names or one-character abbreviations (青, 黔); or for a place (520000,
    贵州省六盘水市, 黔南州: query/places.py) the plans set for it —
    ``within``: and for places inside it (贵州: the 贵州 and 六盘水 plans).
    A place no plan is set for is an unknown plan (suggesting the plans
    inside it)."""
    if not words:
        return []
    out: list[str] = []
    for part in split_names("plan", words, lambda w: _plan_lookup(conn, w) is not None):
        found = _plan_lookup(conn, part)
        ids = list(found.ids) if found is not None else []
        if found is not None and len(ids) > 1:
            raise UsageError(f"ambiguous plan name {part!r}: it names {', '.join(found.ids)}; give one of them")
        if found is None:
            ids = _place_plans(conn, part, within)
        elif within:  # a plan's name with --within: the plans inside its place too
            from chengzhen.query import places as P

            own = P.plan_place(conn)
            for pid in list(ids):
                if own.get(pid):
                    ids += [p for p in P.plans_for(conn, {"kind": "place", "ref": own[pid]}, True) if p not in ids]
        out += [p for p in ids if p not in out]
    return out


def _place_plans(conn, word: str, within: bool) -> list[str]:
    """The plans set for the place ``word`` names (``within``: or inside
    it).  The word names no plan, so a word that names no place, or a place
    no plan is set for, is an unknown plan (suggesting the plans inside it,
    else those for the nearest place it lies in)."""
    from chengzhen.query import places as P

    def no_plan(suggestions: list[str] | None) -> UnknownName:
        """``suggestions``: None for a word that is no place (the closest plan names)."""
        if suggestions is None:  # each plan once, fewest edits first (query/place_suggest.py)
            from chengzhen.query.place_suggest import suggest_plans

            suggestions = suggest_plans(conn, word)
        return UnknownName("plan", word, suggestions)

    if not P.names_a_place(conn, word):
        raise no_plan(None)
    where = P.resolve_place(conn, word, "plan")  # ambiguous (吉林): an error naming its places
    ids = P.plans_for(conn, where, within)
    if not ids:
        # the plans inside it, else those for the nearest place it lies in (遵义: the 贵州 plan)
        near = P.plans_for(conn, where, True)
        for up in P.ancestors(conn, where["ref"]) if where["kind"] == "place" and not near else []:
            near = P.plans_for(conn, {"kind": "place", "ref": up})
            if near:
                break
        names = dict(conn.execute("SELECT id, short_name FROM plans"))
        raise no_plan([names[p] for p in near][:3])
    return ids


# --------------------------------------------------------------------------- vocabularies

_PLAIN = re.compile("[\u4e00-\u9fff]+\\Z").match


def _folded(name: str) -> str:
    """A stored name as a folded query compares with it (most names are
    plain CJK already: no folding to do)."""
    return name if _PLAIN(name) else token_chars(name, simplify=False)


def _names(conn, table: str, column: str) -> dict[str, str]:
    """A vocabulary's names and aliases (as stored and folded) -> canonical,
    read once per connection: the vocabularies are small and fixed, whatever
    the number of plans."""
    def read() -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in conn.execute(f"SELECT name, {column} FROM {table} ORDER BY name"):
            out.setdefault(name, value)
            out.setdefault(_folded(name), value)
        return out
    return cached(conn, f"names:{table}", read)


def _get(conn, table: str, column: str, raw: str, key: str) -> str | None:
    """The canonical name for a name as typed (``raw``) or folded (``key``)."""
    names = _names(conn, table, column)
    got = names.get(raw)
    return got if got is not None else (names.get(key) if key else None)


def _lookup(conn, table: str, column: str, word: str) -> str | None:
    raw = word.strip()
    return _get(conn, table, column, raw, name_key(conn, raw)) if raw else None


def resolve_topics(conn: sqlite3.Connection, words: list[str] | None, *, strict: bool = True) -> list[str]:
    """Topic names (with their children) for topic names or synonyms."""
    if not words:
        return []
    out: list[str] = []
    for word in split_names("topic", words, lambda w: _lookup(conn, "topic_names", "topic", w) is not None):
        topic = _lookup(conn, "topic_names", "topic", word)
        if topic is None:
            if not strict:
                return []
            names = [r[0] for r in conn.execute("SELECT name FROM topic_names")]
            raise unknown("topic", word, names)
        for t in topic_family(conn, topic):
            if t not in out:
                out.append(t)
    return out


def topic_family(conn, topic: str) -> list[str]:
    """A topic and its children (the vocabulary is small and fixed: read once per connection and topic)."""
    return list(cached(conn, f"topic_family:{topic}", lambda: [topic] + [
        r[0] for r in conn.execute("SELECT name FROM topics WHERE parent = ? ORDER BY ord", (topic,))]))


def _dept_parts(conn, key: str) -> list[str]:
    """Departments whose name or alias contains ``key`` (folded)."""
    out: list[str] = []
    for name, dept in _dept_names_by_department(conn):
        if key in name and dept not in out:
            out.append(dept)
    return out


def _dept_names_by_department(conn) -> list[tuple[str, str]]:
    """(name or alias, department), by department: sorted once per connection."""
    return cached(conn, "dept_names_sorted",
                  lambda: sorted(_names(conn, "department_names", "department").items(), key=lambda kv: kv[1]))


def resolve_departments(conn: sqlite3.Connection, words: list[str] | None) -> list[str]:
    """Canonical departments for names, aliases (traditional or simplified),
    or a distinctive part of one (住房城乡建设厅 finds 省住房城乡建设厅)."""
    if not words:
        return []
    out: list[str] = []
    for word in split_names("department", words,
                            lambda w: _lookup(conn, "department_names", "department", w) is not None):
        found = _lookup(conn, "department_names", "department", word)
        matches = [found] if found else []
        if not matches:
            key = name_key(conn, word)
            if key:
                matches = _dept_parts(conn, key)
        if not matches:
            raise unknown_department(conn, word)
        out.extend(d for d in matches if d not in out)
    return out


def unknown_department(conn, word: str) -> UnknownName:
    """An unknown department, with the closest departments — each once, by
    its canonical name, however many of its aliases came close."""
    canon = dict(conn.execute("SELECT name, department FROM department_names"))
    close = _suggest(word, list(canon), n=12)
    return UnknownName("department", word, list(dict.fromkeys(canon[c] for c in close))[:3])


def resolve_indicators(conn: sqlite3.Connection, word: str) -> list[str]:
    """Canonical indicators for a name, alias, or part of one (城镇化率 finds
    常住人口城镇化率 and the other urbanization rates); fuzzy as a last resort."""
    blank("indicator", word)
    found = _lookup(conn, "indicator_names", "indicator", word)
    exact = [found] if found else []
    key = name_key(conn, word)
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


# --------------------------------------------------------------------------- entities

class Entity(namedtuple("Entity", "kind name keys how")):
    """Something a search query names: ``kind`` (department, plan, topic,
    indicator, task), its canonical ``name``, the ``keys`` its units are
    found by (department names, plan ids, topic names with children,
    indicator names, national task ids) and ``how`` the query named it
    (name, alias, part, id, short name, region, abbreviation, synonym, title)."""

    __slots__ = ()

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "keys": list(self.keys), "how": self.how}


def _national(conn) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """National groups and tasks by folded title and by id: (id, title, task ids)."""
    def read():
        out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        try:
            groups = conn.execute("SELECT id, title FROM national_groups ORDER BY ord").fetchall()
            tasks = conn.execute("SELECT id, group_id, title FROM national_tasks ORDER BY ord").fetchall()
        except sqlite3.OperationalError:  # a database without the national plan
            return out
        for tid, _gid, title in tasks:
            for key in (tid, _folded(title)):
                out.setdefault(key, (tid, title, (tid,)))
        for gid, title in groups:
            members = (gid,) + tuple(t[0] for t in tasks if t[1] == gid)
            for key in (gid, _folded(title)):
                out.setdefault(key, (gid, title, members))
        return out
    return cached(conn, "national", read)


def entities(conn: sqlite3.Connection, query: str) -> list[Entity]:
    """What the whole of ``query`` names, if anything (see the module doc)."""
    raw = query.strip()
    key = name_key(conn, raw)
    if not key or len(raw.split()) != 1:  # several words are several terms, not a name
        return []
    out: list[Entity] = []
    # departments: full name or alias, else a distinctive part of names
    dept = _get(conn, "department_names", "department", raw, key)
    if dept is not None:
        how = "name" if _folded(dept) == key else "alias"
        out.append(Entity("department", dept, (dept,), how))
    elif len(key) >= 3 and key.endswith(INSTITUTION_ENDINGS):
        for d in _dept_parts(conn, key):
            out.append(Entity("department", d, (d,), "part"))
    # plans
    plan = _plan_lookup(conn, raw, key)
    if plan is not None and len(plan.ids) == 1:
        out.append(Entity("plan", plan.ids[0], plan.ids, plan.how))
    # topics
    topic = _get(conn, "topic_names", "topic", raw, key)
    if topic is not None:
        how = "name" if _folded(topic) == key else "synonym"
        out.append(Entity("topic", topic, tuple(topic_family(conn, topic)), how))
    # indicators
    ind = _get(conn, "indicator_names", "indicator", raw, key)
    if ind is not None:
        how = "name" if _folded(ind) == key else "alias"
        out.append(Entity("indicator", ind, (ind,), how))
    # national tasks and groups
    task = _national(conn).get(raw) or _national(conn).get(key)
    if task is not None:
        tid, title, members = task
        out.append(Entity("task", f"{tid} {title}", members, "id" if raw == tid else "title"))
    return out
