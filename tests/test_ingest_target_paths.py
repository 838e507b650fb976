"""Targets, the sixth round (issue 24): the reading of an amount added, and review flags by rule path
(ingest/target_paths.py), by definition — every drafted target of every plan source and made-up text named by
the rule paths that read it, and asked about exactly when one of them is weak on the evaluation's plans.

Every text here is made up (the forms of copies found on the web, none of their words)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chengzhen.ingest import flags as FL
from chengzhen.ingest import target_paths as TP
from chengzhen.text.normalize import squash
from conftest import DATA
from test_ingest_flags import _clean, _draft_text, _records, drafts  # noqa: F401 - a fixture

# made-up quantities and the unit each is counted in (a unit of another family is not drafted: asked instead)
NAMES = [("人均公园面积", "平方米"), ("城区道路长度", "公里"), ("县城建成区面积", "平方公里"), ("城市绿道长度", "公里"),
         ("人均住房面积", "平方米"), ("中心城区面积", "平方公里"), ("污水管网长度", "公里")]
VERBS = ["增长", "增加", "提高", "扩大"]


def _targets(text: str) -> list[dict]:
    d = _draft_text(text)
    return [t for r in _records(d.body) for t in r.get("targets") or [] if t.get("value") is not None]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantity=st.sampled_from(NAMES), verb=st.sampled_from(VERBS), value=st.integers(min_value=2, max_value=900),
       lead=st.booleans())
def test_a_verb_of_increase_before_a_figure_in_a_unit_of_its_own_is_an_amount_added(quantity, verb, value, lead):
    """增长1.5平方米 after a quantity's name, or 拓展 opening the clause before it (拓展县城城区面积1.5平方公里):
    an amount added (basis increase), and the verb is no part of the indicator; 提高到 is a level."""
    name, unit = quantity
    said = f"拓展{name}{value}{unit}以上" if lead else f"{name}{verb}{value}{unit}"
    got = _targets(f"一、发展目标\n到2025年,{said}。\n")
    assert got, said
    t = got[0]
    assert t["basis"] == "increase", (said, t)
    assert not re.search(r"^拓展|(?:增长|增加|提高|扩大)$", t["indicator"]), (said, t["indicator"])
    level = _targets(f"一、发展目标\n到2025年,{name}提高到{value}{unit}。\n")
    assert level and level[0]["basis"] == "level", level


def _path_flags(flags, r, t) -> list[str]:
    aw = squash(t.get("as_written") or "")
    return [x for _n, i, x in flags if i == r.get("id") and "evaluation's plans" in x and aw in squash(x)]


def test_a_target_is_asked_about_exactly_when_a_rule_path_that_read_it_is_weak(drafts):
    """Over every plan source and made-up text: each drafted target read by a path the table finds weak is
    asked about, naming each weak field and path (the targets of a line and record read by the same weak paths
    in one flag); no other is (unless ingest's own flag names it already)."""
    weak = TP.weak()
    assert weak and all(p.split("/")[0] in TP.PATHS for _f, p in weak)
    seen = 0
    for name, d in drafts.items():
        c = _clean(d)
        ev = FL._evidence(c, DATA, None)
        flags = FL.raise_flags(c, DATA)
        names = FL._indicator_names(DATA)
        # one question per line, record and weak paths: the targets it holds named in it, each
        alike = [(n, i, re.sub(r"^targets? [^:]*: ", "", x)) for n, i, x in flags
                 if "targets of the evaluation's plans" in x]
        assert len(alike) == len(set(alike)), (name, sorted(alike))
        for r in _records(c.body):
            for t in r.get("targets") or []:
                p = TP.paths(ev, r, t, names, FL._near_text)
                # (a scope ingest itself proposes as a place is in question already: not asked again)
                proposed = {squash(i) for _l, i, _r in ev.existing}
                hits = {(f, p[f]) for f in ("target", "year", "basis", "indicator", "unit", "scope") if (f, p[f]) in weak
                        and not (f == "scope" and squash(str(t.get("scope") or "")) in proposed)}
                said = _path_flags(flags, r, t)
                if hits:
                    seen += 1
                    assert said, (name, t.get("as_written"), hits)
                    for f, path in hits:
                        assert f" {f} was read from {TP.describe(path)}" in said[0], (name, said, f, path)
                else:  # (a flag names the figure as written: another target of the record writing it too may own it)
                    twins = [o for o in r.get("targets") or [] if o is not t and squash(t.get("as_written") or "")
                             in squash(o.get("as_written") or "")]
                    assert not said or any({(f, q[f]) for q in [TP.paths(ev, r, o, names, FL._near_text)]
                                            for f in ("target", "year", "basis", "indicator", "unit", "scope")} & weak
                                           for o in twins), (name, t.get("as_written"), said)
    assert seen


def _target_lines(d, shortest: int, longest: int) -> list[str]:
    """The source lines (squashed) that ``d``'s targets with a figure stand on, outside tables and boxes."""
    lines = []
    for r in _records(d.body):
        for t in r.get("targets") or []:
            line = t.get("line") or r.get("line")
            if isinstance(line, int) and 1 <= line <= len(d.lines) and r.get("kind") not in ("table", "box") \
                    and t.get("value") is not None:
                s = squash(d.lines[line - 1])
                if shortest <= len(s) <= longest and s not in lines:
                    lines.append(s)
    return lines


def test_every_plan_sources_goal_lines_as_a_news_item_are_asked_about(drafts):
    """Each plan source's goal sentences retold as a news item (a headline, a story, no headings and no period):
    its targets are read by the paths of a text without headings, and each is asked about when those are weak."""
    weak = TP.weak()
    tried = 0
    for name, d in drafts.items():
        for s in _target_lines(d, 8, 160)[:2]:
            text = f"某地加快推进新型城镇化\n记者从某某局获悉,该局提出了今后的工作目标。\n{s}\n(作者:某某)\n"
            c = _clean(_draft_text(text))
            assert not c.body.get("sections")
            ev = FL._evidence(c, DATA, None)
            flags = FL.raise_flags(c, DATA)
            for r in _records(c.body):
                for t in r.get("targets") or []:
                    p = TP.paths(ev, r, t, FL._indicator_names(DATA), FL._near_text)
                    assert p["target"] == "target:plain"
                    if ("target", "target:plain") in weak or ("year", p["year"]) in weak:
                        assert _path_flags(flags, r, t) or any(
                            squash(t.get("as_written") or "") in squash(x) for _n, i, x in ev.existing if i == r.get("id")), \
                            (name, s, t.get("as_written"))
                        tried += 1
    assert tried >= 2


@settings(max_examples=15, deadline=None)
@given(pair=st.sampled_from([("常住人口城镇化率", "户籍人口城镇化率"), ("城区绿化覆盖率", "绿地率"), ("城镇化率", "户籍人口城镇化率")]),
       value=st.integers(min_value=1, max_value=9), other=st.integers(min_value=10, max_value=60))
def test_one_figure_several_quantities_share_after_分别_is_asked_about_when_drafted_once(pair, value, other):
    """A和B分别增长1.5个百分点: one figure for each quantity — fewer targets drafted on it than the quantities the
    clause joins is asked about; 分别达到60%和50% (a figure each) is not."""
    a, b = pair
    d = _clean(_draft_text(f"一、发展目标\n到2025年,{a}和{b}分别提高{value}个百分点。\n"))
    on = [t for r in _records(d.body) for t in r.get("targets") or [] if t.get("value") == value]
    flags = FL.raise_flags(d, DATA)
    shared = [x for _n, _i, x in flags if "share the figure" in x]
    assert (len(on) < 2) == bool(shared), (on, flags)
    d = _clean(_draft_text(f"一、发展目标\n到2025年,{a}和{b}分别达到{other + 1}%和{other}%。\n"))
    assert not [x for _n, _i, x in FL.raise_flags(d, DATA) if "share the figure" in x]


def test_a_target_on_a_line_quoting_the_headline_inside_a_sites_words_is_flagged(drafts):
    """Each plan source's goal sentence as a news page whose site repeats its headline inside words of its own
    (关于X的热门信息, X内容): every target drafted on such a line is asked about there."""
    tried = 0
    for name, d in drafts.items():
        for s in _target_lines(d, 12, 100)[:2]:
            aw = next(squash(t.get("as_written") or "") for r in _records(d.body) for t in r.get("targets") or []
                      if squash(t.get("as_written") or "") and squash(t.get("as_written") or "") in s)
            head = "某某省:" + next(x for x in re.split(r"[,，。;；]", s) if aw in x)  # the page's headline: its clause
            # not the page's last line (one there is the page's footer: ingest/front.py skips it, no target)
            text = f"{head}\n日前,某某省人民政府发布通知,提出新的目标。\n{s}\n关于{head}的热门信息\n通知还对保障措施作出部署。\n"
            c = _clean(_draft_text(text))
            on = [(r, t) for r in _records(c.body) for t in r.get("targets") or [] if (t.get("line") or r.get("line")) == 4]
            flags = FL.raise_flags(c, DATA)
            for r, t in on:
                assert [x for n, i, x in flags if n == 4 and i == r["id"] and "repeats the page's headline" in x], (name, s)
                tried += 1
    assert tried >= 2


@settings(max_examples=20, deadline=None)
@given(obj=st.sampled_from(["城镇老旧小区", "背街小巷", "老旧小区", "农贸市场", "城中村", "老旧管网"]),
       verb=st.sampled_from(["改造", "整治", "修缮"]), unit=st.sampled_from(["个", "条", "处"]),
       value=st.integers(min_value=2, max_value=3000))
def test_a_count_with_what_is_done_to_its_thing_before_the_figure_is_drafted_thing_first(obj, verb, unit, value):
    """改造城镇老旧小区30个: a target (once left undrafted: 小区 read as a place's name), its indicator named as the
    vocabulary names such quantities — the thing, then what is done to it (城镇老旧小区改造, or its count)."""
    said = f"{verb}{obj}{value}{unit}"
    got = _targets(f"一、发展目标\n到2025年,{said}。\n")
    assert got and got[0]["value"] == value, said
    ind = got[0]["indicator"]
    assert not ind.startswith(verb) and verb in ind and (obj in ind or obj.replace("城镇", "") in ind), (said, ind)
