"""Broken data: one fixture per code.  A build ends with every problem on
stderr, one line each (`cz: error: FILE:LINE: CODE [id] …`, the line of the
offending FIELD), exit 2 — and the database built before is left byte for
byte as it was, while queries keep answering from it with a one-line warning
that counts the problems.  Coverage codes (E3xx) do not stop a build:
`cz validate` reports them (exit 1)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import run_cz

HEAD = re.compile(r"cz: error: (\S+?)(?::(\d+))?: (E\d+)")


def _edit(rel, old, new, count=1):
    def apply(root: Path):
        p = root / rel
        s = p.read_text(encoding="utf-8")
        assert old in s, f"fixture text {old!r} not in {rel}"
        p.write_text(s.replace(old, new, count), encoding="utf-8")
    return apply


def _edits(*steps):
    def apply(root: Path):
        for step in steps:
            step(root)
    return apply


def _write(rel, data: bytes | str):
    def apply(root: Path):
        (root / rel).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def _line_of(path: Path, marker) -> int:
    """The line of the (mutated) file where ``marker`` appears (its nth time,
    for a ``(marker, n)`` pair)."""
    marker, nth = marker if isinstance(marker, tuple) else (marker, 1)
    for n, text in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if marker in text:
            nth -= 1
            if nth == 0:
                return n
    raise AssertionError(f"{marker!r} not in {path}")


def _remove(rel):
    def apply(root: Path):
        (root / rel).unlink()
    return apply


def _rename(rel, new):
    def apply(root: Path):
        (root / rel).rename(root / new)
    return apply


def _annex(note="a note"):
    """An annex listing the 落款's date line as its one entry, its group with ``note``."""
    def apply(root: Path):
        p = root / Y
        p.write_text(p.read_text(encoding="utf-8") + f"""annexes:
  - id: tiny/annex
    title: 附件
    line: 8
    groups:
      - name: null
        line: 8
        note: {note}
        items:
          - {{name: 2024年6月1日, line: 8}}
""", encoding="utf-8")
    return apply


def _swap_measures(root: Path):
    p = root / "plans" / "tiny.yaml"
    s = p.read_text(encoding="utf-8")
    a = s.index("      - id: tiny/2.1")
    b = s.index("      - id: tiny/2.2")
    p.write_text(s[:a] + s[b:].rstrip("\n") + "\n" + s[a:b], encoding="utf-8")


NATIONAL = """\
plan: {id: national, name: 测试国家方案}
actions:
  - id: national/1
    kind: action
    title: 重点任务
    evidence: tiny/2
    tasks:
      - id: national/1.1
        title: %s
        evidence: %s
"""


def _national(title="推进老旧小区改造", evidence="tiny/2.1", tasks="[national/1.1]"):
    return _edits(_write("national.yaml", NATIONAL % (title, evidence)),
                  _edit("plans/tiny.yaml", "        topics: [老旧小区]\n", f"        topics: [老旧小区]\n        tasks: {tasks}\n"))


BOMB = b"""plan: tiny
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
"""

Y = "plans/tiny.yaml"
P = Y  # the catalogue entry: the `plan:` mapping at the top of the plan file


# ---- the forms real plans write (each: a valid edit of tiny; the broken ones below build on it)

D_LINE5 = "(责任单位:省住房城乡建设厅、省发展改革委)"
D_LINE6 = "(责任单位:省教育厅)"
NEW_DEPTS = ("  - {name: 省教育厅, aliases: [], level: province}\n",
             "  - {name: 省教育厅, aliases: [], level: province}\n"
             "  - {name: 各市(州)人民政府, aliases: [], level: city}\n"
             "  - {name: 各县(市、区)人民政府, aliases: [], level: county}\n")


def _clause(line_quote, quote, departments, extra=""):
    """Line 5's or 6's 责任单位 clause rewritten in the source and the YAML alike."""
    old_list = "departments: [省住房城乡建设厅, 省发展改革委]" if line_quote == D_LINE5 else "departments: [省教育厅]"
    return _edits(_edit("sources/tiny.txt", line_quote, quote),
                  _edit(Y, f"departments_quote: {line_quote}", f"departments_quote: {quote}{extra}"),
                  _edit(Y, old_list, f"departments: {departments}"),
                  _edit("departments.yaml", *NEW_DEPTS))


# 1. a bracketed 、 inside a name: one name; places before a shared government: one joint entry
JOINT_BRACKETS = _clause(D_LINE6, "(责任单位:省教育厅,各市(州)、县(市、区)人民政府)",
                         "[省教育厅, {joint: 各市(州)、县(市、区)人民政府, names: [各市(州)人民政府, 各县(市、区)人民政府]}]")
NAME_BRACKETS = _clause(D_LINE6, "(责任单位:省教育厅、各县(市、区)人民政府)", "[省教育厅, 各县(市、区)人民政府]")
# 2. role labels: a 牵头 part and a 配合 part; 牵头 written after a group of names; 责任主体
LEAD_LABELS = _clause(D_LINE5, "(牵头部门:省住房城乡建设厅;配合部门:省发展改革委)", "[省住房城乡建设厅, 省发展改革委]",
                      "\n        lead: [省住房城乡建设厅]")
GROUP_LEAD = _clause(D_LINE5, "(省住房城乡建设厅、省发展改革委牵头,各县(市、区)人民政府按职责分工负责)",
                     "[省住房城乡建设厅, 省发展改革委, 各县(市、区)人民政府]",
                     "\n        lead: [省住房城乡建设厅, 省发展改革委]")
SUBJECT_LABEL = _clause(D_LINE6, "(责任主体:各县(市、区)人民政府;参与单位:省教育厅)", "[各县(市、区)人民政府, 省教育厅]")
# 3. a clause closed by )。 — the 。 belongs to the clause
CLOSED = _clause(D_LINE5, D_LINE5 + "。", "[省住房城乡建设厅, 省发展改革委]")


def _prepend(*lines: str, skip: str | None = None):
    """Lines put before the title: every line number of tiny shifts, and
    the new lines are skipped with ``skip`` (a kind) when given."""
    k = len(lines)

    def apply(root: Path):
        src = root / "sources" / "tiny.txt"
        src.write_text("".join(x + "\n" for x in lines) + src.read_text(encoding="utf-8"), encoding="utf-8")
        body = root / Y
        body.write_text(re.sub(r"(?m)^(\s+line: )(\d+)$", lambda m: m.group(1) + str(int(m.group(2)) + k),
                               body.read_text(encoding="utf-8")), encoding="utf-8")
        cat = root / P  # (the same file: the entry and the body)
        text = cat.read_text(encoding="utf-8").replace("title_lines: [1]", f"title_lines: [{1 + k}]")
        text = text.replace("lines: 7-8", f"lines: {7 + k}-{8 + k}")
        if skip:
            text = text.replace("  skip:\n", f"  skip:\n    - {{lines: 1-{k}, kind: {skip}, reason: 文件版头}}\n")
        cat.write_text(text, encoding="utf-8")
    return apply


# 4. the 版头 as notices write it: a title without 《》, over two lines; a 文号 in square
# brackets alone on its line; 主送机关 wrapped over two lines; a 落款 dated in Chinese numerals
HEADER = _edits(_prepend("小城省人民政府关于印发小城新型城镇化实施方案(2024—2028年)的通知",
                         "小政发[2024]3号",
                         "各市(州)、县(市、区)人民政府,",
                         "省政府各部门、各直属机构:", skip="header"),
                _edit(P, "doc_number: null", "doc_number: 小政发[2024]3号"))
HEADER_BROKEN_TITLE = _edits(_prepend("小城省人民政府", "关于印发小城新型城镇化",
                                      "实施方案(2024—2028年)的通知", "小政发〔2024〕3号", skip="header"),
                             _edit(P, "doc_number: null", "doc_number: 小政发〔2024〕3号"),
                             _edit("sources/tiny.txt", "2024年6月1日", "二〇二四年六月一日"))

# 5. two unnumbered boxes in one section: box, box2 (data-format.md, Ids)
BOX = """      - id: tiny/2.%s
        kind: box
        number: null
        title: null
        text: %s
        line: %d
        topics: []
"""
TWO_BOXES = _edits(
    _edit("sources/tiny.txt", "(责任单位:省教育厅)\n", "(责任单位:省教育厅)\n老旧小区改造工程:完成改造500个。\n随迁子女学位工程:新增学位。\n"),
    _edit(P, "lines: 7-8", "lines: 9-10"),
    lambda root: (root / Y).write_text((root / Y).read_text(encoding="utf-8")
                                       + BOX % ("box", "老旧小区改造工程:完成改造500个。", 7)
                                       + BOX % ("box2", "随迁子女学位工程:新增学位。", 8), encoding="utf-8"))

# each must validate (exit 0, no problem) and build
def _places(root: Path) -> None:
    """The real place vocabulary, with the tiny plan's 小城省 supplied (a
    data directory with place files: its regions and scopes are checked)."""
    from conftest import DATA

    (root / "places.tsv").write_bytes((DATA / "places.tsv").read_bytes())
    text = (DATA / "places.yaml").read_text(encoding="utf-8")
    (root / "places.yaml").write_text(text.replace("supplied:\n", "supplied:\n  - {code: '990000', name: 小城省, "
                                                   "short: 小城, level: province, kind: 省, parent: '000000', "
                                                   "reason: 测试}\n", 1), encoding="utf-8")


FORMS = [
    ("places: the region a place, no scope", _places),
    ("bracketed 、 in a joint entry", JOINT_BRACKETS),
    ("bracketed 、 in one name", NAME_BRACKETS),
    ("牵头部门 and 配合部门 labels", LEAD_LABELS),
    ("牵头 written after a group of names", GROUP_LEAD),
    ("责任主体 and 参与单位 labels", SUBJECT_LABEL),
    ("clause closed by )。", CLOSED),
    ("notice title without 《》, 文号 in [], 主送机关 over two lines", HEADER),
    ("notice title over lines, 落款 date in Chinese numerals", HEADER_BROKEN_TITLE),
    ("two unnumbered boxes in one section", TWO_BOXES),
]


# (name, mutation, error code, file in the message, line in the message: a number,
#  the line of the mutated file holding a marker text, or None)
CASES = [
    ("yaml syntax error", _edit(Y, "topics: [老旧小区]", "topics: [老旧小区"), "E101", Y, None),
    ("duplicate key", _edit(Y, "        kind: measure\n        number: (一)",
                            "        kind: measure\n        kind: measure\n        number: (一)"), "E102", Y, ("kind: measure", 2)),
    ("alias bomb", _write(Y, BOMB), "E103", Y, 2),
    ("huge file", _write(Y, b"# " + b"x" * (33 * 1024 * 1024)), "E104", Y, None),
    ("binary file", _write(Y, b"plan:\n  id: tiny\n\x00\x01\x02\xff\xfe"), "E105", Y, 3),
    ("not utf-8", _write(Y, "plan:\n  id: tiny\nsections: []  # 中文".encode("gbk")), "E105", Y, 3),
    ("empty file", _write(Y, b"   \n"), "E106", Y, 1),
    ("missing field", _edit(Y, "        text: 推进老旧小区改造。到2027年完成老旧小区改造500个,加装电梯100部。\n", ""),
     "E110", Y, "id: tiny/2.1"),
    ("wrong type", _edit(Y, "        line: 5\n", "        line: five\n"), "E111", Y, "line: five"),
    ("a section note that is not text", _edit(Y, "    title: 总体要求\n", "    title: 总体要求\n    note: [1, 2]\n"), "E111", Y,
     "note: [1, 2]"),
    ("an annex group note that is not text", _annex(note="[1, 2]"), "E111", Y, "note: [1, 2]"),
    ("unknown field", _edit(Y, "        title: 推进老旧小区改造\n", "        titel: 推进老旧小区改造\n"), "E112", Y, "titel:"),
    ("bad kind", _edit(Y, "        kind: measure\n        number: (一)", "        kind: task\n        number: (一)"),
     "E113", Y, "kind: task"),
    ("duplicate id", _edit(Y, "      - id: tiny/2.2", "      - id: tiny/2.1"), "E120", Y, ("id: tiny/2.1", 2)),
    ("id of another plan", _edit(Y, "      - id: tiny/2.2", "      - id: other/2.2"), "E121", Y, "id: other/2.2"),
    ("unknown topic", _edit(Y, "topics: [老旧小区]", "topics: [不存在的主题]"), "E130", Y, "topics: [不存在的主题]"),
    ("unknown department", _edit(Y, "departments: [省教育厅]", "departments: [省教育局]"), "E131", Y, "departments: [省教育局]"),
    ("unknown indicator", _edit(Y, "indicator: 老旧小区改造", "indicator: 老旧小区改造数量"), "E132", Y, "indicator: 老旧小区改造数量"),
    ("file for another plan", _edit(Y, "  id: tiny\n", "  id: other\n"), "E133", Y, "  id: other"),
    ("plan file not named by a plan id", _rename(Y, "plans/Tiny-2.yaml"), "E113", "plans/Tiny-2.yaml", 1),
    ("catalogue in plans.yaml (the old layout)", _write("plans.yaml", "plans:\n  - id: tiny\n"), "E112", "plans.yaml", 1),
    ("url not a web address", _edit(P, "  source: sources/tiny.txt\n", "  url: www.example.org/tiny\n  source: sources/tiny.txt\n"),
     "E113", P, "url:"),
    ("unknown national task", _edit(Y, "        topics: [老旧小区]\n", "        topics: [老旧小区]\n        tasks: [national/9.9]\n"),
     "E134", Y, "tasks: [national/9.9]"),
    ("impossible year", _edit(Y, "year: 2027", "year: 20277"), "E140", Y, "year: 20277"),
    ("baseline after target", _edit(Y, "year: 2027", "year: 2027\n            baseline_year: 2030"), "E141", Y, "baseline_year: 2030"),
    ("impossible plan period", _edit(P, "period: {start: 2024, end: 2028}", "period: {start: 2024, end: 2020}"),
     "E140", P, "period:"),
    ("line outside the source", _edit(Y, "        line: 6\n", "        line: 60\n"), "E151", Y, "line: 60"),
    ("missing source file", _remove("sources/tiny.txt"), "E150", "sources/tiny.txt", None),
    ("no plan file at all", _remove(Y), "E110", "plans", None),
    ("alias in two departments", _edit("departments.yaml", "aliases: [省发改委]", "aliases: [省发改委, 省住房和城乡建设厅]"),
     "E160", "departments.yaml", "省发改委"),
    ("synonym in two topics", _edit("topics.yaml", "synonyms: [随迁子女]", "synonyms: [随迁子女, 老旧小区改造]"),
     "E160", "topics.yaml", "synonyms: [老旧小区改造]"),
    # ---- verbatim
    ("quote not in its source", _edit(Y, "text: 推进老旧小区改造。到2027年", "text: 大力推进老旧小区改造。到2027年"),
     "E201", Y, "text: 大力推进"),
    ("target quote not in its source", _edit(Y, "quote: 到2027年完成老旧小区改造500个", "quote: 到2027年完成老旧小区改造五百个"),
     "E202", Y, "quote: 到2027年完成老旧小区改造五百个"),
    ("target not in its quote", _edit(Y, "as_written: 500个", "as_written: 600个"), "E203", Y, "as_written: 600个"),
    ("target value not in its quote", _edit(Y, "value: 500\n", "value: 501\n"), "E204", Y, "value: 501"),
    ("baseline not in the source", _edit(Y, "year: 2027", "year: 2027\n            baseline_as_written: '400'"),
     "E205", Y, "baseline_as_written: '400'"),
    ("scope not on the measure's lines", _edit(Y, "year: 2027", "year: 2027\n            scope: 某某区"), "E206", Y, "scope: 某某区"),
    ("repair not on its line", _edit(P, "  title_lines: [1]\n", "  title_lines: [1]\n  repairs: [{line: 3, source: 不存在的字, repaired: x, reason: y}]\n"),
     "E207", P, "repairs:"),
    ("department not in its clause", _edit(Y, "departments: [省教育厅]", "departments: [省教育厅, 省发展改革委]"),
     "E208", Y, "departments: [省教育厅, 省发展改革委]"),
    ("clause not in its source", _edit(Y, "departments_quote: (责任单位:省教育厅)", "departments_quote: (责任单位:省教育厅、省财政厅)"),
     "E209", Y, "departments_quote: (责任单位:省教育厅、省财政厅)"),
    ("title line not the name", _edit(P, "title_lines: [1]", "title_lines: [3]"), "E210", P, "title_lines: [3]"),
    # ---- the catalogue against the source
    ("文号 not in the source", _edit(P, "doc_number: null", "doc_number: 小政〔2024〕1号"), "E211", P, "doc_number:"),
    ("issue date not the 落款's", _edit(P, "issue_date: 2024-06-01", "issue_date: 2024-06-02"), "E211", P, "issue_date:"),
    ("period contradicts the title", _edit(P, "period: {start: 2024, end: 2028}", "period: {start: 2024, end: 2029}"),
     "E212", P, "period:"),
    ("abridged not in the source", _edit(P, "  title_lines: [1]\n", "  title_lines: [1]\n  abridged: true\n"),
     "E213", P, "abridged: true"),
    # ---- targets against their sentence
    ("year not written", _edit(Y, "year: 2027", "year: 2026"), "E220", Y, "year: 2026"),
    ("implied year not the period's end", _edit(Y, "            year: 2028\n            year_implied: true",
                                                 "            year: 2027\n            year_implied: true"), "E221", Y, ("year: 2027", 2)),
    ("open-ended commitment with a year", _edit(Y, "            value: 100\n            unit: \"%\"\n", "            value: null\n"),
     "E222", Y, ("year: 2028", 2)),
    ("comparator for 左右", _edit(Y, "comparator: approx", "comparator: ge"), "E223", Y, "comparator: ge"),
    ("qualifier not written", _edit(Y, "qualifier: 左右\n            comparator: approx", "qualifier: 以上\n            comparator: ge"),
     "E224", Y, "qualifier: 以上"),
    ("cumulative not written", _edit(Y, "year: 2027", "year: 2027\n            cumulative: true"), "E225", Y, "cumulative: true"),
    ("unit changed", _edit(Y, "unit: 个", "unit: 户"), "E226", Y, "unit: 户"),
    ("aspiration not written", _edit(Y, "year: 2027", "year: 2027\n            aspiration: 力争"), "E227", Y, "aspiration: 力争"),
    ("baseline not written", _edit(Y, "year: 2027", "year: 2027\n            baseline: 400"), "E228", Y, "baseline: 400"),
    ("basis not written", _edit(Y, "year: 2027", "year: 2027\n            basis: annual_growth"), "E229", Y, "basis: annual_growth"),
    # ---- departments against their clause
    ("departments swapped", _edit(Y, "departments: [省住房城乡建设厅, 省发展改革委]", "departments: [省发展改革委, 省住房城乡建设厅]"),
     "E230", Y, "departments: [省发展改革委, 省住房城乡建设厅]"),
    ("joint entry split", _edits(
        _edit("sources/tiny.txt", "(责任单位:省教育厅)", "(责任单位:省教育厅,甲市、乙市政府)"),
        _edit(Y, "departments_quote: (责任单位:省教育厅)", "departments_quote: (责任单位:省教育厅,甲市、乙市政府)"),
        _edit(Y, "departments: [省教育厅]", "departments: [省教育厅, 甲市, 乙市政府]"),
        _edit("departments.yaml", "  - {name: 省教育厅, aliases: [], level: province}\n",
              "  - {name: 省教育厅, aliases: [], level: province}\n  - {name: 甲市人民政府, aliases: [甲市, 甲市政府]}\n"
              "  - {name: 乙市人民政府, aliases: [乙市, 乙市政府]}\n")),
     "E231", Y, "departments: [省教育厅, 甲市, 乙市政府]"),
    ("lead not written", _edit(Y, "        departments_quote: (责任单位:省住房城乡建设厅、省发展改革委)\n",
                               "        departments_quote: (责任单位:省住房城乡建设厅、省发展改革委)\n        lead: [省住房城乡建设厅]\n"),
     "E232", Y, "lead: [省住房城乡建设厅]"),
    # ---- the forms real plans write, broken
    ("joint entry with brackets split", _edits(JOINT_BRACKETS, _edit(
        Y, "[省教育厅, {joint: 各市(州)、县(市、区)人民政府, names: [各市(州)人民政府, 各县(市、区)人民政府]}]",
        "[省教育厅, 各市(州)人民政府, 各县(市、区)人民政府]")), "E231", Y, "departments: [省教育厅, 各市(州)人民政府"),
    ("lead on the 配合 name", _edits(LEAD_LABELS, _edit(Y, "lead: [省住房城乡建设厅]", "lead: [省发展改革委]")),
     "E232", Y, "lead: [省发展改革委]"),
    ("lead left out of a 牵头部门 clause", _edits(LEAD_LABELS, _edit(Y, "\n        lead: [省住房城乡建设厅]", "")),
     "E232", Y, "departments: [省住房城乡建设厅, 省发展改革委]"),
    ("lead lacks a name of a 牵头 group", _edits(GROUP_LEAD, _edit(Y, "lead: [省住房城乡建设厅, 省发展改革委]",
                                                             "lead: [省住房城乡建设厅]")),
     "E232", Y, "lead: [省住房城乡建设厅]"),
    ("labelled clause's names swapped", _edits(SUBJECT_LABEL, _edit(Y, "departments: [各县(市、区)人民政府, 省教育厅]",
                                                                 "departments: [省教育厅, 各县(市、区)人民政府]")),
     "E230", Y, "departments: [省教育厅, 各县(市、区)人民政府]"),
    ("header skip hides a sentence", _prepend("小城省人民政府关于印发小城新型城镇化实施方案的通知",
                                              "为推进新型城镇化,制定本方案。", skip="header"), "E250", P, "kind: header"),
    ("文号 in [] and doc_number null", _edits(HEADER, _edit(P, "doc_number: 小政发[2024]3号", "doc_number: null")),
     "E211", P, "doc_number:"),
    ("落款 in Chinese numerals, issue date another", _edits(HEADER_BROKEN_TITLE,
                                                      _edit(P, "issue_date: 2024-06-01", "issue_date: 2024-06-11")),
     "E211", P, "issue_date:"),
    ("second unnumbered box numbered out of order", _edits(TWO_BOXES, _edit(Y, "id: tiny/2.box2", "id: tiny/2.box3")),
     "E240", Y, "id: tiny/2.box3"),
    ("two unnumbered boxes with one id", _edits(TWO_BOXES, _edit(Y, "id: tiny/2.box2", "id: tiny/2.box")),
     "E120", Y, ("id: tiny/2.box", 2)),
    # ---- ids, numbering, order
    ("id against its number", _edit(Y, "      - id: tiny/2.2", "      - id: tiny/2.5"), "E240", Y, "id: tiny/2.5"),
    ("numbering gap", _edits(_edit("sources/tiny.txt", "(二)保障", "(三)保障"), _edit(Y, "number: (二)", "number: (三)"),
                             _edit(Y, "      - id: tiny/2.2", "      - id: tiny/2.3")), "E241", Y, "number: (三)"),
    ("measures out of order", _swap_measures, "E242", Y, "line: 5"),
    # ---- skips
    ("skip of the wrong kind", _edit(P, "kind: signature", "kind: contents"), "E250", P, "kind: contents"),
    ("skip hides body text", _edit(P, "lines: 7-8", "lines: 6-8"), "E251", P, "lines: 6-8"),
    # ---- the national plan
    ("national title not in its evidence", _national(title="推进老旧小区改造工程"), "E260", "national.yaml", "title: 推进老旧小区改造工程"),
    ("national evidence names no unit", _national(evidence="tiny/2.9"), "E261", "national.yaml", "evidence: tiny/2.9"),
    ("task on a retrospective measure", _edits(_national(), _edit(Y, "    title: 重点任务\n", "    title: 重点任务\n    retrospective: true\n")),
     "E262", Y, "tasks: [national/1.1]"),
    # ---- places (docs/places.md): queries select by place, so a plan whose places do not read is not built
    ("region naming no place", _edits(_places, _edit(P, "region: 小城省", "region: 大城省")), "E176", P,
     "region: 大城省"),
    ("scope naming nothing known", _edits(_places, _edit(Y, "            as_written: 60%左右\n",
                                                         "            as_written: 60%左右\n            scope: 全省\n")),
     "E177", Y, "scope: 全省"),
]

# coverage: the build goes on, `cz validate` reports them (exit 1)
COVERAGE = [
    ("source text no record holds", _edit("sources/tiny.txt", "(责任单位:省教育厅)\n", "(责任单位:省教育厅)新增一句。\n"),
     "E301", "sources/tiny.txt", 6),
    ("heading no record holds", _edit(Y, "    number: 二、\n", "    number: null\n"), "E302", "sources/tiny.txt", 4),
    ("measure with no national task", _national(), "E303", Y, "id: tiny/2.2"),
    ("clause closed by )。 quoted without its 。", _edits(CLOSED, _edit(Y, "departments_quote: " + D_LINE5 + "。",
                                                                     "departments_quote: " + D_LINE5)),
     "E301", "sources/tiny.txt", 5),
    ("review flag left in the data", _edit(Y, "year: 2027", "year: 2027\n            review: 年份请核对"), "E304", Y,
     "review: 年份请核对"),
]


@pytest.mark.parametrize("name,mutate", FORMS, ids=[f[0] for f in FORMS])
def test_forms_real_plans_write_validate(tiny, name, mutate):
    """A correct encoding of each form passes every check, and builds."""
    mutate(tiny)
    v = run_cz(["validate", "--format", "json"])
    assert v.code == 0, json.loads(v.out)["problems"] if v.out.strip() else v.err
    assert run_cz(["build", "-q"]).code == 0


def _problem_lines(err: str) -> list[re.Match]:
    lines = err.strip().splitlines()
    assert lines and "Traceback" not in err
    found = [HEAD.match(x) for x in lines]
    assert all(found), err
    return found


@pytest.mark.parametrize("name,mutate,code,file,line", CASES, ids=[c[0] for c in CASES])
def test_broken_fixture(tiny_built, name, mutate, code, file, line):
    tiny = tiny_built
    built = run_cz(["build", "-q"])
    assert built.code == 0, built.err
    db = Path(os.environ["CZ_DB"])
    before = db.read_bytes()

    mutate(tiny)
    res = run_cz(["build", "-q"])
    assert res.code == 2, (res.code, res.err)
    found = _problem_lines(res.err)
    want_line = None if line is None else str(line if isinstance(line, int) else _line_of(tiny / file, line))
    assert any(m.group(3) == code and m.group(1).endswith(file) and (want_line is None or m.group(2) == want_line)
               for m in found), (code, file, want_line, res.err)
    assert db.read_bytes() == before, "a failed build changed the previous database"

    # a query keeps answering from the last good database, with a one-line
    # warning that counts the problems; the exit code is the query's own
    for _ in range(2):  # the second time the failure is remembered, not retried
        q = run_cz(["search", "老旧小区"])
        assert q.code == 0, q.err
        assert "tiny/2.1" in q.out
        warn = q.err.strip().splitlines()
        assert len(warn) == 1 and "warning" in warn[0], q.err
        n = int(re.search(r"the data has (\d+) problem", warn[0]).group(1))
        assert n >= len(found) and found[0].group(3) in warn[0], (warn, res.err)
        assert db.read_bytes() == before
    q = run_cz(["search", "没有这个词"])
    assert q.code == 1 and "the data has" in q.err

    # cz validate reports the same problem at the same place, exit 1 (2 only
    # when the data cannot be found at all)
    v = run_cz(["validate", "--format", "json"])
    if code != "E150" or file != "plans.yaml":
        assert v.code == 1, v.err
        probs = json.loads(v.out)["problems"]
        assert any(p["code"] == code and p["file"].endswith(file)
                   and (want_line is None or str(p["file_line"]) == want_line) for p in probs), probs
        assert len(probs) == n  # the warning counted every problem validate lists


@pytest.mark.parametrize("name,mutate,code,file,line", COVERAGE, ids=[c[0] for c in COVERAGE])
def test_coverage_fixture(tiny, name, mutate, code, file, line):
    mutate(tiny)
    assert run_cz(["build", "-q"]).code == 0  # coverage does not stop a build
    v = run_cz(["validate", "--format", "json"])
    assert v.code == 1
    want_line = str(line if isinstance(line, int) else _line_of(tiny / file, line))
    probs = json.loads(v.out)["problems"]
    assert any(p["code"] == code and p["file"].endswith(file) and str(p["file_line"]) == want_line
               for p in probs), probs
    table = run_cz(["validate"])
    assert table.code == 1 and code in table.out


def test_every_code_has_a_fixture():
    """The registry and the loader's codes: each has a fixture above."""
    from conftest import REPO

    codes = set()
    for path in (REPO / "src" / "chengzhen" / "kb").rglob("*.py"):
        codes |= set(re.findall(r'"(E\d{3})"', path.read_text(encoding="utf-8")))
    from chengzhen.kb.audit import CODES

    assert set(CODES) <= codes
    have = {c[2] for c in CASES} | {c[2] for c in COVERAGE}
    # the place and statistics files' own codes (E170–E175, E180–E187): their
    # fault tests, each at its file and line (tests/test_places.py, test_statistics.py)
    from test_places import FAULT_CODES as place_codes
    from test_statistics import FAULT_CODES as statistic_codes

    # a pending draft (E305): tests/test_ingest_pending.py, at its file
    from test_ingest_pending import FAULT_CODES as pending_codes

    have |= place_codes | statistic_codes | pending_codes
    assert codes <= have, f"codes without a fixture: {sorted(codes - have)}"


def test_every_problem_of_every_file_at_once(tiny):
    """Three files broken four ways: one build reports all of them, grouped
    by file, each at its field's line."""
    _edit(P, "issue_date: 2024-06-01", "issue_date: 2024-06-02")(tiny)
    _edit(Y, "comparator: approx", "comparator: ge")(tiny)
    _edit(Y, "unit: 个", "unit: 户")(tiny)
    _edit("topics.yaml", "synonyms: [随迁子女]", "synonyms: [随迁子女, 老旧小区改造]")(tiny)
    _edit("departments.yaml", "aliases: [省发改委]", "aliases: [省发改委, 省住房和城乡建设厅]")(tiny)
    res = run_cz(["build", "-q"])
    assert res.code == 2
    found = _problem_lines(res.err)
    got = [(m.group(1).rsplit("/", 1)[-1], m.group(3)) for m in found]
    assert ("topics.yaml", "E160") in got and ("departments.yaml", "E160") in got and ("tiny.yaml", "E211") in got
    assert ("tiny.yaml", "E223") in got and ("tiny.yaml", "E226") in got
    files = [f for f, _c in got]
    assert files == sorted(files, key=files.index), "problems are grouped by file"
    v = run_cz(["validate"])
    assert v.code == 1
    for text in ("topics.yaml", "departments.yaml", "tiny.yaml", "E160", "E211", "E223", "E226", "→ comparator: approx"):
        assert text in v.out, text


def test_validate_names_the_difference_and_the_fix(tiny):
    _edit(Y, "text: 推进老旧小区改造。到2027年完成", "text: 推进老旧小区改造。到2027年全面完成")(tiny)
    _edit(Y, "topics: [老旧小区]", "topics: [老旧小区改造工程]")(tiny)
    v = run_cz(["validate"])
    assert v.code == 1
    lines = v.out.splitlines()
    yaml_line = next(x for x in lines if x.strip().startswith("yaml:"))
    source_line = next(x for x in lines if x.strip().startswith("source:"))
    caret = lines[lines.index(source_line) + 1]
    assert caret.strip() == "^"
    # the caret stands under the first character that differs
    from chengzhen.kb.problems import _width

    col = len(caret) - 1
    def char_at(text, col):
        w = 0
        for ch in text:
            if w >= col:
                return ch
            w += _width(ch)
        return None
    assert char_at(yaml_line, col) == "全" and char_at(source_line, col) == "完"
    assert "did you mean '老旧小区改造'" in v.out or "did you mean '老旧小区'" in v.out
    assert "topics.yaml" in v.out  # the vocabulary to edit for a new name


def test_a_synonym_is_accepted_as_what_it_is(tiny):
    """A topic written as its synonym (老旧小区改造 for 老旧小区) is the topic."""
    _edit(Y, "topics: [老旧小区]", "topics: [老旧小区改造]")(tiny)
    assert run_cz(["validate"]).code == 0
    assert run_cz(["build", "-q"]).code == 0
    res = run_cz(["show", "tiny/2.1", "--format", "json"])
    assert json.loads(res.out)["records"][0]["topics"] == ["老旧小区"]


def test_missing_catalogue_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CZ_DATA", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CZ_DB", str(tmp_path / "db.sqlite"))
    res = run_cz(["search", "住房"])
    assert res.code == 2
    assert "CZ_DATA" in res.err and len(res.err.strip().splitlines()) == 1
