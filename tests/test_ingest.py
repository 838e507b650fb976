"""`cz ingest`: the command, its stages on small made-up texts (the 公文
conventions, not the five plans), bad input, and writing that is all or
nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from chengzhen.ingest import clean as C
from chengzhen.ingest import decode as DEC
from chengzhen.ingest import depts as D
from chengzhen.ingest import targets as T
from chengzhen.kb import loader as L
from chengzhen.text.normalize import despace, spurious_gaps
from chengzhen.text.outline import match_heading
from chengzhen.text.targets import written_years
from conftest import DATA, declare_places, run_cz

# --------------------------------------------------------------------------- a made-up plan

PLAN = """\
某某省人民政府关于印发《某某省推进新型城镇化建设实施方案(2025—2029年)》的通知
某政发〔2025〕7号
各市(州)、县(市、区)人民政府,省政府各部门:
现将《某某省推进新型城镇化建设实施方案(2025—2029年)》印发给你们,请认真贯彻执行。
某某省人民政府
2025年3月8日
(此件公开发布)
某某省推进新型城镇化建设实施方案(2025—2029年)
为深入实施以人为本的新型城镇化战略,结合我省实际,制定本实施方案。
一、总体目标
到2029年,全省常住人口城镇化率达到62%左右、较2024年提高5个百分点,城镇新增就业每年100万人左右。
二、重点任务
(一)推进城镇老旧小区改造。到2027年累计完成老旧小区改造1500个,城市建成区绿化覆盖率保持在42%以上。(责任单位:省住房城乡建设厅、省发展改革委,各市州、县市区人民政府按职责分工负责)
(二)提升县城综合承载能力。推动县城补短板强弱项,生活垃圾无害化处理率不低于99%。(牵头单位:省发展改革委;配合单位:省财政厅、省自然资源厅)
(三)培育现代化都市圈。推动省会都市圈常住人口城镇化率达到72%以上,都市圈1小时通勤圈基本形成。(责任单位:省发展改革委)
三、保障措施
加强组织领导,强化监测评估。
"""


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private data directory and database, as users have them."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("build"))
    # the made-up plans' region and 省会都市圈 declared as places (cz validate: E176, E177)
    declare_places(root, regions=("某某省", "某北省"), groups=("省会都市圈",))
    monkeypatch.setenv("CZ_DATA", str(root))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db" / "chengzhen.db"))
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "build" not in p.parts}


def cz(*args):
    return run_cz(list(args))


def verified_but_for_review_flags(pid: str, env: dict | None = None) -> list[dict]:
    """`cz validate --plan PID` passes every check; what it lists are the
    draft's review flags (E304), each at its `review:` field, one per flag
    the draft holds.  Returns them."""
    v = run_cz(["validate", "--plan", pid, "--format", "json"], env=env)
    doc = json.loads(v.out) if v.out.strip() else {}
    probs = doc.get("problems", [])
    assert {p["code"] for p in probs} <= {"E304"}, [p for p in probs if p["code"] != "E304"][:3]
    assert v.code == (1 if probs else 0), (v.code, v.err)
    plan = next(r for r in doc["records"] if r["plan"] == pid)
    assert plan["verified_pct"] == 100.0 and plan["coverage_pct"] == 100.0, plan
    return probs


def one_error_line(run) -> None:
    assert run.code == 2, (run.code, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cz: error: "), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err


# --------------------------------------------------------------------------- the command

def test_dry_run_prints_a_yaml_draft_and_writes_nothing(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    before = snapshot(data_copy)
    r = cz("ingest", str(src), "--dry-run")
    assert r.code == 0, r.err
    docs = list(yaml.safe_load_all(r.out))
    body = docs[0]  # the plan file: its catalogue entry first
    entry = body["plan"]
    assert entry["id"] == "moumou" and entry["doc_number"] == "某政发〔2025〕7号"
    assert entry["issue_date"] == "2025-03-08" and entry["period"] == {"start": 2025, "end": 2029}
    assert entry["issuer"] == "某某省人民政府" and entry["title_lines"] == [8]
    assert [s["number"] for s in body["sections"]] == ["一、", "二、", "三、"]
    assert "to review:" in r.err  # the report in the reader's language: English here, Chinese under CZ_LANG=zh
    zh = run_cz(["ingest", str(src), "--dry-run"], env={"CZ_LANG": "zh"})
    assert zh.code == 0 and "待审 " in zh.err and "试运行，未写入" in zh.err, zh.err
    assert snapshot(data_copy) == before


def test_json_envelope_holds_the_draft_and_the_review_list(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    r = cz("ingest", str(src), "--dry-run", "--format", "json", "--id", "mou")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["command"] == "ingest" and doc["plan"] == "mou" and doc["written"] == []
    assert doc["validate"]["verified_pct"] == 100.0 and doc["validate"]["coverage_pct"] == 100.0
    assert all(set(rec) == {"line", "item", "reason"} for rec in doc["records"])
    plan = doc["draft"]["plan"]
    m1 = plan["sections"][1]["measures"][0]
    assert m1["number"] == "(一)" and m1["title"] == "推进城镇老旧小区改造"
    # a joint entry as written, with the governments it names (各 and 人民政府 shared)
    assert m1["departments"] == ["省住房城乡建设厅", "省发展改革委",
                                 {"joint": "各市州、县市区人民政府", "names": ["各市州人民政府", "各县市区人民政府"]}]
    assert "lead" not in m1  # the first name is listed first, not lead
    m2 = plan["sections"][1]["measures"][1]
    assert m2["departments"] == ["省发展改革委", "省财政厅", "省自然资源厅"]
    assert m2["lead"] == ["省发展改革委"]  # 牵头单位: written
    goal = plan["sections"][0]["measures"][0]["targets"]
    rate = goal[0]
    assert (rate["indicator"], rate["value"], rate["unit"], rate["qualifier"], rate["comparator"], rate["year"]) == \
        ("常住人口城镇化率", 62, "%", "左右", "approx", 2029)
    up = goal[1]
    assert (up["value"], up["unit"], up["basis"], up["baseline_year"]) == (5, "个百分点", "increase", 2024)
    jobs = goal[2]  # 每年…左右: a figure per year, the paragraph's year governs it
    assert (jobs["value"], jobs["qualifier"], jobs["comparator"], jobs["year"], jobs["year_implied"]) == \
        (100, "左右", "approx", 2029, False)
    assert not any(t.get("aspiration") for t in goal)
    t = {x["as_written"]: x for x in m1["targets"]}
    assert t["1500个"]["cumulative"] and t["1500个"]["year"] == 2027 and not t["1500个"]["year_implied"]
    assert t["保持在42%以上"]["qualifier"] == "保持在…以上" and t["保持在42%以上"]["comparator"] == "ge"
    m3 = plan["sections"][1]["measures"][2]["targets"][0]
    assert m3["scope"] == "省会都市圈" and m3["comparator"] == "ge"
    # no year written, none governs: the period's end, implied
    assert (m3["year"], m3["year_implied"]) == (2029, True)
    assert t["保持在42%以上"]["year"] == 2027 and not t["保持在42%以上"]["year_implied"]


def test_ingest_writes_and_the_plan_is_searchable(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    r = cz("ingest", str(src), "--id", "mou")
    assert r.code == 0, r.err
    assert (data_copy / "sources" / "mou.txt").read_text(encoding="utf-8") == PLAN
    assert (data_copy / "plans" / "mou.yaml").is_file()
    assert any(p.id == "mou" for p in L.load_catalogue(data_copy))
    flags = verified_but_for_review_flags("mou")
    written = (data_copy / "plans" / "mou.yaml").read_text(encoding="utf-8")  # the entry and the body
    proposed = data_copy / "vocabulary" / "mou.yaml"  # the vocabulary it proposes: flagged until accepted
    proposals = proposed.read_text(encoding="utf-8").count("review: ") if proposed.exists() else 0
    assert len(flags) == sum(1 for ln in written.splitlines() if ln.strip().startswith("review:")) + proposals
    assert all(Path(p).is_absolute() for p in json.loads(cz("ingest", str(src), "--id", "mou", "--force",
                                                            "--format", "json").out)["written"])
    found = cz("search", "老旧小区改造1500个", "--plan", "mou", "--format", "ids")
    assert found.code == 0 and "mou/2.1" in found.out
    t = cz("targets", "--indicator", "城镇化率", "--plan", "mou", "--format", "json")
    assert t.code == 0 and "62%左右" in t.out
    assert cz("compare", "mou", PLANS_FIRST(), "--format", "json").code in (0, 1)
    assert cz("show", "mou").code == 0


# --------------------------------------------------------------------------- forms real plans write

# A made-up plan in the forms the validation rules once refused: a notice title without 《》,
# a 文号 in square brackets alone on its line and 主送机关 wrapped over two lines (版头); a
# bracketed 、 inside names (各市(州)、县(市、区)人民政府, a joint entry); the labels 牵头部门 /
# 配合部门, 责任主体 / 参与单位 and 牵头 written after names; a clause closed by )。; two
# unnumbered tables in one section.
FORMS_PLAN = """\
某北省人民政府关于印发某北省推进以人为本的新型城镇化实施方案的通知
某北政发[2025]9号
各市(州)、县(市、区)人民政府,
省政府各部门、各直属机构:
现将《某北省推进以人为本的新型城镇化实施方案(2025—2029年)》印发给你们,请认真贯彻执行。
某北省人民政府
二〇二五年四月二日
(此件公开发布)
某北省推进以人为本的新型城镇化实施方案(2025—2029年)
为深入实施以人为本的新型城镇化战略,结合我省实际,制定本实施方案。
一、总体目标
到2029年,全省常住人口城镇化率达到63%左右。
二、重点任务
(一)深化户籍制度改革。全面放开城镇落户限制,推行以经常居住地登记户口制度。(牵头部门:省公安厅;配合部门:省发展改革委,各市(州)、县(市、区)人民政府)
(二)推进城镇老旧小区改造。到2027年完成城镇老旧小区改造2000个以上。(责任主体:各县(市、区)人民政府;参与单位:省住房城乡建设厅)。
(三)提升县城综合承载能力。推动县城补短板强弱项。(省发展改革委、省财政厅牵头,省直有关部门按职责分工负责)
三、重点工程
| 工程名称 | 建设内容 |
| 老旧小区改造工程 | 改造城镇老旧小区,完善配套设施 |
实施城市更新重点工程,滚动推进项目建设。
| 工程名称 | 建设内容 |
| 城市管网更新工程 | 更新改造城市燃气、供水、排水管网 |
四、保障措施
加强组织领导,强化监测评估。
"""


def test_forms_real_plans_write_ingest_and_validate(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(FORMS_PLAN, encoding="utf-8")
    r = cz("ingest", str(src), "--id", "moubei")
    assert r.code == 0, r.err
    verified_but_for_review_flags("moubei")
    entry = next(p for p in L.load_catalogue(data_copy) if p.id == "moubei")
    # the 版头 (title without 《》, 文号 in [], 主送机关 over two lines) and the 落款 (a date in
    # Chinese numerals) are skipped with their kinds; their facts are the catalogue's
    assert [(s.first, s.last, s.kind) for s in entry.skip] == [(1, 4, "header"), (6, 8, "signature")]
    assert (entry.issuer, entry.doc_number, entry.issue_date) == ("某北省人民政府", "某北政发[2025]9号", "2025-04-02")
    body = yaml.safe_load((data_copy / "plans" / "moubei.yaml").read_text(encoding="utf-8"))
    tasks, works = body["sections"][1]["measures"], body["sections"][2]["measures"]
    # the clauses are drafted as lists, not left in the text
    assert all("departments_quote" in m and "责任" not in m["text"] and "牵头" not in m["text"] for m in tasks)
    assert tasks[0]["departments"] == ["省公安厅", "省发展改革委", {
        "joint": "各市(州)、县(市、区)人民政府", "names": ["各市(州)人民政府", "各县(市、区)人民政府"]}]
    assert tasks[0]["lead"] == ["省公安厅"]  # 牵头部门: written; the 配合部门 part is not lead
    assert tasks[1]["departments"] == ["各县(市、区)人民政府", "省住房城乡建设厅"] and "lead" not in tasks[1]
    assert tasks[1]["departments_quote"].endswith(")。")  # the closing 。 is the clause's
    assert tasks[2]["departments"] == ["省发展改革委", "省财政厅", "省直有关部门"]
    assert tasks[2]["lead"] == ["省发展改革委", "省财政厅"]  # A、B牵头: both
    # two unnumbered tables of one section: box, box2
    assert [(m["id"], m["kind"]) for m in works] == [
        ("moubei/3.box", "table"), ("moubei/3.p1", "paragraph"), ("moubei/3.box2", "table")]
    found = cz("depts", "各县(市、区)人民政府", "--format", "json")
    assert found.code == 0 and "moubei/2.2" in found.out


def PLANS_FIRST() -> str:
    return L.load_catalogue(DATA)[0].id


def test_id_clash_refused_then_replaced_with_force(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    existing = PLANS_FIRST()
    before = snapshot(data_copy)
    r = cz("ingest", str(src), "--id", existing)
    one_error_line(r)
    assert "already exists" in r.err and "--force" in r.err
    assert snapshot(data_copy) == before
    r = cz("ingest", str(src), "--id", existing, "--force")
    assert r.code == 0, r.err
    ids = [p.id for p in L.load_catalogue(data_copy)]
    assert ids.count(existing) == 1
    assert (data_copy / "sources" / f"{existing}.txt").read_text(encoding="utf-8") == PLAN
    verified_but_for_review_flags(existing)


def test_default_id_is_the_pinyin_of_the_region(data_copy):
    pid = PLANS_FIRST()
    plan = L.load_catalogue(DATA)[0]
    src = data_copy / "sources" / f"{pid}.txt"
    moved = data_copy.parent / "in.txt"
    shutil.move(src, moved)
    (data_copy / "plans" / f"{pid}.yaml").unlink()
    r = cz("ingest", str(moved), "--dry-run", "--format", "json")
    assert r.code == 0, r.err
    from pypinyin import lazy_pinyin

    assert json.loads(r.out)["plan"] == "".join(lazy_pinyin(plan.short_name))


# --------------------------------------------------------------------------- bad input

BAD = {
    "binary": b"\x00\x01\x02PK\x00\xff" * 100,
    "empty": b"",
    "blank": b"  \n\n \t\n",
    "undecodable": b"\xff\xfe\x00\xd8" + b"\x80\x80\xff" * 50,
    "not utf-8 nor gb18030": "一、总体要求\n".encode() + b"\x80\x80\x80\n",
    "a zip that is not a docx": b"PK\x03\x04" + b"\x00" * 60,
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_one_line_exit_2_nothing_written(kind, data_copy, tmp_path):
    src = tmp_path / "in.bin"
    src.write_bytes(BAD[kind])
    before = snapshot(data_copy)
    r = cz("ingest", str(src))
    one_error_line(r)
    assert snapshot(data_copy) == before


def test_a_50_mb_file_is_refused_before_reading(data_copy, tmp_path):
    src = tmp_path / "big.txt"
    with open(src, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    before = snapshot(data_copy)
    r = cz("ingest", str(src))
    one_error_line(r)
    assert "too large" in r.err
    assert snapshot(data_copy) == before


def test_missing_file_and_bad_id(data_copy, tmp_path):
    one_error_line(cz("ingest", str(tmp_path / "nope.txt")))
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    one_error_line(cz("ingest", str(src), "--id", "Bad-Id"))
    one_error_line(cz("ingest", str(src), "--format", "xml"))


def test_a_failed_write_puts_everything_back(data_copy, tmp_path, monkeypatch):
    """The last rename (the plan's file) fails: the files already in place
    (its source, its vocabulary) are removed again, no temporary file is left."""
    from chengzhen.ingest import draft as Dr

    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    before = snapshot(data_copy)
    real = os.replace
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += 1
        if Path(b).name == "mou.yaml" and Path(b).parent.name == "plans":
            raise PermissionError(13, "Permission denied", str(b))
        return real(a, b)

    monkeypatch.setattr(Dr.os, "replace", flaky)
    r = cz("ingest", str(src), "--id", "mou")
    one_error_line(r)
    assert "nothing was written" in r.err and calls["n"] >= 2
    assert snapshot(data_copy) == before


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes into read-only directories; test_a_failed_write_puts_everything_back covers it")
def test_read_only_data_directory(data_copy, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    before = snapshot(data_copy)
    for d in (data_copy, data_copy / "plans", data_copy / "sources"):
        d.chmod(0o555)
    try:
        one_error_line(cz("ingest", str(src), "--id", "mou"))
    finally:
        for d in (data_copy, data_copy / "plans", data_copy / "sources"):
            d.chmod(0o755)
    assert snapshot(data_copy) == before


def test_unwritable_data_directory_writes_nothing(data_copy, tmp_path, monkeypatch):
    """Writing the first staged file fails (a read-only directory, a full disk)."""
    from chengzhen.ingest import draft as Dr

    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    before = snapshot(data_copy)
    real_open = open

    def no_write(path, mode="r", *a, **k):
        if "w" in mode and ".ingest-" in str(path):
            raise PermissionError(13, "Read-only file system", str(path))
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr(Dr, "open", no_write, raising=False)
    r = cz("ingest", str(src), "--id", "mou")
    one_error_line(r)
    assert snapshot(data_copy) == before


# --------------------------------------------------------------------------- stages

def test_decode_encodings():
    text = "一、总体要求\n到2028年城镇化率达到65%。\n"
    for data, enc in ((text.encode(), "utf-8"), (b"\xef\xbb\xbf" + text.encode(), "utf-8-sig"),
                      (text.encode("gb18030"), "gb18030"), (text.encode("utf-16"), "utf-16"),
                      (text.encode("utf-16-le"), "utf-16")):
        d = DEC.decode(data, "x")
        assert d.text == text and d.encoding == enc and d.container == "text"


def test_decode_html_keeps_text_drops_scripts_and_rows_become_cells():
    page = ("<html><head><title>t</title><script>var a='一、不要';</script></head><body><nav>首页 | 政务</nav>"
            "<p>一、总体要求</p><p>　　到2028年,<b>城镇化率</b>达到65%。</p>"
            "<table><tr><td>指标</td><td>2025年</td></tr><tr><td>城镇化率(%)</td><td>65</td></tr></table></body></html>")
    d = DEC.decode(page.encode("gb18030"), "x")
    assert d.container == "html" and d.encoding == "gb18030"
    assert d.lines == ["一、总体要求", "到2028年,城镇化率达到65%。", "指标 | 2025年 |", "城镇化率(%) | 65 |"]


def test_pdf_visual_lines_are_joined_into_paragraphs():
    lines = ["一、总体要求", "到2028年,全省常住人口城镇化率达", "到65%左右。", "- 2 -", "二、重点任务"]
    assert DEC.join_visual_lines([ln for ln in lines if not DEC._PAGE_NUMBER.match(ln)]) == \
        ["一、总体要求", "到2028年,全省常住人口城镇化率达到65%左右。", "二、重点任务"]


def test_outline_ladder_values_and_kinds():
    for line, kind, value in (("第十二章 总则", "chapter", 12), ("第三节 x", "section", 3), ("二十八、x", "cn", 28),
                              ("( 一)x", "paren_cn", 1), ("（十）x", "paren_cn", 10), ("16. 加强", "arabic", 16),
                              ("3、x", "arabic", 3), ("(2)x", "paren_arabic", 2), ("③x", "circled", 3)):
        h = match_heading(line)
        assert h and (h.kind, h.value) == (kind, value), line
    for line in ("1.5倍", "2025年", "5G网络", "十四五", "一是加强"):
        assert match_heading(line) is None, line


def test_despace_keeps_typed_spaces_and_removes_copied_ones():
    assert despace("五 年行动 计 划") == "五年行动计划"
    assert despace("( 一)推进") == "(一)推进"
    assert despace("65% 、较 2024 年") == "65%、较2024年"
    assert despace("2×660 MW 机组") == "2×660 MW机组"
    assert despace("20 24年", numbers=True) == "2024年"
    assert spurious_gaps("  缩进") == []


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="城镇化率达到65%。,、()a b一二", max_size=40), st.data())
def test_line_repairs_reproduce_the_corrected_line(raw, data):
    """Whatever the damage, the recorded repairs — each found on the raw line,
    applied in order to their first occurrence — give the corrected line."""
    keep = data.draw(st.lists(st.booleans(), min_size=len(raw), max_size=len(raw)))
    target = "".join(ch for ch, k in zip(raw, keep) if k)
    if data.draw(st.booleans()) and target:
        target = target[: len(target) // 2] + "镇" + target[len(target) // 2:]
    line = raw
    for source, repaired in C.line_repairs(raw, target):
        assert source in raw
        line = line.replace(source, repaired, 1)
    assert line == target


def test_pinyin_glosses_go_only_when_they_read_the_character():
    assert C.strip_glosses("推进城镇(zhèn)化(huà)建设") == "推进城镇化建设"
    assert C.strip_glosses("城市(km)规模") == "城市(km)规模"  # not a reading of 市


def test_mojibake_span_is_repaired_and_recorded():
    good = "。“一地一策”完善全省市县"
    shifted = good.encode("gbk")[1:]  # read one byte out of step
    damaged = "保障体系?" + shifted.decode("gbk", errors="replace").replace("\ufffd", "") + "房地产政策"
    from chengzhen.ingest.mojibake import repair_mojibake

    fixed, changed = repair_mojibake(damaged)
    if "?" in damaged and changed:
        assert "一地一策" in fixed
    c = C.clean(["一、总体要求", "完善住房体系?!耙坏匾徊摺蓖晟迫\ue087∈锌h房地产支持政策。"])
    assert c.counts["mojibake"] == 1 and "“一地一策”" in c.lines[1]
    assert c.repairs[0].source in "完善住房体系?!耙坏匾徊摺蓖晟迫\ue087∈锌h房地产支持政策。"


def test_departments_split_as_written():
    # places sharing the government written after the last: one joint entry, as written,
    # naming each place's government (a leading 各 goes to every place)
    entries, lead, _ = D.split_entries("省公安厅、省发展改革委,各市州、县市区人民政府按职责分工负责")
    assert entries == ["省公安厅", "省发展改革委",
                       {"joint": "各市州、县市区人民政府", "names": ["各市州人民政府", "各县市区人民政府"]}] and lead == []
    entries, _, _ = D.split_entries("西宁市、海东市政府、省财政厅")
    assert entries == [{"joint": "西宁市、海东市政府", "names": ["西宁市政府", "海东市政府"]}, "省财政厅"]
    # places alone stand for their governments; nothing shared, nothing joint
    assert D.split_entries("西宁市、海东市、省财政厅")[0] == ["西宁市", "海东市", "省财政厅"]
    # the vocabulary's reading of a joint entry wins where it knows every name
    assert D.distribute(["甲市", "乙市人民政府"]) == ["甲市人民政府", "乙市人民政府"]  # the whole head is shared
    assert D.distribute(["甲市", "乙市人民政府"], {"甲市政府", "乙市人民政府"}) == ["甲市政府", "乙市人民政府"]
    assert D.split_names("各市(州)、县(市、区)人民政府")[0] == ["各市(州)、县(市、区)人民政府"]
    # lead only where 牵头 is written
    c = D.find_clause("任务。(牵头单位:省发展改革委;配合单位:省财政厅)")
    assert c.names == ["省发展改革委", "省财政厅"] and c.lead == ["省发展改革委"] and c.quote.startswith("(牵头单位")
    assert c.problem is None
    c = D.find_clause("任务。(责任单位:省教育厅牵头,省财政厅)")
    assert c.entries == ["省教育厅", "省财政厅"] and c.lead == ["省教育厅"] and c.problem is None
    c = D.find_clause("任务。(责任单位:省教育厅,各市州人民政府按职责分工负责,下同。以下各项任务均需各市州人民政府落实,不再单独列出)")
    assert c.all_tasks == ["各市州人民政府"] and c.all_tasks_quote.startswith("各市州人民政府按职责分工负责")
    # a name with a 、 inside brackets is one name; the places before a shared government
    # are one joint entry — read as validation reads it (text/clauses.py), so drafted
    c = D.find_clause("任务。(责任单位:省发展改革委,各市(州)、县(市、区)人民政府)。")
    assert c.entries[1] == {"joint": "各市(州)、县(市、区)人民政府", "names": ["各市(州)人民政府", "各县(市、区)人民政府"]}
    assert c.problem is None and c.quote.endswith(")。")


def _ctx(period=(2025, 2029)):
    kb = L.load_kb(DATA)
    pairs = sorted(((a, c) for a, c in kb.vocab.indicator_by_name.items() if len(a) >= 2), key=lambda p: (-len(p[0]), p[0]))
    return T.Ctx(period, pairs, {i.name: i.unit for i in kb.vocab.indicators})


def _targets(text: str, ctx, head: str = "", kind: str = "paragraph", title: str | None = None) -> list[dict]:
    """A record's targets, extracted and settled as a draft's are (one source line)."""
    rec = {"kind": kind, "text": text, "line": 1, "title": title}
    ctx.year = next(iter(written_years(head)), None)
    got = T.extract(text, ctx, 1)
    for t in got:
        T.settle(t, rec, [text], T.paragraph_head(rec) or head, ctx.period, ctx.units)
    return got


def test_targets_by_the_conventions():
    ctx = _ctx()
    got = _targets("到2029年,全省常住人口城镇化率达到62%左右。2020年全省城镇化率为55%。", ctx)
    got += _targets("加强污染防治,城市空气质量优良天数比例稳定在90%以上,力争生活垃圾无害化处理率超过98%。", ctx)
    assert [(t["value"], t["comparator"], t["year"], t["year_implied"]) for t in got] == \
        [(62, "approx", 2029, False), (90, "ge", 2029, True), (98, "gt", 2029, True)]
    # 力争 is an aim, not a qualifier; it governs its own clause only
    assert got[2]["aspiration"] == "力争" and got[2]["qualifier"] == "超过" and got[1]["aspiration"] is None
    assert got[1]["qualifier"] == "稳定在…以上"
    rng = _targets("每年平均增长1—2个百分点。", ctx)[0]
    assert (rng["value"], rng["value_max"], rng["comparator"], rng["basis"]) == (1, 2, "range", "annual_growth")
    base = _targets("城乡居民收入比由2.5下降到2.2左右。", ctx)
    assert [t["value"] for t in base] == [2.2] and base[0]["baseline"] == 2.5
    # N年内: the period's start + N - 1, implied; a span makes it a total
    three = _targets("三年内完成老旧小区改造300个。", ctx)[0]
    assert three["year"] == 2027 and three["year_implied"] and three["comparator"] == "complete"
    assert three["qualifier"] == "完成" and three["cumulative"]
    # 累计 in the quote: a total; the qualifier written after the figure belongs to it
    total = _targets("到2027年,全省累计完成老旧小区改造3万户。", ctx)[0]
    assert total["cumulative"] and total["year"] == 2027 and not total["year_implied"]
    done = _targets("2027年底前,已列入计划的棚户区改造3.93万户全部完成。", ctx)[0]
    assert (done["qualifier"], done["comparator"], done["as_written"]) == ("全部完成", "complete", "3.93万户全部完成")
    # an aim opening the sentence, after its year, governs the whole sentence
    aim = _targets("到2029年,力争全省常住人口城镇化率达到65%,城镇新增就业累计达到100万人。", ctx)
    assert [t["aspiration"] for t in aim] == ["力争", "力争"]
    # a year opening a paragraph governs it; after a lead phrase, one sentence only
    para = _targets("到2028年,全省常住人口城镇化率达到62%。生活垃圾无害化处理率达到99%。", ctx)
    assert [(t["year"], t["year_implied"]) for t in para] == [(2028, False), (2028, False)]
    lead = _targets("推进垃圾处理。到2028年,全省常住人口城镇化率达到62%。生活垃圾无害化处理率达到99%。", ctx,
                    kind="measure", title="推进垃圾处理")
    assert [(t["year"], t["year_implied"]) for t in lead] == [(2028, False), (2029, True)]
    # a section's goal paragraph governs its numbered measures
    sec = _targets("推进垃圾处理。生活垃圾无害化处理率达到99%。", ctx, head="到2027年,", kind="measure",
                   title="推进垃圾处理")
    assert (sec[0]["year"], sec[0]["year_implied"]) == (2027, False)


def test_table_targets_take_the_base_year_column():
    parts = ["类别 |", "序号 |", "指标名称 |", "2024年 |", "2029年 |", "城镇 |", "1 |", "常住人口城镇化率(%) |",
             "58 |", "62左右 |", "2 |", "城镇新增就业(万人) |", "—— |", "[300]以上 |"]
    ts = T.table_targets(parts, 10, _ctx())
    assert [(t["indicator"], t["value"], t["unit"], t["baseline"], t["baseline_year"], t["cumulative"]) for t in ts] == \
        [("常住人口城镇化率", 62, "%", 58, 2024, False), ("城镇新增就业", 300, "万人", None, None, True)]


def _commitments(text: str, ctx, head: str = "") -> list[dict]:
    rec = {"kind": "paragraph", "text": text, "line": 1, "title": None}
    got = T.commitments(text, ctx, 1, [])
    for t in got:
        T.settle(t, rec, [text], T.paragraph_head(rec) or head, ctx.period, ctx.units)
    return got


def test_commitments_without_a_figure():
    ctx = _ctx()
    # full coverage with no year written or governing: an open-ended commitment, its quantity proposed
    got = _commitments("加快农村物流网络建设,实现农村客运班车通达全覆盖。", ctx)
    assert [(t["indicator"], t["as_written"], t["qualifier"], t["comparator"], t["value"], t["year"])
            for t in got] == [("农村客运班车通达覆盖", "全覆盖", "全覆盖", "complete", None, None)]
    assert got[0]["_new_indicator"] == "农村客运班车通达覆盖" and "review" in got[0]
    # two in one clause, dated by the year the paragraph opens with
    got = _commitments("到2027年,实现5G网络城区连续覆盖和重点场所深度覆盖。", ctx)
    assert [(t["qualifier"], t["year"], t["year_implied"]) for t in got] == \
        [("连续覆盖", 2027, False), ("深度覆盖", 2027, False)]
    # abolition: what is abolished names the quantity
    got = _commitments("全面取消在就业地参保户籍限制。", ctx)
    assert [(t["qualifier"], t["as_written"]) for t in got] == [("全面取消", "全面取消在就业地参保户籍限制")]
    # 健全 is not 全覆盖; a clause with a figure is a numeric target's
    assert _commitments("健全覆盖城乡的社会保障体系。", ctx) == []
    assert _commitments("到2027年,城市社区养老服务设施覆盖率达到100%。", ctx) == []
