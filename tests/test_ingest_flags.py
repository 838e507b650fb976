"""Review flags from independent evidence (ingest/flags.py), by definition.

* Every quantity of a draft's source is accounted for: a drafted target, a
  figure the draft records a reason for, or a flag on its line — over every
  plan source the data holds (data/sources/*, whatever plans exist) and the
  made-up texts below.  "Quantity" is `cz review`'s own reading of the
  source (ingest/review.py: QUANTITY), not the flags' (an independent
  enumeration).
* Every field made wrong is flagged: each draft of those sources, with one
  field at a time made wrong the way real copies made ingest go wrong (a
  page label for the issuer, a date or 文号 missed, a phrase for the region,
  a heading lost, a target missed …), gets a flag on that field.
* A flag is what `cz review` lists, in the reader's language.

Every text here is made up (the forms of copies found on the web, none of
their words)."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from chengzhen.ingest import decode as DEC
from chengzhen.ingest import flags as FL
from chengzhen.ingest.draft import draft_from_text, make_draft
from chengzhen.ingest.review import QUANTITY
from chengzhen.text.normalize import squash
from conftest import DATA, run_cz

SOURCES = sorted((DATA / "sources").glob("*.txt"))

MADE_UP = {
    "label_issuer": """\
当前位置:首页 > 信息公开 > 规划计划
索引号: 0000/2024-001 组配分类: 规划计划
发布机构: 某某县发展和改革委员会 主题分类: 综合政务
名称: 某某省新型城镇化规划(2021—2030年) 文号:
某某省人民政府关于印发某某省新型城镇化规划(2021—2030年)的通知
各市、县人民政府,省政府各部门:
现将《某某省新型城镇化规划(2021—2030年)》印发给你们,请认真组织实施。
某某省人民政府
二○二一年六月九日
(此件公开发布,本文有删减)
某某省新型城镇化规划(2021—2030年)
第一章 发展基础
2020年全省常住人口城镇化率达到55.2%,比2015年提高6.1个百分点。
第三章 发展目标
到2030年,全省常住人口城镇化率达到65%左右,县城常住人口达到1200万人。
""",
    "goal_not_drafted": """\
某某市推进城市更新工作方案(2025—2027年)
一、工作目标
到2027年,全市新建建成区45%以上面积达到海绵城市建设要求,城市生活污水集中收集率达到70%。
二、重点任务
(一)推进老旧小区改造。到2027年改造城镇老旧小区300个。(责任单位:市住房城乡建设局)
(二)完善公共服务。推动基本公共服务均等化。
""",
}


def _draft_text(text: str, plan_id: str = "mou"):
    decoded = DEC.Decoded(text if text.endswith("\n") else text + "\n", "utf-8", "text")
    return draft_from_text(decoded, DATA, plan_id, "test.txt")


@pytest.fixture(scope="module")
def drafts():
    """Each plan source the data holds, and each made-up text, drafted (not written)."""
    out = {}
    for path in SOURCES:
        out[path.stem] = make_draft(path, DATA, "x" + path.stem.replace("-", "_")[:20])
    for name, text in MADE_UP.items():
        out[name] = _draft_text(text)
    return out


def _ev(d):
    return FL._evidence(d, DATA, None)


# --------------------------------------------------------------------------- every quantity is accounted for


def test_every_quantity_is_a_target_a_recorded_non_target_or_flagged(drafts):
    assert len(drafts) >= 2 + 1  # the made-up texts and at least one plan source
    counted = 0
    for name, d in drafts.items():
        ev = _ev(d)
        figures = FL.account(ev)
        by_line: dict[int, list] = {}
        for f in figures:
            by_line.setdefault(f.line, []).append(f)
        flagged_lines = {(line, item) for line, item, _r in d.review}
        for n in range(max(ev.body_start, 1), len(ev.lines) + 1):
            if n in ev.skipped or n in ev.title_lines or n in ev.annex_lines:
                continue
            for m in QUANTITY.finditer(ev.line(n)):
                fig = squash(m.group(0))
                if re.fullmatch(r"(?:19|20)\d{2}(?:\s*[—–―\-~～至到]\s*(?:19|20)\d{2})?\s*年", fig):
                    continue  # a year, as `cz review` leaves them out
                digits = re.findall(r"\d+(?:\.\d+)?", fig)
                mine = [f for f in by_line.get(n, []) if any(x in f.figure for x in digits)]
                assert mine, f"{name} line {n}: {fig} is not accounted for: {ev.line(n)[:120]}"
                counted += 1
                for f in mine:
                    assert f.status in ("target", "reason", "flagged"), f
                    if f.status == "reason":
                        assert f.why, f
                    if f.status == "flagged":
                        assert (n, f.item) in flagged_lines, f"{name} line {n}: {f.figure} flagged but not in the review list"
    assert counted > 50


def test_a_goal_figure_the_draft_missed_is_flagged_and_a_past_one_is_not(drafts):
    d = drafts["goal_not_drafted"]
    texts = " ".join(r for _l, _i, r in d.review)
    got = {squash(t["as_written"]) for r in _records(d.body) for t in r.get("targets", [])}
    # whatever ingest drafts today, a goal figure it did not draft is asked about
    for fig in ("45%以上", "70%", "300个"):
        assert fig in got or fig in texts, (fig, got, texts)
    d = drafts["label_issuer"]
    figures = {f.figure: f for f in FL.account(_ev(d))}
    assert figures["55.2%"].status != "flagged" and "6.1个百分点" not in " ".join(r for _l, _i, r in d.review)


# --------------------------------------------------------------------------- every field made wrong is flagged


def _records(body):
    yield from body.get("measures", [])
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop(0)
        yield from s.get("measures", [])
        stack[:0] = s.get("sections", [])


def _sections(body):
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop(0)
        yield s
        stack[:0] = s.get("sections", [])


def _copy(d):
    """A copy of draft ``d`` to make wrong.  What the flags never read (its
    audit and its places draft, with the whole place vocabulary: most of a
    deep copy's cost) is shared, not copied."""
    return copy.deepcopy(d, memo={id(d.audit): d.audit, id(d.places): d.places})


def _clean(d):
    """The draft as ingest's rules left it, without any flag: every field unquestioned."""
    c = _copy(d)
    c.review = []
    c.entry.pop("review", None)
    for r in list(_records(c.body)) + list(_sections(c.body)):
        r.pop("review", None)
    return c


def _flags_on(c, key: str) -> list[str]:
    return [r for _l, item, r in FL.raise_flags(c, DATA) if item == c.plan_id and r.startswith(key + ":")]


def _mutations(d):
    """(what, field, mutate) for each way a field of ``d`` can be made wrong that its source can tell."""
    ev = _ev(d)
    e = d.entry
    out = [
        ("a label's words for the name", "name", lambda c: c.entry.update(name="组配分类:规划计划")),
        ("a page label for the issuer", "issuer", lambda c: c.entry.update(issuer="某某县发展和改革委员会 主题分类: 综合政务")),
        ("a phrase for the region", "region", lambda c: c.entry.update(region="关于推进以县")),
        ("a phrase for the region (its level)", "level", lambda c: c.entry.update(region="关于推进以县", level="county")),
        ("another level", "level", lambda c: c.entry.update(level="county" if e.get("level") != "county" else "province")),
    ]
    if FL._signature(ev) or FL._notice_issuer(ev):
        out.append(("no issuer, though a 落款 or notice names one", "issuer", lambda c: c.entry.update(issuer=None)))
        out.append(("another body as the issuer", "issuer", lambda c: c.entry.update(issuer="某某市人民政府")))
    if any(dt for _n, who, dt in FL._signature(ev) if who):
        out.append(("no date, though the 落款 has one", "issue_date", lambda c: c.entry.update(issue_date=None)))
        out.append(("a page's date", "issue_date", lambda c: c.entry.update(issue_date="1999-01-01")))
    if e.get("doc_number") and any(squash(e["doc_number"]) == s or f"{squash(e['doc_number'])}" in s
                                   for s in ev.sq[:max(ev.body_start, 1)]):
        out.append(("no 文号, though the header writes one", "doc_number", lambda c: c.entry.update(doc_number=None)))
    if re.search(r"(?:19|20)\d{2}\s*[—–―\-~～至]\s*(?:19|20)\d{2}", squash(e.get("name") or "")):
        out.append(("another period than the name's", "period",
                    lambda c: c.entry.update(period={"start": 1990, "end": 1995})))
    if e.get("abridged"):
        out.append(("the 删减 note missed", "abridged", lambda c: c.entry.pop("abridged", None)))
    return out


def _every(drafts: dict, stride: int) -> dict:
    """Every ``stride``-th draft in name order (the quick suite: every second; the slow pass: all)."""
    return {k: drafts[k] for k in sorted(drafts)[::stride]}


EVERY_DRAFT = [pytest.param(2, id="every-second-draft"), pytest.param(1, id="every-draft", marks=pytest.mark.slow)]


@pytest.mark.parametrize("stride", EVERY_DRAFT)
def test_each_catalogue_field_made_wrong_is_flagged(drafts, stride):
    drafts = _every(drafts, stride)
    applied = 0
    for name, d in drafts.items():
        for what, key, mutate in _mutations(d):
            c = _clean(d)
            mutate(c)
            got = _flags_on(c, key)
            assert got, f"{name}: {what} — no {key} flag"
            applied += 1
    assert applied >= 5 * len(drafts)


def test_a_heading_lost_between_two_is_flagged(drafts):
    applied = 0
    for name, d in drafts.items():
        for s in _sections(d.body):
            group = s.get("sections", [])
            numbered = [x for x in group if x.get("number") and not x.get("restored")]
            if len(numbered) < 3:
                continue
            c = _clean(d)
            parent = next(x for x in _sections(c.body) if x.get("id") == s.get("id"))
            lost = parent["sections"].pop(1)
            got = [r for _l, _i, r in FL.raise_flags(c, DATA) if r.startswith("structure:")]
            assert got, f"{name}: heading {lost.get('number')}{lost.get('title')} removed, nothing flagged"
            applied += 1
            break
    assert applied >= 1


def test_a_goal_target_lost_is_flagged_on_its_line(drafts):
    applied = 0
    for name, d in drafts.items():
        for r in _records(d.body):
            if r.get("kind") != "measure":
                continue
            for k, t in enumerate(r.get("targets", [])):
                clause = t.get("quote") or ""
                if not re.search(r"(?:到|至)\s*20\d{2}\s*年", clause) or t.get("line") != r.get("line"):
                    continue
                c = _clean(d)
                rc = next(x for x in _records(c.body) if x.get("id") == r.get("id"))
                rc["targets"] = [x for j, x in enumerate(rc["targets"]) if j != k and x.get("as_written") != t.get("as_written")]
                flags = FL.raise_flags(c, DATA)
                figures = [f for f in FL.account(_ev(c)) if f.line == t["line"] and f.status != "target"]
                assert any(f.status == "flagged" for f in figures) or any(f.why for f in figures), (name, t["as_written"])
                if any(f.status == "flagged" for f in figures):
                    assert any(line == t["line"] for line, _i, _r in flags)
                    applied += 1
                break
            if applied > 4:
                break
    assert applied >= 3


def test_the_made_up_label_copy_is_flagged_where_it_misleads(drafts):
    d = drafts["label_issuer"]
    c = _clean(d)
    c.entry.update(issuer="某某县发展和改革委员会 主题分类: 综合政务", issue_date=None)
    c.entry.pop("abridged", None)
    keys = {r.split(":", 1)[0] for _l, item, r in FL.raise_flags(c, DATA) if item == c.plan_id}
    assert {"issuer", "issue_date", "abridged"} <= keys, keys
    # the 落款's date in Chinese numerals is read as a date
    assert (6, 9) == next(dt for _n, who, dt in FL._signature(_ev(d)) if who)[1:]


def _flagged(c, item=None, line=None) -> list[str]:
    return [r for ln, it, r in FL.raise_flags(c, DATA) if (item is None or it == item) and (line is None or ln == line)]


@pytest.mark.slow  # long: runs in CI's slow pass (.ci/run)
def test_a_target_year_the_source_does_not_give_it_is_flagged(drafts):
    """By the format's rules of years: a stated year is written in the target's sentence or the goal it
    stands under; an implied one is the period's end (N年内 aside). Every target of every draft, given a
    year the source writes nowhere, is flagged."""
    applied = 0
    for name, d in drafts.items():
        end = (d.entry.get("period") or {}).get("end")
        for r in _records(d.body):
            for k, t in enumerate(r.get("targets", [])):
                if not t.get("year") or r.get("kind") in ("table", "box"):
                    continue
                source = "".join(d.lines)  # a year the source writes nowhere
                wrong = next(y for y in range(int(t["year"]) + 1, int(t["year"]) + 60) if str(y) not in source)
                if t.get("year_implied") and (not end or re.search(r"年内", (t.get("quote") or "") + (r.get("text") or ""))):
                    continue
                c = _clean(d)
                rc = next(x for x in _records(c.body) if x.get("id") == r.get("id"))
                rc["targets"][k]["year"] = wrong
                got = _flagged(c, rc["id"])
                assert got, f"{name} {r.get('id')}: {t['as_written']} given the year {wrong}, nothing flagged"
                applied += 1
    assert applied >= 20


# the 责任单位 mutations cost a whole pass of the flags each: the quick suite tries every third list of every
# draft (each draft, each kind of list), the slow pass every list
EVERY = [pytest.param(3, id="every-third"), pytest.param(1, id="every", marks=pytest.mark.slow)]


def _with_departments(d, stride: int) -> list[dict]:
    return [r for r in _records(d.body) if r.get("departments")][::stride]


@pytest.mark.parametrize("stride", EVERY)
def test_a_responsibility_list_lost_is_flagged(drafts, stride):
    """Every drafted 责任单位 list, dropped, is flagged on its record: the source still writes the clause."""
    applied = 0
    for name, d in drafts.items():
        for r in _with_departments(d, stride):
            c = _clean(d)
            rc = next(x for x in _records(c.body) if x.get("id") == r.get("id"))
            rc.pop("departments")
            rc.pop("lead", None)
            got = [x for x in _flagged(c, rc["id"]) if x.startswith("departments:")]
            assert got, f"{name} {r.get('id')}: its 责任单位 dropped, nothing flagged"
            applied += 1
    assert applied >= 20 // stride


@pytest.mark.parametrize("stride", EVERY)
def test_a_responsibility_list_with_a_name_lost_or_one_added_is_flagged(drafts, stride):
    """Every drafted 责任单位 list of more than one body, with its last name dropped, or a body added that
    its clause does not write, is flagged: the clause on its line names them."""
    applied = 0
    for name, d in drafts.items():
        for r in _with_departments(d, stride):
            deps = r["departments"]
            for how in ("drop", "add"):
                if how == "drop" and (len(deps) < 2 or isinstance(deps[-1], dict)):
                    continue
                c = _clean(d)
                rc = next(x for x in _records(c.body) if x.get("id") == r.get("id"))
                rc["departments"] = rc["departments"][:-1] if how == "drop" else rc["departments"] + ["某某省审计厅"]
                got = [x for x in _flagged(c, rc["id"]) if x.startswith("departments:")]
                assert got, f"{name} {r.get('id')}: a name {'dropped' if how == 'drop' else 'added'}, nothing flagged"
                applied += 1
    assert applied >= 30 // stride


def test_a_numbered_measure_read_as_text_is_flagged(drafts):
    """Every numbered measure, drafted instead as the text of the record before it, is flagged: its line
    still opens with its number."""
    applied = 0
    for name, d in drafts.items():
        for group in [d.body.get("measures", [])] + [s.get("measures", []) for s in _sections(d.body)]:
            for i in range(1, len(group)):
                r = group[i]
                if not (r.get("number") and r.get("kind") == "measure" and group[i - 1].get("kind") in ("measure", "paragraph")):
                    continue
                c = _clean(d)
                cg = next(g for g in [c.body.get("measures", [])] + [s.get("measures", []) for s in _sections(c.body)]
                          if any(x.get("id") == r.get("id") for x in g))
                j = next(k for k, x in enumerate(cg) if x.get("id") == r.get("id"))
                prev, gone = cg[j - 1], cg.pop(j)
                prev["text"] = (prev.get("text") or "") + (gone.get("title") or "") + (gone.get("text") or "")
                prev["line_end"] = gone.get("line_end") or gone.get("line")
                got = [x for x in _flagged(c) if x.startswith("structure:")]
                assert got, f"{name}: measure {gone.get('number')}{gone.get('title') or ''} read as text, nothing flagged"
                applied += 1
                break
    assert applied >= 5


def test_a_parent_that_is_the_plans_own_or_a_cited_one_lost_is_flagged(drafts):
    applied = 0
    for name, d in drafts.items():
        e = d.entry
        if e.get("doc_number"):
            c = _clean(d)
            c.entry["parent"] = e["doc_number"]
            assert _flags_on(c, "parent"), f"{name}: its own 文号 as the parent, nothing flagged"
            applied += 1
        # the parent its preamble implements — not the plan's own 文号 (a cited title the data knows as this very
        # plan, a city's plan of the same name, gives its own 文号: flagged as above; dropping it is the fix, no loss)
        if e.get("parent") and "parent" not in (e.get("supplied") or {}) and squash(e["parent"]) != squash(e.get("doc_number") or ""):
            c = _clean(d)
            c.entry["parent"] = None
            assert _flags_on(c, "parent"), f"{name}: the parent its preamble implements dropped, nothing flagged"
            applied += 1
    assert applied >= 3


MADE_UP_FORMS = {
    # a 落款 dated with digits run together: one reading, and two
    "compact_one": "某某市人民政府办公室关于印发某某市城镇化建设工作方案的通知\n各县区人民政府:\n现将《某某市城镇化建设工作方案》印发给你们。\n"
                   "某某市人民政府办公室\n2023614\n某某市城镇化建设工作方案\n一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n"
                   "二、重点任务\n(一)推进落户。放宽落户条件。\n",
    "compact_two": "某某市人民政府办公室关于印发某某市城镇化建设工作方案的通知\n各县区人民政府:\n现将《某某市城镇化建设工作方案》印发给你们。\n"
                   "某某市人民政府办公室\n2023111\n某某市城镇化建设工作方案\n一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n"
                   "二、重点任务\n(一)推进落户。放宽落户条件。\n",
    # a page's 成文日期 label, no 落款
    "label_date": "成文日期: 2022-03-01 | 发布日期: 2022-03-05\n某某市城镇化建设工作方案\n一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n"
                  "二、重点任务\n(一)推进落户。放宽落户条件。\n",
    # no body named anywhere, and a news lead that names the issuing bodies
    "no_issuer": "某某市城镇化建设工作方案\n一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n二、重点任务\n(一)推进落户。放宽落户条件。\n",
    "news_issuer": "近日,中共某某市委办公厅、某某市人民政府办公厅印发了《某某市城镇化建设工作方案》。\n某某市城镇化建设工作方案\n"
                   "一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n二、重点任务\n(一)推进落户。放宽落户条件。\n",
    # a title over two lines; a three-year plan
    "two_lines": "某某市推进新型城镇化\n三年行动计划(2023—2025年)\n一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n"
                 "二、重点任务\n(一)推进落户。放宽落户条件。(市公安局负责)\n(二)完善服务。扩大公共服务覆盖。(市教育局牵头,市财政局配合)\n",
}


def test_a_compact_落款_date_is_read_when_it_reads_one_way_and_asked_when_two():
    d = _draft_text(MADE_UP_FORMS["compact_one"])
    assert d.entry.get("issue_date") == "2023-06-14"
    assert any(r.get("repaired", "").endswith("6月14日") or "6月14日" in r.get("repaired", "") for r in d.entry.get("repairs") or [])
    assert not [r for _l, i, r in d.review if r.startswith("issue_date:")]
    d = _draft_text(MADE_UP_FORMS["compact_two"])
    assert d.entry.get("issue_date") is None
    said = [r for _l, i, r in d.review if r.startswith("issue_date:")]
    assert said and "2023-01-11" in said[0] and "2023-11-01" in said[0], said


def test_an_empty_field_the_format_allows_is_not_flagged_and_one_a_line_fills_is():
    d = _draft_text(MADE_UP_FORMS["label_date"])
    assert not [r for _l, i, r in d.review if r.startswith("issue_date:")] or d.entry.get("issue_date")
    c = _clean(d)
    c.entry["issue_date"] = "2022-03-05"  # the page's publishing date, not the label's 成文日期
    assert _flags_on(c, "issue_date")
    d = _draft_text(MADE_UP_FORMS["no_issuer"])
    assert d.entry.get("issuer") is None and not [r for _l, i, r in d.review if r.startswith("issuer:")]
    d = _draft_text(MADE_UP_FORMS["news_issuer"])
    said = [r for _l, i, r in d.review if r.startswith("issuer:")]
    if d.entry.get("issuer") is None:
        assert said and "某某市人民政府办公厅" in said[0], said
    c = _clean(d)
    c.entry["issuer"] = "中共某某市委办公厅"  # half of a joint issue
    assert _flags_on(c, "issuer")


def test_a_name_cut_short_and_a_period_against_the_name_are_flagged():
    d = _draft_text(MADE_UP_FORMS["two_lines"])
    c = _clean(d)
    c.entry["name"] = "某某市推进新型城镇化"
    c.entry.pop("title_lines", None)
    assert _flags_on(c, "name")
    c = _clean(d)
    c.entry["name"] = "三年行动计划(2023—2025年)"
    assert _flags_on(c, "name")
    c = _clean(d)
    c.entry["name"] = "某某市推进新型城镇化三年行动计划"
    c.entry["period"] = {"start": 2023, "end": 2026}
    assert _flags_on(c, "period")


def test_responsibility_clauses_without_a_label_are_read_or_flagged():
    d = _draft_text(MADE_UP_FORMS["two_lines"])
    for r in _records(d.body):
        if r.get("number") in ("(一)", "(二)"):
            flagged = [x for _l, i, x in d.review if i == r["id"] and x.startswith("departments:")]
            assert r.get("departments") or flagged, r
            c = _clean(d)
            rc = next(x for x in _records(c.body) if x.get("id") == r["id"])
            rc.pop("departments", None)
            assert [x for x in _flagged(c, rc["id"]) if x.startswith("departments:")], r


MADE_UP_FORMS.update({
    # a page headline for the name, the text naming itself; an attachment list; a principle's commitment
    "self_named": "某某市城镇化规划\n来源:某某网 更新时间:2020-01-01\n《某某市城镇化发展“十三五”规划》是根据《某某市国民经济和社会发展"
                  "第十三个五年规划纲要》编制的专项规划。\n一、基本情况\n(一)基本原则\n坚持以人为本,推动基本公共服务常住人口全覆盖。\n"
                  "(二)发展目标\n到2020年,全市常住人口城镇化率达到60%。\n",
    "attachments": "某某县人民政府办公室关于印发某某县城镇化专项行动方案的通知\n各镇人民政府:\n现将两个专项行动方案印发给你们,请认真落实。\n"
                   "附件:\n1.某某县城市更新专项行动方案\n2.某某县城乡融合专项行动方案\n某某县人民政府办公室\n2022年10月28日\n"
                   "某某县城市更新专项行动方案\n一、总体要求\n推进城市更新。\n二、重点任务\n(一)改造老旧小区。到2025年改造老旧小区30个。\n",
    # a document site's page numbers opening lines that continue the line before
    "fragments": "1、某某省新型城镇化规划(2014-2020年)目录第一章发展基础第二章存在问题第三章发展环境第四章指导思想第五章基本原则第六章推动城乡\n"
                 "2、发展一体化第七章加快推进城乡统筹发展城镇化是现代化的必由之路,是扩大内需的重要抓手,根据国家规划编制本规划(2014-\n"
                 "3、2020年),明确发展路径和主要目标,是指导全省城镇化健康发展的规划。\n",
})


def test_a_page_headline_for_the_name_is_flagged_where_the_text_names_itself():
    d = _draft_text(MADE_UP_FORMS["self_named"])
    c = _clean(d)
    c.entry["name"] = "某某市城镇化规划"
    c.entry.pop("supplied", None)
    assert any("城镇化发展“十三五”规划" in r for r in _flags_on(c, "name"))


def test_a_target_stated_under_principles_is_asked_about():
    d = _draft_text(MADE_UP_FORMS["self_named"])
    for r in _records(d.body):
        for t in r.get("targets", []):
            if "60%" in (t.get("as_written") or ""):
                assert not [x for _l, i, x in d.review if i == r["id"] and "principles" in x]
    c = _clean(d)
    principle = next((x for x in _records(c.body) if "全覆盖" in (x.get("text") or "")), None)
    assert principle is not None
    principle.setdefault("targets", []).append({"indicator": "基本公共服务常住人口覆盖率", "value": None, "as_written": "全覆盖",
                                                "comparator": "complete", "year": 2020, "year_implied": True,
                                                "quote": "推动基本公共服务常住人口全覆盖", "line": principle["line"]})
    assert [x for x in _flagged(c, principle["id"]) if "principles" in x]


def test_an_attachment_list_and_page_numbers_read_as_the_outline_are_flagged():
    d = _draft_text(MADE_UP_FORMS["attachments"])
    c = _clean(d)
    entries = [n for n, x in enumerate(d.lines, start=1) if re.match(r"\s*[12]\.某某县", x)]
    fake = [{"id": f"mou/9{k}", "number": f"{k}.", "title": squash(d.lines[n - 1])[2:], "line": n, "measures": []}
            for k, n in enumerate(entries, start=1)]
    c.body.setdefault("sections", []).extend(fake)
    got = _flagged(c)
    assert all(any("附件" in x for x in got if x) for _ in fake) and [x for _l, i, x in FL.raise_flags(_clean(c), DATA)
                                                                     if i in {f["id"] for f in fake}]
    d = _draft_text(MADE_UP_FORMS["fragments"])
    c = _clean(d)
    c.body.setdefault("measures", []).append({"id": "mou/p9", "kind": "measure", "number": "2、", "title": None,
                                              "text": squash(d.lines[1])[2:], "line": 2})
    assert [x for x in _flagged(c, "mou/p9") if "breaks off mid-sentence" in x]


def test_an_indicator_its_clause_does_not_write_is_flagged():
    d = _draft_text("某某省城镇化实施方案(2016—2020年)\n一、主要目标\n到2020年,全省户籍人口城镇化率达到54%,常住人口城镇化率达到60%。\n")
    c = _clean(d)
    got = []
    for r in _records(c.body):
        for t in r.get("targets", []):
            if t.get("as_written", "").startswith("54"):
                t["indicator"] = "常住人口城镇化率"
                got = [x for x in _flagged(c, r["id"]) if "户籍人口城镇化率" in x]
            elif t.get("as_written", "").startswith("60"):
                assert t.get("indicator") == "常住人口城镇化率"
    assert got


# --------------------------------------------------------------------------- cz review says them


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


def test_review_lists_the_flags_in_the_readers_language(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(MADE_UP["goal_not_drafted"], encoding="utf-8")
    assert run_cz(["ingest", str(src), "--id", "mou"]).code == 0
    recs = json.loads(run_cz(["review", "mou", "--format", "json"]).out)["records"]
    flags = [x["text"] for x in recs if x["kind"] == "flag"]
    # the made-up city is no place of the gazetteer: the region and the level it gives are asked about
    assert any("is no place the gazetteer knows" in x for x in flags), flags
    zh = run_cz(["review", "mou", "--format", "table"], env={"CZ_LANG": "zh", "COLUMNS": "400"}).out
    assert "不是地名库" in zh and "is no place the gazetteer" not in zh, zh[-1500:]
    en = run_cz(["review", "mou", "--format", "table"], env={"CZ_LANG": "en", "COLUMNS": "400"}).out
    assert "is no place the gazetteer knows" in en


# --------------------------------------------------------------------------- third round: spans and generic evidence

MADE_UP_FORMS.update({
    # the issuing bodies on a line of their own above the title, the date in brackets under it (no notice, no 落款)
    "bracket_date": "某某省委办公厅 某某省政府办公厅\n关于加快推进农业转移人口市民化的实施意见\n(2016年9月9日)\n"
                    "为贯彻落实国家部署,现提出如下实施意见。\n一、总体要求\n(一)指导思想。推进新型城镇化。\n"
                    "(二)主要目标。到2020年,全省常住人口和户籍人口城镇化率均提高3个百分点以上,"
                    "到2020年底前基本完成城中村改造。\n",
    # a byline: the body and the date on one line before the title
    "byline": "某某省人民政府 2024年11月17日\n某某省城镇化行动方案\n为推进城镇化,制定本方案。\n一、发展目标\n"
              "经过5年努力,常住人口城镇化率提升至62%左右。\n二、重点任务\n(一)深化户籍制度改革。放宽落户条件。\n",
})


def test_a_date_or_body_the_front_matter_writes_alone_is_asked_for_when_none_is_drafted():
    for form, body, date in (("bracket_date", "某某省委办公厅", "2016-09-09"), ("byline", "某某省人民政府", "2024-11-17")):
        d = _draft_text(MADE_UP_FORMS[form])
        c = _clean(d)
        c.entry["issuer"] = None
        c.entry["issue_date"] = None
        (c.entry.get("supplied") or {}).pop("issuer", None)
        issuer, issued = _flags_on(c, "issuer"), _flags_on(_set(c, issuer=None, issue_date=None), "issue_date")
        assert issuer and body in issuer[0], (form, issuer)
        assert issued and date in issued[0], (form, issued)
    # a page's own date (发布时间) is no evidence: the format allows an empty date beside it
    d = _draft_text("某某网 发布时间:2021-09-02 10:15\n某某市城镇化实施方案\n一、工作目标\n到2025年,全市常住人口城镇化率达到60%。\n")
    assert not _flags_on(_set(_clean(d), issue_date=None), "issue_date")


def _set(c, **values):
    c = _copy(c)
    c.review = []
    c.entry.pop("review", None)
    c.entry.update(values)
    return c


def test_a_figure_shared_by_several_quantities_and_a_figureless_deadline_are_asked_about():
    d = _draft_text(MADE_UP_FORMS["bracket_date"])
    c = _clean(d)
    shared = [(r, t) for r in _records(c.body) for t in r.get("targets", []) if (t.get("as_written") or "").startswith("3")]
    assert shared
    r, t = shared[0]
    r["targets"] = [x for x in r["targets"] if x is t]  # one target for the figure both quantities share
    got = FL.raise_flags(c, DATA)
    assert [x for _l, i, x in got if i == r["id"] and "share the figure" in x], got
    # a deadline with a word of completion and no figure, no target: a commitment without a figure?
    assert [x for _l, i, x in got if x.startswith("commitment:") and "基本完成" in x], got
    r["targets"].append({"indicator": "城中村改造", "value": None, "as_written": "基本完成", "comparator": "complete",
                         "year": 2020, "quote": "到2020年底前基本完成城中村改造", "line": t.get("line")})
    got = FL.raise_flags(_clean(c), DATA)
    assert not [x for _l, i, x in got if x.startswith("commitment:")], got
    # two targets, one each: nothing to ask
    r["targets"] = [dict(t, indicator="常住人口城镇化率"), dict(t, indicator="户籍人口城镇化率")] + r["targets"][1:]
    assert not [x for _l, i, x in FL.raise_flags(_clean(c), DATA) if "share the figure" in x]


@pytest.mark.parametrize("stride", EVERY_DRAFT)
def test_every_heading_measure_and_unit_is_tied_to_its_span(drafts, stride):
    """Over every plan source and made-up text: a heading's title cut short or run on, a numbered measure
    read from another line, a unit its figure does not write — each flagged; the drafts as they are, not."""
    drafts = _every(drafts, stride)
    tried = 0
    for name, d in drafts.items():
        c = _clean(d)
        assert not [x for _l, i, x in FL.raise_flags(_copy(c), DATA)
                    if "goes on after its title" in x or "does not open with its number" in x or "not its title" in x
                    or "not what its figure writes" in x or "writes no unit" in x], name
        for s in list(_sections(c.body))[:2]:  # (the two first of each draft: each check costs a whole pass)
            if s.get("restored") or len(s.get("title") or "") < 4:
                continue
            for title in (s["title"][: len(s["title"]) // 2], "另一个标题" + s["title"]):
                m = _copy(c)
                ms = next(x for x in _sections(m.body) if x.get("id") == s.get("id"))
                ms["title"] = title
                assert [x for _l, i, x in FL.raise_flags(m, DATA) if i == s["id"]], (name, s.get("title"), title)
                tried += 1
        for r in list(_records(c.body))[:40]:
            for k, t in enumerate(r.get("targets") or []):
                if t.get("value") is None or not t.get("unit") or r.get("kind") in ("table", "box"):
                    continue
                m = _copy(c)
                mr = next(x for x in _records(m.body) if x.get("id") == r.get("id"))
                mr["targets"][k]["unit"] = "万人" if t["unit"] == "%" else "%"
                assert [x for _l, i, x in FL.raise_flags(m, DATA) if i == r["id"] and "unit" in x], (name, t)
                tried += 1
                break
    assert tried >= 8 // stride


def test_a_name_or_region_written_nowhere_in_the_source_is_flagged(drafts):
    for name, d in drafts.items():
        c = _clean(d)
        if not c.entry.get("name") or "name" in (c.entry.get("supplied") or {}):
            continue
        assert [r for r in _flags_on(_set(c, name="某某省某某事业发展规划"), "name")], name
        if c.entry.get("region") and c.entry["region"] != "全国":
            assert _flags_on(_set(c, region="嘉峪关市", level="city"), "region"), name


def test_what_frozen6_showed_once_measured_is_flagged():
    """(after frozen6 was measured, blind) a period read from the years of a plan the preamble cites, a level
    that follows a region in doubt, a magnitude (万) drafted as a unit."""
    d = _draft_text("某某市人民政府关于印发加快城镇化建设的实施意见的通知\n各区县人民政府:\n现将《加快城镇化建设的实施意见》印发你们。\n"
                    "某某市人民政府\n2015年3月16日\n加快城镇化建设的实施意见\n为贯彻落实《国家新型城镇化规划(2014—2020年)》,"
                    "结合实际,制定本实施意见。\n一、指导思想\n以人的城镇化为核心。\n")
    assert d.entry.get("period") and [r for _l, i, r in d.review if r.startswith("period:")], d.review
    c = _clean(d)
    c.review = [(0, c.plan_id, "region: the title names no place; 某某省 is the province the text names most")]
    c.entry.update(region="贵州省", level="province")
    assert [r for _l, i, r in FL.raise_flags(c, DATA) if r.startswith("level:")]
    d = _draft_text(MADE_UP_FORMS["bracket_date"])
    c = _clean(d)
    r, t = next((r, t) for r in _records(c.body) for t in r.get("targets", []) if t.get("value") is not None)
    t["unit"] = "万"
    assert [x for _l, i, x in FL.raise_flags(c, DATA) if i == r["id"] and "magnitude" in x]


# --------------------------------------------------------------------------- fourth round: flags by kind of misreading

# one goal sentence, its figure written in forms ingest does not read whole (made up)
FIGURE_FORMS = {
    "1，700万人": ("新增城镇人口1，700万人", "part of a longer number"),  # a full-width thousands comma
    "65．5%": ("常住人口城镇化率达到65．5%", "part of a longer number"),  # a full-width decimal point
    "12万5千人": ("城镇人口达到12万5千人", "part of a longer number"),  # a magnitude written in two parts
    "三十五万人": ("城镇人口达到三十五万人", "spelled in Chinese numerals"),
    "百分之六十五": ("常住人口城镇化率达到百分之六十五", "spelled in Chinese numerals"),
}


def _goal_text(sentence: str) -> str:
    return (f"某某市新型城镇化实施方案(2021—2025年)\n一、发展目标\n到2025年,{sentence}。\n二、重点任务\n"
            "(一)推进户籍改革。放宽落户条件。\n")


@pytest.mark.parametrize("form", sorted(FIGURE_FORMS))
def test_a_figure_in_a_form_ingest_reads_in_part_or_not_at_all_is_flagged(form):
    """A goal figure with a full-width separator, a magnitude in two parts or Chinese numerals: whatever
    ingest drafts of it (a piece, or nothing), the review asks on the figure's line."""
    sentence, why = FIGURE_FORMS[form]
    d = _draft_text(_goal_text(sentence))
    line = next(n for n, x in enumerate(d.lines, start=1) if sentence[:6] in squash(x))
    drafted = [t for r in _records(d.body) for t in r.get("targets") or [] if squash(t.get("as_written") or "") == form]
    if not drafted:  # read in part, or not read: asked about on its line
        assert [r for n, _i, r in d.review if n == line and why in r], (form, d.review)


@pytest.mark.parametrize("stride", EVERY_DRAFT)
def test_every_target_figure_read_in_part_from_another_line_or_misvalued_is_flagged(drafts, stride):
    """Over every plan source and made-up text: no target as drafted is asked about by these checks; each
    target (of the first records of each draft) with its figure read in part (its first digit lost), drafted
    on a line of another record, or with its value ten times what it writes — flagged on its record."""
    drafts = _every(drafts, stride)
    kinds = ("part of a longer number", "is not written on line", "but its figure is written on line",
             "not the number its figure writes", "spelled in Chinese numerals", "quotation marks", "is a year, not",
             "span of years or an anniversary", "bare number run into")
    tried = 0
    for name, d in drafts.items():
        c = _clean(d)
        said = [x for _l, _i, x in FL.raise_flags(_copy(c), DATA) if any(k in x for k in kinds)]
        assert not said, (name, said)
        lines = sorted({r["line"] for r in _records(c.body) if isinstance(r.get("line"), int)})
        for r in list(_records(c.body))[:60]:
            for k, t in enumerate(r.get("targets") or []):
                aw = t.get("as_written") or ""
                m = re.search(r"\d+(?:\.\d+)?", aw)
                if t.get("value") is None or r.get("kind") in ("table", "box") or not m:
                    continue
                changes = [{"value": t["value"] * 10}]
                if len(m.group(0)) >= 2 and m.group(0)[1] != "." and m.group(0)[1:].lstrip("0"):
                    part = m.group(0)[1:]
                    changes.append({"value": float(part), "as_written": aw.replace(m.group(0), part, 1)})
                other = next((n for n in lines if n > (r.get("line") or 0) + 2 and squash(aw) not in squash(c.lines[n - 1])), None)
                if other:
                    changes.append({"line": other})
                for change in changes:
                    mut = _copy(c)
                    next(x for x in _records(mut.body) if x.get("id") == r.get("id"))["targets"][k].update(change)
                    assert [x for _l, i, x in FL.raise_flags(mut, DATA) if i == r["id"]], (name, aw, change)
                    tried += 1
                break
    assert tried >= 10 // stride


CITED_YEARS = ("某某市人民政府关于加快城镇化建设的实施意见\n为贯彻落实《国家新型城镇化规划(2014—2020年)》(2014年3月16日印发),"
               "结合我市实际,提出如下实施意见。\n一、指导思想\n以人的城镇化为核心。\n二、主要目标\n到2020年,全市常住人口城镇化率达到60%。\n")


def test_a_catalogue_value_written_only_beside_a_cited_document_is_flagged():
    """A period or a date of issue written in the source only in (or beside) the title of a document the text
    cites is that document's: asked about; the same values in the plan's own name are not."""
    c = _clean(_draft_text(CITED_YEARS))
    assert _flags_on(_set(c, period={"start": 2014, "end": 2020}), "period")
    assert _flags_on(_set(c, issue_date="2014-03-16"), "issue_date")
    own = _clean(_draft_text(CITED_YEARS.replace("实施意见\n为", "实施意见(2014—2020年)\n为", 1)))
    assert not [r for r in _flags_on(_set(own, period={"start": 2014, "end": 2020}), "period") if "cites" in r]


def test_a_targets_implied_year_is_in_doubt_when_the_period_is():
    c = _clean(_draft_text("某某市新型城镇化实施方案(2021—2025年)\n一、发展目标\n全市常住人口城镇化率达到65%。\n"))
    r, t = next((r, t) for r in _records(c.body) for t in r.get("targets", []) if t.get("year_implied"))
    c.review = [(0, c.plan_id, "period: none stated: worked out from the date of issue")]
    assert [x for _l, i, x in FL.raise_flags(c, DATA) if i == r["id"] and "end of the period" in x], t


def test_review_shows_a_fourth_round_flag_with_its_source_line_in_chinese(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(_goal_text("常住人口城镇化率达到65．5%"), encoding="utf-8")
    assert run_cz(["ingest", str(src), "--id", "mou"]).code == 0
    recs = json.loads(run_cz(["review", "mou", "--format", "json"]).out)["records"]
    flag = next(x for x in recs if x["kind"] == "flag" and "part of a longer number" in x["text"])
    assert flag["line"] == 3 and "65．5%" in flag["source"], flag
    zh = run_cz(["review", "mou", "--format", "table"], env={"CZ_LANG": "zh", "COLUMNS": "400"}).out
    assert "更长数字的一部分" in zh and "part of a longer number" not in zh, zh[-1500:]


def test_a_region_the_plans_own_文号_contradicts_is_flagged_with_its_level():
    """A government's 文号 says whose plan it is: a province's abbreviation (晋政发) names the province the region
    lies in; a city's or county's (某市府发, 临政办发) says the region is no province — its level in doubt too."""
    text = ("某某县人民政府办公室关于印发某某县城镇化工作方案的通知\n临政办发〔2024〕37号\n各乡镇人民政府:\n"
            "现将《某某县城镇化工作方案》印发给你们。\n某某县人民政府办公室\n2024年5月6日\n某某县城镇化工作方案\n"
            "为落实山西省和陕西省的部署,制定本方案。\n一、工作目标\n到2025年,全县常住人口城镇化率达到50%。\n")
    c = _clean(_draft_text(text))
    assert c.entry.get("doc_number") == "临政办发〔2024〕37号", c.entry
    wide = _set(c, region="山西省", level="province")
    said = [r for _l, i, r in FL.raise_flags(wide, DATA) if i == wide.plan_id]
    assert [r for r in said if r.startswith("region:") and "文号" in r] and [r for r in said if r.startswith("level:")], said
    other = _set(c, doc_number="晋政发〔2024〕20号", region="陕西省", level="province")
    assert [r for r in _flags_on(other, "region") if "山西省" in r]
    own = _set(c, doc_number="晋政发〔2024〕20号", region="山西省", level="province")
    assert not [r for r in _flags_on(own, "region") if "文号" in r]


NOT_QUANTITIES = ("某某市城镇化实施方案(2021—2025年)\n一、发展目标\n"
                  "到2025年,构建“1277”城镇体系,实施“3010”民生工程。\n"
                  "到2025年,2000年底前建成的老旧小区全部完成改造。\n"
                  "到2025年,在改革开放40多年和建市70周年的基础上,常住人口城镇化率达到60%。\n"
                  "到2025年,14供水紧张问题基本解决。\n")


@pytest.mark.parametrize("figure", ["1277", "3010", "2000", "40", "70", "14"])
def test_a_figure_that_is_no_quantity_drafted_as_a_target_is_flagged(figure):
    """A name in quotation marks, a year, a span or anniversary, a bare number run into words (a page number):
    drafted as a target (as a misreading would), each is asked about on its line."""
    c = _clean(_draft_text(NOT_QUANTITIES))
    line = next(n for n, x in enumerate(c.lines, start=1) if figure in x)
    owner = next(r for r in _records(c.body) if (r.get("line") or 0) <= line <= (r.get("line_end") or r.get("line") or 0))
    owner.setdefault("targets", []).append({"indicator": "指标", "value": int(figure), "unit": None, "as_written": figure,
                                            "comparator": "eq", "basis": "level", "year": 2025, "year_implied": False,
                                            "quote": squash(c.lines[line - 1]), "line": line})
    said = [r for n, i, r in FL.raise_flags(c, DATA) if i == owner["id"] and figure in r]
    assert said, (figure, c.review)


def test_a_contents_with_no_目录_line_drafted_as_headings_is_flagged_on_every_heading(drafts):
    """By definition, over every plan source: its own drafted headings written one per line after a notice —
    a copy that holds only the table of contents, with or without page numbers, and no 目录 line — drafts
    headings with no text under any of them; each is flagged on its line.  A heading written with its 。
    (…双落地。) and a page number after it is drafted as a numbered measure whose text is its title and the
    page number: each such measure is flagged on its line too."""
    tried = 0
    for name, d in drafts.items():
        heads = [s for s in _sections(d.body) if s.get("number") and s.get("title") and not s.get("restored")]
        if len(heads) < 3:
            continue
        for pages in (False, True):
            lines = ["某某市人民政府关于印发某某市新型城镇化规划的通知", ""]
            lines += [f"{s['number']}  {s['title']}" + (f" - {k + 2} -" if pages else "") for k, s in enumerate(heads)]
            c = _clean(_draft_text("\n".join(lines) + "\n"))
            drafted = [s for s in _sections(c.body) if not s.get("restored")] + \
                [r for r in _records(c.body) if r.get("number")]
            assert len(drafted) >= 3, name
            flags = FL.raise_flags(c, DATA)
            for s in drafted:
                assert any(it == s.get("id") and ln == s.get("line") for ln, it, _r in flags), \
                    (name, pages, s.get("number"), s.get("title"))
            tried += 1
    assert tried >= 2
