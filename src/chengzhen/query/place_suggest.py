"""The closest places to a name nothing is called (``--scope 贵洲``: did you
mean 贵州?), and the closest plans to a ``--plan`` that names neither plan
nor place.

The rule (docs/places.md, "Scopes in queries"), over every place, zone,
named group, part or class some target is set for, and level word:

1. the fewest edits from what was typed (Levenshtein; at most one edit per
   three characters, at least one), over each one's names — full and short
   names, aliases, a zone's or group's names; a one-character abbreviation
   (贵, 黔) only when one character was typed;
2. among those, the ones that *sound* as typed (each character shares a
   reading, tones aside — pypinyin's table: an input method's slip, 贵洲
   for 贵州) alone, when there are any;
3. then what some target or plan is set for or lies in (a place above one,
   too) before the rest; then the larger place (province, city, county);
   then the name;
4. at most three, each place once, by its usual name closest to what was
   typed (its short or full name; the abbreviation for a one-character
   word), a name that names it alone.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from chengzhen.query import place_vocab as V
from chengzhen.query.cache import cached

LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3}
N_SUGGESTIONS = 3


def limit_for(word: str) -> int:
    """The most edits a suggestion may be from ``word``."""
    return max(1, len(word) // 3)


@lru_cache(maxsize=1)
def _readings() -> dict[int, str]:
    """pypinyin's table of each character's readings (its own module,
    loaded without the package: the rest of pypinyin costs ~0.3 s to
    import, and an error line only needs this)."""
    import importlib.util

    spec = importlib.util.find_spec("pypinyin")
    path = Path(spec.origin).with_name("pinyin_dict.py") if spec and spec.origin else None
    if path is None or not path.is_file():  # another layout: the package's own API, slower to import
        from pypinyin.pinyin_dict import pinyin_dict

        return pinyin_dict
    table = importlib.util.spec_from_file_location("chengzhen_pinyin_dict", path)
    module = importlib.util.module_from_spec(table)
    table.loader.exec_module(module)
    return module.pinyin_dict


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """A character's readings without tones (行: xing, hang, heng); any
    other character reads as itself."""
    got = _readings().get(ord(char))
    if not got:
        return frozenset([char.lower()])
    def toneless(r: str) -> str:  # lǜ → lv, as pypinyin writes ü without tones
        bare = "".join(c for c in unicodedata.normalize("NFD", r) if c == "\u0308" or not unicodedata.combining(c))
        return unicodedata.normalize("NFC", bare).replace("ü", "v")
    return frozenset(toneless(r) for r in got.split(","))


def sound_alike(a: str, b: str) -> bool:
    """Do two names sound the same, character by character (贵洲 and 贵州: an
    input method's slip)?"""
    return len(a) == len(b) and all(x == y or readings(x) & readings(y) for x, y in zip(a, b))


def _choices(conn: sqlite3.Connection) -> dict:
    """Every thing a scope names, keyed (kind, ref): its names, the names it
    may be shown by, whether it is in use, and its level's rank."""
    def read() -> dict:
        level = {c: lv for c, lv in conn.execute("SELECT code, level FROM places")}
        full = V.names(conn)
        short = dict(conn.execute("SELECT code, short FROM places"))
        out: dict[tuple[str, str], dict] = {}

        def entry(kind: str, ref: str, shown: list[str], rank: int) -> dict:
            return out.setdefault((kind, ref), {"names": set(), "shown": shown, "rank": rank, "used": False})

        for name, ref, kind in conn.execute("SELECT name, ref, kind FROM place_names"):
            if kind == "place":
                e = entry(kind, ref, list(dict.fromkeys([short.get(ref) or full[ref], full[ref]])),
                          LEVEL_RANK.get(level.get(ref), 4))
            else:
                e = entry(kind, ref, [ref], 2)
            e["names"].add(name)
        for name, kind in V.parts_in_use(conn).items():
            entry(kind, name, [name], 2)["names"].add(name)
        for word, lv in V.LEVEL_WORDS.items():
            entry("level", word, [word], LEVEL_RANK[lv])["names"].add(word)
        # in use: what a target or plan is set for or lies in, and every place above
        used: set[tuple[str, str]] = set()
        codes = {c for (c,) in conn.execute("SELECT place FROM plan_places WHERE place IS NOT NULL")}
        for (anchors,) in conn.execute("SELECT DISTINCT anchors FROM target_places"):  # a target's places among them
            codes.update((anchors or "").split())
        for zones, groups in conn.execute("SELECT DISTINCT zones, groups FROM target_places "
                                          "WHERE zones IS NOT NULL OR groups IS NOT NULL"):
            used.update(("zone", z) for z in V.split_named(zones))
            used.update(("group", g) for g in V.split_named(groups))
        for c in list(codes):
            codes.update(V.ancestors(conn, c))
        used.update(("place", c) for c in codes)
        used.update((k, n) for n, k in V.parts_in_use(conn).items())
        levels = {level.get(c) for c in codes}
        used.update(("level", w) for w, lv in V.LEVEL_WORDS.items() if lv in levels)
        for key in used:
            if key in out:
                out[key]["used"] = True
        return out
    return cached(conn, "places:suggest", read)


def _shown(conn: sqlite3.Connection, key: tuple[str, str], e: dict, word: str, one_char: bool) -> str:
    """The name a suggestion is shown by: its usual name (short or full;
    the abbreviation for a one-character word) closest to what was typed
    that ``--scope`` reads as it alone, else written after its province's
    name, else its code."""
    from rapidfuzz.distance import Levenshtein

    shown = list(e["shown"])
    if one_char and key[0] == "place":
        shown = sorted(n for n in e["names"] if len(n) == 1) + shown
    if key[0] == "place":  # a name several places share: written after its province's (内蒙古自治区青山区)
        up = [c for c in V.ancestors(conn, key[1]) if c in V.provinces(conn)]
        shown += [V.names(conn)[up[0]] + V.names(conn)[key[1]]] if up else []
    taken = V.parts_in_use(conn).keys() | V.LEVEL_WORDS.keys()  # what --scope reads before a place's name
    for name in sorted(shown, key=lambda n: Levenshtein.distance(word, n)):
        if key[0] != "place" or (name not in taken and V.lookup(conn, name) == [key]):
            return name
    return key[1]


def ranked(conn: sqlite3.Connection, word: str) -> list[tuple[tuple[str, str], str]]:
    """(kind, ref) and the name it is shown by, in the rule's order (every
    one the rule keeps, before the cut to three)."""
    from rapidfuzz.distance import Levenshtein

    limit = limit_for(word)
    one_char = len(word) == 1
    best: dict[tuple[str, str], tuple[int, list[str]]] = {}  # the fewest edits to a thing, by which names
    for key, e in _choices(conn).items():
        for name in e["names"]:
            if len(name) == 1 and not one_char:
                continue
            d = Levenshtein.distance(word, name, score_cutoff=limit)
            if d > limit or (key in best and d > best[key][0]):
                continue
            if key not in best or d < best[key][0]:
                best[key] = (d, [])
            best[key][1].append(name)
    if not best:
        return []
    fewest = min(d for d, _n in best.values())
    tier = {k: names for k, (d, names) in best.items() if d == fewest}
    if len(tier) > 1:  # one that sounds as typed by any of those names (铁岭十: 铁岭市)
        alike = {k: n for k, n in tier.items() if any(sound_alike(word, x) for x in n)}
        tier = alike or tier
    choices = _choices(conn)
    shown = {k: _shown(conn, k, choices[k], word, one_char) for k in tier}
    order = sorted(tier, key=lambda k: (not choices[k]["used"], choices[k]["rank"], shown[k], k))
    return [(k, shown[k]) for k in order]


def suggest(conn: sqlite3.Connection, word: str, n: int = N_SUGGESTIONS) -> list[str]:
    """The names to suggest for a mistyped place, zone, group, part, class
    or level word: at most ``n``, each thing once (the module's rule)."""
    return [name for _k, name in ranked(conn, word)[:n]]


def suggest_plans(conn: sqlite3.Connection, word: str, n: int = N_SUGGESTIONS) -> list[str]:
    """The plans to suggest for a ``--plan`` that names no plan and no
    place: the fewest edits from any of a plan's names (its id, short name,
    full name; case aside), then the plans' order; each plan once, by its
    short name (by its id when a Latin word was typed, or when another plan
    shares the short name: a suggestion names one plan)."""
    from rapidfuzz.distance import Levenshtein

    typed = word.lower()
    limit = limit_for(typed)
    latin = typed.isascii()
    scored = []
    rows = conn.execute("SELECT id, short_name, name FROM plans ORDER BY ord").fetchall()
    shorts = Counter(short for _p, short, _n in rows)
    for ord_, (pid, short, name) in enumerate(rows):
        d = min(Levenshtein.distance(typed, x.lower(), score_cutoff=limit) for x in (pid, short or pid, name or pid))
        if d <= limit:
            scored.append((d, ord_, pid if latin or not short or shorts[short] > 1 else short))
    return [s for _d, _o, s in sorted(scored)[:n]]
