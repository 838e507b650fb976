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


def _clean(d):
    """The draft as ingest's rules left it, without any flag: every field unquestioned."""
    c = copy.deepcopy(d)
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


def test_each_catalogue_field_made_wrong_is_flagged(drafts):
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
