"""How every answer is presented, the same in the terminal and on the page:
the Chinese labels of the stable English keys, the one cell format of
CSV/TSV (and how a cell is kept from running as a spreadsheet formula), a
highlighted snippet's window and spans, and the phrases a target is shown
by (its label, year with ``*`` when implied, baseline).

Plain functions of plain data: no database, no printing, no rich or HTML
(each front draws the spans its own way).
"""

from __future__ import annotations

import functools
import json
import re

from chengzhen.text.normalize import fold
from chengzhen.text.tokens import split_tokens, token_spans

# --------------------------------------------------------------------------- labels

# the kinds of unit a plan holds
KIND_LABELS = {"measure": "条目", "paragraph": "段落", "box": "专栏", "table": "表格",
               "section": "章节", "target": "目标", "annex": "附件", "title": "方案标题"}

# how a unit matched a search (exact hits and listed units need no label)
MATCH_LABELS = {"exact": "", "list": "", "segmented": "分词", "department": "责任单位", "plan": "方案", "topic": "主题",
                "indicator": "指标", "task": "国家任务", "fuzzy": "纠错", "pinyin": "拼音", "related": "相关",
                "did_you_mean": "建议"}

# how a name the user typed was understood
HOW_LABELS = {"name": "名称", "alias": "别名", "part": "名称的一部分", "id": "编号", "short name": "简称",
              "region": "地区名", "abbreviation": "一字简称", "synonym": "同义词", "title": "标题"}

# the kinds of thing a search can name besides text
ENTITY_LABELS = {"department": "责任单位", "plan": "方案", "topic": "主题", "indicator": "指标", "task": "国家任务"}

# a plan's level of government
LEVEL_LABELS = {"province": "省", "city": "市", "county": "县"}

# said beside a plan whose source the publisher abridged (本文有删减)
ABRIDGED_MARK = "原文有删减"

# the Chinese label of a record key, for every key an answer's records use
# (a key not here is shown as it is: a plan id, a term the reader typed)
COLUMN_LABELS = {
    "rank": "序号", "hit": "命中", "match": "匹配", "via": "依据", "kind": "类型", "id": "编号", "item": "子项",
    "plan": "方案", "plan_name": "方案简称", "number": "序号(原文)", "title": "标题", "path": "位置", "line": "行",
    "line_end": "止行", "in_title": "标题命中", "score": "得分", "tasks": "国家任务", "text": "原文", "q": "检索词",
    "short_name": "简称", "name": "名称", "region": "地区", "level": "层级", "issuer": "发文机关",
    "doc_number": "文号", "issue_date": "日期", "period_start": "起始年", "period_end": "截止年", "parent": "上位方案",
    "script": "字形", "completeness": "完整性", "measures": "条目数", "targets": "目标", "sections": "章节数",
    "units": "条目(含段落)", "departments": "责任单位", "topics": "主题数", "topics_total": "主题总数",
    "annex_rows": "附件条目", "characters": "字数", "synonyms": "同义词", "group_id": "转述组", "indicator": "指标",
    "scope": "范围", "aspiration": "力争", "as_written": "原文", "qualifier": "限定", "value": "数值",
    "value_max": "上限", "unit": "单位", "comparator": "比较", "basis": "口径", "year": "年份",
    "year_implied": "年份推定", "baseline": "基期值", "baseline_as_written": "基期(原文)", "baseline_year": "基期年",
    "cumulative": "累计", "restatements": "转述", "baseline_from": "基期所据转述", "type": "类别", "measure_id": "条目", "quote": "引文", "note": "注",
    "department": "责任单位", "listed_first": "首列", "lead": "牵头", "position": "位次", "all_tasks": "全部任务",
    "missing": "未提及", "row": "行", "task": "国家任务", "task_title": "任务标题", "empty": "空格",
    "source_abridged": "原文有删减", "group": "行动", "evidence": "出处", "carried_by": "承接方案数",
    "silent": "未承接", "topic": "主题", "shared_words": "共有词", "checked": "已核对", "verified": "已核实",
    "not_found": "未找到", "verified_pct": "核对率", "coverage_pct": "原文覆盖", "headings": "标题数",
    "headings_found": "已找到标题", "ok": "通过", "problems": "问题", "reason": "原因", "plan_title": "方案标题",
    "plan_title_as_written": "标题为原文", "source_file": "来源文件", "original": "原文(原字形)",
    "repairs": "修复", "restored_heading": "据目录补", "citation": "引用", "total": "合计", "measure": "条目",
    # progress against the statistics (answers/progress.py)
    "place": "地方代码", "place_name": "地方", "level_unit": "水平值单位", "base": "起点值", "base_year": "起点年",
    "base_source": "起点来源", "base_ref": "起点出处", "latest": "最新值", "latest_year": "最新年",
    "latest_ref": "最新值出处", "latest_source": "最新值来源", "years_left": "剩余年数", "pace_needed": "需年均",
    "pace_achieved": "实际年均", "projected_year": "按现速达成年", "aim": "达标值", "verdict": "判断",
    "status": "判断(代码)", "comparable": "可比", "notes": "说明", "series": "统计序列", "path": "直线路径",
}


def column_label(key: str) -> str:
    return COLUMN_LABELS.get(key, key)


# the Chinese words for the codes a record's values hold, per key (``--headers zh``);
# tests/test_headers.py checks every code in the database and in every answer has one
COMPARATOR_LABELS = {"eq": "等于", "approx": "左右", "approach": "接近", "ge": "不低于", "gt": "高于", "le": "不高于",
                     "lt": "低于", "range": "区间", "complete": "完成"}
BASIS_LABELS = {"level": "水平值", "annual_growth": "年均增长", "increase": "增加", "decrease": "减少",
                # a comparison row's basis (answers/compare.py)
                "task": "国家任务", "text": "文本相似", "unique": "独有", "review": "回顾性章节"}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "comparator": COMPARATOR_LABELS,
    "basis": BASIS_LABELS,
    "kind": {**KIND_LABELS, "commitment": "承诺", "annex_group": "附件分组", "annex_row": "附件条目", "plan": "方案",
             "national_task": "国家任务", "national_group": "国家行动"},
    "unit_kind": KIND_LABELS,
    "match": {**MATCH_LABELS, "exact": "原文", "list": "列出"},
    "level": LEVEL_LABELS,
    "script": {"simplified": "简体", "traditional": "繁体"},
    "type": {"group": "行动", "task": "任务"},  # cz matrix --by task
    # cz progress: the verdict's code, and where the value progress is measured from comes from
    "status": {"met": "已达成", "on_track": "按进度", "behind": "落后", "no_data": "无数据",
               "not_comparable": "无可比数据"},
    "base_source": {"plan": "规划", "statistic": "统计"},
}
BOOLEAN_LABELS = {True: "是", False: "否"}


def value_label(key: str, value: object) -> object:
    """A record's value as a Chinese table shows it: a code by its word
    (ge → 不低于), a yes/no as 是/否, anything else as it is."""
    if isinstance(value, bool):
        return BOOLEAN_LABELS[value]
    labels = VALUE_LABELS.get(key)
    if labels is not None and isinstance(value, str):
        return labels.get(value, value)
    return value


def zh_columns(columns: list[dict]) -> list[str]:
    """The Chinese headers of a table's columns (``{"key", "label"}``), each
    once: a label two keys share gets its key beside it."""
    seen: dict[str, int] = {}
    for c in columns:
        seen[c["label"]] = seen.get(c["label"], 0) + 1
    return [c["label"] if seen[c["label"]] == 1 else f"{c['label']}({c['key']})" for c in columns]


# --------------------------------------------------------------------------- cells

def cell(value: object) -> str:
    """A record's value as one CSV/TSV cell, the same on every front: None
    empty, booleans true/false, whole floats without ``.0``, lists joined
    with ``;``, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --------------------------------------------------------------------------- formulas

# A spreadsheet (Excel, WPS, LibreOffice) reads a CSV/TSV cell that begins
# with one of these as a formula — `=HYPERLINK(…)`, `+cmd|' /C calc'!A0`,
# `@SUM(…)` run when the file is opened (OWASP, "CSV Injection").
FORMULA_LEAD = "=+-@\t\r"
APOSTROPHE = "'"
# a number as a spreadsheet reads it (-5, +1.2, -5%, -1,234.5): a number, not
# a formula, so it stays as written
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?\Z")
_SPACE = " \u00a0\u3000\n\x0b\x0c"


def formula_leading(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula: it begins
    (after any spaces) with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, holds something besides white space, and is not a plain
    number."""
    if not text or not text.strip():
        return False
    head = text.lstrip(_SPACE)
    if text[0] not in FORMULA_LEAD and head[0] not in FORMULA_LEAD:
        return False
    return not (head[0] in "+-" and any(c.isdigit() for c in head) and _PLAIN_NUMBER.match(head.rstrip(_SPACE)))


def _needs_apostrophe(text: str) -> bool:
    # formula-leading once any apostrophes in front are taken away: so that a
    # text that itself begins with an apostrophe comes back exactly (restore)
    return formula_leading(text.lstrip(APOSTROPHE))


def neutralise(text: str) -> str:
    """A CSV/TSV cell no spreadsheet runs as a formula: a formula-leading
    text gets a leading apostrophe ``'`` (OWASP's advice; the rest of the
    text is unchanged, and a reader reads what the source says after it);
    anything else, numbers such as ``-5%`` or ``+1.2`` included, is returned
    as it is.  (A text that already begins with apostrophes before a formula
    gets one more, so that :func:`restore` gives every text back.)  Used by
    the csv and tsv writers (``answers/writers.py``); xlsx marks such a cell
    as text instead."""
    return APOSTROPHE + text if _needs_apostrophe(text) else text


def restore(cell_text: str) -> str:
    """The text a neutralised cell stands for (the inverse of
    :func:`neutralise`): one leading apostrophe taken away where
    :func:`neutralise` added it — before ``=``, ``+``, ``-``, ``@``, tab or
    CR (after any spaces or further apostrophes) and not a number."""
    if cell_text.startswith(APOSTROPHE) and _needs_apostrophe(cell_text[1:]):
        return cell_text[1:]
    return cell_text


# --------------------------------------------------------------------------- snippets

def snippet(text: str | None, spans: list[tuple[int, int]], width: int = 90) -> tuple[str, list[tuple[int, int]]]:
    """A window of at most ``width`` characters of ``text`` (on one line)
    around the first span, ``…`` where it is cut, and the spans moved into it."""
    if not text:
        return "", []
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text, list(spans)
    if not spans:
        return text[:width] + "…", []
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    inside = [(max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
              for s, e in spans if e > start and s < end]
    return prefix + text[start:end] + suffix, inside


_FOLDED: dict[str, str] = {}  # a character as find_spans folds it, once each


def _fold_char(ch: str) -> str:
    got = ch.lower() if ch.isascii() else fold(ch, simplify=False)
    if len(_FOLDED) < 1 << 16:
        _FOLDED[ch] = got
    return got


@functools.lru_cache(maxsize=2048)
def _tokens_at(text: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The index tokens of ``text`` (folded as the index folds it), where
    each starts and ends in ``text``, and where each token occurs (a page
    marks the same units' texts again and again: once per text)."""
    pieces = [_FOLDED.get(ch) or _fold_char(ch) for ch in text]
    folded = "".join(pieces)
    if len(folded) == len(text):  # one character each (nearly always): positions as they are
        where_at: list[int] | range = range(len(text))
    else:
        where_at = [i for i, piece in enumerate(pieces) for _c in piece]
    found = token_spans(folded)
    seq = tuple(t for t, _s, _e in found)
    where: dict[str, list[int]] = {}
    for k, t in enumerate(seq):
        where.setdefault(t, []).append(k)
    return (seq, tuple(where_at[s] for _t, s, _e in found), tuple(where_at[e - 1] + 1 for _t, _s, e in found),
            {t: tuple(ks) for t, ks in where.items()})


def find_spans(text: str | None, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each folded term (a token string) occurs in ``text`` as the
    search index matches it (original positions; a number only where it
    stands whole: 28万户 is not marked inside 2.8万户), merged where they
    overlap."""
    if not text or not tokens:
        return []
    seq, starts, ends, where = _tokens_at(text)
    spans = []
    for term in tokens:
        want = tuple(split_tokens(term)) if term else ()
        n = len(want)
        if not n:
            continue
        for k in where.get(want[0], ()):
            if seq[k:k + n] == want:
                spans.append((starts[k], ends[k + n - 1]))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def lead_phrase(text: str, n: int = 24) -> str:
    """A unit's first clause, as a stand-in title where the source gives none
    (the query layer's, which a plan's outline already uses)."""
    from chengzhen.query.items import lead_phrase as first_clause

    return first_clause(text, n)


def unit_label(u: dict) -> str:
    """A unit as a reader names it: its number and title, or its first clause
    where the source gives no title."""
    return f"{u.get('number') or ''}{u.get('title') or lead_phrase(u.get('text') or '')}"


# --------------------------------------------------------------------------- targets

def year_label(t: dict) -> str:
    """A target's year, ``*`` when the plan's period implies it; ``—`` none."""
    if t.get("year") is None:
        return "—"
    return f"{t['year']}*" if t.get("year_implied") else str(t["year"])


def baseline_label(t: dict) -> str:
    """A target's baseline as written, with its year; empty when none; ※
    when it is stated by a restatement of the target (``baseline_from``)."""
    if t.get("baseline_as_written") is None and t.get("baseline") is None:
        return ""
    b = t["baseline_as_written"] if t.get("baseline_as_written") is not None else f"{t['baseline']:g}"
    return (f"{b}({t['baseline_year']})" if t.get("baseline_year") else str(b)) + \
        (BASELINE_FROM_MARK if t.get("baseline_from") else "")


BASELINE_FROM_MARK = "※"
BASELINE_FROM_NOTE = "※ 基期取自同一目标的另一处转述(baseline_from)"


def committed_value(t: dict) -> str:
    """The value as written, with an aspiration (力争 …) the phrase does not hold."""
    value = t["as_written"]
    if t.get("aspiration") and t["aspiration"] not in value:
        value = t["aspiration"] + value
    return value


def target_label(t: dict) -> str:
    """A target in one phrase, with what a reader must not lose: its scope
    (黔中城市群 …), an aspiration (力争 …) and the value as written."""
    parts = [t.get("scope") or "", t["indicator"], committed_value(t)]
    return " ".join(p for p in parts if p)


def target_phrase(t: dict) -> str:
    """:func:`target_label` and the year (``*`` when implied; a commitment
    has none — a year would contradict it)."""
    year = f"({year_label(t)})" if t.get("year") and t.get("kind") != "commitment" else ""
    return target_label(t) + year


def restated_label(t: dict) -> str:
    """``另见 N 处``: the other places the plan restates a target (listed once)."""
    n = len(t.get("restatements") or ())
    return f"另见 {n} 处" if n else ""


def silent_plan_label(p: dict) -> str:
    """A plan said to set or carry nothing, with what qualifies the silence."""
    why = ([ABRIDGED_MARK] if p.get("abridged") else []) + ([] if p.get("implements", True) else ["非实施方案"])
    return (p.get("plan_name") or p.get("name") or p.get("plan") or "") + (f"({', '.join(why)})" if why else "")


# --------------------------------------------------------------------------- web pages

MEASURE_KINDS = ("measure", "paragraph", "box", "table")


def page_path(r: dict, answer: str = "") -> str | None:
    """The path of the web page (``cz serve``, docs/web.md) that shows a
    record's unit: a measure's page (``/m/ID``; a target's measure), else
    its plan's (``/plan/ID``); None when the record names neither."""
    from urllib.parse import quote

    mid = r.get("measure_id")
    rid = r.get("id") if isinstance(r.get("id"), str) else None
    kind = r.get("kind")
    if not mid and rid:
        if kind in MEASURE_KINDS:
            mid = rid
        elif kind == "target" and ":t" in rid:
            mid = rid.rsplit(":t", 1)[0]
    if mid:
        return "/m/" + quote(mid, safe="/")
    plan = r.get("plan")
    if answer == "plans" and rid:
        plan = rid
    if isinstance(plan, str) and plan:
        return "/plan/" + quote(plan, safe="/")
    return None
