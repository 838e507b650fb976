"""Every figure of the source is a drafted target or explained by a path, and a weak path is asked about on the
figure's own line (ingest/figure_paths.py), by definition:

* over every plan source the data holds and made-up texts, every quantity of **every** line (`cz review`'s
  own reading, ingest/review.py: QUANTITY — skipped lines, title lines and the lines before the body too) has
  one explanation, and each one judged weak carries a flag on its line that names the figure;
* a news item's lead, skipped as a site's summary with no title of the plan after it, has its goals asked
  about on their line (贵州's 小城镇 意见: four goals, one flag at line 0) — fails on the code before;
* ``judged`` by its definition, over made-up tables (hypothesis).

Every text here is made up."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chengzhen.ingest import figure_forms as FF
from chengzhen.ingest import figure_paths as FP
from chengzhen.ingest import flags as FL
from chengzhen.ingest.review import QUANTITY
from chengzhen.text.normalize import squash
from conftest import DATA
from test_ingest_flags import _draft_text, drafts  # noqa: F401 - the module's drafts, shared

NEWS = """\
首页|新闻中心|地方动态
某某省出台新政策推动小城镇高质量发展
2019-10-09 17:26 来源:某某日报
字号:默认|打印|
新华社某某10月9日电(记者某某)近日,某某省政府办公厅印发《关于加快推动小城镇高质量发展的实施意见》,\
要求推动全省{a}个示范小城镇提档升级,全省新增城镇人口{b}万,带动全省城镇化率提高{c}个百分点以上。
“意见”要求立足小城镇优势条件,大力培育特色主导产业,加快形成分工明确、特色鲜明的城镇产业发展新格局。
某某省实施配套设施提升工程,确保2022年底完成项目投资500亿元,建成项目3000个。
"""


def test_every_figure_of_every_line_is_explained_and_a_weak_explanation_is_asked_on_its_line(drafts):  # noqa: F811
    counted = asked = forms = 0
    for name, d in drafts.items():
        ev = FL._evidence(d, DATA, None)
        explained = FP.explain(ev, FL)
        by_line: dict[int, list] = {}
        for f in explained:
            by_line.setdefault(f.line, []).append(f)
        said: dict[int, str] = {}
        for line, _item, reason in d.review:
            said[line] = said.get(line, "") + squash(reason)
        kind = FP.kind_of_text(ev)
        for n, s in enumerate(ev.lines, start=1):
            for m in QUANTITY.finditer(s):
                fig = squash(m.group(0))
                if re.fullmatch(r"(?:19|20)\d{2}(?:\s*[—–―\-~～至到]\s*(?:19|20)\d{2})?\s*年", fig) or not FL.FIGURE.search(fig):
                    continue  # a year; a figure the flags' reading does not take for a quantity (a bare number)
                digits = re.findall(r"\d+(?:\.\d+)?", fig)
                mine = [f for f in by_line.get(n, []) if any(x in f.figure for x in digits)]
                assert mine, f"{name} line {n}: {fig} is explained by nothing: {s[:120]}"
                counted += 1
        # a quantity in a form the figure net does not read (3/4, 四分之三, 2.3:1, 七成): drafted, asked on its line,
        # or in a sentence that sets no goal (ingest/figure_forms.py)
        drafted = " ".join(squash(t.get("as_written") or "") for r in ev.records for t in r.get("targets") or [])
        start = FL._period_start(ev)
        by_id = {r.get("id"): r for r in ev.records}
        for f in FF.forms(ev, FL.FIGURE):
            s = ev.sq[f.line - 1]
            a = s.find(f.written)
            assert f.written in drafted or f.written in said.get(f.line, "") or not FF._sets_a_goal(
                ev, FL, s, a, a + len(f.written), by_id.get(f.item), start), f"{name} line {f.line}: {f.written} unasked"
            assert not (f.kind == "ratio" and re.search(r"(?<!\d)\d{1,2}:\d{2}(?!\d)", f.written) and FF._is_time(
                re.match(r"(\d+):(\d+)", f.written))), f"{name} line {f.line}: a time of day read as a ratio"
            forms += 1
        for f in explained:
            assert f.path in ("target", "goal") or f.path in FP.PATHS, f
            if f.path not in ("target", "goal") and FP.judged(f.path, kind):
                assert squash(f.figure) in said.get(f.line, ""), f"{name} line {f.line}: {f.figure} ({f.path}) not asked"
                asked += 1
    assert counted > 50


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.integers(min_value=11, max_value=400), b=st.integers(min_value=11, max_value=99),
       c=st.integers(min_value=2, max_value=9))
def test_a_news_items_lead_skipped_as_a_summary_has_its_goals_asked_about_on_their_line(a, b, c):
    d = _draft_text(NEWS.format(a=a, b=b, c=c))
    lead = next(n for n, s in enumerate(d.lines, start=1) if "印发《" in s)
    # as ingest skips such a lead (a site's summary of the plan, before the text it takes for the body)
    d.entry.setdefault("skip", []).append({"lines": lead, "kind": "summary", "reason": "a site's summary"})
    for r in FL._evidence(d, DATA, None).records:
        r["targets"] = [t for t in r.get("targets") or [] if (t.get("line") or r.get("line")) != lead]
    d.review = [x for x in d.review if x[0] != lead]
    FL.raise_flags(d, DATA)
    on_line = " ".join(squash(reason) for line, _i, reason in d.review if line == lead)
    for fig in (f"{a}个", f"{b}万", f"{c}个百分点"):
        assert fig in on_line, (fig, on_line)


@given(table=st.dictionaries(st.sampled_from(["skip:lead", "skip:lead/plain", "skip:lead/document"]),
                             st.tuples(st.integers(0, 9), st.integers(1, 12), st.integers(0, 4)).filter(lambda x: x[0] <= x[1]),
                             min_size=1),
       kind=st.sampled_from(["plain", "document"]))
def test_judged_by_its_definition(table, kind):
    got = FP.judged("skip:lead", kind, table)
    fine = table.get(f"skip:lead/{kind}")
    weak = FP.weak(table)
    if fine and fine[1] >= FP.LEAST and (fine[2] >= FP.TEXTS or fine[0] / fine[1] < FP.RATE):
        assert got == (f"skip:lead/{kind}" if f"skip:lead/{kind}" in weak else None)
    else:
        assert got == ("skip:lead" if "skip:lead" in weak else None)
    for key in weak:
        hid, seen, where = table[key]
        assert seen >= FP.LEAST and hid / seen >= FP.RATE and where >= FP.TEXTS


@settings(max_examples=10, deadline=None)
@given(word=st.sampled_from(["力争", "争取", "努力"]), past=st.integers(min_value=20, max_value=40),
       goal=st.integers(min_value=45, max_value=70), sep=st.sampled_from([";", "；"]))
def test_an_aim_word_opening_a_sentence_after_a_semicolon_governs_its_targets(word, past, goal, sep):
    text = ("某某省城镇化规划(2016—2020年)\n一、发展目标\n"
            f"2015年全省城镇化率达到{past}%{sep}{word}经过5年左右的努力,形成一批中小城市,到2020年城镇化率达到{goal}%。\n"
            "二、重点任务\n(一)推进基础设施建设。完善城市道路网络。\n")
    d = _draft_text(text)
    got = [t for r in FL._evidence(d, DATA, None).records for t in r.get("targets") or [] if t.get("value") == goal]
    assert got and all(t.get("aspiration") == word for t in got), got
