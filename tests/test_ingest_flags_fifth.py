"""Review flags of the fifth round (issue 24; ingest/flag_kinds.py), by definition: the kinds of misreading
frozen7's blind run left unflagged, each over every plan source the data holds (data/sources/*) written
into the form that misleads ingest, and each plan source's own draft raising none of them.

Every text here is made up (the forms of copies found on the web, none of their words)."""

from __future__ import annotations

import re

import pytest

from chengzhen.ingest import flags as FL
from chengzhen.text.normalize import squash
from conftest import DATA
from test_ingest_flags import _clean, _draft_text, _records, _sections, _set, drafts  # noqa: F401 - a fixture

KINDS = {
    "headline": "repeats the page's headline",
    "one_year": "a plan of the one year",
    "notice": "cites the notice that printed the plan",
    "restart": "the numbering restarts at",
    "skipped_goal": "skipped as words before the plan",
}


def _raised(d) -> list[tuple[int, str, str]]:
    return FL.raise_flags(_clean(d), DATA)


def test_no_plan_source_raises_a_fifth_round_flag_as_drafted(drafts):
    for name, d in drafts.items():
        said = [(n, r) for n, _i, r in _raised(d) if any(k in r for k in KINDS.values())]
        assert not said, (name, said)


def _goal_lines(d, clause: bool = False) -> list[str]:
    """The source lines each drafted target of ``d`` stands on (squashed; or the clause that writes its figure),
    a few per draft."""
    out = []
    for r in _records(d.body):
        for t in r.get("targets") or []:
            line = t.get("line") or r.get("line")
            aw = squash(t.get("as_written") or "")
            if isinstance(line, int) and 1 <= line <= len(d.lines) and r.get("kind") not in ("table", "box") \
                    and re.search(r"\d", aw):
                s = squash(d.lines[line - 1])
                if clause:
                    s = next((x for x in re.split(r"[,，。;；]", s) if aw in x), "")
                if 8 <= len(s) <= 120 and s not in out:
                    out.append(s)
    return out[:2]


def test_a_news_pages_原标题_line_drafted_as_a_target_is_flagged(drafts):
    """Each plan source's goal sentence as a news page: its headline, the story, and the 原标题: line
    repeating the headline at its end — every target drafted on the 原标题 line is asked about there."""
    tried = 0
    for name, d in drafts.items():
        for s in _goal_lines(d):
            text = f"{s}\n日前,某某省人民政府发布通知,提出新的目标。\n{s}\n原标题:{s}\n"
            c = _clean(_draft_text(text))
            on = [(r, t) for r in _records(c.body) for t in r.get("targets") or [] if (t.get("line") or r.get("line")) == 4]
            flags = FL.raise_flags(c, DATA)
            for r, t in on:
                assert [x for n, i, x in flags if n == 4 and i == r["id"] and KINDS["headline"] in x], (name, s, flags)
                tried += 1
    assert tried >= 2


def test_a_year_long_plans_period_drafted_as_several_years_is_flagged_with_the_years_after_it(drafts):
    """Every plan source's draft with a period of several years, its name made a year's 工作重点 of the first
    year: the period is asked about, and each target whose implied year is the period's end."""
    tried = 0
    for name, d in drafts.items():
        c = _clean(d)
        per = c.entry.get("period") or {}
        if not isinstance(per, dict) or not per.get("start") or per.get("start") == per.get("end"):
            continue
        for form in ("{0}年{1}推进新型城镇化工作重点", "{1}{0}年度新型城镇化工作计划"):
            m = _set(c, name=form.format(per["start"], c.entry.get("region") or "某某省"))
            flags = FL.raise_flags(m, DATA)
            # asked about (by this check, or by another that questions the period first: one flag a field)
            assert [x for _n, i, x in flags if i == m.plan_id and x.startswith("period:")], (name, form, flags)
            for r in _records(m.body):
                for t in r.get("targets") or []:
                    if t.get("year_implied") and t.get("year") == per["end"]:
                        assert [x for _n, i, x in flags if i == r["id"] and "one year" in x], (name, t)
            tried += 1
    assert tried >= 2


def test_a_goal_in_a_preamble_skipped_as_a_page_summary_is_flagged_on_its_line(drafts):
    """Each plan source's goal sentence, in the preamble of a year's 工作重点 whose title ingest skips: no target
    drafted from it, and it is asked about on its line."""
    tried = 0
    for name, d in drafts.items():
        for goal in _goal_lines(d, clause=True):
            text = (f"2015年某某省推进新型城镇化工作重点\n为贯彻落实《某某省新型城镇化规划(2014—2020年)》,推动新型城镇化健康发展,"
                    f"力争{goal}。\n一、实施市民化工程\n1.深化户籍制度改革。推动建立积分落户制度。\n2.强化住房保障。加快棚户区改造。\n")
            c = _clean(_draft_text(text))
            if 2 not in FL._evidence(c, DATA, None).skipped:
                continue  # drafted as the plan's own text: nothing to ask
            if any((t.get("line") or r.get("line")) == 2 for r in _records(c.body) for t in r.get("targets") or []):
                continue
            flags = FL.raise_flags(c, DATA)
            assert [x for n, _i, x in flags if n == 2 and KINDS["skipped_goal"] in x], (name, goal, flags)
            tried += 1
    assert tried >= 2


def test_an_issuer_a_news_lead_cites_the_notice_of_is_asked_for_when_none_is_drafted(drafts):
    """Each plan source's issuing body (its 落款 or notice title) named only in a news lead's 《X关于印发…的通知》,
    in simplified and traditional script: no issuer drafted is asked about on that line."""
    tried = 0
    for name, d in drafts.items():
        ev = FL._evidence(d, DATA, None)
        who = next((w for _n, w, _d in FL._signature(ev) if w), None) or next((w for _n, w in FL._notice_issuer(ev)), None)
        if not who:
            continue
        title = squash(d.entry.get("name") or "某某工作计划")
        for lead in (f"今天,某某网站发布了《{who}关于印发{title}的通知》,明确了工作任务。",
                     f"今天,某某網站發布了《{who}關于印發{title}的通知》,明確了工作任務。"):
            text = lead + "\n一、基础设施互联互通\n(一)道路畅通工程。加快建设快速通道。\n(二)公交工程。推进公共交通同城化。\n"
            c = _clean(_draft_text(text))
            if c.entry.get("issuer"):
                continue
            flags = FL.raise_flags(c, DATA)
            assert [x for n, i, x in flags if n == 1 and i == c.plan_id and x.startswith("issuer:")], (name, lead, flags)
            tried += 1
    assert tried >= 2


def test_a_notices_numbered_items_before_the_plans_title_are_flagged_as_not_its_headings(drafts):
    """Each plan source's own first headings after a call for comments numbered 一、二、 (征求方式, 征求时间), its
    落款 and the plan's title: the notice's items are asked about, the plan's headings are not."""
    tried = 0
    for name, d in drafts.items():
        heads = [s for s in d.body.get("sections", []) if s.get("number") == "一、"][:1] + \
                [s for s in d.body.get("sections", []) if s.get("number") == "二、"][:1]
        if len(heads) < 2:
            continue
        title = squash(d.entry.get("name") or "")
        if not title:
            continue
        text = ("关于公开征求意见的公告\n一、征求方式\n市民可以通过信件方式反馈意见建议。\n二、征求时间\n截止日期为2021年10月26日。\n"
                "某某市发展和改革委员会\n2021年9月26日\n" + title + "\n" +
                "".join(f"{s['number']}{s['title']}\n推进各项工作。\n" for s in heads))
        c = _clean(_draft_text(text))
        flags = FL.raise_flags(c, DATA)
        secs = list(_sections(c.body))
        notice = [s for s in secs if (s.get("line") or 99) < 8]
        own = [s for s in secs if (s.get("line") or 0) > 9]
        assert len(notice) == 2 and own, (name, [(s.get("line"), s.get("title")) for s in secs])
        for s in notice:
            assert [x for n, i, x in flags if i == s["id"] and KINDS["restart"] in x], (name, s, flags)
        for s in own:
            assert not [x for n, i, x in flags if i == s["id"] and KINDS["restart"] in x], (name, s)
        tried += 1
    assert tried >= 2


def test_the_note_on_the_province_the_text_names_most_goes_when_that_region_was_replaced(drafts):
    """front.py's note “X is the province the text names most” speaks of the region X; when ingest/places.py
    replaced it by a place within X (铜仁市 for 贵州省) and says so, the note is withdrawn; when the region is a
    place outside X, or a place within it that no note explains (a wrong region), it stays — for every plan source's draft, its name composed and no issuer (nothing else
    that settles it), X the province its region lies in."""
    tried = 0
    for name, d in drafts.items():
        ev = FL._evidence(d, DATA, None)
        got = FL._resolve(ev, d.entry.get("region") or "")
        if not got or got[0].name == "全国":
            continue
        book = ev.places
        prov = next((book.places[c] for c in [got[0].code, *book.ancestors(got[0].code)]
                     if c in book.places and book.places[c].level == "province"), None)
        inner = next((p for p in book.places.values() if p.level == "city" and prov and prov.code in book.ancestors(p.code)), None)
        outer = next((p for p in book.places.values() if p.level == "province" and prov and p.code != prov.code), None)
        if not (prov and inner and outer):
            continue
        for note in (f"region: the title names no place; {prov.name} is the province the text names most",
                     f"region: {prov.name} is the province the text names most"):
            for region, gone in ((inner.name, True), (outer.name, False)):
                m = _set(_clean(d), supplied={"name": "composed"}, issuer=None, region=region)
                # ingest/places.py's own note when it replaced the region (a wrong region has none)
                said = f"region: read as {region}, the place within {prov.name} it names most"
                m.review = [(0, m.plan_id, note)] + ([(0, m.plan_id, said)] if gone else [])
                m.entry["review"] = note
                FL.raise_flags(m, DATA)
                assert (note not in [r for _l, _i, r in m.review]) == gone, (name, region, note)
                if gone:
                    assert note not in (m.entry.get("review") or ""), (name, note)
            tried += 1
    assert tried >= 2


def test_a_scope_proposed_as_a_class_is_asked_about_once(drafts):
    """A target's scope that reads as no place: asked about on the target — unless ingest proposed it already
    (ingest/places.py: a class in the plan's vocabulary, one flag on the scope), then not again."""
    tried = 0
    for name, d in drafts.items():
        c = _clean(d)
        quiet = {i for _l, i, _x in FL.raise_flags(_set(c), DATA)}
        # the first target whose record is asked nothing as drafted (each target has one flag at most)
        r = next((r for r in _records(c.body) if r.get("targets") and r.get("id") not in quiet
                  and r["targets"][0].get("value") is not None and r.get("kind") not in ("table", "box")), None)
        if r is None:
            continue
        scope = "省域经济副中心和区域中心"
        r["targets"][0]["scope"] = scope
        asked = [x for _l, i, x in FL.raise_flags(_set(c), DATA) if i == r["id"] and "does not read as a place" in x]
        assert asked, name
        m = _set(c)
        m.review = [(0, scope, "a scope no vocabulary knows: proposed in vocabulary/x.yaml (places: classes)")]
        again = [x for _l, i, x in FL.raise_flags(m, DATA) if i == r["id"] and "does not read as a place" in x]
        assert not again, (name, again)
        tried += 1
    assert tried >= 2


def test_a_牵头_配合_list_read_onto_a_paragraph_after_its_measure_is_flagged(drafts):
    """Each plan source's drafted 责任单位 names as a 牵头/配合 clause closing the last line of a numbered measure
    whose sub-items stand on lines of their own (bullets): drafted on a paragraph, the list is asked about
    there; drafted on the measure, nothing is."""
    tried = 0
    for name, d in drafts.items():
        names = [n for r in _records(d.body) for n in (r.get("departments") or []) if isinstance(n, str)]
        names = list(dict.fromkeys(names))[:3]
        if len(names) < 2:
            continue
        clause = f"({names[0]}牵头,{'、'.join(names[1:])}配合)"
        text = ("某某都市圈建设2019年工作计划\n一、基础设施互联互通\n(一)道路畅通工程。加快建设快速通道,推进道路交通体系建设。\n"
                "全面规划快速通道路网,\n?加快建设东线公路等项目;\n?开工建设快速通道等项目。\n"
                f"进一步规范道路交通设施,保障道路安全畅通。{clause}\n(二)公交工程。推进公共交通同城化。\n")
        c = _clean(_draft_text(text))
        flags = FL.raise_flags(c, DATA)
        on = [r for r in _records(c.body) if r.get("departments") and (r.get("line") or 0) == 7]
        for r in on:
            asked = [x for _n, i, x in flags if i == r["id"] and "牵头/配合" in x]
            assert bool(asked) == (r.get("kind") == "paragraph"), (name, r.get("kind"), flags)
            tried += r.get("kind") == "paragraph"
    assert tried >= 2
