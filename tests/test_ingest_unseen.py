"""Plans nobody here has seen (issue 24): any text is drafted — one heading,
``1﹒``/``1．``/``①`` numbering, a news lead, site chrome, a cut-off end —; a
field that cannot be read is left empty and flagged; what the source states
is read (issuer from the 落款, a parent named without 《》, plan-wide
assignment notes, repeated pinyin glosses, headline figures, every figure of
a clause, a baseline year from its own clause only, indicator and place
apart); `cz review` lists what to check and accepts flags; `cz ingest DIR`
drafts a batch.

Every text here is made up for the test (the forms of 公文 copies found on
the web, none of their words): the real copies stay out of the repository
(bench/unseen_eval.py measures ingest on them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from chengzhen.ingest import decode as DEC
from chengzhen.ingest.draft import draft_from_text, verify
from conftest import DATA, declare_places, run_cz

NOTICE = """\
某某省人民政府关于印发《某某省推进新型城镇化建设实施方案(2025—2029年)》的通知
某政发〔2025〕9号
各市(州)、县(市、区)人民政府,省政府各部门:
现将《某某省推进新型城镇化建设实施方案(2025—2029年)》印发给你们,请认真贯彻执行。
某某省人民政府
2025年4月2日
(此件公开发布)
某某省推进新型城镇化建设实施方案(2025—2029年)
为深入实施以人为本的新型城镇化战略,结合我省实际,制定本实施方案。
"""


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    # the made-up plans' region and 省会都市圈 declared as places (cz validate: E176, E177)
    declare_places(root, regions=("某某省",), groups=("省会都市圈",))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "build" not in p.parts}


def draft(text: str, data: Path = DATA, plan_id: str | None = "mou"):
    decoded = DEC.Decoded(text if text.endswith("\n") else text + "\n", "utf-8", "text")
    d = draft_from_text(decoded, data, plan_id, "test.txt")
    verify(d, data)
    return d


def records(body: dict):
    yield from body.get("measures", [])
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop(0)
        yield from s.get("measures", [])
        stack[:0] = s.get("sections", [])


def sections(body: dict):
    stack = list(body.get("sections", []))
    while stack:
        s = stack.pop(0)
        yield s
        stack[:0] = s.get("sections", [])


def targets(d) -> list[dict]:
    return [t for r in records(d.body) for t in r.get("targets", [])]


def reasons(d) -> str:
    return "\n".join(r for _, _, r in d.review)


# --------------------------------------------------------------------------- forms that once refused a plan

FORMS = {
    "one heading": NOTICE + "一、总体要求\n到2029年,全省常住人口城镇化率达到64%左右,城镇新增就业稳定增长。\n",
    "1﹒ numbering": NOTICE + "一、重点任务\n1﹒深化户籍制度改革。全面放开落户限制。\n2﹒健全公共服务制度。推动基本公共服务均等化。\n",
    "1． numbering": NOTICE + "一、重点任务\n1．深化户籍制度改革。全面放开落户限制。\n2．健全公共服务制度。推动基本公共服务均等化。\n",
    "① numbering": NOTICE + "一、重点任务\n①深化户籍制度改革。全面放开落户限制。\n②健全公共服务制度。推动基本公共服务均等化。\n",
    # a reprint's lead: it announces the plan by name and repeats its words (validation checks both)
    "a news lead": "3月5日,某某省人民政府印发《某某省推进新型城镇化建设实施方案(2025—2029年)》。\n"
                  "方案提出,到2029年,全省常住人口城镇化率达到64%左右。\n原文如下:\n" + NOTICE
                  + "一、总体要求\n到2029年,全省常住人口城镇化率达到64%左右。\n",
    "site chrome": "首页 > 政务公开 > 政策文件\n来源:某某省人民政府 发布时间:2025-04-08 浏览次数:35\n字号:大 中 小 打印本页\n"
                   + NOTICE + "一、总体要求\n到2029年,全省常住人口城镇化率达到64%左右。\n二、重点任务\n推进城市更新。\n"
                   + "扫一扫在手机打开当前页\n版权所有:某某省人民政府办公厅\n",
    "a cut-off end": NOTICE + "一、总体要求\n到2029年,全省常住人口城镇化率达到64%左右。\n二、重点任务\n(一)深化户籍制度改革。全面放开",
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_form_that_once_refused_the_plan_is_drafted(form, data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(FORMS[form], encoding="utf-8")
    r = run_cz(["ingest", str(src), "--dry-run", "--format", "json"])
    assert r.code == 0, (r.code, r.err, r.out[-500:])
    doc = json.loads(r.out)
    body = doc["draft"]["plan"]
    assert doc["draft"]["catalogue"]["period"] == {"start": 2025, "end": 2029}
    assert doc["draft"]["catalogue"]["issuer"] == "某某省人民政府"
    assert any(s["number"] for s in sections(body))
    if "numbering" in form:
        numbered = [m for m in records(body) if m.get("number")]
        assert [m["title"] for m in numbered] == ["深化户籍制度改革", "健全公共服务制度"], numbered
    if form == "a cut-off end":
        assert "节选" in doc["draft"]["catalogue"]["completeness"]
        assert any(x["reason"].startswith("completeness: the copy breaks off") for x in doc["records"])
    else:
        assert "节选" not in doc["draft"]["catalogue"]["completeness"]


def test_a_news_article_is_drafted_and_kept_pending(data_copy, tmp_path):
    """Not a plan (no period, no title): with --dry-run the whole draft is
    printed with what blocks it and nothing is written; without, it is kept
    pending in drafts/ (no other file changes); exit 1 (a binary or empty
    file is exit 2)."""
    src = tmp_path / "news.txt"
    src.write_text("本报讯 昨日,某市召开新型城镇化工作推进会。会议指出,要扎实推进城市更新。\n" * 3, encoding="utf-8")
    before = snapshot(data_copy)
    r = run_cz(["ingest", str(src), "--dry-run"])
    assert r.code == 1, (r.code, r.err)
    assert "# ---- data/plans" in r.out  # the whole draft
    assert "blocking (E111): field 'period'" in r.err and "Traceback" not in r.err
    assert "/tmp/cz-ingest" not in r.err  # never a temporary copy's file name
    assert snapshot(data_copy) == before
    r = run_cz(["ingest", str(src)])
    assert r.code == 1, (r.code, r.err)
    assert "blocking (E111): field 'period'" in r.out and "/tmp/cz-ingest" not in r.out
    after = snapshot(data_copy)
    assert {k for k in after if after[k] != before.get(k)} and all(
        k.startswith("drafts/") for k in after if after[k] != before.get(k)), sorted(after)


def test_a_period_the_text_does_not_state_is_given_with_period(data_copy, tmp_path):
    text = NOTICE.replace("(2025—2029年)", "") + "一、总体要求\n推进以人为本的新型城镇化。\n"
    src = tmp_path / "plan.txt"
    src.write_text(text, encoding="utf-8")
    assert run_cz(["ingest", str(src), "--dry-run"]).code == 1
    r = run_cz(["ingest", str(src), "--dry-run", "--period", "2025-2029", "--format", "json"])
    assert r.code == 0, r.err
    cat = json.loads(r.out)["draft"]["catalogue"]
    assert cat["period"] == {"start": 2025, "end": 2029} and "--period" in cat["supplied"]["period"]
    assert run_cz(["ingest", str(src), "--period", "2029-2025"]).code == 2


# --------------------------------------------------------------------------- what the source states

def test_issuer_from_the_signature_when_no_notice_title_names_it():
    text = NOTICE.split("\n", 1)[1]  # the copy starts at the 文号
    d = draft(text + "一、总体要求\n到2029年,全省常住人口城镇化率达到64%左右。\n")
    assert d.entry["issuer"] == "某某省人民政府"
    assert not d.blocking


def test_a_page_headline_is_not_the_issuer():
    text = "某某省政府印发重要通知\n来源:某某日报 发布时间:2025-04-09\n" + NOTICE + "一、总体要求\n推进城市更新。\n"
    d = draft(text)
    assert d.entry["issuer"] == "某某省人民政府" and not d.blocking


def test_joint_issuers_side_by_side():
    text = NOTICE.replace("某某省人民政府关于印发", "中共某某县委办公室  某某县人民政府办公室关于印发").replace(
        "某某省推进", "某某县推进")
    d = draft(text + "一、总体要求\n推进县城建设。\n")
    assert d.entry["issuer"] == "中共某某县委办公室某某县人民政府办公室"


def test_the_parent_named_without_quotes_or_doc_number():
    text = NOTICE.replace("为深入实施以人为本的新型城镇化战略,结合我省实际,",
                          "为深入实施以人为本的新型城镇化战略五年行动计划,结合我省实际,")
    d = draft(text + "一、总体要求\n推进城市更新。\n")
    assert d.entry["parent"] == "国发〔2024〕17号"
    assert "未写文号" in d.entry["supplied"]["parent"]
    assert not d.blocking


def test_the_name_from_the_notice_when_the_copy_has_no_title_line():
    lines = [ln for ln in NOTICE.splitlines() if ln != "某某省推进新型城镇化建设实施方案(2025—2029年)"]
    d = draft("\n".join(lines[1:]) + "\n一、总体要求\n推进城市更新。\n")
    assert d.entry["name"] == "某某省推进新型城镇化建设实施方案(2025—2029年)"
    assert d.entry["period"] == {"start": 2025, "end": 2029}
    assert not d.blocking, d.blocking


def test_a_plan_wide_assignment_note_in_its_common_wordings():
    body = ("一、重点任务\n(一)深化户籍制度改革。全面放开落户限制。(责任单位:省公安厅,各市州政府。以下任务除已明确市州政府的,"
            "均需各市州政府落实,不再一一列出)\n(二)健全公共服务制度。推动基本公共服务均等化。(责任单位:省发展改革委)\n")
    d = draft(NOTICE + body)
    note = d.body["applies_to_all_tasks"]
    assert note["departments"] == ["各市州政府"] and "以下任务除已明确市州政府的" in note["quote"]
    assert not d.blocking, d.blocking


def test_repeated_pinyin_glosses_are_taken_out():
    text = (NOTICE + "一、重點任務\n1﹒健(jian)全(quan)常住(zhu)(zhu)(zhu)地提供基(ji)本(ben)(ben)公共服務制度。穩步實現由常住(zhu)(zhu)地供給。\n"
            "2﹒優化就業服務體系。推行常住地公(gong)(gong) 共就業服務制度。\n")
    d = draft(text)
    assert d.entry["script"] == "traditional"
    one, two = [m for m in records(d.body) if m.get("number")]
    assert one["title"] == "健全常住地提供基本公共服务制度" and "(" not in one["text"]
    assert "公共就业服务制度" in two["text"]
    assert not d.blocking, d.blocking


def test_the_public_mark_with_its_abridgement_is_part_of_the_signature():
    d = draft(NOTICE.replace("(此件公开发布)", "(此件公开发布,本文有删减)") + "一、总体要求\n推进城市更新。\n")
    assert d.entry["abridged"] is True
    kinds = {s["kind"] for s in d.entry["skip"]}
    assert kinds == {"header", "signature"}, d.entry["skip"]
    assert not d.blocking


def test_a_headline_figure_without_verb_or_year_takes_the_period_end():
    d = draft(NOTICE + "一、总体要求\n坚持以人为本。经过5年的努力,全省新型城镇化水平明显提升,常住人口城镇化率接近68%,"
                       "力争达到全国平均水平。\n")
    (t,) = targets(d)
    assert (t["indicator"], t["value"], t["comparator"], t["year"], t["year_implied"]) == \
        ("常住人口城镇化率", 68, "approach", 2029, True)
    assert not d.blocking


def test_every_figure_of_a_clause_and_indicator_and_place_apart():
    body = ("一、总体要求\n(一)人口布局。到2029年底,甲乙都市圈城镇常住人口接近1800万,占全省城镇常住人口的40%左右;"
            "丙市、丁市省域副中心城市常住人口城镇化率提升幅度高于全省平均水平,城镇常住人口900万左右、"
            "占全省城镇常住人口的20%左右。\n")
    d = draft(NOTICE + body)
    got = {t["value"]: t for t in targets(d)}
    assert set(got) == {1800, 40, 900, 20}, got
    assert got[1800]["indicator"] == "城镇常住人口" and got[1800]["scope"] == "甲乙都市圈" and got[1800]["unit"] == "万人"
    assert got[40]["indicator"] == "城镇常住人口占全省城镇常住人口比重" and got[40]["scope"] == "甲乙都市圈"
    assert got[900]["indicator"] == "城镇常住人口" and got[900]["year"] == 2029 and not got[900]["year_implied"]
    # the places that open the second sentence are its subject: its figures' scope as written — no vocabulary
    # reads it, so it is proposed as one, flagged; the first sentence's group is not carried over to them
    assert got[900]["scope"] == got[20]["scope"] == "丙市、丁市省域副中心城市"
    assert any("丙市、丁市省域副中心城市" in str(item) and "proposed" in str(reason) for _, item, reason in d.review)
    assert not d.blocking, d.blocking


def test_a_baseline_year_only_from_its_own_clause():
    body = ("一、总体要求\n(一)城镇化率目标。到2029年底,全省常住人口城镇化率超过63%、较2024年提高4个百分点,"
            "城镇常住人口每年新增50万左右。\n")
    d = draft(NOTICE + body)
    got = {t["value"]: t for t in targets(d)}
    assert got[4]["baseline_year"] == 2024 and got[4]["basis"] == "increase"
    assert got[50]["baseline_year"] is None and got[50]["year"] == 2029 and not got[50]["year_implied"]
    assert got[50]["indicator"].startswith("年") and got[50]["unit"] == "万人"
    assert not d.blocking, d.blocking


# --------------------------------------------------------------------------- cz review

FIXTURE = NOTICE + """\
一、总体目标
到2029年,全省常住人口城镇化率达到63%左右,城乡居民收入比缩小到2.1以内。
二、重点任务
(一)推进城市更新。到2027年改造城镇老旧小区1200个。(责任单位:省住房城乡建设厅,省城市更新促进中心)
(二)优化公共服务。推动基本公共服务均等化,完善"""


def test_review_lists_what_to_check_and_accepting_clears_it(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(FIXTURE, encoding="utf-8")
    r = run_cz(["ingest", str(src), "--id", "mou"])
    assert r.code == 0, r.err
    r = run_cz(["review", "mou", "--format", "json"])
    assert r.code == 1, r.err  # flags remain
    doc = json.loads(r.out)
    recs = doc["records"]
    kinds = {x["kind"] for x in recs}
    assert {"flag", "skip", "catalogue", "vocabulary"} <= kinds, kinds
    flags = [x for x in recs if x["kind"] == "flag"]
    assert all(x["n"] for x in flags) and any(x["source"] for x in flags)
    # the cut-off end, flagged with its line
    assert any(x["text"].find("completeness: the copy breaks off") >= 0 for x in flags)
    # each catalogue field with the line it came from, or why it was supplied
    cat = {x["item"]: x for x in recs if x["kind"] == "catalogue"}
    assert cat["issuer"]["line"] == 1 and cat["doc_number"]["line"] == 2 and cat["issue_date"]["line"] == 6
    # a proposed indicator, with the vocabulary's closest name
    voc = {x["item"]: x for x in recs if x["kind"] == "vocabulary"}
    assert "城乡居民可支配收入比" in voc["城乡居民收入比"]["why"], voc
    # every skip with its text
    assert any("印发给你们" not in x["source"] and "某政发〔2025〕9号" in x["source"] for x in recs if x["kind"] == "skip")
    # accept one flag, then all
    r = run_cz(["review", "mou", "--accept", "1", "--format", "json"])
    assert len(json.loads(r.out)["accepted"]) == 1
    assert len([x for x in json.loads(r.out)["records"] if x["kind"] == "flag"]) == len(flags) - 1
    assert run_cz(["review", "mou", "--accept", "99"]).code == 2
    r = run_cz(["review", "mou", "--accept", "all", "--format", "json"])
    assert r.code == 0, r.out[-400:]
    import re

    assert not re.search(r"^\s*review:", (data_copy / "plans" / "mou.yaml").read_text(encoding="utf-8"), re.M)
    v = run_cz(["validate", "--plan", "mou", "--format", "json"])
    assert v.code == 0, v.out[-600:]


def test_accepting_the_vocabulary_keeps_it_in_the_plans_own_file(data_copy, tmp_path):
    """`--accept vocabulary` takes the review: out of each entry the draft
    proposed in vocabulary/<id>.yaml — the entries stay there (accepted), a
    shared vocabulary file is not touched, the plan's own flags remain; an
    entry a curator rewrote as a block mapping is accepted too."""
    src = tmp_path / "plan.txt"
    src.write_text(FIXTURE, encoding="utf-8")
    assert run_cz(["ingest", str(src), "--id", "mou"]).code == 0
    vocab = data_copy / "vocabulary" / "mou.yaml"
    shared = {name: (data_copy / name).read_bytes() for name in ("departments.yaml", "indicators.yaml")}
    before = yaml.safe_load(vocab.read_text(encoding="utf-8"))
    proposed = [e["name"] for k in ("departments", "indicators") for e in before.get(k) or []]
    assert proposed and all(e.get("review") for k in ("departments", "indicators") for e in before.get(k) or [])
    # one entry as a curator may rewrite it: a block mapping, its review on a line of its own
    text = vocab.read_text(encoding="utf-8")
    first = next(ln for ln in text.splitlines(True) if ln.startswith("  - {name: "))
    entry = yaml.safe_load(first.strip()[2:])
    block = "".join(f"{'  - ' if i == 0 else '    '}{k}: {json.dumps(v, ensure_ascii=False)}\n"
                    for i, (k, v) in enumerate(entry.items()))
    vocab.write_text(text.replace(first, block), encoding="utf-8")
    n_flags = len([x for x in json.loads(run_cz(["review", "mou", "--format", "json"]).out)["records"]
                   if x["kind"] == "flag"])
    r = run_cz(["review", "mou", "--accept", "vocabulary", "--format", "json"])
    doc = json.loads(r.out)
    assert sorted(x["item"] for x in doc["accepted"]) == sorted(proposed)
    assert not [x for x in doc["records"] if x["kind"] == "vocabulary"]  # nothing proposed is left
    assert len([x for x in doc["records"] if x["kind"] == "flag"]) == n_flags  # the plan's own flags remain
    after = yaml.safe_load(vocab.read_text(encoding="utf-8"))
    assert [e["name"] for k in ("departments", "indicators") for e in after.get(k) or []] == proposed
    assert not any("review" in e for k in ("departments", "indicators") for e in after.get(k) or [])
    assert {name: (data_copy / name).read_bytes() for name in shared} == shared
    # validate no longer lists the proposals (E304 on vocabulary entries)
    flagged = [p for p in json.loads(run_cz(["validate", "--plan", "mou", "--format", "json"]).out)["problems"]
               if p["code"] == "E304"]
    assert flagged and not [p for p in flagged if Path(p["file"]).parent.name == "vocabulary"]


def test_review_lists_numbers_that_are_not_targets_with_why(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(NOTICE + "一、发展基础\n2024年全省常住人口城镇化率达58.6%,较2020年提高3.2个百分点。\n"
                   "二、总体目标\n到2029年,全省常住人口城镇化率达到63%左右。\n", encoding="utf-8")
    assert run_cz(["ingest", str(src), "--id", "mou"]).code == 0
    recs = json.loads(run_cz(["review", "mou", "--format", "json"]).out)["records"]
    numbers = {x["text"]: x["why"] for x in recs if x["kind"] == "number"}
    assert "58.6%" in numbers and "63%左右" not in numbers, numbers
    assert "past" in numbers["58.6%"] or "reviews the past" in numbers["58.6%"], numbers


def test_review_of_an_unknown_plan_is_one_line(data_copy):
    r = run_cz(["review", "nosuchplan"])
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- cz ingest DIR

def test_a_directory_is_drafted_as_a_batch_with_one_summary(data_copy, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(FORMS["one heading"], encoding="utf-8")
    (folder / "b.txt").write_text(FORMS["1﹒ numbering"].replace("某某省", "某甲省"), encoding="utf-8")
    (folder / "c.bin").write_bytes(b"\x00\x01\x02" * 100)
    before = snapshot(data_copy)
    r = run_cz(["ingest", str(folder), "--dry-run", "--format", "json"])
    rows = json.loads(r.out)["records"]
    assert [x["file"] for x in rows] == ["a.txt", "b.txt", "c.bin"]
    assert [x["status"] for x in rows] == ["drafted", "drafted", "error"]
    assert "binary" in rows[2]["message"] and r.code == 1
    assert snapshot(data_copy) == before
    r = run_cz(["ingest", str(folder), "--format", "json"])
    rows = json.loads(r.out)["records"]
    assert [x["written"] for x in rows] == [True, True, False]
    assert (data_copy / "plans" / f"{rows[0]['plan']}.yaml").exists()
    table = run_cz(["ingest", str(folder), "--dry-run"])
    assert table.out.count("\n") >= 3 and "c.bin" in table.out


# --------------------------------------------------------------------------- wrappers the held-out sets showed

def test_a_news_lead_before_the_notice_and_a_preamble_cut_short():
    text = ("6月8日,某某部关于印发“十五五”某某城镇化实施方案的通知,通知要求,到2030年城市绿化覆盖率提高到45%。\n"
            "原文如下:\n某某部关于印发“十五五”某某城镇化实施方案的通知\n某规划〔2026〕12号\n"
            "各省、自治区、直辖市人民政府,有关部门:\n《“十五五”某某城镇化实施方案》已经同意,现印发给你们,请认真贯彻落实。\n"
            "某某部\n2026年6月1日\n“十五五”某某城镇化实施方案\n为深入贯彻落实党中央决策部署,明确“十五五” 时期推进")
    d = draft(text)
    e = d.entry
    assert (e["name"], e["issuer"], e["doc_number"], e["issue_date"]) == \
        ("“十五五”某某城镇化实施方案", "某某部", "某规划〔2026〕12号", "2026-06-01")
    assert e["period"] == {"start": 2026, "end": 2030}
    assert not targets(d)  # the lead's 45% is the reprint's, not the plan's text


def test_a_title_whose_last_line_is_short_and_a_own_titled_opinion():
    text = ("某发改〔2025〕31号\n某某市发展和改革委员会\n关于印发《推进县城建设的\n工作方案》的通知\n各县发改局:\n"
            "现将《推进县城建设的工作方案》印发你们,请认真落实。\n某某市发展和改革委员会\n2025年5月6日\n"
            "推进县城建设的\n工作方案\n为推进县城建设,结合实际,特制定如下方案。\n一、主要任务\n1. 补齐短板。完善设施。\n")
    d = draft(text)
    assert d.entry["name"] == "推进县城建设的工作方案" and d.entry["title_lines"] == [9, 10]
    text2 = ("某某省人民政府关于\n推进城乡建设的指导意见\n某政〔2025〕80号\n各市、县人民政府,省人民政府各部门:\n"
             "为推进城乡建设,现提出以下指导意见:\n一、总体要求\n(一)重要意义。\n“十四五”以来,我省城镇化率年均提高1.2个百分点。\n")
    d = draft(text2)
    assert (d.entry["issuer"], d.entry["doc_number"]) == ("某某省人民政府", "某政〔2025〕80号")
    assert not targets(d)  # what has been done since (…以来)


def test_a_title_opening_with_guanyu_names_no_place():
    text = NOTICE.replace("某某省推进新型城镇化建设实施方案(2025—2029年)", "关于推进以县城为重要载体的城镇化建设若干措施(2025—2029年)")
    d = draft(text + "一、总体要求\n推进县城建设。\n")
    assert d.entry["region"] == "某某省" and "关于" not in d.entry["region"]


def test_a_text_that_names_itself_in_its_first_sentence():
    text = ("某某网欢迎您!\n\n某某省新型城镇化规划(2026-2030年),根据某某省国民经济和社会发展纲要编制,是指导全省城镇化的规划。\n"
            "第一章 发展现状\n城镇化稳步推进。\n")
    d = draft(text)
    assert d.entry["name"] == "某某省新型城镇化规划(2026-2030年)" and "正文开头" in d.entry["supplied"]["name"]
    assert d.entry["period"] == {"start": 2026, "end": 2030}


def test_a_site_navigation_bar_is_not_part_of_the_title():
    text = ("某某网 某某官网\n研究报告 产业规划 商业计划书\n某某省推进新型城镇化三年行动计划(2025—2027年)\n来源:某某省人民政府办公厅\n"
            "一、总体要求\n(一)指导思想。坚持以人为本。\n(二)行动目标。到2027年,全省常住人口城镇化率达到60%左右。\n"
            "二、主要任务\n(一)城市集聚能力提升行动。\n1.发展壮大城市群。配套完善。\n")
    d = draft(text)
    assert d.entry["name"] == "某某省推进新型城镇化三年行动计划(2025—2027年)"
    # (一) heads the numbered 1. run of 二、: a section; (一)指导思想。… are measures
    secs = {(s.get("number"), s["title"]) for s in sections(d.body)}
    assert ("(一)", "城市集聚能力提升行动。") in secs
    assert [m["title"] for m in records(d.body) if m.get("number") == "(一)"] == ["指导思想"]
    assert not d.blocking, d.blocking
