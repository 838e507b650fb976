"""`cz ingest` drafts a target's scope from what its own clause, or its
sentence's subject, names — never from a neighbouring clause or sentence
(ingest/targets.py ``clause_scope``/``sentence_subject``, ingest/places.py;
docs/places.md, "Drafting places").  Checked over the place vocabulary's
places, groups and zones and the indicator vocabulary, not a list of cases."""

from __future__ import annotations

import pytest

from chengzhen.ingest import places as P
from chengzhen.ingest import targets as T
from chengzhen.kb import loader as L
from conftest import DATA


@pytest.fixture(scope="module")
def ctx():
    kb = L.load_kb(DATA)
    pairs = sorted(((a, c) for a, c in kb.vocab.indicator_by_name.items() if len(a) >= 2),
                   key=lambda p: (-len(p[0]), p[0]))
    return T.Ctx((2025, 2029), pairs, {i.name: i.unit for i in kb.vocab.indicators})


@pytest.fixture(scope="module")
def book():
    return P.load_book(DATA)


def _scopes(text: str, ctx) -> list:
    return [t.get("scope") for t in T.extract(text, ctx, 1)]


def _rates(ctx) -> list[str]:
    """Every %-indicator a plain sentence of the region drafts as itself, alone."""
    out = []
    for name, unit in sorted(ctx.units.items()):
        if unit != "%":
            continue
        got = T.extract(f"到2028年,全市{name}达到60%左右。", ctx, 1)
        if [t["indicator"] for t in got] == [name] and got[0]["scope"] is None:
            out.append(name)
    return out


def _names(book) -> list[str]:
    """Every city and county of one province by its own name, every named group and zone whose name ends as a
    place's does (…市, …县, …区, …都市圈, …开发区), and the documented parts and classes 县城, 城区, 乡村."""
    places = [p.name for c, p in book.places.items() if c.startswith("52") and p.level in ("city", "county")
              and book.resolve(p.name) == (c,)]
    named = [n for n in list(book.groups) + list(book.zone_names) if T.PLACE_END.search(n)
             and not T.NOT_A_SCOPE.search(n)]
    return places + named + ["县城", "城区", "乡村"]


def test_a_place_its_own_clause_names_is_the_scope_and_the_region_is_none(ctx, book):
    rates = _rates(ctx)
    assert len(rates) >= 5
    rate, other = rates[0], rates[1]
    for name in _names(book):
        assert _scopes(f"到2028年,{name}{rate}达到60%左右。", ctx) == [name], name
        # the verb after the place: 其中:X完成…
        assert _scopes(f"其中:{name}{rate}达到60%左右。", ctx) == [name], name
        # a later clause that names no place of its own: the sentence's subject (a part or class alone — 城区
        #绿化覆盖率… — may be the first figure's own word: not carried on)
        carried = None if name in T.GENERIC_PLACES else name
        assert _scopes(f"到2028年,{name}{rate}达到60%左右,{other}达到50%。", ctx) == [name, carried], name
        # …but never when it says the whole region, nor across a sentence or a semicolon
        assert _scopes(f"到2028年,{name}{rate}达到60%左右,全市{other}达到50%。", ctx) == [name, None], name
        assert _scopes(f"到2028年,{name}{rate}达到60%左右。{other}达到50%。", ctx) == [name, None], name
        assert _scopes(f"到2028年,{name}{rate}达到60%左右;{other}达到50%。", ctx) == [name, None], name
    for r in rates:
        assert _scopes(f"到2028年,全省{r}达到60%左右。", ctx) == [None], r
        assert _scopes(f"到2028年,{r}达到60%左右。", ctx) == [None], r
        assert _scopes(f"到2028年,全市县城{r}达到60%左右。", ctx) == ["县城"], r


def test_a_sentence_opened_by_several_places_gives_its_figures_that_scope(ctx, book):
    """Every three cities of a province opening a sentence: its later figure's
    scope, read as those places; a list no vocabulary reads is proposed as
    one scope, flagged (not piece by piece)."""
    cities = [c for c, p in book.places.items() if c.startswith("52") and p.level == "city"]
    rates = _rates(ctx)
    for k in range(len(cities) - 2):
        names = [book.places[c].name for c in cities[k:k + 3]]
        text = f"{'、'.join(names)}{rates[0]}提升幅度高于全省平均水平,{rates[1]}达到50%左右。"
        (t,) = T.extract(text, ctx, 1)
        assert t["scope"] == "、".join(names)
        got = P.draft_places("t", {"region": "贵州省"}, {"measures": [{"line": 1, "targets": [t]}]}, [text], book)
        assert got.readings[t["scope"]].places == tuple(cities[k:k + 3]) and not got.proposed
    text = f"甲乙、丙—丁省域副中心{rates[0]}提升幅度高于全省平均水平,{rates[1]}达到50%左右。"
    (t,) = T.extract(text, ctx, 1)
    got = P.draft_places("t", {"region": "贵州省"}, {"measures": [{"line": 1, "targets": [t]}]}, [text], book)
    assert [c["name"] for c in got.proposed["classes"]] == [t["scope"]] and set(got.proposed) == {"classes"}


def test_words_of_its_own_the_vocabulary_reads_as_a_group_are_the_scope_flagged(ctx, book):
    """A group whose name has no place's form (贵阳贵安, 潜力地区) opening a figure's
    own clause: read with the place vocabulary, set, and flagged."""
    rate = _rates(ctx)[0]
    groups = [g for g in book.groups if not T.PLACE_END.search(g) or T.NOT_A_SCOPE.search(g)]
    assert groups
    for g in groups:
        text = f"到2028年,某某都市圈{rate}达到60%左右,{g}经济{rate}达到50%。"
        ts = T.extract(text, ctx, 1)
        body = {"measures": [{"line": 1, "targets": ts}], "sections": []}
        P.draft_places("t", {"region": "贵州省", "name": "贵州省方案"}, body, [text], book)
        assert ts[1]["scope"] == g and "scope: " in ts[1]["review"], (g, ts[1])
        assert all("_scope_words" not in t for t in ts)
