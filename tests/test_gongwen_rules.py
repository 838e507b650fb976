"""The 公文 conventions validation and ingest share (text/clauses.py,
text/gongwen.py): 责任单位 clauses and the 版头/落款 lines.  Each rule is
tested on the forms plans write — and on what must not pass."""

from __future__ import annotations

import pytest

from chengzhen.text import clauses as C
from chengzhen.text import gongwen as G


def names(quote):
    return C.clause_names(quote)


# --------------------------------------------------------------------------- 责任单位 clauses

def test_plain_clause_in_order_nothing_lead():
    assert names("(责任单位:省住房城乡建设厅、省发展改革委,省财政厅)") == [
        ("省住房城乡建设厅", False), ("省发展改革委", False), ("省财政厅", False)]


@pytest.mark.parametrize("quote", [
    "(责任单位:省发展改革委,各县(市、区)人民政府)",
    "(责任单位:省发展改革委,各县(市、区)人民政府)。",   # closed by )。
    "（责任单位：省发展改革委，各县（市、区）人民政府）",  # full width
    "(责任单位:省发展改革委,各县(市、区)人民政府);",
])
def test_a_bracketed_enumeration_is_one_name(quote):
    as_written = [n for n, _ in names(quote)]
    assert [n.translate(str.maketrans("（）", "()")) for n in as_written] == ["省发展改革委", "各县(市、区)人民政府"]
    assert all(n in quote for n in as_written)


def test_joint_entries_with_brackets():
    q = "(责任单位:省教育厅,各市(州)、县(市、区)人民政府按职责分工负责)"
    assert C.joint_runs(q) == ["各市(州)、县(市、区)人民政府"]
    assert C.joint_names("各市(州)、县(市、区)人民政府")[0] == ["各市(州)人民政府", "各县(市、区)人民政府"]
    assert C.joint_names("西宁市、海东市政府") == [["西宁市政府", "海东市政府"]]
    # places alone, or a government first: not joint
    assert C.joint_runs("(责任单位:西宁市、海东市、省财政厅)") == []
    assert C.joint_runs("(责任单位:各市(州)人民政府、县(市、区)人民政府)") == []
    # a run does not cross , or ;
    assert C.joint_runs("(责任单位:西宁市,海东市政府)") == []


@pytest.mark.parametrize("quote,expect", [
    ("(牵头单位:省公安厅;配合单位:省发展改革委、省财政厅)",
     [("省公安厅", True), ("省发展改革委", False), ("省财政厅", False)]),
    ("(牵头部门:省公安厅、省教育厅;配合部门:省财政厅)",
     [("省公安厅", True), ("省教育厅", True), ("省财政厅", False)]),
    ("(牵头单位:省公安厅,配合单位:省财政厅)", [("省公安厅", True), ("省财政厅", False)]),
    ("(牵头单位:省公安厅 配合单位:省财政厅)", [("省公安厅", True), ("省财政厅", False)]),
    ("(牵头责任单位:省公安厅;参与单位:省财政厅)", [("省公安厅", True), ("省财政厅", False)]),
    ("(责任主体:各市(州)人民政府)", [("各市(州)人民政府", False)]),
    ("(责任部门:省公安厅、省财政厅)", [("省公安厅", False), ("省财政厅", False)]),
    ("(主要责任单位:省公安厅;协办单位:省财政厅)", [("省公安厅", False), ("省财政厅", False)]),
    # 牵头 written after names: the whole 、 group it ends
    ("(省公安厅、省教育厅牵头,省财政厅配合)", [("省公安厅", True), ("省教育厅", True), ("省财政厅", False)]),
    ("(责任单位:省公安厅牵头,省直有关部门按职责分工负责)", [("省公安厅", True), ("省直有关部门", False)]),
    ("(责任单位:省公安厅牵头、省财政厅)", [("省公安厅", True), ("省财政厅", False)]),
    ("(责任单位:省公安厅,省财政厅等按职责分工负责)", [("省公安厅", False), ("省财政厅", False)]),
    # both at once is not lead
    ("(牵头单位及责任单位:省公安厅、省财政厅)", [("省公安厅", False), ("省财政厅", False)]),
])
def test_role_labels_and_lead(quote, expect):
    assert names(quote) == expect


def test_the_names_end_at_the_first_full_stop():
    q = "(责任单位:省公安厅,各市州、县市区人民政府按职责分工负责,下同。以下各项任务均需各市州、县市区人民政府落实,不再单独列出)"
    assert [n for n, _ in names(q)] == ["省公安厅", "各市州", "县市区人民政府"]
    assert C.joint_runs(q) == ["各市州、县市区人民政府"]


def test_find_clause():
    f = C.find_clause("推进改革。(牵头部门:省发展改革委;配合部门:省财政厅)。")
    assert f.quote == "(牵头部门:省发展改革委;配合部门:省财政厅)。" and f.label == "牵头部门" and f.start == 5
    # without a label: only with roles written after names that each look like a body's
    looks = lambda s: s.endswith(("委", "厅", "部门"))  # noqa: E731
    assert C.find_clause("推进改革。(省发展改革委牵头,省直有关部门按职责分工负责)", looks).label is None
    assert C.find_clause("推进改革。(省发展改革委牵头)") is None  # no predicate: labelled clauses only
    assert C.find_clause("完成改造(2021—2025年)。", looks) is None
    assert C.find_clause("推进改革(试点先行牵头)。", looks) is None


# --------------------------------------------------------------------------- 版头 and 落款

@pytest.mark.parametrize("line,form", [
    ("青海省人民政府", "issuer"),
    ("贵州省人民政府文件", "issuer"),
    ("中共贵州省委 贵州省人民政府", "issuer"),
    ("湖南省人民政府关于", "issuer"),
    ("青政〔2024〕48号", "doc_number"),
    ("黔府发[2024]5号", "doc_number"),
    ("川府发（2024）3号", "doc_number"),
    ("冀政字【2024】 12 号", "doc_number"),
    ("关于印发《青海省…实施方案》的通知", "title"),
    ("某某省人民政府关于印发某某省推进新型城镇化实施方案的通知", "title"),
    ("某某省人民政府办公厅印发《某某省城市更新行动方案》的通知", "title"),
    ("国务院办公厅转发国家发展改革委关于推进城镇化建设的意见的通知", "title"),
    ("各市、自治州人民政府,省政府各委、办、厅、局:", "addressees"),
    ("各市(州)、县(市、区)人民政府，省政府各部门、各直属机构：", "addressees"),
])
def test_header_forms(line, form):
    assert G.header_form(line) == form


@pytest.mark.parametrize("line", [
    "为推进新型城镇化,制定本方案。",
    "主要目标:",
    "到2028年,常住人口城镇化率达到60%:",
    "一、总体要求",
    "推进老旧小区改造,完成改造500个的通知。",
])
def test_not_header_lines(line):
    assert G.header_form(line) is None
    assert G.header_ok([line]) == [False]


def test_header_broken_over_lines():
    assert G.header_ok(["某某省人民政府关于印发某某省推进", "", "新型城镇化实施方案的通知", "某政发〔2025〕7号",
                        "各市(州)、县(市、区)人民政府,", "省政府各部门:"]) == [True] * 6
    # a sentence cannot hide in a title's window (and breaks the title it interrupts)
    assert G.header_ok(["某某省人民政府关于印发", "推进新型城镇化。", "实施方案的通知"]) == [False] * 3


@pytest.mark.parametrize("line,form", [
    ("青海省人民政府", "issuer"),
    ("2024年12月14日", "date"),
    ("二〇二四年十二月十四日", "date"),
    ("(此件公开发布)", "mark"),
    ("(本文有删减)", "mark"),
    ("抄送:省委各部门,省人大常委会办公厅。", "copy_to"),
    ("青海省人民政府办公厅 2024年12月16日印发", "printed"),
])
def test_signature_forms(line, form):
    assert G.signature_form(line) == form


def test_dates():
    assert G.dates("二〇二四年十二月十四日") == [(2024, 12, 14)]
    assert G.dates("2024年2月30日 二〇二四年十三月一日") == [(2024, 2, 30)]
    assert G.signature_form("2024年13月1日") is None


# --------------------------------------------------------------------------- a target sentence (text/targets.py)

from chengzhen.text import targets as S  # noqa: E402


def test_one_reading_of_a_target_sentence():
    """Validation and ingest read a target sentence with text/targets.py and
    nothing else: ingest imports nothing of kb.audit but its public entry
    (audit_plan), and no other module keeps a table of its own."""
    import ast
    import re as _re

    from conftest import REPO

    pkg = REPO / "src" / "chengzhen"
    for path in sorted((pkg / "ingest").glob("*.py")):
        src = path.read_text(encoding="utf-8")
        assert not _re.search(r"\bA\._|audit\._", src), path
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.ImportFrom) and node.module == "chengzhen.kb.audit":
                assert {a.name for a in node.names} <= {"audit_plan", "PlanAudit"}, path
            if isinstance(node, ast.ImportFrom) and node.module == "chengzhen.kb" :
                assert "audit" not in {a.name for a in node.names}, path
    tables = _re.compile(r"^(QUALIFIERS|PREFIX_QUALIFIERS|FRAMES|COUNTERS|ASPIRATIONS?|GROWTH|INCREASE|DECREASE|"
                         r"SPAN|WITHIN_YEARS|HEAD_YEAR|CUMULATIVE_WORD)\s*[:=]", _re.M)
    for path in sorted(pkg.rglob("*.py")):
        if path.name == "targets.py" and path.parent.name == "text":
            continue
        assert not tables.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("sentence,head,want", [
    ("到2028年,常住人口城镇化率达到65%", "", ([2028], None, [])),
    ("三年内新增城镇就业10万人", "", ([], 2026, [])),
    ("常住人口城镇化率达到65%", "到2027年,", ([], None, [2027])),
    ("较2024年提高5个百分点", "", ([], None, [])),          # the baseline year
    ("落实《国家新型城镇化规划(2021—2035年)》", "", ([], None, [])),  # a title's years
])
def test_stated_years(sentence, head, want):
    ys = S.stated_years(sentence, sentence, head, 2024, baseline_year=2024 if "较2024年" in sentence else None)
    assert (ys.written, ys.relative, ys.headed) == want


def test_qualifier_forms_come_from_the_one_table():
    for q in S.PREFIX_QUALIFIERS + list(S.SUFFIX_QUALIFIERS):
        assert q in S.QUALIFIERS
    for f in S.FRAMES:
        assert any(k.startswith(f + "…") for k in S.QUALIFIERS)
    assert S.PREFIX_QUALIFIERS.index("不低于") < S.PREFIX_QUALIFIERS.index("低于")  # longest first
    assert S.qualifier_written("不低于95%", 95) == "不低于"
    assert S.qualifier_written("县城及以上城市", None) is None  # a goal's words, not a comparator
    assert S.qualifier_written("全面完成", None) == "全面完成"


@pytest.mark.parametrize("prefix,quote,want", [
    ("到2025年,力争", "常住人口城镇化率达到65%", "力争"),
    ("毕节、六盘水力争建成大城市,", "都匀建成中等城市", None),
    ("", "通过努力,城镇化率达到65%", None),
    ("", "争取新增10万人", "争取"),
])
def test_aspiration(prefix, quote, want):
    assert S.aspiration_for(prefix, quote) == want


def test_units_and_basis():
    assert S.units_agree("万人", "人", "level") and S.units_agree("%", "个百分点", "level")
    assert S.units_agree("家", "个", "level") and not S.units_agree("万户", "个", "level")
    assert S.units_agree("%", "亿元", "annual_growth") and not S.units_agree("%", "亿元", "level")
    assert S.unit_written("万人", 100, "100万左右", "常住人口达到100万左右")
    assert not S.unit_written("公里", 5, "5", "新增5")
    assert S.basis_written("increase", "较2024年提高5个百分点") and not S.basis_written("decrease", "提高5个百分点")
    assert S.basis_written("level", "")
    assert S.total_written("累计完成1500个", "") and S.total_written("x", "2022—2025年完成x")
    assert S.PER_YEAR.search("每年新增10万人") and not S.PER_YEAR.search("每年平均增长5%")
